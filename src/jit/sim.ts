// The trace lifecycle simulation (lj_trace.c, lj_record.c, lj_dispatch.c):
// hot counters start root traces, a recorder follows the interpreter and
// stops or aborts as LuaJIT does, traces patch their start bytecode, and
// jit.flush / GC / maxtrace undo it — with each build's flush semantics.
import { BCBIAS_J, bcA, bcB, bcC, bcD, bcJ, bcOp, setD, setOp } from "../bc/ins.ts";
import { Op, isJOp, isRetOp, opNames } from "../bc/opcodes.ts";
import { funcLoc } from "../bc/funcloc.ts";
import { toInt32 } from "../util/arith.ts";
import { PROTO_CHILD, PROTO_ILOOP, PROTO_NOJIT, PROTO_VARARG, isProto, type Proto } from "../bc/proto.ts";
import { discoveryOrder, ProtoKeyNamer } from "../bc/protokeys.ts";
import { LuaClosure, NativeFunction } from "../vm/func.ts";
import { callEventHandler, forNumbers, frameResultIdx, jsRuntime } from "../vm/interp.ts";
import { RecordResult, type JitHooks, type JitTarget, type TraceInfo } from "../vm/jithooks.ts";
import { jitParamIndex, JIT_F_ON, JIT_F_OPT_LOOP, MAX_JSLOTS } from "../vm/jitparams.ts";
import type { LuaState } from "../vm/state.ts";
import { LuaTable, iterOut } from "../vm/table.ts";
import { FrameKind, type CallInfo, type LuaThread } from "../vm/thread.ts";
import { badArgType, builtinPolicy, formatRecording, UNKNOWN_ARG, unrecordedVariant } from "./builtins.ts";
import { ASSERT_JFORL_OTHER, BUILD_TRAITS, type BuildName, type BuildTraits } from "./builds.ts";
import type { EventInput, LinkType, ProtoKey, TraceOrigin } from "./events.ts";
import { forEvent, type LoopEv } from "./forloop.ts";
import { IrModel, LJ_MAX_ASIZE, calleeHolds, nextInto, type CalleeSpec, type ModelContext } from "./irmodel.ts";
import type { LuaValue } from "../vm/value.ts";
import { concatMetaPair, concatMissing, missingMetamethod } from "./metacheck.ts";
import { InvariantMonitor } from "./monitor.ts";
import { replayPrefix } from "./prefixvals.ts";
import { comparisonJumps } from "./cmpjump.ts";
import { byteResults, rangeCase } from "./strrange.ts";
import { forDirHolds, forRangeHolds, typeHolds } from "./vtype.ts";
import { CheckKind, runPlan, type CheckList, type RunPlan } from "./runplan.ts";
import { Trace, type PathStep } from "./trace.ts";
import { CHAIN, compileTrace, entryFn, leaveHelpers, sharedExit, type CompiledTrace, type RunCursor, type TraceCode, type TraceRuntime } from "./tracejs.ts";
import { TRACE_ERRORS, traceErrorText, type TraceError } from "./traceerr.ts";

/** JitSim.vmState: the program's "trace" vmevent handler. */
const enum VmState {
  none = 0,
  /** Events wait for the handler: the next instruction the interpreter reports delivers them. */
  pending = 1,
  /** The handler runs (HOOK_VMEVENT): no events, no trace starts, nothing recorded or followed. */
  running = 2,
}

const P_MAXTRACE = jitParamIndex("maxtrace");
const P_MAXRECORD = jitParamIndex("maxrecord");
const P_HOTLOOP = jitParamIndex("hotloop");
const P_LOOPUNROLL = jitParamIndex("loopunroll");
const P_INSTUNROLL = jitParamIndex("instunroll");
const P_CALLUNROLL = jitParamIndex("callunroll");
const P_RECUNROLL = jitParamIndex("recunroll");
const P_MAXSIDE = jitParamIndex("maxside");
const P_HOTEXIT = jitParamIndex("hotexit");
const P_TRYSIDE = jitParamIndex("tryside");
const P_MINSTITCH = jitParamIndex("minstitch");
const P_MAXSNAP = jitParamIndex("maxsnap");
/** LJ_MIN_VECSZ: the smallest size a growable vector (the snapshot buffer) takes. */
const MIN_VECSZ = 8;

/** Penalty cache (lj_jit.h PENALTY_*). */
const PENALTY_SLOTS = 64;
const PENALTY_MIN = 36 * 2;
const PENALTY_MAX = 60000;
const PENALTY_RNDBITS = 4;

/** A failed recording: the reason, and where the recorder was. */
class TraceAbort {
  /** pc (and pt): where the recorder was (J->pc), when a loop op or a tail call already moved it on. */
  constructor(readonly err: TraceError, readonly info: string | undefined, readonly pc?: number, readonly pt?: Proto) {}
}

/** CheckKind.vargIndex and vargType (rec_varg's guards for select(n, ...)) at the VARG at pc. */
function vargHolds(kind: number, type: number, param: number, ci: CallInfo, stack: LuaValue[], pt: Proto, pc: number): boolean {
  const nvar = ci.nvarargs;
  const nv = stack[ci.base + bcA(pt.bc[pc]) - 1];
  if (kind === CheckKind.vargIndex) {
    if (typeof nv !== "number") return false;
    return type === 1 ? (nv - 1) >>> 0 < nvar : nvar < nv;
  }
  const n = param !== 0 ? param : (nv as number);
  return typeHolds(n >= 1 && n <= nvar ? stack[ci.funcIdx + 2 + pt.numparams + n - 1] : undefined, type);
}

type BuiltinArg = LuaValue | typeof UNKNOWN_ARG;

/**
 * A builtin call's arguments from stack[first] as its recorder sees them: the
 * first `known` values, then nil if there are nargs of them, else UNKNOWN_ARG
 * (nargs -1: a CALLM's multiple results), at least four entries.
 */
function argValues(stack: readonly LuaValue[], first: number, nargs: number, known: number): BuiltinArg[] {
  return Array.from({ length: Math.max(4, known + 1) }, (_, i) => (i < known ? stack[first + i] : nargs < 0 ? UNKNOWN_ARG : undefined));
}

/** A Lua error raised while recording: the trace aborts with its message (trace_abort, LJ_TRERR_RECERR). */
class RecordError extends TraceAbort {
  constructor(readonly message: string) {
    super("RECERR", undefined);
  }
}

/** Raised inside the simulation when a prefix-assert build hits a failed lua_assert. */
export class AssertionCrash extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

interface Recording {
  T: Trace;
  L: LuaThread;
  /** Interpreter depth of the frame the trace started in. */
  depth0: number;
  /** Range of the loop being recorded (rec_setup_root), -1 extent = none. */
  bcMin: number;
  bcExtent: number;
  loopunroll: number;
  /** Loop optimisations that may still fail and go on recording (J->instunroll). */
  instunroll: number;
  /** Why the loop optimisation failed so far (each time recording went on). */
  loopRetries?: string[];
  /** Tail calls recorded so far (J->tailcalled): they count towards the loop unroll limit. */
  tailcalled: number;
  loopref: number;
  model: IrModel;
  path: PathStep[];
  /** J->startpc: where reaching the start again closes a loop; -1 for side traces that cannot form one. */
  startpc: number;
  /** A side trace starting at a JLOOP the exit restored to its original instruction (lj_snap_restore): that pc. */
  restoredPc?: number;
  /** A Lua error was thrown while recording (lj_err_throw's lj_trace_abort): the next instruction aborts. */
  errored?: boolean;
  /**
   * A CAT's __concat metamethod runs at this depth; operands are left to join
   * after it returns (remainder): those below slot `left` of the CAT's frame.
   */
  catMeta?: { depth: number; remainder: boolean; left: number };
}

/** Where a stitching trace's builtin returns to (its continuation frame, lj_cont_stitch). */
interface StitchReturn {
  L: LuaThread;
  pt: Proto;
  pc: number;
  depth: number;
}

/**
 * A compiled trace being run (the machine code LuaJIT would execute), followed
 * along its path. A class, so that every instance has one shape: the fast path
 * reads it for nearly every bytecode the interpreter reports. Each trace keeps
 * one and reuses it for its next run (exits and links start runs by the million).
 */
class Running implements RunCursor {
  readonly plan: RunPlan;
  /** The trace compiled to JS (null: the interpreter reports each step to follow()). */
  code: TraceCode | null;
  /** Counts the runs this record was reused for: code holding it can tell a run begun since. */
  gen = 0;
  /** Stack index of the trace's first frame. */
  base0: number;
  /** Compiled code handed step `cursor` back: its next report is followed, not run compiled. */
  skipJs = false;
  /** Next path step expected. */
  cursor: number;
  /** In the loop part (after LOOP) rather than the pre-roll. */
  inLoop = false;

  /**
   * plan.nextPre / checksPre or plan.nextLoop / checksLoop, for the part being run.
   * (Read from inLoop, not stored: a root trace entered by a link wraps on each run.)
   */
  get next(): Int32Array {
    return this.inLoop ? this.plan.nextLoop : this.plan.nextPre;
  }

  get checks(): CheckList {
    return this.inLoop ? this.plan.checksLoop : this.plan.checksPre;
  }
  /** The guard a divergence right now would fail, and whether it was the loop copy. */
  guard = 0;
  guardInLoop = false;
  /** The step just followed was the trace's own J-op: the interpreter running it is no re-entry. */
  atJop = false;
  /** In a straight-line loop part: bytecodes are not reported until the loop is left (RunPlan.coast). */
  coasting = false;
  /** The trace called a builtin at (pt, pc - 1) in frame `depth` of thread L; what follows is stitched. */
  stitch: StitchReturn | undefined = undefined;
  /**
   * At the path's end, the trace linked to, whose J-op no longer stands at
   * its start (flushed, or patched for another trace since): the link is a
   * jump between machine code, so that trace is entered all the same.
   */
  staleLink: Trace | null = null;

  constructor(readonly T: Trace, cursor: number, base0: number, code: TraceCode | null) {
    this.plan = planOf(T);
    this.code = code;
    this.base0 = base0;
    this.cursor = cursor;
  }

  /** A new run from step `cursor`, as a fresh record would start it. */
  restart(cursor: number, base0: number, code: TraceCode | null): this {
    // Exits and links restart runs by the million: an object field is written only if it
    // changes (a store of an object costs a write barrier, a comparison does not).
    this.gen++;
    if (this.code !== code) this.code = code;
    this.base0 = base0;
    this.skipJs = false;
    this.inLoop = false;
    this.cursor = cursor;
    this.guard = 0;
    this.guardInLoop = false;
    this.atJop = false;
    this.coasting = false;
    if (this.stitch !== undefined) this.stitch = undefined;
    if (this.staleLink !== null) this.staleLink = null;
    return this;
  }
}

/**
 * Where an exit of a compiled trace went on the last time: into the side
 * trace's compiled code at `step` (LuaJIT patches the exit to jump there).
 * Taken again as long as what it was found under still holds; compiled
 * code takes it itself (tracejs.ts, its shared exit), as exitRun does.
 */
interface ExitStub {
  /** JitSim.epoch when found: anything it depends on (the word at pc, the side trace, its code) may have changed since. */
  epoch: number;
  pt: Proto;
  pc: number;
  Ts: Trace;
  code: TraceCode;
  runner: Running;
  step: number;
  fn: CompiledTrace;
}

/** As ExitStub, for the J-op a trace links to at its path's end (one per trace); compiled code takes it as linkRun does. */
interface LinkStub {
  /** As ExitStub's: the J-op at pc (its D operand names T2), T2 and its code may have changed since. */
  epoch: number;
  pt: Proto;
  pc: number;
  /** The pc the interpreter goes on at after the J-op. */
  npc: number;
  T2: Trace;
  code: TraceCode | null;
  runner: Running;
  /** T2's first reported step (moveTo) and the stop pc that goes with it. */
  step: number;
  stopPc: number;
  /** T2's compiled code from `step` (null: the interpreter goes on and reports npc). */
  fn: CompiledTrace | null;
}

interface PenaltySlot {
  pt: Proto | null;
  pc: number;
  val: number;
  reason: TraceError;
}

export interface JitSimOptions {
  build: BuildName;
  /** Receives every event (LuaJIT's and ours). */
  emit: (e: EventInput) => void;
  /** Seed of the penalty randomness (LuaJIT seeds its PRNG per process). */
  seed?: number;
}

/**
 * Step c is at a J-op the running trace goes through rather than enters:
 * its own, or any other trace's before the path's end. The trace's machine
 * code never looks at bytecode: a loop or function another trace patched
 * since (or a function trace recorded across, rec_func_jit) is run inline.
 * Only the last step of a trace linked to another trace enters it.
 */
function passesJop(plan: RunPlan, c: number, pt: Proto, pc: number): boolean {
  if (plan.isJop[c] === 1) return true;
  if (c + 1 >= plan.pcs.length) return false;
  return isJOp(bcOp(pt.bc[pc]));
}

/**
 * Side trace Ts has nothing to run from its exit: a "fallback to
 * interpreter" stub (its path, if any, is the bytecodes before the failed
 * guard, which ran already). Its machine code only goes back to the
 * interpreter: no guard, no exit of its own to count.
 */
function goesStraightBack(Ts: Trace): boolean {
  return Ts.entryStep >= Ts.path.length;
}

/** T's path as a RunPlan, made on first use. */
function planOf(T: Trace): RunPlan {
  return T.plan ?? (T.plan = runPlan(T));
}

/** A trace's path is compiled to JS on its this-many-th run. */
const COMPILE_AFTER_ENTRIES = 4;

