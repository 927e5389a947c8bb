// Stale references in a state: what LuaJIT issue #1345 is about. A J-op that
// names a trace which is not live there; a flushed-but-allocated root trace
// whose start slot now belongs to a newer trace (flushing it again trips the
// pre-fix trace_unpatch); a live root trace whose start slot was reverted.
import type { ProtoKey } from "../../engine/events.ts";
import type { ExplorerState } from "./state.ts";

const TRACE_OPS = new Set(["JFORL", "JITERL", "JLOOP", "JFUNCF", "JFUNCV"]);

export function isTraceOp(op: string): boolean {
  return TRACE_OPS.has(op);
}

export type HazardKind =
  /** The slot's J-op names a trace that is not live, or that starts elsewhere. */
  | "stale-jop"
  /** A flushed root trace still allocated, whose start slot holds another trace's J-op. */
  | "stale-twin"
  /** A live root trace whose start slot no longer enters it. */
  | "orphan";

export interface Hazard {
  kind: HazardKind;
  proto: ProtoKey;
  pc: number;
  /** The trace the hazard is about. */
  trace: number;
  /** The other trace involved (the slot's owner for stale-twin). */
  other?: number;
}

export function findHazards(s: ExplorerState): Hazard[] {
  const out: Hazard[] = [];
  for (const [proto, arrays] of s.slots) {
    arrays.ops.forEach((op, pc) => {
      if (!TRACE_OPS.has(op)) return;
      const tr = arrays.traces[pc];
      const rec = s.traces.get(tr);
      const startsHere = rec?.origin?.func === proto && rec.origin.pc === pc;
      // trace_stop patches before the trace counts as stopped: a recording trace may own its start slot.
      // After jit.flush() the unpatches of lj_trace_flushall follow the flush event itself.
      const ok = rec && (rec.flushedAll || (startsHere && (rec.state === "live" || rec.state === "recording")));
      if (!ok) out.push({ kind: "stale-jop", proto, pc, trace: tr });
    });
  }
  for (const rec of s.traces.values()) {
    const o = rec.origin;
    if (!o || o.kind !== "root") continue;
    const arrays = s.slots.get(o.func);
    if (!arrays) continue;
    const op = arrays.ops[o.pc] ?? "";
    const owner = arrays.traces[o.pc] ?? 0;
    if (rec.state === "flushed" && TRACE_OPS.has(op) && owner !== rec.tr) {
      out.push({ kind: "stale-twin", proto: o.func, pc: o.pc, trace: rec.tr, other: owner });
    } else if (rec.state === "live" && (!TRACE_OPS.has(op) || owner !== rec.tr)) {
      out.push({ kind: "orphan", proto: o.func, pc: o.pc, trace: rec.tr });
    }
  }
  return out;
}
