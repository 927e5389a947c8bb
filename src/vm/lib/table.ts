// The table library (lib_table.c): insert, remove, move, concat, sort (LuaJIT's
// own quicksort, so comparator calls and results match), maxn, getn, foreach(i).
// remove, move, getn and foreach(i) are Lua functions in LuaJIT; they keep that
// behaviour here (missing arguments are "got nil", raw integer indexing).
import { ERRMSG, formatMessage } from "../../lang/errmsg.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { callValue1 } from "../call.ts";
import { LuaError, argTypeError, runtimeError } from "../errors.ts";
import { isFunction } from "../func.ts";
import { MemSize, charge } from "../gc.ts";
import { equals, lessThan, metaLookup, toNumber } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { LuaTable, iterOut } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { isTruthy, luaTypeOf, type LuaValue } from "../value.ts";
import { arg, checkFunction, checkInt, checkTable, optInt, register, ret1, toInt32 } from "./api.ts";

/** CHECK_tab of a Lua library function: the parameter is nil when missing. */
function paramTable(L: LuaThread, base: number, nargs: number, i: number): LuaTable {
  const v = arg(L, base, nargs, i);
  if (!(v instanceof LuaTable)) return argTypeError(L, i, "table", v, true);
  return v;
}

function paramFunction(L: LuaThread, base: number, nargs: number, i: number): LuaValue {
  const v = arg(L, base, nargs, i);
  if (!isFunction(v)) return argTypeError(L, i, "function", v, true);
  return v;
}

function insert(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  let i = t.length() + 1;
  if (nargs !== 2) {
    if (nargs !== 3) runtimeError(L, ERRMSG.TABINS);
    const n = checkInt(L, base, nargs, 2);
    for (; i > n; i--) t.setInt(i, t.getInt(i - 1));
    i = n;
  }
  t.setInt(i, L.stack[base + nargs - 1]);
  return 0;
}

/** table.remove(t [, pos]); pos is any number, and t[pos] truncates it like TGETR/TSETR. */
function remove(L: LuaThread, base: number, nargs: number): number {
  const t = paramTable(L, base, nargs, 1);
  const len = t.length();
  const p = arg(L, base, nargs, 2);
  if (p === undefined) {
    if (len === 0) return 0;
    const old = t.getInt(len);
    t.setInt(len, undefined);
    return ret1(L, base, old);
  }
  const pos = paramNumber(L, base, nargs, 2);
  if (!(pos >= 1 && pos <= len)) return 0;
  const old = t.getInt(toInt32(pos));
  for (let i = pos + 1; i <= len; i++) t.setInt(toInt32(i - 1), t.getInt(toInt32(i)));
  t.setInt(len, undefined);
  return ret1(L, base, old);
}

/** CHECK_int in a Lua library function is ISNUM: a number, or a numeric string converted. */
function paramNumber(L: LuaThread, base: number, nargs: number, i: number): number {
  const v = arg(L, base, nargs, i);
  const n = typeof v === "number" ? v : typeof v === "string" ? toNumber(v) : undefined;
  if (n === undefined) return argTypeError(L, i, "number", v, true);
  return n;
}

/** table.move(a1, f, e, t [, a2]): raw copies, backwards when the ranges overlap upwards. */
function move(L: LuaThread, base: number, nargs: number): number {
  const a1 = paramTable(L, base, nargs, 1);
  const f = paramNumber(L, base, nargs, 2);
  const e = paramNumber(L, base, nargs, 3);
  const t = paramNumber(L, base, nargs, 4);
  const a2 = arg(L, base, nargs, 5) === undefined ? a1 : paramTable(L, base, nargs, 5);
  if (e >= f) {
    const d = t - f;
    if (t > e || t <= f || !equals(L, a2, a1)) {
      for (let i = f; i <= e; i++) a2.setInt(toInt32(i + d), a1.getInt(toInt32(i)));
    } else {
      for (let i = e; i >= f; i--) a2.setInt(toInt32(i + d), a1.getInt(toInt32(i)));
    }
  }
  return ret1(L, base, a2);
}

function concat(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  const sepArg = arg(L, base, nargs, 2);
  let sep = "";
  if (sepArg !== undefined) {
    if (typeof sepArg === "string") sep = sepArg;
    else if (typeof sepArg === "number") sep = formatNumber(sepArg);
    else argTypeError(L, 2, "string", sepArg, true);
  }
  const first = optInt(L, base, nargs, 3, 1);
  const last = arg(L, base, nargs, 4) !== undefined ? checkInt(L, base, nargs, 4) : t.length();
  let out = "";
  for (let i = first; i <= last; i++) {
    const v = t.getInt(i);
    if (typeof v === "string") out += v;
    else if (typeof v === "number") out += formatNumber(v);
    else runtimeError(L, formatMessage(ERRMSG.TABCAT, luaTypeOf(v), i));
    if (i !== last) out += sep;
  }
  charge(MemSize.STRING + out.length);
  return ret1(L, base, out);
}