export class JitSim implements JitHooks {
  readonly active = true;
  private readonly S: LuaState;
  private readonly traits: BuildTraits;
  private readonly emit: (e: EventInput) => void;
  /** The trace array: index = trace number; undefined = free. */
  private traces: (Trace | undefined)[] = [];
  /**
   * Changes whenever a stub's target may have: a bytecode word, the trace
   * array, an exit's side trace, a trace's compiled code. A stub found in
   * the same epoch holds without looking at each of them again. (This and
   * rec, run, exitedAt, chainEntry and chainFn are public: compiled code
   * reads them to take a stub itself, tracejs.ts ChainState.)
   */
  epoch = 0;
  /** Head of each prototype's chain of root traces (pt->trace). */
  private readonly chains = new Map<Proto, number>();
  private readonly penalty: PenaltySlot[] = [];
  private penaltyslot = 0;
  rec: Recording | null = null;
  private readonly monitor = new InvariantMonitor();
  /** The trace being run (compiled code sets it when it takes a stub). */
  run: Running | null = null;
  /** An exit just resumed the interpreter at this JLOOP: running it does not enter its trace. */
  exitedAt: { pt: Proto; pc: number } | null = null;
  private prng: number;
  private readonly keys = new Map<Proto, ProtoKey>();
  private readonly namer = new ProtoKeyNamer();
  /** Told when an event first names a prototype that was not registered (the event log then lists it). */
  onNewKey: ((pt: Proto, key: ProtoKey) => void) | null = null;

  constructor(S: LuaState, options: JitSimOptions) {
    this.S = S;
    this.traits = BUILD_TRAITS[options.build];
    this.emit = options.emit;
    this.prng = (options.seed ?? 0x2545f491) >>> 0 || 1;
    for (let i = 0; i < PENALTY_SLOTS; i++) this.penalty.push({ pt: null, pc: 0, val: 0, reason: "RECERR" });
  }

  /** Attach to a state: hot counting starts (if the JIT is on). */
  attach(): void {
    this.S.jit = this;
    this.updateCounting();
  }

  /** The names events use for prototypes (src/bc/protokeys.ts); others are named at first sight. */
  registerProtos(keys: ReadonlyMap<Proto, ProtoKey>): void {
    for (const [pt, key] of keys) {
      this.keys.set(pt, key);
      this.namer.name(pt); // so that a later prototype with the same name gets "#2"
    }
  }

  key(pt: Proto): ProtoKey {
    let k = this.keys.get(pt);
    if (k === undefined) {
      // A chunk loaded later, or a library function written in Lua: named with
      // the prototypes nested in it that have no name yet, as the harness meets them.
      for (const p of discoveryOrder(pt)) {
        if (this.keys.has(p)) continue;
        const key = this.namer.name(p);
        this.keys.set(p, key);
        this.onNewKey?.(p, key);
      }
      k = this.keys.get(pt) as ProtoKey;
    }
    return k;
  }

  /** Allocated traces as [number, linktype, link] (what the event log lists). */
  allocated(): [number, LinkType, number][] {
    const out: [number, LinkType, number][] = [];
    this.traces.forEach((T, i) => { if (T) out.push([i, T.linktype, T.link]); });
    return out;
  }

  private param(i: number): number {
    return this.S.jitConfig.params[i];
  }

  /**
   * J->sizesnap: the snapshot buffer is shared by all recordings and only
   * grows, doubling up to maxsnap; a recording that needs more snapshots
   * than maxsnap when it must grow aborts ("too many snapshots").
   */
  private sizesnap = 0;
  private readonly growSnapBuf = (need: number, pt: Proto, pc: number): void => {
    if (need <= this.sizesnap) return;
    const max = this.param(P_MAXSNAP);
    if (need > max) throw new TraceAbort("SNAPOV", undefined, pc, pt);
    this.sizesnap = Math.min(Math.max(this.sizesnap * 2, MIN_VECSZ), max);
  };

  /**
   * Hot counters tick only in the interpreter: not while a trace runs, nor
   * while one records (lj_dispatch_update swaps in the non-counting ops).
   */
  private updateCounting(): void {
    this.S.counting = (this.S.jitConfig.flags & JIT_F_ON) !== 0 && this.run === null && this.rec === null;
    this.S.recording = this.rec !== null || (this.run !== null && !this.run.coasting) || (this.stitchWaits.length > 0 && this.stitchWaiting()) ||
      this.vmState === VmState.pending;
    this.S.stopPc = -1;
  }

  // -- The program's "trace" vmevent handler (jit.attach) --------------------------------

  /** Whether "trace" vmevents wait for the program's handler, or one runs now (lj_vmevent_call). */
  private vmState = VmState.none;
  private readonly vmQueue: LuaValue[][] = [];

  /**
   * lj_vmevent_send for "trace": queue the handler's arguments (made only
   * then), if the program attached one and none runs now (a running one turns
   * all events off). The
   * handler runs before the interpreter's next instruction, where Lua code may
   * run (the record hook); LuaJIT runs it inside trace_start, trace_stop, ...,
   * which is the same moment as far as a program can tell.
   */
  private sendTrace(args: () => LuaValue[]): void {
    if (this.vmState === VmState.running || !this.S.jitConfig.handlers.has("trace")) return;
    this.vmQueue.push(args());
    if (this.vmState === VmState.none) {
      this.vmState = VmState.pending;
      this.updateCounting();
    }
  }

  /**
   * Run the queued handler calls. While one runs (HOOK_VMEVENT), hot counters
   * start no trace, nothing is recorded or followed, and J-ops run as the
   * instructions they replaced. A handler's error is reported as LuaJIT does.
   */
  private deliverVmevents(L: LuaThread): void {
    this.vmState = VmState.running;
    try {
      for (let args = this.vmQueue.shift(); args !== undefined; args = this.vmQueue.shift()) {
        const fn = this.S.jitConfig.handlers.get("trace");
        if (fn === undefined) continue;
        const failed = callEventHandler(L, fn, args);
        if (failed !== undefined) this.S.stderr(`VM handler failed: ${typeof failed.error === "string" ? failed.error : "?"}\n`);
      }
    } finally {
      this.vmQueue.length = 0;
      this.vmState = VmState.none;
      this.updateCounting();
    }
  }

  /** The closure running pt nearest the top of L's frames (J->fn for an event about pt). */
  private closureOf(L: LuaThread, pt: Proto): LuaClosure | undefined {
    for (let d = L.depth; d >= 0; d--) {
      const cl = L.frames[d].closure;
      if (cl !== null && cl.proto === pt) return cl;
    }
    return undefined;
  }

  /** The "start" event's arguments: a side trace adds its parent and exit, a stitched one the trace before it and -1. */
  private sendStart(L: LuaThread, T: Trace): void {
    this.sendTrace(() => {
      const args: LuaValue[] = ["start", T.traceno, this.closureOf(L, T.pt), T.startpc];
      if (T.kind === "side") args.push(T.parent, T.exitno);
      else if (T.kind === "stitch") args.push(T.parent, -1);
      return args;
    });
  }

  /** DIVERGENCE ("Penalty randomness"): a seedable xorshift instead of LuaJIT's per-process PRNG. */
  private random(): number {
    let x = this.prng;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.prng = x;
    return x;
  }

  // -- Locations ---------------------------------------------------------------------

  /** Where pc is, as jit.v prints it (jit.util.funcinfo's loc). */
  private loc(pt: Proto, pc: number): string {
    return funcLoc(pt, pc);
  }

  private origin(T: Trace): TraceOrigin {
    const o: TraceOrigin = { tr: T.traceno, func: this.key(T.pt), pc: T.startpc, loc: this.loc(T.pt, T.startpc), kind: T.kind };
    if (T.kind !== "root") o.parent = T.parent;
    if (T.kind === "side") o.exit = T.exitno;
    return o;
  }

  // -- Bytecode patching --------------------------------------------------------------

  /** The trace array's one writer (a new epoch for the stubs). */
  private setTrace(traceno: number, T: Trace | undefined): void {
    this.traces[traceno] = T;
    this.epoch++;
  }

  /** The interpreter turned an ISNEXT into a JMP (and its ITERN into ITERC): a word changed. */
  despecialised(): void {
    this.epoch++;
  }

  /** lj_err_throw aborts a recording (lj_trace_abort); the recorder reports it at its next instruction. */
  errorThrown(): void {
    if (this.rec !== null) this.rec.errored = true;
  }

  private setIns(pt: Proto, pc: number, ins: number, why: "patch" | "unpatch" | "blacklist" | "jit-off", by: string): void {
    const from = pt.bc[pc];
    if (from === ins) return;
    pt.bc[pc] = ins;
    this.epoch++;
    const op = bcOp(ins);
    const isJ = op === Op.JFORL || op === Op.JITERL || op === Op.JLOOP || op === Op.JFUNCF || op === Op.JFUNCV;
    if (isJ) this.monitor.notePatch(pt, pc);
    this.emit({
      type: "bc", ours: true, proto: this.key(pt), pc, from: opNames[bcOp(from)], to: opNames[op],
      ...(isJ ? { trace: bcD(ins) } : {}), why, by,
    });
  }

  // -- JitHooks: counting and recording --------------------------------------------------

  startIns(pt: Proto, pc: number): number {
    const ins = pt.bc[pc];
    if (bcOp(ins) === Op.JFORI) return setOp(ins, Op.FORI); // its D is the jump, not a trace
    const T = this.traces[bcD(ins)];
    if (T !== undefined && T.pt === pt && T.startpc === pc) return T.startins;
    // A J-op whose trace is gone or is another's (the flush bug): run what the op must have been.
    return this.unpatched(ins);
  }

  /** The interpreter form of a J-op when its trace is unknown (LuaJIT would run the other trace). */
  private unpatched(ins: number): number {
    const op = bcOp(ins);
    const T = this.traces[bcD(ins)];
    if (T !== undefined) return T.startins;
    return setOp(ins, op === Op.JFORL ? Op.FORL : op === Op.JITERL ? Op.ITERL : op === Op.JFUNCF ? Op.FUNCF : Op.LOOP);
  }

  hot(L: LuaThread, pt: Proto, pc: number): void {
    const hc = pt.hotcount as Int32Array;
    hc[pc] = this.param(P_HOTLOOP) * 2;
    if (this.rec !== null || this.vmState === VmState.running) return; // already recording, or in a vmevent handler
    const ins = pt.bc[pc];
    const op = bcOp(ins);
    if (pt.flags & PROTO_NOJIT) {
      // Lazy patching: a JIT-disabled function's hot loop stops counting, silently.
      if (op !== Op.ITERN) {
        this.setIns(pt, pc, setOp(ins, op + (Op.ILOOP - Op.LOOP)), "jit-off", "trace_start");
        pt.flags |= PROTO_ILOOP;
      }
      return;
    }
    if (op === Op.JLOOP) return;
    this.emit({ type: "hot", ours: true, proto: this.key(pt), pc, what: op === Op.FUNCF ? "call" : "loop" });
    this.settingUp(pt, pc, () => this.startRoot(L, pt, pc));
  }

  private findFree(): number {
    const max = Math.max(1, Math.min(65534, this.param(P_MAXTRACE)));
    for (let i = 1; i <= max; i++) if (this.traces[i] === undefined) return i;
    return 0;
  }

  private startRoot(L: LuaThread, pt: Proto, pc: number): void {
    const traceno = this.findFree();
    if (traceno === 0) {
      this.flushAll();
      return;
    }
    const T = new Trace(traceno, "root", pt, pc);
    this.setTrace(traceno, T);
    const model = new IrModel(L.ci.base, this.growSnapBuf);
    const R: Recording = {
      T, L, depth0: L.depth, ...this.freshLimits(), model, path: [], startpc: pc,
    };
    this.rec = R;
    this.updateCounting();
    this.emit({ type: "trace-start", ...this.origin(T) });
    this.sendStart(L, T);
    const ins = pt.bc[pc];
    const j = (ins >>> 16) - BCBIAS_J;
    model.start(this.modelContext(L, pt, firstPc(ins, pc)), bcOp(ins), ins, pc);
    switch (bcOp(ins)) {
      case Op.FORL:
      case Op.ITERL:
        R.bcMin = pc + 1 + j;
        R.bcExtent = -j;
        if (bcOp(ins) === Op.ITERL && bcOp(pt.bc[pc - 1]) === Op.JLOOP) this.abort("LINNER", undefined, pt, pc);
        break;
      case Op.ITERN: {
        const jl = (pt.bc[pc + 1] >>> 16) - BCBIAS_J;
        R.bcMin = pc + 2 + jl;
        R.bcExtent = -jl;
        break;
      }
      case Op.LOOP: {
        const pcj = pc + j;
        const jins = pt.bc[pcj];
        const jj = (jins >>> 16) - BCBIAS_J;
        if (bcOp(jins) === Op.JMP && jj < 0) {
          R.bcMin = pcj + 1 + jj;
          R.bcExtent = -jj;
        }
        break;
      }
      default:
        break; // FUNCF: no range check for traces started by a hot call
    }
    // lj_record_setup: the start frame alone must leave room in the trace's slots.
    if (this.rec === R && 1 + pt.framesize >= MAX_JSLOTS) this.abort("STACKOV", undefined, pt, firstPc(ins, pc));
    // The ITERN that starts a trace is recorded too (LJ_TRACE_RECORD_1ST).
    if (this.rec !== null && bcOp(ins) === Op.ITERN) this.recordSlow(L, pt, pc);
  }

  record(L: LuaThread, pt: Proto, pc: number, entryDepth: number): number {
    if (this.vmState !== VmState.none) {
      if (this.vmState === VmState.running) return RecordResult.go;
      this.deliverVmevents(L);
    }
    const r = this.run;
    if (r !== null) {
      // Fast path: the running trace's next step is what the interpreter reached.
      const c = r.cursor;
      const plan = r.plan;
      if (plan.fast[c] === 1 && plan.pcs[c] === pc && plan.pts[c] === pt) {
        const code = r.code;
        if (code !== null && code.ok[c] === 1) {
          // Compiled code runs the trace from here (unless it just handed this step back).
          if (!r.skipJs && this.S.compile) return this.runCompiled(L, code, r, entryDepth, c);
          r.skipJs = false;
        }
        if (r.checks.start[c] !== r.checks.start[c + 1] && !this.checksHold(r, c, L, pt, pc)) return RecordResult.go;
        const g = plan.branch[c];
        if (g !== 0) {
          r.guard = g;
          r.guardInLoop = r.inLoop;
        }
        r.atJop = passesJop(plan, c, pt, pc);
        if (c + 1 < plan.pcs.length) this.moveTo(r, c + 1);
        else this.wrap(r, L.ci.base);
        return RecordResult.go;
      }
    }
    this.recordSlow(L, pt, pc);
    if (this.vmState === VmState.pending) this.deliverVmevents(L);
    return RecordResult.go;
  }

