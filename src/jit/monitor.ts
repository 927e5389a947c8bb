// The invariant monitor: after each lifecycle step, check what LuaJIT's
// trace-management assertions take for granted — every patched J-op enters a
// live trace that starts at that very instruction — and report each broken
// reference once, as a non-fatal event, in every build (LuaJIT itself only
// notices some of them, in trace_unpatch, and only with assertions on).
import { bcD, bcOp } from "../bc/ins.ts";
import { Op, opNames } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import type { Trace } from "./trace.ts";

export interface StaleReference {
  pt: Proto;
  pc: number;
  message: string;
}

export class InvariantMonitor {
  /** Positions that were ever patched to a J-op, per prototype. */
  private readonly patched = new Map<Proto, Set<number>>();
  private readonly reported = new Set<string>();

  notePatch(pt: Proto, pc: number): void {
    let s = this.patched.get(pt);
    if (s === undefined) this.patched.set(pt, (s = new Set()));
    s.add(pc);
  }

  /** Broken references not reported before. `live` tells whether a trace is still in its prototype's chain. */
  check(traces: readonly (Trace | undefined)[], live: (T: Trace) => boolean, name: (pt: Proto) => string): StaleReference[] {
    const out: StaleReference[] = [];
    for (const [pt, pcs] of this.patched) {
      for (const pc of pcs) {
        const ins = pt.bc[pc];
        const op = bcOp(ins);
        if (!isJop(op)) continue;
        const n = bcD(ins);
        const T = traces[n];
        let why = "";
        if (T === undefined) why = `trace ${n} is not allocated`;
        else if (T.pt !== pt || T.startpc !== pc) why = `trace ${n} starts at ${name(T.pt)} pc ${T.startpc}`;
        else if (!live(T)) why = `trace ${n} was flushed`;
        if (why === "") continue;
        const key = `${name(pt)}:${pc}:${n}:${why}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        out.push({ pt, pc, message: `${opNames[op]} at ${name(pt)} pc ${pc} references trace ${n}, but ${why}` });
      }
    }
    return out;
  }

  /** Live root traces whose start instruction is no longer their J-op (a stale unpatch reverted it). */
  checkOwners(chains: ReadonlyMap<Proto, number>, traces: readonly (Trace | undefined)[], name: (pt: Proto) => string): StaleReference[] {
    const out: StaleReference[] = [];
    for (const [pt, head] of chains) {
      for (let T = traces[head]; T !== undefined; T = T.nextroot ? traces[T.nextroot] : undefined) {
        const ins = pt.bc[T.startpc];
        const op = bcOp(ins);
        const owns = isJop(op) && bcD(ins) === T.traceno;
        if (owns) continue;
        const key = `lost:${T.traceno}:${name(pt)}:${T.startpc}:${ins}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        out.push({
          pt, pc: T.startpc,
          message: `trace ${T.traceno} is live, but its start instruction at ${name(pt)} pc ${T.startpc} ` +
            (isJop(op) ? `now enters trace ${bcD(ins)}` : `is ${opNames[op]} again: its bytecode was reverted`),
        });
        if (!T.nextroot) break;
      }
    }
    return out;
  }
}

function isJop(op: number): boolean {
  return op === Op.JFORL || op === Op.JITERL || op === Op.JLOOP || op === Op.JFUNCF;
}
