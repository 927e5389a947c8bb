// The values a side trace's first steps saw. When an exit is taken, the
// bytecodes from the exit snapshot's pc to the failed guard have already run
// here (the simulation cannot rewind the interpreter), so the recorder
// replays them on the frame as they left it. A step that wrote a slot a
// later step reads (`TGETV 6 0 6` overwrites its own key) would then show
// the later value. This steps a copy of the frame forward instead, from the
// values the first step saw, for the simple bytecodes such stretches hold.
// A builtin called on the way (CALL with fixed counts) is not run again: its
// results are what it left in the frame, as long as no later step of the
// stretch overwrote them.
import { bcA, bcB, bcC, bcD, bcDs } from "../bc/ins.ts";
import { Mode, Op, modeA, modeB, modeC } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import { foldArith } from "../util/arith.ts";
import { LuaClosure } from "../vm/func.ts";
import { LuaTable } from "../vm/table.ts";
import type { LuaValue } from "../vm/value.ts";

/** A replayed step: its prototype and pc. */
export interface PrefixStep {
  pt: Proto;
  pc: number;
}

/**
 * Calls `visit(i, stack)` for each step with a stack array holding the values
 * step i read, and returns true; or returns false without calling it when a
 * step (other than the last) cannot be stepped here (an op not handled, a
 * load that needs a metamethod), or some slot's value before the first step
 * is gone (read first, overwritten by a later step).
 * All steps run in the frame at `base` of closure `cl`.
 */
export function replayPrefix(
  stack: readonly LuaValue[], base: number, cl: LuaClosure, steps: readonly PrefixStep[],
  visit: (i: number, stack: LuaValue[]) => void,
): boolean {
  if (steps.length === 0) return true;
  const written = new Set<number>();
  const lost = new Set<number>(); // read before any step wrote them: they must not be written later
  for (let i = 0; i < steps.length; i++) {
    const ins = steps[i].pt.bc[steps[i].pc];
    for (const slot of slotsRead(ins)) if (!written.has(slot)) lost.add(slot);
    if (i === steps.length - 1) break;
    for (const dst of slotsWritten(ins)) {
      if (lost.has(dst)) return false;
      written.add(dst);
    }
    // A call's results are taken from the frame as left: no later step may write them again.
    if (fixedCall(ins)) {
      const results = callResults(ins);
      for (let j = i + 1; j < steps.length - 1; j++) {
        if (slotsWritten(steps[j].pt.bc[steps[j].pc]).some((d) => results.includes(d))) return false;
      }
    }
  }
  // A dry run first: an op not handled or a load that would need a metamethod ends the attempt before any visit.
  const copy = (): LuaValue[] => stack.slice(0, base + steps[0].pt.framesize + 1) as LuaValue[];
  const dry = copy();
  for (let i = 0; i < steps.length - 1; i++) if (!step(dry, base, cl, steps[i], stack)) return false;
  const frame = copy();
  for (let i = 0; i < steps.length; i++) {
    visit(i, frame);
    if (i < steps.length - 1) step(frame, base, cl, steps[i], stack);
  }
  return true;
}

/** A CALL with a fixed count of results (B - 1; C - 1 arguments, two slots above the function's). */
function fixedCall(ins: number): boolean {
  return (ins & 0xff) === Op.CALL && bcB(ins) > 0;
}

/** The slots a CALL's results land in (from its function's slot on). */
function callResults(ins: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < bcB(ins) - 1; r++) out.push(bcA(ins) + r);
  return out;
}

/** The frame slots a step reads (its A, B, C/D operands in var mode; a call's function and arguments). */
function slotsRead(ins: number): number[] {
  const op = ins & 0xff;
  const out: number[] = [];
  if (fixedCall(ins)) {
    out.push(bcA(ins));
    for (let i = 0; i < bcC(ins) - 1; i++) out.push(bcA(ins) + 2 + i);
    return out;
  }
  if (modeA[op] === Mode.var) out.push(bcA(ins));
  if (modeB[op] === Mode.var) out.push(bcB(ins));
  if (modeC[op] === Mode.var) out.push(modeB[op] === Mode.none ? bcD(ins) : bcC(ins));
  return out;
}