  /** Make step c's type and bounds checks; on a failure take its exit and return false. */
  private checksHold(r: Running, c: number, L: LuaThread, pt: Proto, pc: number): boolean {
    const failed = this.failingCheck(r, c, L, pt, pc);
    if (failed < 0) return true;
    this.takeExit(L, r.T, r.checks.guard[failed], r.inLoop, pt, pc);
    return false;
  }

  /** The first of step c's checks that fails (-1: none); the guard of each passed one becomes the last passed. */
  private failingCheck(r: Running, c: number, L: LuaThread, pt: Proto, pc: number): number {
    const chk = r.checks;
    const stack = L.stack;
    const base = L.frames[L.depth].base;
    for (let i = chk.start[c]; i < chk.start[c + 1]; i++) {
      let ok: boolean;
      switch (chk.kind[i]) {
        case CheckKind.slotType: ok = typeHolds(stack[r.base0 + chk.slot[i]], chk.type[i]); break;
        case CheckKind.loadType: ok = typeHolds(peekLoad(L, pt, pc, base), chk.type[i]); break;
        case CheckKind.keyBounds: ok = boundsHold(stack, pt.bc[pc], base, undefined); break;
        case CheckKind.stopBounds: ok = boundsHold(stack, pt.bc[pc], base, stack[r.base0 + chk.slot[i]]); break;
        case CheckKind.nextKey: case CheckKind.nextVal: {
          const a = base + bcA(pt.bc[pc]);
          const next = nextInto(stack[a - 2], stack[a - 1]) ? (chk.kind[i] === CheckKind.nextKey ? iterOut.key : iterOut.val) : undefined;
          ok = typeHolds(next, chk.type[i]);
          break;
        }
        case CheckKind.keyOutside: ok = keyOutside(stack, pt.bc[pc], base); break;
        case CheckKind.hashEmpty: ok = accessedTable(stack, pt.bc[pc], base)?.hmask === 0; break;
        case CheckKind.hmaskEquals: ok = accessedTable(stack, pt.bc[pc], base)?.hmask === chk.param[i]; break;
        case CheckKind.keyPresent: case CheckKind.keyAbsent: {
          const t = accessedTable(stack, pt.bc[pc], base);
          ok = t !== undefined && (t.keyIndex(accessedKey(stack, pt.bc[pc], base)) > t.asize) === (chk.kind[i] === CheckKind.keyPresent);
          break;
        }
        case CheckKind.callee: ok = calleeHolds(stack[r.base0 + chk.slot[i]], chk.callee[i] as CalleeSpec); break;
        case CheckKind.strEquals: ok = stack[r.base0 + chk.slot[i]] === chk.str[i]; break;
        case CheckKind.sameObject: ok = (stack[r.base0 + chk.slot[i]] === stack[r.base0 + chk.param[i]]) === (chk.type[i] === 1); break;
        case CheckKind.forDir: ok = forDirHolds(stack[r.base0 + chk.slot[i]], chk.type[i] === 1); break;
        case CheckKind.forRange: ok = forRangeHolds(stack[r.base0 + chk.slot[i] + 1], stack[r.base0 + chk.slot[i] + 2]); break;
        case CheckKind.cmpJumps: ok = comparisonJumps(pt.bc[pc - 2], pt, stack, base) !== (chk.type[i] === 0); break;
        case CheckKind.vargCount: ok = (L.ci.nvarargs >= chk.param[i]) === (chk.type[i] === 1); break;
        case CheckKind.vargExact: ok = L.ci.nvarargs === chk.param[i]; break;
        case CheckKind.vargStop: { const stop = stack[r.base0 + chk.slot[i]]; ok = typeof stop === "number" && stop - 1 < L.ci.nvarargs; break; }
        case CheckKind.vargIndex: case CheckKind.vargType: ok = vargHolds(chk.kind[i], chk.type[i], chk.param[i], L.ci, stack, pt, pc); break;
        default: {
          const at = r.base0 + chk.slot[i];
          ok = rangeCase(chk.type[i], stack[at], stack[at + 1], stack[at + 2]) === chk.param[i];
        }
      }
      if (!ok) return i;
      r.guard = chk.guard[i];
      r.guardInLoop = r.inLoop;
    }
    return -1;
  }

  /**
   * Expect step k next. If it starts a straight stretch, skip to the stretch's
   * end and have the interpreter report only when it gets there (the skipped
   * steps hold no J-op, so atJop stays what the last followed step made it).
   */
  private moveTo(r: Running, k: number): void {
    const stop = r.next[k];
    r.cursor = stop;
    this.S.stopPc = stop !== k ? r.plan.pcs[stop] : -1;
  }

  private recordSlow(L: LuaThread, pt: Proto, pc: number): void {
    this.S.stopPc = -1; // the stretch asked for (if any) has ended here
    if (this.stitchWaits.length > 0 && this.run === null && this.stitchWaitEnds(L, pt, pc)) return;
    const R = this.rec;
    if (R === null) {
      if (this.run !== null) this.follow(L, pt, pc);
      else this.updateCounting();
      return;
    }
    if (L !== R.L) return;
    try {
      this.recordIns(R, L, pt, pc);
    } catch (e) {
      if (e instanceof TraceAbort) this.abortOn(e, e.pt ?? pt, e.pc ?? pc);
      else throw e;
    }
  }

  private recordIns(R: Recording, L: LuaThread, pt: Proto, pc: number): void {
    const T = R.T;
    // A side trace that returned below its first frame counts frames from there on (J->retdepth).
    if (L.depth < R.depth0 && T.kind !== "root") R.depth0 = L.depth;
    const framedepth = L.depth - R.depth0;
    let ins = pt.bc[pc];
    if (R.restoredPc === pc && pt === T.pt) {
      ins = this.startIns(pt, pc); // the interpreter runs the original ITERN/return here, and so is it recorded
      R.restoredPc = undefined;
    }
    const op = bcOp(ins);
    if (framedepth <= 0 && R.bcExtent >= 0 && (pt !== T.pt || pc < R.bcMin || pc >= R.bcMin + R.bcExtent)) {
      throw new TraceAbort("LLEAVE", undefined);
    }
    const ci = L.ci;
    const stack = L.stack;
    const base = ci.base;
    const a = bcA(ins);
    if (op === Op.ITERN && T.kind === "root" && pt === T.pt && pc === T.startpc && framedepth === 0 && R.path.length > 0) {
      // rec_itern: back at the starting ITERN, the loop is closed before it is recorded again
      // (and a failed loop optimisation cannot go on recording across it).
      R.instunroll = 0;
      this.stop("loop", T.traceno, pt, pc);
      return;
    }
    if (R.errored) throw new TraceAbort("RECERR", undefined); // an error was thrown since the last instruction
    if (R.catMeta !== undefined && L.depth < R.catMeta.depth) R.catMeta = undefined; // the metamethod returned
    if (op === Op.CAT) {
      const left = concatMetaPair(stack, base + bcB(ins), base + bcC(ins));
      if (left >= 0) R.catMeta = { depth: L.depth + 1, remainder: left > base + bcB(ins), left };
    }
    this.checkValues(R, pt, pc, ins, stack, base, framedepth);
    if (missingMetamethod(L, ins, base)) throw new TraceAbort("NOMM", undefined);
    if (isRetOp(op) && R.catMeta !== undefined && R.catMeta.remainder && R.catMeta.depth === L.depth && this.remainderMissesMeta(L, ins, R.catMeta.left)) {
      // lj_record_ret joins the operands left below the metamethod's pair with its result (rec_cat) as it records the return.
      throw new TraceAbort("NOMM", undefined);
    }
    // The model reads a JFORL's loop jump, which its D no longer holds: give it the FORL.
    const stepIr = R.model.step(this.modelContext(L, pt, pc, framedepth), op === Op.JFORL ? setOp(this.startIns(pt, pc), Op.JFORL) : ins);
    R.path.push({ pt, pc, ir: stepIr });
    switch (op) {
      case Op.FORL: case Op.ITERL: case Op.ITERN: case Op.LOOP:
        this.loopInterp(R, pt, pc, framedepth, this.loopEvent(op, ins, stack, base));
        break;
      case Op.JFORL: case Op.JITERL: case Op.JLOOP:
        this.loopJit(R, pt, pc, framedepth, ins);
        break;
      case Op.JFORI: {
        if (this.loopEvent(Op.FORI, ins, stack, base) !== "leave") {
          const jforl = pt.bc[pc + (ins >>> 16) - BCBIAS_J];
          this.stop("root", bcD(jforl), pt);
        }
        break;
      }
      case Op.IFORL: case Op.IITERL: case Op.ILOOP: case Op.IFUNCF: case Op.IFUNCV:
        throw new TraceAbort("BLACKL", undefined);
      case Op.UCLO: case Op.FNEW:
        throw new TraceAbort("NYIBC", opNames[op].padEnd(6));
      case Op.FUNCF: case Op.FUNCV:
        // Entered by a call in the trace (at depth 0: a tail call).
        if (framedepth >= 0) this.enterFunc(R, L, pt, pc, framedepth, 0);
        break;
      case Op.JFUNCF: {
        const lnk = bcD(ins);
        const linked = this.traces[lnk];
        if (framedepth > 0 || pc !== T.startpc || pt !== T.pt) {
          if (linked !== undefined && linked.linktype === "return") {
            this.enterFunc(R, L, pt, pc, framedepth, lnk);
          } else if (pt === T.pt && pc === R.startpc && framedepth === 0) {
            this.stop("tail-recursion", T.traceno, pt);
          } else {
            this.stop("root", lnk, pt);
          }
        }
        break;
      }
      case Op.CALL: case Op.CALLM: case Op.CALLT: case Op.CALLMT: case Op.ITERC: {
        const fn = stack[base + a - (op === Op.ITERC ? 3 : 0)];
        if (op !== Op.CALLT && op !== Op.CALLMT) this.checkCallSlots(R, base + a, this.callArgs(op, ins, fn, L.multres));
        // lj_record_tailcall: tail calls can form a loop, so they count towards loopunroll.
        if ((op === Op.CALLT || op === Op.CALLMT) && ++R.tailcalled > R.loopunroll) throw new TraceAbort("LUNROLL", undefined);
        if (fn instanceof NativeFunction) this.callBuiltin(R, L, pt, pc, fn);
        else if (!(fn instanceof LuaClosure) && !(fn instanceof LuaTable)) break;
        break;
      }
      case Op.RET: case Op.RET0: case Op.RET1: case Op.RETM:
        // lj_record_ret: a return into a pcall frame is resolved on trace only if that pcall is part of it.
        if ((L.ci.kind === FrameKind.PCALL || L.ci.kind === FrameKind.XPCALL || L.ci.byPcall) && framedepth <= 0) throw new TraceAbort("NYIRETL", undefined);
        // Below a vararg function's first frame is its vararg frame, not a Lua one: the interpreter returns.
        if (framedepth <= 0 && (T.kind === "root" || (pt.flags & PROTO_VARARG) !== 0 || !this.returnsToLua(L))) this.stop("return", 0, pt);
        else if (framedepth <= 0 && 1 + (L.frames[L.depth - 1].closure as LuaClosure).proto.framesize >= MAX_JSLOTS) {
          throw new TraceAbort("STACKOV", undefined); // lj_record_ret: the lower frame the trace returns to must fit its slots
        }
        break;
      default:
        break;
    }
    if (this.rec === R) {
      T.nins = R.model.nins; // DIVERGENCE ("Trace length"): the model's instruction count
      if (T.nins > this.param(P_MAXRECORD)) throw new TraceAbort("TRACEOV", undefined);
    }
  }

  /** Would this loop instruction continue the loop (LOOPEV_ENTER) or leave it? */
  private loopEvent(op: number, ins: number, stack: unknown[], base: number): LoopEv {
    const a = bcA(ins);
    switch (op) {
      case Op.FORL: {
        const step = stack[base + a + 2] as number;
        return forEvent((stack[base + a] as number) + step, stack[base + a + 1] as number, step);
      }
      case Op.FORI:
        return forEvent(stack[base + a] as number, stack[base + a + 1] as number, stack[base + a + 2] as number);
      case Op.ITERL:
        return stack[base + a] !== undefined ? "enter" : "leave";
      case Op.ITERN: {
        const t = stack[base + a - 2];
        return t instanceof LuaTable && t.iterate(stack[base + a - 1] as number) >= 0 ? "enter" : "leave";
      }
      default:
        return "enter";
    }
  }

  /**
   * Aborts that depend on the values a bytecode is recorded with (checked for
   * the steps of a side trace's path before its failed guard too).
   */
  private checkValues(R: Recording, pt: Proto, pc: number, ins: number, stack: LuaValue[], base: number, framedepth: number): void {
    const op = bcOp(ins);
    if ((op === Op.TGETV || op === Op.TSETV) && this.mixedTableKey(R, stack[base + bcB(ins)], base + bcC(ins), stack[base + bcC(ins)])) {
      throw new TraceAbort("NYITMIX", undefined);
    }
    if (op === Op.FORI || op === Op.JFORI) {
      const ra = base + bcA(ins);
      // rec_for runs lj_meta_for: numeric strings are converted in place, anything else raises its error.
      const err = forNumbers(stack, ra);
      if (err !== undefined) throw new RecordError(err);
      // The loop test of a start and stop the trace knows as constants is folded; with a NaN
      // the folded guard fails always (its snapshot resumes in the loop body, J->pc there).
      const nan = Number.isNaN(stack[ra] as number) || Number.isNaN(stack[ra + 1] as number);
      if (nan && R.model.isConstant(ra) && R.model.isConstant(ra + 1)) throw new TraceAbort("GFAIL", undefined, pc + 1, pt);
    }
    // rec_varg: the first frame's varargs are of unknown number: all of them only for select(n, ...).
    if (op === Op.VARG && framedepth <= 0 && bcB(ins) === 0) this.selectOfVarargs(pt, pc, stack, base);
  }

