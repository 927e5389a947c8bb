// A compiled trace's path as flat arrays, so that following a running trace
// costs a few comparisons per bytecode: which pc comes next, which guard a
// divergence there would fail, and which steps have nothing that can fail.
import { bcOp } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import type { Trace } from "./trace.ts";

export interface RunPlan {
  pcs: Int32Array;
  pts: Proto[];
  /** Guard of the step's comparison or loop test (0: none). */
  branch: Int32Array;
  /** 1: the step has no type check to make in the pre-roll / in the loop part. */
  fastPre: Uint8Array;
  fastLoop: Uint8Array;
  /** 1: the step is the trace's own J-op (running it is no new entry). */
  isJop: Uint8Array;
  /** After the last step the path starts again (loop, tail- or up-recursion)... */
  wraps: boolean;
  /** ...and from then on runs the loop part (after LOOP) rather than the pre-roll. */
  loopPart: boolean;
  /**
   * The loop part is straight-line code closed by a JFORL/JITERL: nothing can
   * fail before the loop test, so the interpreter need not report each bytecode
   * until that loop is left (it tells the simulation when it is).
   */
  coast: boolean;
}

export function runPlan(T: Trace): RunPlan {
  const n = T.path.length;
  const wraps = T.linktype === "loop" || T.linktype === "tail-recursion" || T.linktype === "up-recursion";
  const plan: RunPlan = {
    pcs: new Int32Array(n), pts: new Array<Proto>(n), branch: new Int32Array(n),
    fastPre: new Uint8Array(n), fastLoop: new Uint8Array(n), isJop: new Uint8Array(n),
    wraps, loopPart: T.linktype === "loop", coast: false,
  };
  T.path.forEach((st, k) => {
    plan.pcs[k] = st.pc;
    plan.pts[k] = st.pt;
    plan.branch[k] = st.ir.branch;
    plan.isJop[k] = st.pt === T.pt && st.pc === T.startpc ? 1 : 0;
    // The last step of a trace that does not wrap is left to the slow path (linking, stitching, return).
    if (k === n - 1 && !wraps) return;
    plan.fastPre[k] = st.ir.checks.length === 0 ? 1 : 0;
    plan.fastLoop[k] = st.ir.checks.every((c) => !T.model?.inLoopPart(c.guard)) ? 1 : 0;
  });
  const closing = bcOp(T.startins);
  plan.coast = plan.loopPart && n > 0 && (closing === Op.FORL || closing === Op.ITERL) && plan.isJop[n - 1] === 1 &&
    T.path.every((st, k) => k === n - 1 || (plan.fastLoop[k] === 1 && plan.branch[k] === 0 && st.pt === T.pt && straightLine(bcOp(st.pt.bc[st.pc]))));
  return plan;
}

/** Ops that neither branch nor call nor return (so cannot leave a straight path). */
function straightLine(op: number): boolean {
  return !(op <= Op.ISF || (op >= Op.CALLM && op <= Op.JMP) || op === Op.ISTYPE || op === Op.ISNUM);
}