/** The slots a step writes (tests and jumps write none). */
function slotsWritten(ins: number): number[] {
  if (fixedCall(ins)) return callResults(ins);
  const op = ins & 0xff;
  return modeA[op] === Mode.dst ? [bcA(ins)] : [];
}

/**
 * Run one step on the frame copy; false if it is not handled here or its
 * value needs a metamethod. `left`: the stack as the steps left it.
 */
function step(frame: LuaValue[], base: number, cl: LuaClosure, st: PrefixStep, left: readonly LuaValue[]): boolean {
  const { pt, pc } = st;
  const ins = pt.bc[pc];
  const op = ins & 0xff;
  const a = base + bcA(ins);
  const slot = (i: number): LuaValue => frame[base + i];
  if (op <= Op.ISNEP || op === Op.IST || op === Op.ISF || op === Op.JMP) return true;
  switch (op) {
    case Op.MOV: frame[a] = slot(bcD(ins)); return true;
    case Op.NOT: { const v = slot(bcD(ins)); frame[a] = v === undefined || v === false; return true; }
    case Op.UNM: { const v = slot(bcD(ins)); if (typeof v !== "number") return false; frame[a] = -v; return true; }
    case Op.LEN: { // a table's # has no metamethod in Lua 5.1
      const v = slot(bcD(ins));
      if (typeof v === "string") frame[a] = v.length;
      else if (v instanceof LuaTable) frame[a] = v.length();
      else return false;
      return true;
    }
    case Op.KSTR: frame[a] = pt.kgc[bcD(ins)] as string; return true;
    case Op.KSHORT: frame[a] = bcDs(ins); return true;
    case Op.KNUM: frame[a] = pt.knum[bcD(ins)]; return true;
    case Op.KPRI: { const d = bcD(ins); frame[a] = d === 0 ? undefined : d === 2; return true; }
    case Op.UGET: frame[a] = cl.upvals[bcD(ins)].get(); return true;
    case Op.GGET: return load(frame, a, cl.env, pt.kgc[bcD(ins)] as string);
    case Op.TGETV: return load(frame, a, slot(bcB(ins)), slot(bcC(ins)));
    case Op.TGETS: return load(frame, a, slot(bcB(ins)), pt.kgc[bcC(ins)] as string);
    case Op.TGETB: return load(frame, a, slot(bcB(ins)), bcC(ins));
    case Op.CALL: {
      // A builtin (a Lua callee would have left this frame): its results as it left them.
      if (!fixedCall(ins) || frame[a] instanceof LuaClosure || frame[a] === undefined) return false;
      for (const r of callResults(ins)) frame[base + r] = left[base + r];
      return true;
    }
    default: {
      if (op < Op.ADDVN || op > Op.POW) return false;
      // Arithmetic, ORDER ARITH in groups of five (VN, NV, VV), then POW.
      const b = slot(bcB(ins));
      const c = op === Op.POW || op >= Op.ADDVV ? slot(bcC(ins)) : pt.knum[bcC(ins)];
      if (typeof b !== "number" || typeof c !== "number") return false;
      const arith = op === Op.POW ? 5 : (op - Op.ADDVN) % 5;
      frame[a] = op >= Op.ADDNV && op <= Op.MODNV ? foldArith(c, b, arith) : foldArith(b, c, arith);
      return true;
    }
  }
}

/** A raw table load; a missing key of a table with a metatable would need its __index. */
function load(frame: LuaValue[], a: number, t: LuaValue, k: LuaValue): boolean {
  if (!(t instanceof LuaTable)) return false;
  const v = t.get(k);
  if (v === undefined && t.metatable !== undefined) return false;
  frame[a] = v;
  return true;
}