  /**
   * rec_idx_key: a variable number key that cannot be an array index
   * (negative, fractional, too large) is compiled as a hash key only while
   * the table has no array part.
   */
  private mixedTableKey(R: Recording, t: LuaValue, keySlot: number, k: LuaValue): boolean {
    if (!(t instanceof LuaTable) || typeof k !== "number" || t.arr.length === 0 || R.model.isConstant(keySlot)) return false;
    return !(Number.isInteger(k) && k >= 0 && k < LJ_MAX_ASIZE);
  }

  /**
   * rec_varg's select_detect: VARG passing all of the first frame's varargs is
   * recorded only right before `select(n, ...)`, n being '#' or a positive number.
   */
  private selectOfVarargs(pt: Proto, pc: number, stack: LuaValue[], base: number): void {
    const next = pt.bc[pc + 1];
    const fn = stack[base + bcA(next)];
    if (bcOp(next) !== Op.CALLM || bcB(next) !== 2 || bcC(next) !== 1 || !(fn instanceof NativeFunction) || fn.name !== "select") {
      throw new TraceAbort("NYIBC", "VARG  ");
    }
    const n = stack[base + bcA(pt.bc[pc]) - 1];
    if (typeof n === "string" && n.startsWith("#")) return;
    const start = typeof n === "number" ? n : typeof n === "string" ? Number(n.trim()) : NaN;
    if (Number.isNaN(start) || Math.trunc(start) === 0) throw new TraceAbort("BADTYPE", undefined); // lj_ffrecord_select_mode
    if (start < 0) throw new TraceAbort("NYIBC", "VARG  ");
  }

  /** rec_loop_interp: an interpreted loop op during recording. */
  private loopInterp(R: Recording, pt: Proto, pc: number, framedepth: number, ev: LoopEv): void {
    const T = R.T;
    const next = loopTarget(pt, pc, ev);
    if (T.kind === "root") {
      if (pt === T.pt && pc === T.startpc && framedepth === 0) {
        if (bcOp(T.startins) === Op.ITERN) {
          // rec_itern: the first ITERN is the start; meeting it again closes the loop.
          if (T.nins > 0) {
            R.instunroll = 0;
            this.stop("loop", T.traceno, pt);
          }
          return;
        }
        if (ev === "leave") throw new TraceAbort("LLEAVE", undefined, next);
        this.stop("loop", T.traceno, pt, next);
      } else if (ev !== "leave") {
        const j = (pt.bc[pc] >>> 16) - BCBIAS_J;
        if (j !== -1 && !this.innerLoopLeft(pt, pc)) throw new TraceAbort("LINNER", undefined, next);
        if ((ev !== "enterlo" && R.loopref && T.nins - R.loopref > 24) || --R.loopunroll < 0) throw new TraceAbort("LUNROLL", undefined, next);
        R.loopref = T.nins;
      }
    } else if (ev !== "leave") {
      R.loopref = T.nins;
      if (--R.loopunroll < 0) throw new TraceAbort("LUNROLL", undefined, next);
    }
  }

  /** rec_loop_jit: a compiled loop op met while recording. */
  private loopJit(R: Recording, pt: Proto, pc: number, framedepth: number, ins: number): void {
    const T = R.T;
    const lnk = bcD(ins);
    const linked = this.traces[lnk];
    const startins = linked !== undefined ? linked.startins : ins;
    const sop = bcOp(startins);
    const ev = sop === Op.FORL || sop === Op.ITERL ? this.loopEvent(sop, setD(ins, startins >>> 16), R.L.stack, R.L.ci.base) : "enter";
    // Where the loop op goes on (J->pc after rec_for, rec_iterl or rec_loop, which
    // skips a JLOOP only when it stands for a loop): also where an abort here points.
    const next = sop === Op.FORL || sop === Op.ITERL ? loopTarget(pt, pc, ev, startins)
      : sop === Op.ITERN || isRetOp(sop) ? pc : pc + 1;
    if (T.kind === "root") throw new TraceAbort("LINNER", undefined, next);
    if (ev === "leave") return; // a side trace continues across a loop it leaves
    R.instunroll = 0; // a failed loop optimisation cannot go on recording across a compiled loop op
    // lj_record_stop's loop snapshot resumes where the loop op goes on (J->pc).
    if (pt === T.pt && next === R.startpc && framedepth === 0) this.stop("loop", T.traceno, pt, next);
    else this.stop("root", lnk, pt);
  }

  /** A side trace may return into the Lua function below its first frame (RETF); a C caller ends it. */
  private returnsToLua(L: LuaThread): boolean {
    const caller = L.frames[L.depth - 1];
    return !L.ci.fromNative && L.depth - 1 > 0 && caller.closure !== null && caller.kind !== FrameKind.NATIVE;
  }

  private modelContext(L: LuaThread, pt: Proto, pc: number, framedepth = 0, ci: CallInfo = L.ci): ModelContext {
    return { stack: L.stack, base: ci.base, pt, pc, funcIdx: frameResultIdx(ci), nresults: ci.nresults, framedepth, closure: ci.closure, multres: L.multres, nvarargs: ci.nvarargs, argBase: ci.funcIdx + 2 };
  }

  // -- Running compiled traces -----------------------------------------------------------

  /** A J-op enters its trace (the interpreter jumps into the machine code). */
  enter(L: LuaThread, pt: Proto, pc: number): void {
    if (this.vmState === VmState.running) return; // DIVERGENCE ("When a \"trace\" handler runs"): the J-op runs as its instruction
    const skip = this.exitedAt;
    this.exitedAt = null;
    if (this.rec !== null || (skip !== null && skip.pt === pt && skip.pc === pc)) return;
    const link = this.run?.staleLink;
    const T = link != null && link.pt === pt && link.startpc === pc ? link : this.traces[bcD(pt.bc[pc])];
    if (T === undefined || T.pt !== pt || T.startpc !== pc || T.path.length === 0) return;
    this.enterTrace(L, T);
  }

  /** A J-op (or a link) enters T, at its start. */
  private enterTrace(L: LuaThread, T: Trace): void {
    const { pt, startpc: pc } = T;
    const r = this.run;
    if (r !== null && r.atJop) {
      // The running trace goes through this loop instruction. A coasting one
      // is in its loop part from here: a later loop exit is the loop copy's.
      if (r.coasting) r.guardInLoop = r.inLoop;
      return;
    }
    if (bcOp(T.startins) !== Op.ITERN) {
      this.startRun(T, 0, L.ci.base);
      return;
    }
    // The trace starts with the ITERN the interpreter is about to run: its guards come first.
    this.startRun(T, 0, L.ci.base, true);
    const run = this.run as Running;
    if (!this.checksHold(run, 0, L, pt, pc)) return;
    run.guard = run.plan.branch[0];
    run.guardInLoop = false;
    run.atJop = true;
    this.moveTo(run, 1);
  }

  /** Run T from step `cursor`; `now`: the interpreter is at that step already (it is followed next). */
  private startRun(T: Trace, cursor: number, base0: number, now = false): void {
    const r = this.runnerFor(T, cursor, base0);
    this.run = r;
    this.updateCounting();
    if (!now) this.moveTo(r, cursor);
  }

  /**
   * The path starts again: the loop part of a loop trace (where a straight-line one coasts).
   * `base`: the frame it starts in; up-recursion goes round one frame deeper each time.
   */
  private wrap(r: Running, base: number): void {
    if (r.T.linktype === "up-recursion") r.base0 = base;
    this.wrapped(r);
    // Compiled code runs a straight loop part faster than coasting through the interpreter.
    // Coasting ends when the J-op sees the loop left: not with a flushed trace entered by a link.
    if (r.plan.coast && (r.code === null || !this.S.compile) && this.jopNames(r.T)) {
      r.cursor = 0;
      r.coasting = true;
      r.atJop = true;
      this.updateCounting();
    } else {
      this.moveTo(r, 0);
    }
  }

  /** A path that starts again: at step 0, in the loop part if it has one (whose check lists follow from inLoop). */
  private wrapped(r: Running): void {
    r.inLoop = r.plan.loopPart;
    r.cursor = 0;
  }

  /** A run of T from step `cursor` (T's reused record). */
  private runnerFor(T: Trace, cursor: number, base0: number): Running {
    const code = this.codeOf(T);
    const r = T.runner as Running | null;
    if (r !== null) return r.restart(cursor, base0, code);
    const fresh = new Running(T, cursor, base0, code);
    T.runner = fresh;
    return fresh;
  }

  /** T's path compiled to JS, on its first run (null: it is followed through the interpreter). */
  private codeOf(T: Trace): TraceCode | null {
    if (T.code !== undefined) return T.code;
    // A trace run only a few times is not worth V8's compile, unless it loops (one run may go round for long).
    const plan = planOf(T);
    if (++T.entries < COMPILE_AFTER_ENTRIES && !plan.wraps) return null;
    T.code = this.S.compile ? compileTrace(T, plan, this.traceRuntime, (pt, pc) => this.startIns(pt, pc)) : null;
    this.epoch++;
    return T.code;
  }

  /** What compiled traces call: the interpreter's helpers and the simulation's side of following. */
  private readonly traceRuntime: TraceRuntime = {
    ...jsRuntime,
    ...leaveHelpers,
    checksPass: (r, k, L, pt, pc) => this.failingCheck(r as Running, k, L, pt, pc) < 0,
    wrapped: (r) => this.wrapped(r as Running),
    hub: this,
    running: () => this.run,
    leave: (L, r, ci, xh, xk, xpc, xe, inLoop, multres) => sharedExit(this.traceRuntime, L, r, ci, xh, xk, xpc, xe, inLoop, multres),
    branchExit: (L, r, ci, npc, cursor, exitno, multres) => {
      r.cursor = cursor;
      r.atJop = false;
      const R = r as Running;
      if (exitno < 0) exitno = R.T.model !== null ? R.T.model.exitOf(R.guard, R.guardInLoop) : 0;
      return this.exitCompiled(L, R, ci, npc, R.guard, R.guardInLoop, exitno, multres);
    },
    pathEnd: (r, branched) => this.pathEnd(r as Running, branched),
    linkEnter: (L, r, ci, pt, pc, npc, multres) => this.linkEnter(L, r as Running, ci, pt, pc, npc, multres),
    jitLoopLeft: (pt, pc) => this.loopLeft(pt, pc),
    continueAt: (L, ci, npc, multres) => this.continueAt(L, ci, npc, multres),
    chunkTo: (r, k) => this.chainTo(r as Running, k),
    checkFailed: (L, r, ci, k, pc, exitno, multres) => {
      const R = r as Running;
      R.cursor = k;
      return this.exitCompiled(L, R, ci, pc, R.guard, R.inLoop, exitno, multres);
    },
    checkExit: (L, r, ci, k, pc, multres) => {
      const R = r as Running;
      R.cursor = k;
      const failed = this.failingCheck(R, k, L, (ci.closure as LuaClosure).proto, pc);
      if (failed < 0) return leaveHelpers.before(L, r, ci, pc, k, true, multres); // (the inline checks are the same)
      const guard = R.checks.guard[failed];
      return this.exitCompiled(L, R, ci, pc, guard, R.inLoop, R.T.model !== null ? R.T.model.exitOf(guard, R.inLoop) : 0, multres);
    },
  };

  /** Where the next compiled trace starts when compiled code returns CHAIN (this.run is that trace), and its function. */
  chainEntry = 0;
  chainFn: CompiledTrace = () => RecordResult.resume;

  /** Compiled code goes on in r's code at step c next (runCompiled's loop runs it). */
  private chainTo(r: Running, c: number): number {
    this.chainEntry = c;
    this.chainFn = entryFn(r.code as TraceCode, c);
    return CHAIN;
  }

  /**
   * Run compiled trace code from `entry`; when it goes on into another
   * trace's compiled code (an exit into a side trace, a link), that runs
   * next here, so the JS stack stays flat however long the chain.
   */
  private runCompiled(L: LuaThread, code: TraceCode, r: Running, entryDepth: number, entry: number): number {
    this.S.stopPc = -1; // compiled code follows every step itself
    let how = entryFn(code, entry)(L, r, entryDepth, entry);
    while (how === CHAIN) how = this.chainFn(L, this.run as Running, entryDepth, this.chainEntry);
    return how;
  }

  /** follow() at the last step of a trace linked to a root trace. */
  private pathEnd(r: Running, branched: boolean): void {
    r.cursor = r.plan.pcs.length;
    if (!branched && this.run === r) this.endRun();
  }

  /**
   * The last step of r, linked to the trace of the J-op at (pt, pc), ran that
   * J-op, which enters its trace; the interpreter would go on at npc. As
   * pathEnd, enter and continueAt; the usual case, one run going straight
   * into the next, without their round of checks and counting updates.
   */
  private linkEnter(L: LuaThread, r: Running, ci: CallInfo, pt: Proto, pc: number, npc: number, multres: number): number {
    const usual = this.run === r && this.exitedAt === null && this.rec === null && !r.coasting;
    const stub = r.T.linkStub as LinkStub | null;
    if (usual && stub !== null && stub.epoch === this.epoch && stub.pc === pc && stub.pt === pt && stub.npc === npc) {
      return this.linkRun(L, r, ci, stub, multres);
    }
    // The J-op at pc names r's link (compiled code links only through one that does).
    const T2 = this.linkedTrace(r.T);
    if (!usual || T2 === undefined || T2.pt !== pt || T2.startpc !== pc || bcOp(T2.startins) === Op.ITERN) {
      this.pathEnd(r, false);
      this.enter(L, pt, pc);
      return this.continueAt(L, ci, npc, multres);
    }
    const runner = this.runnerFor(T2, 0, ci.base);
    const code = runner.code;
    const step = runner.next[0];
    const stopPc = step !== 0 ? runner.plan.pcs[step] : -1;
    const plan = runner.plan;
    const goes = code !== null && code.ok[step] === 1 && plan.fast[step] === 1 && plan.pcs[step] === npc && plan.pts[step] === pt &&
      (stopPc < 0 || stopPc === npc);
    const fresh: LinkStub = { epoch: this.epoch, pt, pc, npc, T2, code, runner, step, stopPc, fn: goes ? entryFn(code, step) : null };
    // A trace not compiled yet counts its entries (codeOf): no shortcut past that.
    if (T2.code !== undefined) r.T.linkStub = fresh;
    return this.linkRun(L, r, ci, fresh, multres);
  }

