// Metamethod lookup and the slow paths of indexing, arithmetic, comparison,
// concatenation and length (lj_meta.c). Metamethods are called re-entrantly.
import { IsType, isTypeNames } from "../bc/opcodes.ts";
import { ERRMSG } from "../lang/errmsg.ts";
import { scanNumber } from "../lang/strscan.ts";
import { foldArith } from "../util/arith.ts";
import { formatNumber } from "../util/numfmt.ts";
import { callValue1 } from "./call.ts";
import { compareError, luaArgTypeError, opTypeError, runtimeError } from "./errors.ts";
import { isFunction } from "./func.ts";
import { strHash } from "./hash.ts";
import { LuaTable, TableError } from "./table.ts";
import type { LuaThread } from "./thread.ts";
import { isTable, isTruthy, type LuaObject, type LuaValue } from "./value.ts";

/** LJ_MAX_IDXCHAIN: __index/__newindex chains longer than this are a loop. */
const MAX_IDXCHAIN = 100;

/** Arithmetic metamethod names in ORDER ARITH. */
const ARITH_MM = ["__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm"] as const;

// Hashes of the metamethod names, computed once: lookups skip hashing them.
const ARITH_MM_HASH = ARITH_MM.map(strHash);
const H_INDEX = strHash("__index");
const H_NEWINDEX = strHash("__newindex");
const H_EQ = strHash("__eq");
const H_LT = strHash("__lt");
const H_LE = strHash("__le");
export const H_CALL = strHash("__call");

/** The metatable of any value (strings share one; so do the other non-table types, via debug.setmetatable). */
export function getMetatable(L: LuaThread, o: LuaValue): LuaTable | undefined {
  if (typeof o === "object") {
    const mt = (o as { metatable?: LuaTable }).metatable;
    return mt !== undefined || o instanceof LuaTable ? mt : L.state.typeMeta[(o as LuaObject).luaType];
  }
  if (typeof o === "string") return L.state.stringMeta;
  return L.state.typeMeta[typeof o === "number" ? "number" : typeof o === "boolean" ? "boolean" : "nil"];
}

/** lj_meta_lookup: the metamethod `name` (whose strHash is h) of o, or undefined. */
export function metaLookup(L: LuaThread, o: LuaValue, name: string, h = strHash(name)): LuaValue {
  const mt = getMetatable(L, o);
  return mt === undefined ? undefined : mt.getStrH(name, h);
}

/** Lua string -> number coercion for arithmetic (lj_strscan_num); undefined if not a number. */
export function toNumber(v: LuaValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string") return scanNumber(v, false);
  return undefined;
}

/** Raw store that turns table errors (nil/NaN key) into Lua errors. */
export function rawSet(L: LuaThread, t: LuaTable, k: LuaValue, v: LuaValue): void {
  try {
    t.set(k, v);
  } catch (e) {
    if (e instanceof TableError) runtimeError(L, e.message);
    throw e;
  }
}

// -- Indexing ------------------------------------------------------------------

/** t[k] with __index (lj_meta_tget). `slot` names the indexed value in errors (-1: none). */
export function index(L: LuaThread, o: LuaValue, k: LuaValue, slot: number): LuaValue {
  if (typeof k === "string") return indexStr(L, o, k, strHash(k), slot);
  for (let loop = 0; loop < MAX_IDXCHAIN; loop++) {
    let mo: LuaValue;
    if (isTable(o)) {
      const v = o.get(k);
      if (v !== undefined) return v;
      const mt = o.metatable;
      if (mt === undefined || (mo = mt.getStrH("__index", H_INDEX)) === undefined) return undefined;
    } else {
      mo = metaLookup(L, o, "__index", H_INDEX);
      if (mo === undefined) opTypeError(L, loop === 0 ? slot : -1, o, ERRMSG.OPINDEX);
    }
    if (isFunction(mo)) return callValue1(L, mo, o, k);
    o = mo;
  }
  return runtimeError(L, ERRMSG.GETLOOP);
}

/** index() for a string key whose strHash is h (method lookups through __index chains). */
export function indexStr(L: LuaThread, o: LuaValue, k: string, h: number, slot: number): LuaValue {
  for (let loop = 0; loop < MAX_IDXCHAIN; loop++) {
    let mo: LuaValue;
    if (isTable(o)) {
      const v = o.getStrH(k, h);
      if (v !== undefined) return v;
      const mt = o.metatable;
      if (mt === undefined || (mo = mt.getStrH("__index", H_INDEX)) === undefined) return undefined;
    } else {
      mo = metaLookup(L, o, "__index", H_INDEX);
      if (mo === undefined) opTypeError(L, loop === 0 ? slot : -1, o, ERRMSG.OPINDEX);
    }
    if (isFunction(mo)) return callValue1(L, mo, o, k);
    o = mo;
  }
  return runtimeError(L, ERRMSG.GETLOOP);
}

/** What indexThroughTables returns when the chain reaches something other than a table (or is a loop). */
export const NOT_TABLES: unique symbol = Symbol("not only tables");

