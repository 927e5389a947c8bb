// A trace as the simulation keeps it (GCtrace in lj_jit.h): where it starts,
// what it replaced, how it links, and its place in the root/side chains.
import type { Proto } from "../bc/proto.ts";
import type { LinkType, TraceKind } from "./events.ts";
import type { IrModel, StepIr } from "./irmodel.ts";
import type { RunPlan } from "./runplan.ts";
import type { TraceCode } from "./tracejs.ts";

/** One recorded bytecode of a trace's path (-jdump=b), with the guards it emitted. */
export interface PathStep {
  pt: Proto;
  pc: number;
  ir: StepIr;
}

export class Trace {
  readonly traceno: number;
  readonly kind: TraceKind;
  /** Prototype and bytecode position the trace starts at. */
  readonly pt: Proto;
  readonly startpc: number;
  /** The instruction at startpc before patching (restored by trace_unpatch). */
  startins: number;
  /** Side traces: parent and exit; stitched traces: the previous trace (in parent). */
  readonly parent: number;
  readonly exitno: number;
  /** Root trace of a side trace (0 for root traces). */
  readonly root: number;
  linktype: LinkType = "none";
  link = 0;
  /** Next root trace of the same prototype (the chain anchored in pt.trace). */
  nextroot = 0;
  /** Next side trace of the same root. */
  nextside = 0;
  /** Rough size in IR instructions, for "trace too long". */
  nins = 0;
  /** The bytecode path the trace was recorded along; running it follows this path. */
  path: PathStep[] = [];
  /** The recorder's model of its IR and snapshots (exit numbers). */
  model: IrModel | null = null;
  /** How often each exit was taken (snap->count); exits with a side trace are not counted. */
  readonly exitCounts = new Map<number, number>();
  /** Side trace (or fallback stub) patched into each exit. */
  readonly sides: number[] = [];
  /** Side traces: path steps before the failed guard (they ran already when the exit is taken). */
  entryStep = 0;
  /** Side traces: frames those steps entered (the guard failed in a function they called). */
  entryFrames = 0;
  /**
   * Side traces: frames below their first one that are part of the trace,
   * because the parent had inlined them where the exit was taken
   * (lj_snap_replay counts the snapshot's frames into J->framedepth).
   */
  inheritedFrames = 0;
  /** The path as flat arrays for running it (made on first entry). */
  plan: RunPlan | null = null;
  /** The path compiled to JS (made on first entry; null: followed through the interpreter). */
  code: TraceCode | null | undefined = undefined;
  /** The simulation's record of a run of this trace, reused from run to run (opaque here). */
  runner: object | null = null;
  /**
   * The simulation's shortcuts (opaque here): per exit, into the side trace's
   * compiled code; at the path's end, into the linked trace's.
   */
  readonly exitStubs: (object | undefined)[] = [];
  linkStub: object | null = null;
  /** Times the trace was entered while not yet compiled (it is compiled once it proves hot). */
  entries = 0;
  /** Root traces: number of side traces compiled for it (nchild). */
  nchild = 0;
  /**
   * Snapshot #0 restores no slot (snap[0].nent == 0): true for root traces, and
   * for a side trace whose parent's exit snapshot restored none. Only an exit 0
   * of such a trace may grow a side trace that forms its own loop (lj_record_setup).
   */
  snap0Empty = true;

  /**
   * The trace goes on in another trace's start at its end: a "-> N" link,
   * or a side trace's loop back to itself re-linked to its root because
   * the loop optimisation is off (lj_record_stop): it runs like the former.
   */
  get linksOn(): boolean {
    return this.linktype === "root" || (this.linktype === "loop" && this.link !== this.traceno);
  }

  /** The path starts again at its end (a loop, tail- or up-recursion back into this trace). */
  get wraps(): boolean {
    const back = this.linktype === "loop" || this.linktype === "tail-recursion" || this.linktype === "up-recursion";
    return back && this.link === this.traceno;
  }

  constructor(traceno: number, kind: TraceKind, pt: Proto, startpc: number, parent = 0, exitno = 0, root = 0) {
    this.traceno = traceno;
    this.kind = kind;
    this.pt = pt;
    this.startpc = startpc;
    this.startins = pt.bc[startpc];
    this.parent = parent;
    this.exitno = exitno;
    this.root = root;
  }
}