  /**
   * linkEnter's usual case, one run going straight into the next: as
   * pathEnd, enter and continueAt, without their round of checks and
   * counting updates (hot counting stays off, the simulation follows).
   */
  private linkRun(L: LuaThread, r: Running, ci: CallInfo, stub: LinkStub, multres: number): number {
    r.cursor = r.plan.pcs.length;
    const r2 = stub.runner.restart(0, ci.base, stub.code);
    this.run = r2;
    r2.cursor = stub.step;
    const S = this.S;
    S.stopPc = stub.stopPc;
    ci.pc = stub.npc;
    L.multres = multres;
    if (S.ticks <= 0) return RecordResult.slice;
    if (stub.fn === null || !S.recording || !S.compile) return RecordResult.resume;
    this.chainEntry = stub.step;
    this.chainFn = stub.fn;
    return CHAIN;
  }

  /**
   * After a link: the interpreter would go on at npc, and report it if a
   * trace runs; when that trace's compiled code starts there, run it now.
   */
  private continueAt(L: LuaThread, ci: CallInfo, npc: number, multres: number): number {
    ci.pc = npc;
    L.multres = multres;
    const S = this.S;
    if (S.ticks <= 0) return RecordResult.slice;
    const r = this.run;
    if (r === null || r.coasting || !S.recording || !S.compile || (S.stopPc >= 0 && S.stopPc !== npc) || r.skipJs) return RecordResult.resume;
    const c = r.cursor;
    const code = r.code;
    const plan = r.plan;
    if (code === null || code.ok[c] !== 1 || plan.fast[c] !== 1 || plan.pcs[c] !== npc || plan.pts[c] !== (ci.closure as LuaClosure).proto) {
      return RecordResult.resume;
    }
    return this.chainTo(r, c);
  }

  /**
   * Compiled code of r took an exit at ci's pc: as takeExit, but an exit with
   * a side trace goes straight on in the side trace's compiled code. Any
   * other exit is left to the interpreter, which reports pc, and follow()
   * takes the exit (counting it, maybe starting a side trace).
   */
  private exitCompiled(
    L: LuaThread, r: Running, ci: CallInfo, pc: number, guard: number, inLoop: boolean, exitno: number, multres: number,
  ): number {
    const T = r.T;
    const pt = (ci.closure as LuaClosure).proto;
    const stub = T.exitStubs[exitno] as ExitStub | undefined;
    if (stub !== undefined && stub.epoch === this.epoch && stub.pc === pc && stub.pt === pt && this.run === r) {
      return this.exitRun(L, ci, stub, multres);
    }
    const side = T.sides[exitno];
    const Ts = side === undefined ? undefined : this.traces[side];
    if (Ts === undefined || this.run !== r || this.exitRunsOriginal(pt, pc)) {
      r.guard = guard;
      r.guardInLoop = inLoop;
      return leaveHelpers.before(L, r, ci, pc, r.cursor, true, multres);
    }
    ci.pc = pc;
    L.multres = multres;
    if (goesStraightBack(Ts)) {
      this.endRun();
      return RecordResult.resume;
    }
    // takeExit's endRun and startRun, the run going straight from r to the side trace.
    const rs = this.runnerFor(Ts, this.sideEntry(T, exitno, r.cursor, Ts, pt, pc), this.entryBase(L, Ts, ci));
    this.run = rs;
    this.S.stopPc = -1;
    // The interpreter would report pc now: run the side trace's code if it starts there.
    const c = rs.cursor;
    const code = rs.code;
    if (code === null || code.ok[c] !== 1 || rs.plan.pts[c] !== pt || rs.plan.pcs[c] !== pc) return RecordResult.resume;
    T.exitStubs[exitno] = { epoch: this.epoch, pt, pc, Ts, code, runner: rs, step: c, fn: entryFn(code, c) };
    return this.chainTo(rs, c);
  }

  /** exitCompiled's usual case again, by its stub: the side trace's compiled code runs next. */
  private exitRun(L: LuaThread, ci: CallInfo, stub: ExitStub, multres: number): number {
    ci.pc = stub.pc;
    L.multres = multres;
    this.run = stub.runner.restart(stub.step, this.entryBase(L, stub.Ts, ci), stub.code);
    this.S.stopPc = -1;
    this.chainEntry = stub.step;
    this.chainFn = stub.fn;
    return CHAIN;
  }

  /**
   * lj_snap_restore: an exit to a JLOOP standing for an ITERN or a return
   * runs the original instruction in the interpreter (it does not enter the
   * trace again): takeExit marks it (exitedAt).
   */
  private exitRunsOriginal(pt: Proto, pc: number): boolean {
    if (bcOp(pt.bc[pc]) !== Op.JLOOP) return false;
    const orig = bcOp(this.startIns(pt, pc));
    return orig === Op.ITERN || isRetOp(orig);
  }

  /** A coasting trace's loop instruction was left: its loop test is the guard that fails. */
  loopLeft(pt: Proto, pc: number): void {
    if (this.vmState === VmState.running) return;
    this.exitedAt = null;
    const r = this.run;
    if (r === null || !r.coasting || r.T.pt !== pt || r.T.startpc !== pc) return;
    r.coasting = false;
    r.atJop = false;
    r.cursor = 0;
    // The loop test failed: in the pre-roll if the loop did not go round since coasting began (guardInLoop).
    r.guard = r.plan.branch[r.plan.branch.length - 1];
    this.updateCounting();
  }

  private endRun(): void {
    this.run = null;
    this.updateCounting();
  }

  /**
   * lj_cont_stitch: the builtin returned. Go on in the stitched trace, or record it
   * (link 0); a trace linking to itself had its stitched trace aborted (blacklisted).
   * Nothing starts while another trace records (lj_trace_stitch needs an idle JIT).
   */
  private stitchReturned(L: LuaThread, prev: Trace, pt: Proto, pc: number): boolean {
    if (this.traces[prev.traceno] !== prev || this.rec !== null || this.run !== null) return false;
    if (prev.link === 0) {
      this.settingUp(pt, pc, () => this.startStitch(L, prev, pt, pc));
      return true;
    }
    const T2 = this.traces[prev.link];
    if (T2 === undefined || T2 === prev || T2.path.length === 0) return false;
    this.startRun(T2, 0, L.ci.base, true);
    this.follow(L, pt, pc);
    return true;
  }

  /** Continuations of stitching traces whose builtin has not returned yet, innermost of each thread last. */
  private stitchWaits: (StitchReturn & { prev: Trace })[] = [];

  /** Is a builtin with a stitching continuation running (not in a suspended coroutine)? Then each instruction is reported. */
  private stitchWaiting(): boolean {
    const waits = this.stitchWaits;
    for (let i = waits.length - 1; i >= 0; i--) {
      const status = waits[i].L.status;
      if (status === "dead") waits.splice(i, 1);
      else if (status !== "suspended") return true;
    }
    return false;
  }

  /**
   * Does the instruction at (pt, pc) of thread L end a wait for a builtin's return?
   * Returns true if it went on in a stitched trace from there (the instruction is handled).
   */
  private stitchWaitEnds(L: LuaThread, pt: Proto, pc: number): boolean {
    const waits = this.stitchWaits;
    for (let i = waits.length - 1; i >= 0; i--) {
      const w = waits[i];
      if (w.L !== L) continue; // another thread's (a coroutine yielded inside its builtin)
      if (L.depth > w.depth) return false; // still inside the builtin
      waits.splice(i, 1);
      this.updateCounting();
      if (L.depth === w.depth && pt === w.pt && pc === w.pc) return this.stitchReturned(L, w.prev, pt, pc);
      // Left some other way (an error): that continuation is gone.
    }
    return false;
  }

  /** A coroutine was resumed or yielded: a builtin waited for may run again, or no longer. */
  threadSwitched(): void {
    if (this.stitchWaits.length > 0) this.updateCounting();
  }

  /** Follow the running trace's path; a different instruction or type means a guard failed. */
  private follow(L: LuaThread, pt: Proto, pc: number): void {
    const r = this.run as Running;
    if (r.stitch !== undefined) {
      const st = r.stitch;
      const prev = r.T;
      if (L === st.L && L.depth <= st.depth) {
        // The builtin returned (the usual case); or its frame was left by an error.
        this.endRun();
        if (L.depth === st.depth && pt === st.pt && pc === st.pc) this.stitchReturned(L, prev, pt, pc);
        return;
      }
      // The builtin runs Lua code first (a comparator, a coroutine), which runs as any
      // other code meanwhile: the continuation waits for the builtin's return.
      this.stitchWaits.push({ L: st.L, pt: st.pt, pc: st.pc, depth: st.depth, prev });
      this.endRun();
      // This instruction may be where an earlier continuation of its own thread waits (a coroutine yielded).
      this.stitchWaitEnds(L, pt, pc);
      return;
    }
    const T = r.T;
    if (r.staleLink !== null) {
      if (this.enterStaleLink(L, r, r.staleLink, pt, pc)) return;
      // A link without a loop test has no exit to take if the interpreter went elsewhere.
      if (!T.path[T.path.length - 1].ir.branch) {
        this.endRun();
        return;
      }
    }
    const st = T.path[r.cursor];
    r.atJop = st !== undefined && st.pt === pt && st.pc === pc && passesJop(r.plan, r.cursor, pt, pc);
    if (st === undefined || st.pt !== pt || st.pc !== pc) {
      this.takeExit(L, T, r.guard, r.guardInLoop, pt, pc);
      return;
    }
    if (!this.checksHold(r, r.cursor, L, pt, pc)) return;
    if (st.ir.branch) {
      r.guard = st.ir.branch;
      r.guardInLoop = r.inLoop;
    }
    if (r.cursor + 1 < T.path.length) {
      this.moveTo(r, r.cursor + 1);
      return;
    }
    r.cursor++;
    switch (r.plan.wraps ? "wraps" : T.linksOn ? "root" : T.linktype) {
      case "wraps":
        this.wrap(r, L.ci.base);
        break;
      case "stitch": {
        // The builtin returns to this frame, or if tail-called to the frame below (lj_cont_stitch's frame_pc).
        const op = bcOp(pt.bc[pc]);
        const caller = L.frames[L.depth - 1];
        if ((op === Op.CALLT || op === Op.CALLMT) && caller.closure !== null) {
          r.stitch = { L, pt: caller.closure.proto, pc: caller.pc, depth: L.depth - 1 };
        } else r.stitch = { L, pt, pc: pc + 1, depth: L.depth };
        break;
      }
      case "root": {
        // Linked at a loop op: if the loop is left instead of entering the linked trace,
        // that loop test is this trace's exit (the next bytecode will not match).
        const T2 = this.linkedTrace(T);
        if (T2 === undefined || this.jopNames(T2)) {
          if (!st.ir.branch) this.endRun();
        } else if (bcOp(T2.startins) === Op.ITERN) {
          // Its first step is the ITERN the interpreter runs next (enter's case of a JLOOP for an ITERN).
          this.endRun();
          this.enterTrace(L, T2);
        } else {
          r.staleLink = T2;
        }
        break;
      }
      default:
        this.endRun();
    }
  }

  /** The root trace T links to (lj_record_stop's LJ_TRLINK_ROOT), if any. */
  private linkedTrace(T: Trace): Trace | undefined {
    if (!T.linksOn) return undefined;
    const T2 = this.traces[T.link];
    return T2 !== undefined && T2.path.length > 0 ? T2 : undefined;
  }

  /** T's start holds its J-op (it was not flushed, nor patched for another trace since). */
  private jopNames(T: Trace): boolean {
    const word = T.pt.bc[T.startpc];
    return isJOp(bcOp(word)) && bcD(word) === T.traceno;
  }

  /**
   * The interpreter ran the instruction now standing where r's path links
   * to T2 (not T2's J-op) and reports (pt, pc). The linking trace's machine
   * code jumps into T2's whatever the bytecode says: if that instruction
   * went on into T2's loop or function, T2 runs from here (as enter()).
   * Otherwise the loop was left: follow() takes r's exit.
   */
  private enterStaleLink(L: LuaThread, r: Running, T2: Trace, pt: Proto, pc: number): boolean {
    r.staleLink = null;
    const plan = planOf(T2);
    const first = plan.nextPre[0];
    if (plan.pts[first] !== pt || plan.pcs[first] !== pc) return false;
    this.startRun(T2, 0, L.ci.base);
    this.follow(L, pt, pc);
    return true;
  }

  /** A guard failed: leave the trace through exit `exitno` (lj_trace_exit), maybe into a side trace. */
  private takeExit(L: LuaThread, T: Trace, guard: number, inLoop: boolean, pt: Proto, pc: number): void {
    const cursor = this.run?.cursor ?? 0;
    this.endRun();
    if (this.exitRunsOriginal(pt, pc)) this.exitedAt = { pt, pc };
    const exitno = T.model !== null ? T.model.exitOf(guard, inLoop) : 0;
    const side = T.sides[exitno];
    if (side !== undefined) {
      const Ts = this.traces[side];
      if (Ts !== undefined && !goesStraightBack(Ts)) {
        this.startRun(Ts, this.sideEntry(T, exitno, cursor, Ts, pt, pc), this.entryBase(L, Ts, L.ci), true);
        this.follow(L, pt, pc);
      }
      return;
    }
    if (this.traces[T.traceno] !== T) return; // a flushed trace's exits no longer count
    const count = (T.exitCounts.get(exitno) ?? 0) + 1;
    T.exitCounts.set(exitno, count);
    this.emit({ type: "exit", ours: true, tr: T.traceno, exit: exitno, count });
    if (count >= this.param(P_HOTEXIT) && (this.S.jitConfig.flags & JIT_F_ON) !== 0 && !(pt.flags & PROTO_NOJIT)) {
      this.emit({ type: "hot", ours: true, proto: this.key(pt), pc, what: "exit" });
      const at = this.resumeAt(T, exitno, cursor, pt, pc);
      this.settingUp(at.pt, at.pc, () => this.startSide(L, T, exitno, count, pt, pc, at));
    }
  }