function maxn(L: LuaThread, base: number, nargs: number): number {
  return ret1(L, base, checkTable(L, base, nargs, 1).maxn());
}

function getn(L: LuaThread, base: number, nargs: number): number {
  return ret1(L, base, paramTable(L, base, nargs, 1).length());
}

function foreachi(L: LuaThread, base: number, nargs: number): number {
  const t = paramTable(L, base, nargs, 1);
  const f = paramFunction(L, base, nargs, 2);
  for (let i = 1, n = t.length(); i <= n; i++) {
    const r = callValue1(L, f, i, t.getInt(i));
    if (r !== undefined) return ret1(L, base, r);
  }
  return 0;
}

/** foreach walks the table as ITERN does: by slot, so changing values meanwhile is harmless. */
function foreach(L: LuaThread, base: number, nargs: number): number {
  const t = paramTable(L, base, nargs, 1);
  const f = paramFunction(L, base, nargs, 2);
  for (let cursor = t.iterate(0); cursor >= 0; cursor = t.iterate(cursor)) {
    const r = callValue1(L, f, iterOut.key, iterOut.val);
    if (r !== undefined) return ret1(L, base, r);
  }
  return 0;
}

// -- sort -----------------------------------------------------------------------------

/** a < b for sort without a comparator (lua_lessthan). */
function defaultLess(L: LuaThread, a: LuaValue, b: LuaValue): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "string" && typeof b === "string") return a < b;
  // lj_err_comp raised inside a C function has no position; only a shared __lt avoids it.
  const ta = luaTypeOf(a), tb = luaTypeOf(b);
  const mo = metaLookup(L, a, "__lt");
  if (ta !== tb || mo === undefined || metaLookup(L, b, "__lt") !== mo) {
    throw new LuaError(ta === tb ? formatMessage(ERRMSG.BADCMPV, ta) : formatMessage(ERRMSG.BADCMPT, ta, tb));
  }
  return lessThan(L, a, b, false);
}

/** sort_comp: the comparator's verdict, or the default order when there is none. */
function less(L: LuaThread, comp: LuaValue, a: LuaValue, b: LuaValue): boolean {
  return comp === undefined ? defaultLess(L, a, b) : isTruthy(callValue1(L, comp, a, b));
}

/**
 * LuaJIT's auxsort (median of three, then partition; recursion on the smaller
 * half). Every table read and write happens in the same order as LuaJIT's, so
 * comparators that are inconsistent or modify the table give the same result.
 */
function auxsort(L: LuaThread, t: LuaTable, comp: LuaValue, l: number, u: number): void {
  while (l < u) {
    let a = t.getInt(l);
    let b = t.getInt(u);
    if (less(L, comp, b, a)) { t.setInt(l, b); t.setInt(u, a); }
    if (u - l === 1) break;
    let i = Math.trunc((l + u) / 2);
    a = t.getInt(i);
    b = t.getInt(l);
    if (less(L, comp, a, b)) {
      t.setInt(i, b); t.setInt(l, a);
    } else {
      b = t.getInt(u);
      if (less(L, comp, b, a)) { t.setInt(i, b); t.setInt(u, a); }
    }
    if (u - l === 2) break;
    const pivot = t.getInt(i);
    t.setInt(i, t.getInt(u - 1));
    t.setInt(u - 1, pivot);
    i = l;
    let j = u - 1;
    for (;;) {
      while (less(L, comp, a = t.getInt(++i), pivot)) {
        if (i >= u) runtimeError(L, ERRMSG.TABSORT);
      }
      while (less(L, comp, pivot, b = t.getInt(--j))) {
        if (j <= l) runtimeError(L, ERRMSG.TABSORT);
      }
      if (j < i) break;
      t.setInt(i, b);
      t.setInt(j, a);
    }
    a = t.getInt(u - 1);
    b = t.getInt(i);
    t.setInt(u - 1, b);
    t.setInt(i, a);
    if (i - l < u - i) {
      j = l; i = i - 1; l = i + 2;
    } else {
      j = i + 1; i = u; u = j - 2;
    }
    auxsort(L, t, comp, j, i);
  }
}

function sort(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  const n = t.length();
  const comp = arg(L, base, nargs, 2);
  if (comp !== undefined) checkFunction(L, base, nargs, 2);
  auxsort(L, t, comp, 1, n);
  return 0;
}

export function openTable(S: LuaState): void {
  const lib = new LuaTable();
  register(lib, "table", { foreachi, foreach, getn, maxn, insert, remove, move, concat, sort });
  S.globals.setStr("table", lib);
}
