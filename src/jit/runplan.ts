// A compiled trace's path as flat arrays, so that following a running trace
// costs a few comparisons per reported bytecode: which pc comes next, which
// guard a divergence there would fail, which type and bounds checks the step
// makes, and which stretches of straight-line steps the interpreter need not
// report at all.
import { bcOp } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import { codeOfType } from "./vtype.ts";
import type { CalleeSpec } from "./irmodel.ts";
import type { Trace } from "./trace.ts";

/** What a check tests (TypeCheck in irmodel.ts, flattened). */
export const enum CheckKind {
  /** The type of a stack slot. */
  slotType = 0,
  /** The type of the value the step's load is about to read. */
  loadType = 1,
  /** The access's key lies inside the table's array part. */
  keyBounds = 2,
  /** The loop's stop (a stack slot) lies inside the table's array part. */
  stopBounds = 3,
  /** string.sub/byte's arguments (from a stack slot on) fall in the recorded case (strrange.ts). */
  strRange = 4,
  /** The type of the next key / value an ITERN finds. */
  nextKey = 5,
  nextVal = 6,
  /** The function a call is about to call is the one the trace was specialised to. */
  callee = 7,
  /** The access's integer key is not in the table's array part. */
  keyOutside = 8,
  /** The accessed table's hash part is empty. */
  hashEmpty = 9,
  /** The stored-to key has a hash node / has none. */
  keyPresent = 10,
  keyAbsent = 11,
  /** A loop's step (a stack slot) has the recorded direction (type 1: up, 0: down). */
  forDir = 12,
  /** A narrowed loop (slots from `slot` on) cannot overflow: stop + step is an int32. */
  forRange = 13,
  /** The comparison two bytecodes back jumps (type 1) or not (type 0), as recorded (cmpjump.ts). */
  cmpJumps = 14,
  /** select(n, ...) of unknown varargs (rec_varg): at least `param` of them (type 1) or fewer (type 0). */
  vargCount = 15,
  /** The VARG's n (the slot below it) lies within the varargs (type 1) or beyond them (type 0). */
  vargIndex = 16,
  /** The n-th vararg (n = param, or the VARG's n if 0) has the type. */
  vargType = 17,
  /** The loop's stop (a stack slot) is within the varargs: the hoisted bounds check of select(i, ...). */
  vargStop = 18,
  /** Exactly `param` varargs. */
  vargExact = 19,
  /** The string in a stack slot is `str`. */
  strEquals = 20,
  /** The objects in two stack slots (`slot`, `param`) are the same one (type 1) or not (type 0). */
  sameObject = 21,
  /** The accessed table's hash part has the recorded size (`param`): HREFK's hmask guard. */
  hmaskEquals = 22,
}

/** Checks of each step, flattened: step k's are chk*[start[k] .. start[k + 1] - 1]. */
export interface CheckList {
  start: Int32Array;
  kind: Uint8Array;
  /** Stack slot relative to the trace's base frame (slotType, stopBounds). */
  slot: Int32Array;
  type: Uint8Array;
  guard: Int32Array;
  /** strRange: the recorded case and the call's flags. */
  param: Int32Array;
  /** callee: what the call was specialised to (null for other kinds). */
  callee: (CalleeSpec | null)[];
  /** strEquals: the string (null for other kinds). */
  str: (string | null)[];
}

export interface RunPlan {
  pcs: Int32Array;
  pts: Proto[];
  /** Guard of the step's comparison or loop test (0: none). */
  branch: Int32Array;
  /** 1: the fast path may take the step (all but the last step of a trace that does not wrap). */
  fast: Uint8Array;
  /**
   * 1: the step is a J-op the trace runs through (its own, or the one a side
   * trace's own loop closes at): running it is no new entry.
   */
  isJop: Uint8Array;
  /** The pre-roll's checks and the loop part's (loop-invariant guards are not repeated there). */
  checksPre: CheckList;
  checksLoop: CheckList;
  /**
   * The first step at or after k that the interpreter must report, in the
   * pre-roll / in the loop part. Steps before it are a straight run of
   * pc, pc+1, ... in one prototype with nothing that can fail or branch, so
   * the interpreter reports only when it reaches that step's pc.
   */
  nextPre: Int32Array;
  nextLoop: Int32Array;
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
  const wraps = T.wraps;
  const plan: RunPlan = {
    pcs: new Int32Array(n), pts: new Array<Proto>(n), branch: new Int32Array(n),
    fast: new Uint8Array(n), isJop: new Uint8Array(n),
    checksPre: checkList(T, false), checksLoop: checkList(T, true),
    nextPre: new Int32Array(n), nextLoop: new Int32Array(n),
    // lj_record_stop ran the loop optimisation (loops and tail-recursion back at depth 0, when it is on).
    wraps, loopPart: T.model?.hasLoopPart === true, coast: false,
  };
  T.path.forEach((st, k) => {
    plan.pcs[k] = st.pc;
    plan.pts[k] = st.pt;
    plan.branch[k] = st.ir.branch;
    // Only a root trace patches its start: a side trace starting at its root's J-op links through it.
    plan.isJop[k] = (T.kind === "root" && st.pt === T.pt && st.pc === T.startpc) || (k === n - 1 && T.linktype === "loop" && wraps) ? 1 : 0;
    // The last step of a trace that does not wrap is left to the slow path (linking, stitching, return).
    plan.fast[k] = k === n - 1 && !wraps ? 0 : 1;
  });
  markReported(plan, plan.nextPre, plan.checksPre);
  markReported(plan, plan.nextLoop, plan.checksLoop);
  const closing = bcOp(T.startins);
  plan.coast = plan.loopPart && n > 0 && (closing === Op.FORL || closing === Op.ITERL) && plan.isJop[n - 1] === 1 &&
    T.path.every((st, k) => k === n - 1 || (!hasChecks(plan.checksLoop, k) && plan.branch[k] === 0 && st.pt === T.pt && straightLine(bcOp(st.pt.bc[st.pc]))));
  return plan;
}