  /**
   * DIVERGENCE (docs/divergences.md "Side traces that start before the failed guard").
   * Where the side trace of an exit starts: the snapshot's pc. A type guard's
   * snapshot may lie a few bytecodes back; those already ran here, so they
   * become the first steps of the side trace's path.
   */
  private resumeAt(T: Trace, exitno: number, cursor: number, pt: Proto, pc: number): { pt: Proto; pc: number; prefix: PathStep[] } {
    const snap = T.model?.snapAt(exitno);
    if (snap === undefined || (snap.pt === pt && snap.pc === pc)) return { pt, pc, prefix: [] };
    for (let k = Math.min(cursor, T.path.length) - 1; k >= 0; k--) {
      const st = T.path[k];
      if (st.pt === snap.pt && st.pc === snap.pc) {
        return { pt: snap.pt, pc: snap.pc, prefix: T.path.slice(k, cursor).map((p) => ({ pt: p.pt, pc: p.pc, ir: { branch: 0, checks: [] } })) };
      }
    }
    return { pt, pc, prefix: [] };
  }

  /**
   * The step of side trace Ts that this exit of T goes on at. Ts's path
   * starts with the bytecodes between the exit's snapshot and the guard that
   * failed when Ts was made (they had run already). Another guard of the same
   * snapshot may fail earlier among them (a callee check before the store
   * whose check made the side trace): the run then starts at that step, so
   * the side trace's own checks of the steps from there still apply.
   */
  private sideEntry(T: Trace, exitno: number, cursor: number, Ts: Trace, pt: Proto, pc: number): number {
    if (Ts.entryStep === 0) return 0; // (the usual case: nothing ran before the guard)
    const k = this.resumeAt(T, exitno, cursor, pt, pc).prefix.length;
    return k < Ts.entryStep && Ts.path[k].pt === pt && Ts.path[k].pc === pc ? k : Ts.entryStep;
  }

  /**
   * The frame below, when the steps before the failed guard ran there and the
   * last one called the function whose first instruction (pc 0) is where the
   * exit was found: a method call that reached another callee than recorded.
   */
  private prefixCaller(L: LuaThread, prefix: readonly PathStep[], pt: Proto, pc: number): CallInfo | null {
    if (prefix.length === 0 || pc !== 0 || L.depth < 1) return null;
    const last = prefix[prefix.length - 1];
    const op = bcOp(last.pt.bc[last.pc]);
    if (op !== Op.CALL && op !== Op.CALLM) return null;
    const below = L.frames[L.depth - 1];
    if (L.ci.kind !== FrameKind.LUA || !(below.closure instanceof LuaClosure) || below.closure.proto !== last.pt) return null;
    if (below.pc !== last.pc + 1 || !(L.ci.closure instanceof LuaClosure) || L.ci.closure.proto !== pt) return null;
    return prefix.every((st) => st.pt === last.pt) ? below : null;
  }

  /**
   * The frame the exit's steps ran in when the last of them returned from it
   * into the current frame (an exit at a return's guard): popped, but its
   * record is still the one above the current frame. Null otherwise.
   */
  private prefixReturnedFrom(L: LuaThread, prefix: readonly PathStep[], pt: Proto): CallInfo | null {
    if (prefix.length === 0 || !prefix.every((st) => st.pt === pt)) return null;
    const last = prefix[prefix.length - 1];
    if (!isRetOp(bcOp(last.pt.bc[last.pc]))) return null;
    const popped = L.frames[L.depth + 1] as CallInfo | undefined;
    if (popped === undefined || popped.kind !== FrameKind.LUA || !(popped.closure instanceof LuaClosure) || popped.closure.proto !== pt) return null;
    return frameResultIdx(popped) >= L.ci.base ? popped : null;
  }

  /**
   * Frames from parent's first one up to the frame at `depth`, where parent
   * took an exit: the frames it had inlined there (0 if it had returned below its first).
   */
  private inlinedFrames(L: LuaThread, parent: Trace, depth: number): number {
    const run = parent.runner as Running | null;
    if (run === null) return 0;
    let d = depth;
    while (d > 0 && L.frames[d].base > run.base0) d--;
    return L.frames[d].base === run.base0 ? depth - d + parent.inheritedFrames : 0;
  }

  /** The base of the frame a run of side trace T starts in (it may have called into the current one). */
  private entryBase(L: LuaThread, T: Trace, ci: CallInfo): number {
    return T.entryFrames === 0 ? ci.base : L.frames[L.depth - T.entryFrames].base;
  }

  /** trace_start for a hot side exit, with lj_record_setup's check for a fallback stub. */
  private startSide(
    L: LuaThread, parent: Trace, exitno: number, count: number, pt: Proto, pc: number,
    at: { pt: Proto; pc: number; prefix: PathStep[] },
  ): void {
    const traceno = this.findFree();
    if (traceno === 0) {
      this.flushAll();
      return;
    }
    const root = parent.root || parent.traceno;
    const T = new Trace(traceno, "side", at.pt, at.pc, parent.traceno, exitno, root);
    T.entryStep = at.prefix.length;
    // The steps before the failed guard may have called into the frame the exit was found in.
    const caller = this.prefixCaller(L, at.prefix, pt, pc);
    T.entryFrames = caller === null ? 0 : 1;
    T.inheritedFrames = this.inlinedFrames(L, parent, L.depth - T.entryFrames);
    const startCi = caller ?? L.ci;
    // It inherits the slots its parent's exit snapshot restores (an exit 0 of a side trace: the
    // parent's own inheritance; the model does not count inherited slots in later snapshots).
    const exitSnap = parent.model?.snapAt(exitno);
    T.snap0Empty = exitno === 0 ? parent.snap0Empty : parent.snap0Empty && exitSnap?.nent === 0;
    this.setTrace(traceno, T);
    const depth0 = L.depth - T.entryFrames - T.inheritedFrames;
    const model = new IrModel(startCi.base, this.growSnapBuf, L.frames[depth0].base);
    const R: Recording = {
      T, L, depth0, ...this.freshLimits(), model, path: at.prefix,
      // Only a side trace of exit 0 whose snapshot restores nothing may loop back to its own start (lj_record_setup).
      startpc: exitno === 0 && parent.snap0Empty ? at.pc : -1,
      restoredPc: this.exitedAt !== null && this.exitedAt.pt === pt && this.exitedAt.pc === pc ? pc : undefined,
    };
    this.rec = R;
    this.updateCounting();
    this.emit({ type: "trace-start", ...this.origin(T) });
    this.sendStart(L, T);
    // Snapshot #0 is where the exit resumes. The bytecodes from there to the failed
    // guard already ran here; when they stayed in this frame, or called into it from the
    // frame below, the model replays them (their inputs are still in place: without a
    // store in between there was no snapshot).
    const startCtx = this.modelContext(L, at.pt, at.pc, 0, startCi);
    const parentRun = parent.runner as Running | null;
    if (exitSnap !== undefined && parentRun !== null) model.inherit(exitSnap.ents, parentRun.base0);
    model.start(startCtx, Op.JMP, 0, at.pc);
    const sameFrame = caller === null && at.prefix.every((st) => st.pt === pt);
    const fori = at.pc - 1;
    if (R.startpc >= 0 && sameFrame && fori > 0 && bcOp(at.pt.bc[fori]) === Op.JFORI) {
      const forl = at.pt.bc[fori + bcJ(at.pt.bc[fori])];
      if (bcOp(forl) === Op.JFORL && bcD(forl) === root) model.startInLoop(startCtx, fori);
    }
    let aborted: { e: TraceAbort; st: PathStep } | null = null;
    // The steps may have returned from the exit's frame into the current one (an exit at a
    // return's guard): they are replayed in the frame they ran in, which the return popped.
    const returnedFrom = this.prefixReturnedFrom(L, at.prefix, at.pt);
    if (sameFrame || caller !== null || returnedFrom !== null) {
      const frame = returnedFrom ?? startCi;
      const framedepth = returnedFrom !== null ? 0 : L.depth - T.entryFrames - R.depth0;
      const replay = (st: PathStep, stack: LuaValue[]): void => {
        // Recording these steps would have aborted at the first that fails (after the fallback check below).
        if (aborted === null) {
          try {
            this.checkValues(R, st.pt, st.pc, st.pt.bc[st.pc], stack, frame.base, framedepth);
          } catch (e) {
            if (!(e instanceof TraceAbort)) throw e;
            aborted = { e, st };
          }
        }
        st.ir = model.step({ ...this.modelContext(L, st.pt, st.pc, 0, frame), stack }, st.pt.bc[st.pc]);
      };
      const cl = frame.closure;
      if (!(cl instanceof LuaClosure && replayPrefix(L.stack, frame.base, cl, at.prefix, (i, stack) => replay(at.prefix[i], stack)))) {
        for (const st of at.prefix) replay(st, L.stack);
      }
    }
    const rootT = this.traces[root];
    if ((rootT !== undefined && rootT.nchild >= this.param(P_MAXSIDE)) || count >= this.param(P_HOTEXIT) + this.param(P_TRYSIDE)) {
      this.stop("interpreter", 0, pt);
      return;
    }
    const failed = aborted as { e: TraceAbort; st: PathStep } | null;
    if (failed !== null) {
      const { e, st } = failed;
      this.abortOn(e, e.pt ?? st.pt, e.pc ?? st.pc);
      return;
    }
    this.recordSlow(L, pt, pc);
  }

  /** A loop that repeatedly failed with "leaving loop"/"inner loop" gets unrolled instead. */
  private innerLoopLeft(pt: Proto, pc: number): boolean {
    for (const p of this.penalty) {
      if (p.pt === pt && p.pc === pc) {
        return (p.reason === "LLEAVE" || p.reason === "LINNER") && p.val >= 2 * PENALTY_MIN;
      }
    }
    return false;
  }

  /**
   * J->baseslot of a frame whose slot 0 is stack[base]: slots counted from
   * below the trace's first frame, whose own base is slot 2 (LJ_FR2).
   */
  private baseSlot(R: Recording, base: number): number {
    return base - R.L.frames[R.depth0].base + 2;
  }

  /** Arguments a call passes (a __call metamethod gets the called object as one more). */
  private callArgs(op: number, ins: number, fn: LuaValue, multres: number): number {
    const nargs = op === Op.ITERC ? 2 : op === Op.CALL ? bcC(ins) - 1 : op === Op.CALLM ? bcC(ins) + multres
      : op === Op.CALLT ? bcD(ins) - 1 : bcD(ins) + multres;
    return fn instanceof LuaClosure || fn instanceof NativeFunction ? nargs : nargs + 1;
  }

  /** lj_record_call: the callee's frame (at fidx + 2) and its arguments must fit the trace's slots. */
  private checkCallSlots(R: Recording, fidx: number, nargs: number): void {
    if (this.baseSlot(R, fidx + 2) + nargs >= MAX_JSLOTS) throw new TraceAbort("STACKOV", undefined);
  }

  /**
   * recff_string_range: string.byte's results must fit above the builtin's
   * frame. A tail call runs it in the caller's place (lj_record_tailcall),
   * and an abort there names the caller's call (as tailReturn's).
   */
  private checkByteSlots(R: Recording, L: LuaThread, ins: number): void {
    const op = bcOp(ins);
    const fidx = L.ci.base + bcA(ins);
    const nargs = this.callArgs(op, ins, L.stack[fidx], L.multres) - 1;
    const len = byteResults(L.stack[fidx + 2], L.stack[fidx + 3], L.stack[fidx + 4], nargs);
    const tail = (op === Op.CALLT || op === Op.CALLMT) && L.depth > 0;
    if (this.baseSlot(R, tail ? L.ci.base : fidx + 2) + len <= MAX_JSLOTS) return;
    const caller = L.frames[L.depth - 1];
    throw tail ? new TraceAbort("STACKOV", undefined, caller.pc - 1, caller.closure?.proto) : new TraceAbort("STACKOV", undefined);
  }

  /** rec_func_setup + check_call_unroll for an inlined call. */
  private enterFunc(R: Recording, L: LuaThread, pt: Proto, pc: number, framedepth: number, lnk: number): void {
    const T = R.T;
    if (pt.flags & PROTO_NOJIT) throw new TraceAbort("CJITOFF", undefined);
    // The frame must fit (a vararg function's base is above its arguments' copy already, as LuaJIT's vframe).
    if (lnk === 0 && this.baseSlot(R, L.ci.base) + pt.framesize >= MAX_JSLOTS) throw new TraceAbort("STACKOV", undefined);
    let count = 0;
    for (let d = R.depth0; d < L.depth; d++) {
      const c = L.frames[d].closure;
      if (c !== null && c.proto === pt) count++;
    }
    if (pt === T.pt && pc === R.startpc) {
      if (count + R.tailcalled > this.param(P_RECUNROLL)) {
        this.stop(framedepth === 0 ? "tail-recursion" : "up-recursion", T.traceno, pt);
      }
    } else if (count > this.param(P_CALLUNROLL)) {
      // DIVERGENCE ("Recursion"): no random quick-retry hot count after this flush.
      if (lnk) this.flushTrace(lnk);
      throw new TraceAbort("CUNROLL", undefined);
    }
  }

  /** What every recording starts with: no bytecode range yet, the unroll limits as the parameters stand. */
  private freshLimits(): Pick<Recording, "bcMin" | "bcExtent" | "loopunroll" | "instunroll" | "tailcalled" | "loopref"> {
    return { bcMin: -1, bcExtent: -1, loopunroll: this.param(P_LOOPUNROLL), instunroll: this.param(P_INSTUNROLL), tailcalled: 0, loopref: 0 };
  }

  /**
   * The __concat metamethod of a CAT in the frame below returns with `ins`:
   * would joining the CAT's operands below slot `left` with its result need
   * a __concat that none of them has?
   */
  private remainderMissesMeta(L: LuaThread, ins: number, left: number): boolean {
    const below = L.frames[L.depth - 1];
    const cat = below.closure?.proto.bc[below.pc - 1];
    if (cat === undefined || bcOp(cat) !== Op.CAT) return false;
    const op = bcOp(ins);
    const nres = op === Op.RET0 ? 0 : op === Op.RET1 ? 1 : op === Op.RETM ? bcD(ins) + L.multres : bcD(ins) - 1;
    const result = nres > 0 ? L.stack[L.ci.base + bcA(ins)] : undefined;
    const vals = L.stack.slice(below.base + bcB(cat), left);
    vals.push(result);
    return concatMissing(L, vals, 0, vals.length - 1);
  }

