// --events=FILE: the event log in the oracle's JSON-lines schema (one line
// per trace vmevent with the patched bytecode and allocated traces after it,
// then "end" or "crash"), built from our events and the prototypes.
import { bcD, bcOp } from "../bc/ins.ts";
import { Op, opNames } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import type { EngineEvent } from "../engine/events.ts";

/** Opcodes whose positions the log lists (once seen, a position stays listed). */
const LISTED = new Set<number>([
  Op.FORI, Op.JFORI, Op.FORL, Op.IFORL, Op.JFORL, Op.ITERL, Op.IITERL, Op.JITERL, Op.LOOP, Op.ILOOP, Op.JLOOP,
  Op.FUNCF, Op.IFUNCF, Op.JFUNCF, Op.FUNCV, Op.IFUNCV, Op.JFUNCV, Op.ITERC, Op.ITERN, Op.ISNEXT,
]);
const WITH_TRACE = new Set<number>([Op.JFORL, Op.JITERL, Op.JLOOP, Op.JFUNCF, Op.JFUNCV]);

export interface EventLogSource {
  /** Prototypes with their keys, in listing order. */
  protos: [string, Proto][];
  allocated(): [number, string, number][];
}

export class EventLogWriter {
  private readonly lines: string[] = [];
  private seq = 0;
  private readonly listed = new Map<Proto, Set<number>>();
  private readonly src: EventLogSource;
  /**
   * The highest trace number a logged start named: the harness lists the
   * allocated traces up to it (when the program's own "trace" handler
   * replaced the harness's, traces started after that are not listed).
   */
  private maxTrace = 0;

  constructor(src: EventLogSource) {
    this.src = src;
    for (const [, pt] of src.protos) this.listed.set(pt, new Set());
    this.scan();
  }

  /** A prototype first named by an event (a library function written in Lua, a loaded chunk): listed from now on, in line order. */
  addProto(key: string, pt: Proto): void {
    if (this.listed.has(pt)) return;
    this.listed.set(pt, new Set());
    const protos = this.src.protos;
    let i = protos.length;
    while (i > 0 && protos[i - 1][1].firstline > pt.firstline) i--;
    protos.splice(i, 0, [key, pt]);
  }

  /** Remember every position that now holds a listed opcode. */
  private scan(): void {
    for (const [, pt] of this.src.protos) {
      const set = this.listed.get(pt) as Set<number>;
      for (let pc = 0; pc < pt.bc.length; pc++) if (LISTED.has(bcOp(pt.bc[pc]))) set.add(pc);
    }
  }

  private state(): { bc: Record<string, unknown[]>; traces: unknown[] } {
    this.scan();
    const bc: Record<string, unknown[]> = {};
    for (const [key, pt] of this.src.protos) {
      const pcs = [...(this.listed.get(pt) as Set<number>)].sort((a, b) => a - b);
      bc[key] = pcs.map((pc) => {
        const ins = pt.bc[pc];
        const op = bcOp(ins);
        return WITH_TRACE.has(op) ? [pc, opNames[op], bcD(ins)] : [pc, opNames[op]];
      });
    }
    return { bc, traces: this.src.allocated().filter(([n]) => n <= this.maxTrace) };
  }

  add(e: EngineEvent): void {
    let line: Record<string, unknown>;
    const origin = (x: { tr: number; func: string; pc: number; loc: string; kind: string; parent?: number; exit?: number }): Record<string, unknown> => {
      const o: Record<string, unknown> = { tr: x.tr, func: x.func, pc: x.pc, loc: x.loc, kind: x.kind };
      if (x.parent !== undefined) o.parent = x.parent;
      if (x.exit !== undefined) o.exit = x.exit;
      return o;
    };
    switch (e.type) {
      case "trace-start":
        this.maxTrace = Math.max(this.maxTrace, e.tr);
        line = { event: "start", ...origin(e) };
        break;
      case "trace-stop":
        line = { event: "stop", ...origin(e), linktype: e.linktype, link: e.link, stopfunc: e.stopfunc };
        break;
      case "trace-abort":
        line = { event: "abort", ...origin(e), reason: e.reason, abort_func: e.abortFunc, abort_pc: e.abortPc, abort_loc: e.abortLoc };
        break;
      case "flush":
        line = { event: "flush" };
        break;
      default:
        this.scan();
        return;
    }
    this.push(line, true);
  }

  end(status: "ok" | "error", error?: string): void {
    this.push({ event: "end", status, ...(error !== undefined ? { error } : {}) }, true);
  }

  crash(exit: number, stderr: string): void {
    this.push({ event: "crash", exit, stderr }, false);
  }

  private push(fields: Record<string, unknown>, withState: boolean): void {
    const obj = { seq: ++this.seq, ...fields, ...(withState ? this.state() : {}) };
    this.lines.push(JSON.stringify(obj));
  }

  text(): string {
    return this.lines.map((l) => l + "\n").join("");
  }
}