/** The checks of every step, in the loop part only the guards repeated there. */
function checkList(T: Trace, inLoop: boolean): CheckList {
  const checks = T.path.map((st) => st.ir.checks.filter((c) => !inLoop || T.model?.inLoopPart(c.guard)));
  const total = checks.reduce((s, cs) => s + cs.length, 0);
  const list: CheckList = {
    start: new Int32Array(T.path.length + 1), kind: new Uint8Array(total), slot: new Int32Array(total),
    type: new Uint8Array(total), guard: new Int32Array(total), param: new Int32Array(total), callee: [], str: [],
  };
  let i = 0;
  checks.forEach((cs, k) => {
    list.start[k] = i;
    for (const c of cs) {
      list.kind[i] = c.varg !== undefined ? (c.varg.what === "count" ? CheckKind.vargCount : c.varg.what === "index" ? CheckKind.vargIndex
          : c.varg.what === "stop" ? CheckKind.vargStop : c.varg.what === "exact" ? CheckKind.vargExact : CheckKind.vargType)
        : c.jumps !== undefined ? CheckKind.cmpJumps : c.forl !== undefined ? (c.forl === "range" ? CheckKind.forRange : CheckKind.forDir)
        : c.hmask !== undefined ? CheckKind.hmaskEquals : c.equals !== undefined ? CheckKind.strEquals : c.same !== undefined ? CheckKind.sameObject : c.callee !== undefined ? CheckKind.callee : c.next === "key" ? CheckKind.nextKey : c.next === "val" ? CheckKind.nextVal
        : c.range !== undefined ? CheckKind.strRange : c.abc === "key" ? CheckKind.keyBounds
        : c.abc === "stop" ? CheckKind.stopBounds : c.abc === "outside" ? CheckKind.keyOutside : c.abc === "hashEmpty" ? CheckKind.hashEmpty
        : c.abc === "present" ? CheckKind.keyPresent : c.abc === "absent" ? CheckKind.keyAbsent
        : c.slot === null ? CheckKind.loadType : CheckKind.slotType;
      list.slot[i] = c.slot ?? -1;
      list.type[i] = c.range !== undefined ? c.range.flags : c.forl !== undefined ? Number(c.forl === "up")
        : c.jumps !== undefined ? Number(c.jumps) : c.same !== undefined ? Number(c.same.identical) : c.varg !== undefined && c.varg.what !== "type" ? Number(c.varg.holds) : codeOfType(c.t);
      list.param[i] = c.hmask !== undefined ? c.hmask : c.range !== undefined ? c.range.code : c.varg !== undefined ? c.varg.n : c.same !== undefined ? c.same.other : 0;
      list.guard[i] = c.guard;
      list.callee.push(c.callee ?? null);
      list.str.push(c.equals ?? null);
      i++;
    }
  });
  list.start[T.path.length] = i;
  return list;
}

function hasChecks(list: CheckList, k: number): boolean {
  return list.start[k] !== list.start[k + 1];
}

/**
 * Fill next[k]: k itself if step k must be reported in this part, else the
 * next such step. A step may go unreported if the step before it surely
 * leads to it and it cannot fail, branch or be a J-op itself: then the
 * interpreter is sure to arrive at the next reported step's pc, and the first
 * arrival there is that step.
 */
function markReported(plan: RunPlan, next: Int32Array, checks: CheckList): void {
  const n = next.length;
  let stop = n - 1;
  for (let k = n - 1; k >= 0; k--) {
    const silent = k > 0 && flowsOn(plan, k - 1) && flowsOn(plan, k) && plan.fast[k] === 1 &&
      plan.branch[k] === 0 && plan.isJop[k] === 0 && !hasChecks(checks, k);
    if (!silent) stop = k;
    next[k] = stop;
  }
}

/** Does step k surely go on to step k + 1: a straight-line op followed by the next bytecode of its prototype? */
function flowsOn(plan: RunPlan, k: number): boolean {
  if (k + 1 >= plan.pcs.length || plan.pts[k + 1] !== plan.pts[k] || plan.pcs[k + 1] !== plan.pcs[k] + 1) return false;
  const op = bcOp(plan.pts[k].bc[plan.pcs[k]]);
  return straightLine(op) && op < Op.FUNCF;
}

/** Ops that neither branch nor call nor return (so cannot leave a straight path). */
function straightLine(op: number): boolean {
  return !(op <= Op.ISF || (op >= Op.CALLM && op <= Op.JMP) || op === Op.ISTYPE || op === Op.ISNUM);
}