  /** A call of a builtin while recording (lj_ffrecord_func / recff_nyi). */
  private callBuiltin(R: Recording, L: LuaThread, pt: Proto, pc: number, fn: NativeFunction): void {
    const ins = pt.bc[pc];
    const op = bcOp(ins);
    const tail = op === Op.CALLT || op === Op.CALLMT;
    // A tail-called builtin runs in its caller's place and returns to the frame below.
    const below = L.frames[L.depth - 1];
    const first = builtinArgs(ins, L.ci.base);
    let nargs = op === Op.CALL ? bcC(ins) - 1 : op === Op.CALLT ? bcD(ins) - 1 : -1;
    // CALLM passes C fixed arguments and then the multiple results of the call before (not known here).
    const args = argValues(L.stack, first, nargs, nargs >= 0 ? nargs : op === Op.CALLM ? bcC(ins) : 0);
    let policy = builtinPolicy(fn.name);
    if (policy === "record" && op !== Op.ITERC && this.unrecordedCall(R, fn, first, args, nargs)) policy = "stitch";
    if (policy === "record") {
      if (badArgType(fn.name, args, nargs)) {
        // Reported from the builtin's frame: a tail-called one's is not Lua, so the call out is named.
        const out = tail && below.closure !== null;
        throw new TraceAbort("BADTYPE", undefined, out ? below.pc - 1 : undefined, out ? below.closure?.proto : undefined);
      }
      // lj_record_ret: a __concat metamethod tail-calling a recorded builtin returns to its cont_cat
      // frame with the builtin's post-processing pending, which is NYI with operands left to join.
      if (tail && R.catMeta?.depth === L.depth && R.catMeta.remainder && below.closure !== null) {
        throw new TraceAbort("NYIRETL", undefined, below.pc - 1, below.closure.proto);
      }
      if (fn.name === "string.byte") this.checkByteSlots(R, L, ins);
      if (fn.name === "string.format" && typeof args[0] === "string" && formatRecording(args[0], args.slice(1)) === "long") {
        throw new TraceAbort("TRACEOV", undefined);
      }
      if (tail && L.depth <= R.depth0) this.tailReturn(R, L, pt);
      // pcall(f) runs f from a builtin's frame (through any pcalls nested in it):
      // an unrecorded builtin there cannot be stitched.
      let at = first;
      let caller = fn;
      while (caller.name === "pcall" || caller.name === "xpcall") {
        const inner = L.stack[at];
        if (!(inner instanceof NativeFunction)) break;
        if (builtinPolicy(inner.name) !== "record") {
          this.stop("return", 0, inner);
          break;
        }
        const skip = caller.name === "xpcall" ? 2 : 1; // the inner call's function (after xpcall's handler)
        at += skip;
        nargs = nargs < 0 ? -1 : Math.max(0, nargs - skip);
        if (badArgType(inner.name, argValues(L.stack, at, nargs, Math.max(nargs, 0)), nargs)) throw new TraceAbort("BADTYPE", undefined);
        caller = inner;
      }
      return;
    }
    // recff_nyi: too short a trace is not worth stitching (minstitch).
    if (R.model.nins + 1 < this.param(P_MINSTITCH)) throw new TraceAbort("TRACEUV", undefined);
    // It stitches only into the Lua frame the builtin returns to (a tail call returns to the
    // frame below, which is Lua only if Lua code called this frame; none in the first frame),
    // and a stitched trace cannot start with an op taking a variable number of values.
    let after = bcOp(pt.bc[pc + 1]);
    if (tail) {
      const toLua = L.depth > R.depth0 && this.returnsToLua(L) && L.ci.kind === FrameKind.LUA && below.closure !== null;
      after = toLua ? bcOp((below.closure as LuaClosure).proto.bc[below.pc]) : -1;
      if (!toLua) policy = "return";
    }
    if (policy === "stitch" && after !== Op.CALLM && after !== Op.CALLMT && after !== Op.RETM && after !== Op.TSETM) {
      // The trace calls the builtin with a continuation frame (lj_cont_stitch): the next
      // trace is recorded when the compiled trace runs and the builtin returns (follow).
      this.stop("stitch", 0, fn);
      return;
    }
    this.stop("return", 0, fn);
  }

  /**
   * A builtin tail-called from the trace's first frame returns straight to the
   * frame below (lj_record_ret without a RET bytecode, so not "via interpreter").
   */
  private tailReturn(R: Recording, L: LuaThread, pt: Proto): void {
    if (pt.flags & PROTO_VARARG) throw new TraceAbort("NYIRETL", undefined); // a vararg frame below
    // The builtin runs in the caller's place: the recorder is at the caller's return pc.
    const caller = L.frames[L.depth - 1];
    // An abort here is reported from the builtin's frame, which is not Lua: trace_abort
    // names the instruction that called out (the caller's return pc - 1).
    const callPc = caller.pc - 1;
    // Into a metamethod's continuation or a builtin's call (C), which the recorder cannot return to.
    if (!this.returnsToLua(L)) throw new TraceAbort("NYIRETL", undefined, callPc, caller.closure?.proto);
    if (R.T.kind === "root" && !isRetOp(bcOp(R.T.startins))) {
      throw new TraceAbort("LLEAVE", undefined, callPc, caller.closure?.proto); // would leave the loop in a root trace
    }
  }

  /** Is this call of a recorded builtin (arguments from stack[first]) one of the variants its recorder leaves to the interpreter (recff_nyiu)? */
  private unrecordedCall(R: Recording, fn: NativeFunction, first: number, args: readonly BuiltinArg[], nargs: number): boolean {
    // select(n, ...) is compiled for a constant n only (select(n, ...) of a vararg function is rec_varg's).
    if (fn.name === "select") return nargs >= 0 && args[0] !== "#" && !R.model.isConstant(first);
    const mt = args[0] instanceof LuaTable ? args[0].metatable : undefined;
    return unrecordedVariant(fn.name, args, nargs, mt !== undefined && mt.get("__tostring") !== undefined);
  }

  /** lj_trace_stitch: record the trace that goes on after `prev`'s builtin call (at pc - 1) returned. */
  private startStitch(L: LuaThread, prev: Trace, pt: Proto, pc: number): void {
    const w = { pc: pc - 1, prev: prev.traceno };
    const traceno = this.findFree();
    if (traceno === 0) {
      this.flushAll();
      return;
    }
    const T = new Trace(traceno, "stitch", pt, w.pc, w.prev, 0, 0);
    this.setTrace(traceno, T);
    const model = new IrModel(L.ci.base, this.growSnapBuf);
    this.rec = { T, L, depth0: L.depth, ...this.freshLimits(), model, path: [], startpc: w.pc };
    this.updateCounting();
    this.emit({ type: "trace-start", ...this.origin(T) });
    this.sendStart(L, T);
    model.start(this.modelContext(L, pt, pc), Op.CALL, 0, pc);
    try {
      this.recordIns(this.rec, L, pt, pc);
    } catch (e) {
      if (e instanceof TraceAbort) this.abortOn(e, pt, pc);
      else throw e;
    }
  }

  // -- Stop and abort ---------------------------------------------------------------------

  /** trace_stop: patch the start instruction, chain the trace, tell the world. */
  /** trace_stop; `fn` is the function being recorded (J->fn): a prototype's or a builtin. */
  private stop(linktype: LinkType, link: number, fn: Proto | NativeFunction, nextPc?: number): void {
    const stopfunc = fn instanceof NativeFunction ? fn.name : this.key(fn);
    const R = this.rec as Recording;
    const T = R.T;
    const loopOpt = (this.S.jitConfig.flags & JIT_F_OPT_LOOP) !== 0;
    const loops = link === T.traceno && linktype !== "up-recursion"; // back at the same stack level
    // lj_record_stop adds a snapshot at every stop: at a loop, the loop snapshot (mergesnap: recording
    // may go on after it); anywhere else it only needs room in the buffer (too many snapshots).
    const last = R.path[R.path.length - 1];
    if (last !== undefined) R.model.close(last.pt, nextPc ?? last.pc);
    if (loops && loopOpt) {
      if (last !== undefined) R.model.growForLoopCopy(last.pt, nextPc ?? last.pc);
      const failure = R.model.loopFailure(R.L.stack);
      if (failure !== null) {
        // lj_opt_loop failed: recording goes on into the next iteration, a few times at most.
        if (--R.instunroll < 0) throw new TraceAbort(failure, undefined, nextPc ?? last?.pc, last?.pt);
        R.loopref = R.model.nins;
        (R.loopRetries ??= []).push(traceErrorText(failure));
        return;
      }
    }
    this.rec = null;
    this.updateCounting();
    T.linktype = linktype;
    T.link = link;
    T.path = R.path;
    T.model = R.model;
    if (loops) {
      if (loopOpt) R.model.unrollLoop();
      else if (T.kind === "side") T.link = T.root; // a side trace's machine code cannot loop to its own start
    }
    if (T.kind === "side") this.attachSide(T);
    const pt = T.pt;
    const pc = T.startpc;
    const op = T.kind === "side" ? Op.JMP : bcOp(T.startins); // side traces start with a JMP: nothing to patch
    if (op === Op.FORL) {
      // The FORI is patched too, so that a root trace reaching it links to this loop.
      const fori = pc + (T.startins >>> 16) - BCBIAS_J;
      this.setIns(pt, fori, setOp(pt.bc[fori], Op.JFORI), "patch", "trace_stop");
    }
    switch (op) {
      case Op.FORL: case Op.LOOP: case Op.ITERL: case Op.FUNCF:
        this.setIns(pt, pc, setD(setOp(T.startins, op + (Op.JLOOP - Op.LOOP)), T.traceno), "patch", "trace_stop");
        this.addRoot(T);
        break;
      case Op.ITERN: case Op.RET: case Op.RET0: case Op.RET1:
        this.setIns(pt, pc, setD(setOp(T.startins, Op.JLOOP), T.traceno), "patch", "trace_stop");
        this.addRoot(T);
        break;
      case Op.CALL: case Op.CALLM: case Op.ITERC: {
        // Stitching: the previous trace now links here.
        const prev = this.traces[T.parent];
        if (prev !== undefined) prev.link = T.traceno;
        break;
      }
      default:
        break;
    }
    this.emit({ type: "trace-stop", ...this.origin(T), linktype, link: T.link, stopfunc, ...(R.loopRetries ? { loopRetries: R.loopRetries } : {}) });
    this.sendTrace(() => ["stop", T.traceno, fn instanceof NativeFunction ? fn : this.closureOf(R.L, fn)]);
    this.checkInvariants();
  }

  /** Report J-ops that no longer enter their own live trace (non-fatal, every build). */
  private checkInvariants(): void {
    const live = (T: Trace): boolean => {
      for (let n = this.chains.get(T.pt) ?? 0; n; n = this.traces[n]?.nextroot ?? 0) if (n === T.traceno) return true;
      return false;
    };
    const found = this.monitor.check(this.traces, live, (pt) => this.key(pt));
    found.push(...this.monitor.checkOwners(this.chains, this.traces, (pt) => this.key(pt)));
    for (const v of found) {
      this.emit({ type: "violation", ours: true, message: v.message, proto: this.key(v.pt), pc: v.pc, fatal: false });
    }
  }

  /** trace_stop for a side trace: patch the parent's exit, chain it to its root. */
  private attachSide(T: Trace): void {
    const parent = this.traces[T.parent];
    if (parent !== undefined) parent.sides[T.exitno] = T.traceno;
    this.epoch++;
    const root = this.traces[T.root];
    if (root !== undefined) {
      root.nchild++;
      T.nextside = root.nextside;
      root.nextside = T.traceno;
    }
  }

  private addRoot(T: Trace): void {
    T.nextroot = this.chains.get(T.pt) ?? 0;
    this.chains.set(T.pt, T.traceno);
  }

  /** Starting a recording (lj_record_setup) may already abort it: too many snapshots (maxsnap). */
  private settingUp(pt: Proto, pc: number, start: () => void): void {
    try {
      start();
    } catch (e) {
      if (!(e instanceof TraceAbort)) throw e;
      this.abortOn(e, e.pt ?? pt, e.pc ?? pc);
    }
  }

  /** abort() for a TraceAbort caught at (pt, pc); a Lua error raised while recording keeps its message. */
  private abortOn(e: TraceAbort, pt: Proto, pc: number): void {
    this.abort(e.err, e.info, pt, pc, e instanceof RecordError ? e.message : undefined);
  }

  /** trace_abort: penalise the start instruction, free the number, send the event. */
  private abort(err: TraceError, info: string | undefined, pt: Proto, pc: number, message?: string): void {
    const R = this.rec;
    if (R === null) return;
    const T = R.T;
    this.rec = null;
    this.updateCounting();
    const isRet = isRetOp(bcOp(T.startins));
    if (T.kind === "root" && !isRet) this.penaltyPc(T.pt, T.startpc, err);
    else if (T.kind === "stitch") {
      const prev = this.traces[T.parent];
      if (prev !== undefined) prev.link = T.parent;
    }
    this.emit({
      type: "trace-abort", ...this.origin(T), reason: message ?? traceErrorText(err, info),
      abortFunc: this.key(pt), abortPc: pc, abortLoc: this.loc(pt, pc),
    });
    this.sendTrace(() => {
      // A Lua error's message goes in place of the error number (it is what L->top holds).
      if (message !== undefined) return ["abort", T.traceno, this.closureOf(R.L, pt), pc, message];
      const errInfo = err === "NYIBC" && info !== undefined ? (opNames as readonly string[]).indexOf(info.trim()) : info;
      return ["abort", T.traceno, this.closureOf(R.L, pt), pc, Object.keys(TRACE_ERRORS).indexOf(err), errInfo];
    });
    this.setTrace(T.traceno, undefined);
  }

