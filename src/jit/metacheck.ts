// The recorder's own "missing metamethod" check (LJ_TRERR_NOMM): before an
// arithmetic, length, concatenation, indexing or call bytecode runs on a
// value that needs a metamethod, LuaJIT's recorder looks that metamethod up
// (lj_record_mm_lookup) and aborts the trace when there is none, before the
// interpreter raises its error (rec_mm_arith, rec_mm_len, rec_cat,
// lj_record_idx, rec_call_setup). Comparisons are not checked here: their
// recorder lets the interpreter throw (the trace then ends with RECERR).
import { bcA, bcB, bcC, bcD, bcOp } from "../bc/ins.ts";
import { Op, metamethodOf } from "../bc/opcodes.ts";
import { isFunction } from "../vm/func.ts";
import { metaLookup } from "../vm/meta.ts";
import { LuaTable } from "../vm/table.ts";
import type { LuaThread } from "../vm/thread.ts";
import type { LuaValue } from "../vm/value.ts";

const numOrStr = (v: LuaValue): boolean => typeof v === "number" || typeof v === "string";

/** Each opcode's metamethod name ("__add", ...), built once rather than per recorded instruction. */
const MM_NAMES: readonly string[] = metamethodOf.map((name) => `__${name}`);

/** Does v have the metamethod opcode op would call? */
function hasMetamethod(L: LuaThread, v: LuaValue, op: number): boolean {
  return metaLookup(L, v, MM_NAMES[op]) !== undefined;
}

/** Would the recorder abort instruction `ins` (frame at `base`) for want of a metamethod? */
export function missingMetamethod(L: LuaThread, ins: number, base: number): boolean {
  const op = bcOp(ins);
  const stack = L.stack;
  if (op >= Op.ADDVN && op <= Op.POW) {
    // A constant operand (VN, NV) is a number: the slot operands decide.
    const b = stack[base + bcB(ins)];
    const c = op >= Op.ADDVV ? stack[base + bcC(ins)] : 0;
    return !(numOrStr(b) && numOrStr(c)) && !hasMetamethod(L, b, op) && !hasMetamethod(L, c, op);
  }
  switch (op) {
    case Op.UNM: {
      const v = stack[base + bcD(ins)];
      return !numOrStr(v) && !hasMetamethod(L, v, op);
    }
    case Op.LEN: {
      const v = stack[base + bcD(ins)];
      return typeof v !== "string" && !(v instanceof LuaTable) && !hasMetamethod(L, v, op);
    }
    case Op.CAT:
      return concatMissing(L, stack, base + bcB(ins), base + bcC(ins));
    case Op.TGETV: case Op.TGETS: case Op.TGETB: case Op.TGETR:
    case Op.TSETV: case Op.TSETS: case Op.TSETB: case Op.TSETR: {
      const t = stack[base + bcB(ins)];
      return !(t instanceof LuaTable) && !hasMetamethod(L, t, op);
    }
    case Op.CALL: case Op.CALLM: case Op.CALLT: case Op.CALLMT: case Op.ITERC: {
      const f = stack[base + bcA(ins) - (op === Op.ITERC ? 3 : 0)];
      return !isFunction(f) && !isFunction(metaLookup(L, f, "__call"));
    }
    default:
      return false;
  }
}

/** Would joining the values in slots lo..hi (as CAT does) call for a __concat that neither value of its pair has? */
export function concatMissing(L: LuaThread, stack: readonly LuaValue[], lo: number, hi: number): boolean {
  const left = concatMetaPair(stack, lo, hi);
  if (left < 0) return false;
  const right = left === hi - 1 ? stack[hi] : ""; // (or the joined strings above it)
  return !hasMetamethod(L, stack[left], Op.CAT) && !hasMetamethod(L, right, Op.CAT);
}

/**
 * The first pair of CAT's operands (slots lo..hi) that __concat is called
 * for: the strings and numbers at the top are joined first, and the value
 * below them goes with their result; otherwise the top two values. Returns
 * the slot of the pair's left operand, or -1 if all are strings or numbers.
 */
export function concatMetaPair(stack: readonly LuaValue[], lo: number, hi: number): number {
  if (!(numOrStr(stack[hi]) && numOrStr(stack[hi - 1]))) return hi - 1;
  let top = hi;
  while (top >= lo && numOrStr(stack[top])) top--;
  return top < lo ? -1 : top;
}