/**
 * indexStr for a table t whose raw t[k] is nil, as far as its __index
 * chain holds only tables (no Lua code runs): the value, or NOT_TABLES
 * where indexStr would call a function, index a non-table or raise.
 */
export function indexThroughTables(t: LuaTable, k: string, h: number): LuaValue | typeof NOT_TABLES {
  let o = t;
  for (let loop = 0; loop < MAX_IDXCHAIN; loop++) {
    const mt = o.metatable;
    if (mt === undefined) return undefined;
    const mo = mt.getStrH("__index", H_INDEX);
    if (mo === undefined) return undefined;
    if (!isTable(mo)) return NOT_TABLES;
    const v = mo.getStrH(k, h);
    if (v !== undefined) return v;
    o = mo;
  }
  return NOT_TABLES;
}

/** A raw store of t[k] (t has a metatable) is what setIndexStr does: k is present or there is no __newindex. */
export function storesRaw(t: LuaTable, k: string, h: number): boolean {
  return t.getStrH(k, h) !== undefined || (t.metatable as LuaTable).getStrH("__newindex", H_NEWINDEX) === undefined;
}

/** t[k] = v with __newindex (lj_meta_tset). */
export function setIndex(L: LuaThread, o: LuaValue, k: LuaValue, v: LuaValue, slot: number): void {
  if (typeof k === "string") {
    setIndexStr(L, o, k, strHash(k), v, slot);
    return;
  }
  for (let loop = 0; loop < MAX_IDXCHAIN; loop++) {
    let mo: LuaValue;
    if (isTable(o)) {
      const mt = o.metatable;
      if (mt === undefined || o.get(k) !== undefined || (mo = mt.getStrH("__newindex", H_NEWINDEX)) === undefined) {
        rawSet(L, o, k, v);
        return;
      }
    } else {
      mo = metaLookup(L, o, "__newindex", H_NEWINDEX);
      if (mo === undefined) opTypeError(L, loop === 0 ? slot : -1, o, ERRMSG.OPINDEX);
    }
    if (isFunction(mo)) {
      callValue1(L, mo, o, k, v);
      return;
    }
    o = mo;
  }
  runtimeError(L, ERRMSG.SETLOOP);
}

/** setIndex() for a string key whose strHash is h (field stores into objects with a metatable). */
export function setIndexStr(L: LuaThread, o: LuaValue, k: string, h: number, v: LuaValue, slot: number): void {
  for (let loop = 0; loop < MAX_IDXCHAIN; loop++) {
    let mo: LuaValue;
    if (isTable(o)) {
      const mt = o.metatable;
      if (mt === undefined || o.getStrH(k, h) !== undefined || (mo = mt.getStrH("__newindex", H_NEWINDEX)) === undefined) {
        try {
          o.setStrH(k, h, v);
        } catch (e) {
          if (e instanceof TableError) runtimeError(L, e.message);
          throw e;
        }
        return;
      }
    } else {
      mo = metaLookup(L, o, "__newindex", H_NEWINDEX);
      if (mo === undefined) opTypeError(L, loop === 0 ? slot : -1, o, ERRMSG.OPINDEX);
    }
    if (isFunction(mo)) {
      callValue1(L, mo, o, k, v);
      return;
    }
    o = mo;
  }
  runtimeError(L, ERRMSG.SETLOOP);
}

// -- Arithmetic ----------------------------------------------------------------

/**
 * b op c for operands that are not both numbers (lj_meta_arith): string
 * coercion, then __add etc. of b, then of c. op is 0..5 in ORDER ARITH.
 */
export function arith(L: LuaThread, b: LuaValue, c: LuaValue, op: number, slotB: number, slotC: number): LuaValue {
  const nb = toNumber(b);
  const nc = toNumber(c);
  if (nb !== undefined && nc !== undefined) return foldArith(nb, nc, op);
  const name = ARITH_MM[op];
  let mo = metaLookup(L, b, name, ARITH_MM_HASH[op]);
  if (mo === undefined) {
    mo = metaLookup(L, c, name, ARITH_MM_HASH[op]);
    if (mo === undefined) {
      // Blame the first operand that is not a number.
      if (nb === undefined) return opTypeError(L, slotB, b, ERRMSG.OPARITH);
      return opTypeError(L, slotC, c, ERRMSG.OPARITH);
    }
  }
  return callValue1(L, mo, b, c);
}

/** -b for a non-number (BC_UNM slow path): coercion, then __unm(b, b). */
export function unm(L: LuaThread, b: LuaValue, slot: number): LuaValue {
  const n = toNumber(b);
  if (n !== undefined) return -n;
  const mo = metaLookup(L, b, "__unm");
  if (mo === undefined) return opTypeError(L, slot, b, ERRMSG.OPARITH);
  return callValue1(L, mo, b, b);
}

/** #o for anything but a string or a table (lj_meta_len: __len, as in Lua 5.1). */
export function len(L: LuaThread, o: LuaValue, slot: number): LuaValue {
  const mo = metaLookup(L, o, "__len");
  if (mo === undefined) return opTypeError(L, slot, o, ERRMSG.OPLEN);
  return callValue1(L, mo, o, undefined);
}