  /** penalty_pc: back off exponentially with random bits, blacklist past PENALTY_MAX. */
  private penaltyPc(pt: Proto, pc: number, e: TraceError): void {
    let val = PENALTY_MIN;
    let slot = this.penalty.find((p) => p.pt === pt && p.pc === pc);
    if (slot !== undefined) {
      val = (slot.val << 1) + (this.random() & ((1 << PENALTY_RNDBITS) - 1));
      if (val > PENALTY_MAX) {
        this.blacklistPc(pt, pc);
        return;
      }
    } else {
      slot = this.penalty[this.penaltyslot];
      this.penaltyslot = (this.penaltyslot + 1) & (PENALTY_SLOTS - 1);
      slot.pt = pt;
      slot.pc = pc;
    }
    slot.val = val;
    slot.reason = e;
    (pt.hotcount ?? this.S.initHotcount(pt))[pc] = val;
    this.emit({ type: "penalty", ours: true, proto: this.key(pt), pc, value: val, reason: traceErrorText(e) });
  }

  private blacklistPc(pt: Proto, pc: number): void {
    const ins = pt.bc[pc];
    if (bcOp(ins) === Op.ITERN) {
      this.setIns(pt, pc, setOp(ins, Op.ITERC), "blacklist", "blacklist_pc");
      const l = pc + 1 + ((pt.bc[pc + 1] >>> 16) - BCBIAS_J);
      this.setIns(pt, l, setOp(pt.bc[l], Op.JMP), "blacklist", "blacklist_pc");
    } else {
      this.setIns(pt, pc, setOp(ins, bcOp(ins) + (Op.ILOOP - Op.LOOP)), "blacklist", "blacklist_pc");
      pt.flags |= PROTO_ILOOP;
    }
  }

  // -- Flushing -----------------------------------------------------------------------------

  /** trace_unpatch, with the pre-fix build's assertion on a JFORL that belongs to another trace. */
  private unpatch(T: Trace): void {
    const pt = T.pt;
    const pc = T.startpc;
    const cur = pt.bc[pc];
    switch (bcOp(cur)) {
      case Op.JFORL: {
        if (this.traces[bcD(cur)] !== T) {
          this.emit({
            type: "violation", ours: true, message: ASSERT_JFORL_OTHER, proto: this.key(pt), pc,
            fatal: this.traits.assertions,
          });
          if (this.traits.assertions) throw new AssertionCrash(ASSERT_JFORL_OTHER);
        }
        this.setIns(pt, pc, T.startins, "unpatch", "trace_unpatch");
        const fori = pc + (T.startins >>> 16) - BCBIAS_J;
        this.setIns(pt, fori, setOp(pt.bc[fori], Op.FORI), "unpatch", "trace_unpatch");
        break;
      }
      case Op.JITERL: case Op.JLOOP: case Op.JFUNCF:
        if (this.traces[bcD(cur)] !== T) {
          // No assertion for these in LuaJIT: the newer trace silently loses its bytecode.
          this.emit({
            type: "violation", ours: true, proto: this.key(pt), pc, fatal: false,
            message: `trace_unpatch: ${opNames[bcOp(cur)]} references other trace (no assertion in LuaJIT)`,
          });
        }
        this.setIns(pt, pc, T.startins, "unpatch", "trace_unpatch");
        break;
      default:
        break; // already unpatched
    }
  }

  /** trace_flushroot: unlink from the prototype's chain; unpatch (the fix: only if it was linked). */
  private flushRoot(T: Trace): void {
    const pt = T.pt;
    if (this.run?.T === T) this.endRun();
    if (!this.traits.unpatchOnlyIfLinked) this.unpatch(T);
    let linked = false;
    const head = this.chains.get(pt) ?? 0;
    if (head === T.traceno) {
      this.setChain(pt, T.nextroot);
      linked = true;
    } else if (head) {
      for (let T2 = this.traces[head]; T2 !== undefined && T2.nextroot; T2 = this.traces[T2.nextroot]) {
        if (T2.nextroot === T.traceno) {
          T2.nextroot = T.nextroot;
          linked = true;
          break;
        }
      }
    }
    if (this.traits.unpatchOnlyIfLinked && linked) this.unpatch(T);
    this.emit({ type: "trace-flush", ours: true, tr: T.traceno, what: linked ? "flushroot" : "ignored", by: "trace_flushroot" });
  }

  private setChain(pt: Proto, head: number): void {
    if (head) this.chains.set(pt, head);
    else this.chains.delete(pt);
  }

  flushTrace(traceno: number): void {
    const T = this.traces[traceno];
    if (T !== undefined && T.kind === "root" && this.rec?.T !== T) this.flushRoot(T);
    this.checkInvariants();
  }

  private flushProto(pt: Proto): void {
    let head: number | undefined;
    while ((head = this.chains.get(pt)) !== undefined && head !== 0) {
      const T = this.traces[head];
      if (T === undefined) break;
      this.flushRoot(T);
    }
  }

  /** lj_trace_flushall: every trace goes, numbers restart at 1 (the only "flush" vmevent). */
  flushAll(): void {
    this.rec = null;
    this.run = null;
    this.updateCounting();
    for (let i = this.traces.length - 1; i > 0; i--) {
      const T = this.traces[i];
      if (T !== undefined && T.kind === "root") this.flushRoot(T);
    }
    this.traces = [];
    this.epoch++;
    this.chains.clear();
    for (const p of this.penalty) p.pt = null;
    this.emit({ type: "flush" });
    this.sendTrace(() => ["flush"]);
  }

  flush(target: JitTarget): void {
    if (target.kind === "engine") {
      this.flushAll();
      return;
    }
    this.forProtos(target, (pt) => this.flushProto(pt));
    this.checkInvariants();
  }

  on(target: JitTarget): void {
    if (target.kind === "engine") {
      this.updateCounting();
      // lj_dispatch_update resets the hot counters only when the JIT goes from off to on.
      if (target.wasOn !== true) this.S.resetHotcounts();
      return;
    }
    this.forProtos(target, (pt) => {
      pt.flags &= ~PROTO_NOJIT;
      this.reenable(pt);
    });
  }

  off(target: JitTarget): void {
    if (target.kind === "engine") {
      this.updateCounting();
      return;
    }
    this.forProtos(target, (pt) => {
      pt.flags |= PROTO_NOJIT;
      this.flushProto(pt);
    });
  }

  /** lj_trace_reenableproto: undo blacklisting and lazy IFORL patches. */
  private reenable(pt: Proto): void {
    if (!(pt.flags & PROTO_ILOOP)) return;
    pt.flags &= ~PROTO_ILOOP;
    for (let pc = 0; pc < pt.bc.length; pc++) {
      const op = bcOp(pt.bc[pc]);
      if (op === Op.IFORL || op === Op.IITERL || op === Op.ILOOP || op === Op.IFUNCF) {
        this.setIns(pt, pc, setOp(pt.bc[pc], op - 1), "unpatch", "lj_trace_reenableproto");
      }
    }
  }

  private forProtos(target: JitTarget, fn: (pt: Proto) => void): void {
    if (target.kind !== "proto") return;
    const visit = (pt: Proto, self: boolean): void => {
      if (self) fn(pt);
      if (target.scope !== "func" && pt.flags & PROTO_CHILD) {
        for (const k of pt.kgc) if (isProto(k)) visit(k, true);
      }
    };
    visit(target.proto, target.scope !== "allsubfunc");
  }

  optStart(args: readonly string[]): void {
    if (args.some((a) => a.startsWith("hotloop="))) this.S.resetHotcounts();
  }

  traceInfo(traceno: number): TraceInfo | undefined {
    const T = this.traces[traceno];
    if (T === undefined) return undefined;
    return { nins: T.nins, nk: 0, link: T.link, nexit: T.model?.nsnap ?? 0, linktype: T.linktype };
  }

  /** A full GC cycle: traces no prototype chain or live trace reaches are freed. DIVERGENCE ("Traces freed only by full GC cycles"). */
  collect(): void {
    const marked = new Set<number>();
    const mark = (n: number): void => {
      if (!n || marked.has(n)) return;
      const T = this.traces[n];
      if (T === undefined) return;
      marked.add(n);
      mark(T.link);
      mark(T.nextroot);
      mark(T.nextside);
    };
    for (const head of this.chains.values()) mark(head);
    if (this.rec !== null) mark(this.rec.T.traceno);
    this.traces.forEach((T, i) => {
      if (T !== undefined && !marked.has(i)) {
        this.setTrace(i, undefined);
        this.emit({ type: "trace-flush", ours: true, tr: i, what: "freed", by: "lj_trace_free" });
      }
    });
    this.checkInvariants();
  }
}

/** Where the interpreter goes after a loop instruction (J->pc after rec_for/rec_iterl/rec_loop). */
function loopTarget(pt: Proto, pc: number, ev: LoopEv, startins?: number): number {
  const ins = startins ?? pt.bc[pc];
  switch (bcOp(ins)) {
    case Op.FORL: case Op.ITERL: case Op.JFORL: case Op.JITERL: case Op.IFORL: case Op.IITERL:
      return ev !== "leave" ? pc + 1 + ((ins >>> 16) - BCBIAS_J) : pc + 1;
    case Op.ITERN:
      return ev !== "leave" ? pc + 2 + ((pt.bc[pc + 1] >>> 16) - BCBIAS_J) : pc + 2;
    default:
      return pc + 1;
  }
}

/** The first instruction a root trace records: the loop body, or the function's first instruction. */
function firstPc(ins: number, pc: number): number {
  switch (bcOp(ins)) {
    case Op.FORL: case Op.ITERL:
      return pc + 1 + ((ins >>> 16) - BCBIAS_J);
    case Op.FUNCF:
      return 1;
    case Op.ITERN:
      return pc;
    default:
      return pc + 1;
  }
}

/**
 * Does the array bounds check of table access `ins` hold (for its key, or for
 * a loop's stop)? base: the frame's stack base.
 */
function boundsHold(stack: LuaValue[], ins: number, base: number, stop: LuaValue): boolean {
  if (bcOp(ins) === Op.ITERC) return ipairsLoad(stack, ins, base) !== NOT_IN_ARRAY;
  const t = accessedTable(stack, ins, base);
  if (t === undefined) return false;
  const k = stop !== undefined ? stop : accessedKey(stack, ins, base);
  return typeof k === "number" && k >= 0 && k < t.arr.length && Math.floor(k) === k;
}

/** Where a builtin call's arguments start (ITERC: the copies it makes are not there yet). */
function builtinArgs(ins: number, base: number): number {
  return bcOp(ins) === Op.ITERC ? base + bcA(ins) - 2 : base + bcA(ins) + 2;
}

/** The table an indexing instruction, or a builtin call the model indexes for (ipairs_aux, table.insert), accesses. */
function accessedTable(stack: LuaValue[], ins: number, base: number): LuaTable | undefined {
  const op = bcOp(ins);
  const t = op === Op.ITERC || op === Op.CALL ? stack[builtinArgs(ins, base)] : stack[base + bcB(ins)];
  return t instanceof LuaTable ? t : undefined;
}

/** The key an indexing instruction (or ipairs_aux) uses. */
function accessedKey(stack: LuaValue[], ins: number, base: number): LuaValue {
  const op = bcOp(ins);
  if (op === Op.ITERC || op === Op.CALL) {
    const args = builtinArgs(ins, base);
    const fn = op === Op.CALL ? stack[base + bcA(ins)] : undefined;
    // table.insert(t, v) stores at #t + 1 (recff_table_insert); ipairs_aux(t, i) reads t[i + 1].
    if (fn instanceof NativeFunction && fn.name === "table.insert") {
      const t = stack[args];
      return t instanceof LuaTable ? t.length() + 1 : undefined;
    }
    const ctl = stack[args + 1];
    return typeof ctl === "number" ? ctl + 1 : undefined;
  }
  return op === Op.TGETB || op === Op.TSETB ? bcC(ins) : stack[base + bcC(ins)];
}

/** The access's key is an integer at or beyond the array part (the recorder's inverted bounds check). */
function keyOutside(stack: LuaValue[], ins: number, base: number): boolean {
  const t = accessedTable(stack, ins, base);
  const k = accessedKey(stack, ins, base);
  return t !== undefined && typeof k === "number" && Number.isInteger(k) && k >= t.arr.length;
}

const NOT_IN_ARRAY = Symbol("not in the array part");

/** ipairs_aux called by ITERC: the array slot t[i + 1] it reads (only ipairs_aux calls get such checks). */
function ipairsLoad(stack: LuaValue[], ins: number, base: number): LuaValue | typeof NOT_IN_ARRAY {
  const a = base + bcA(ins);
  const t = stack[a - 2];
  const i = stack[a - 1];
  if (!(t instanceof LuaTable) || typeof i !== "number") return NOT_IN_ARRAY;
  const k = i + 1;
  return k >= 0 && k < t.arr.length && Math.floor(k) === k ? t.arr[k] : NOT_IN_ARRAY;
}

/** The value the load instruction at pc is about to read (raw, as a guard on its type sees it). */
function peekLoad(L: LuaThread, pt: Proto, pc: number, base: number): LuaValue {
  const ins = pt.bc[pc];
  const stack = L.stack;
  switch (bcOp(ins)) {
    case Op.TGETV: case Op.TGETB: case Op.TGETS: {
      const t = stack[base + bcB(ins)];
      if (!(t instanceof LuaTable)) return undefined;
      const op = bcOp(ins);
      return op === Op.TGETV ? t.get(stack[base + bcC(ins)]) : op === Op.TGETB ? t.getInt(bcC(ins)) : t.get(pt.kgc[bcC(ins)] as string);
    }
    case Op.TGETR: {
      // Raw, on a table a library function checked, the key truncated as the interpreter does.
      const t = stack[base + bcB(ins)];
      const k = stack[base + bcC(ins)];
      return t instanceof LuaTable && typeof k === "number" ? t.getInt(toInt32(k)) : undefined;
    }
    case Op.GGET: return L.ci.closure?.env.get(pt.kgc[bcD(ins)] as string);
    case Op.UGET: return L.ci.closure?.upvals[bcD(ins)]?.get();
    case Op.ITERC: {
      const v = ipairsLoad(stack, ins, base);
      return v === NOT_IN_ARRAY ? undefined : v;
    }
    default: return undefined;
  }
}