// -- Comparison ----------------------------------------------------------------

function sameMetamethod(a: LuaValue, b: LuaValue): boolean {
  return a === b;
}

/** a == b for two distinct objects of the same type (lj_meta_equal, Lua 5.1 rules). */
export function equalObjects(L: LuaThread, a: LuaValue, b: LuaValue): boolean {
  const mt1 = getMetatable(L, a);
  if (mt1 === undefined) return false;
  const mo = mt1.getStrH("__eq", H_EQ);
  if (mo === undefined) return false;
  const mt2 = getMetatable(L, b);
  if (mt2 !== mt1) {
    const mo2 = mt2 === undefined ? undefined : mt2.getStrH("__eq", H_EQ);
    if (mo2 === undefined || !sameMetamethod(mo, mo2)) return false;
  }
  return isTruthy(callValue1(L, mo, a, b));
}

/** Lua equality (lj_obj_equal plus __eq). */
export function equals(L: LuaThread, a: LuaValue, b: LuaValue): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if ((a as { luaType: string }).luaType !== (b as { luaType: string }).luaType) return false;
  const t = (a as { luaType: string }).luaType;
  if (t !== "table" && t !== "userdata") return false;
  return equalObjects(L, a, b);
}

/** Byte-wise string comparison (lj_str_cmp); binary strings compare like memcmp. */
function strLess(a: string, b: string, orEqual: boolean): boolean {
  return orEqual ? a <= b : a < b;
}

/**
 * a < b (le=false) or a <= b (le=true) for operands that are not both numbers
 * (lj_meta_comp): strings compare by bytes; else __lt/__le, and a missing
 * __le falls back to not (b < a).
 */
export function lessThan(L: LuaThread, a: LuaValue, b: LuaValue, le: boolean): boolean {
  const ta = typeof a;
  if (ta === "string" && typeof b === "string") return strLess(a as string, b, le);
  const sameType = ta === typeof b &&
    (ta !== "object" || (a as { luaType: string }).luaType === (b as { luaType: string }).luaType);
  if (!sameType) return compareError(L, a, b);
  let negate = false;
  for (;;) {
    const name = le ? "__le" : "__lt";
    const h = le ? H_LE : H_LT;
    const mo = metaLookup(L, a, name, h);
    const mo2 = metaLookup(L, b, name, h);
    if (mo === undefined || !sameMetamethod(mo, mo2)) {
      if (le) {
        // No __le: use not (b < a).
        const t = a; a = b; b = t;
        le = false;
        negate = !negate;
        continue;
      }
      return compareError(L, a, b);
    }
    const r = isTruthy(callValue1(L, mo, a, b));
    return negate ? !r : r;
  }
}

// -- Concatenation -------------------------------------------------------------

function isStrOrNum(v: LuaValue): v is string | number {
  const t = typeof v;
  return t === "string" || t === "number";
}

function str(v: string | number): string {
  return typeof v === "string" ? v : formatNumber(v);
}

/**
 * Concatenate stack[from..to] right to left as lj_meta_cat does: runs of
 * strings/numbers are joined at once, anything else goes through __concat.
 */
export function concat(L: LuaThread, from: number, to: number): LuaValue {
  const stack = L.stack;
  let top = to;
  let acc: LuaValue = stack[top];
  while (top > from) {
    const left = stack[top - 1];
    if (isStrOrNum(acc) && isStrOrNum(left)) {
      // Gather the longest run of strings/numbers ending here.
      let i = top - 1;
      while (i > from && isStrOrNum(stack[i - 1])) i--;
      let s = "";
      for (let j = i; j < top; j++) s += str(stack[j] as string | number);
      acc = s + str(acc);
      top = i;
    } else {
      let mo = metaLookup(L, left, "__concat");
      if (mo === undefined) {
        mo = metaLookup(L, acc, "__concat");
        if (mo === undefined) {
          // Blame the operand that is not a string or number.
          const bad = isStrOrNum(left) ? top : top - 1;
          return opTypeError(L, bad - L.ci.base, bad === top ? acc : left, ERRMSG.OPCAT);
        }
      }
      acc = callValue1(L, mo, left, acc);
      top--;
    }
  }
  return acc;
}

/** The slot-relative base for naming values in errors. */
export function relSlot(L: LuaThread, idx: number): number {
  return idx - L.ci.base;
}

export { LuaTable };

/**
 * The slow path of ISTYPE/ISNUM (lj_meta_istype): a numeric string passes a
 * number check and a number a string check, converted in place (the result is
 * stored back to the slot); anything else is a bad argument.
 */
export function istype(L: LuaThread, slot: number, type: number, v: LuaValue): LuaValue {
  if (type === IsType.num && typeof v === "string") {
    const n = scanNumber(v, false);
    if (n !== undefined) return n;
  } else if (type === IsType.str && typeof v === "number") {
    return formatNumber(v);
  }
  return luaArgTypeError(L, slot + 1, isTypeNames[type] ?? "?", v);
}
