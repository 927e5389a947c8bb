// The table library's native functions (lib_table.c): insert, concat, sort
// (LuaJIT's own quicksort, so comparator calls and results match) and maxn.
// remove, move, getn and foreach(i) are Lua functions: see lualib.ts.
import { ERRMSG, formatMessage } from "../../lang/errmsg.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { callValue1 } from "../call.ts";
import { LuaError, argTypeError, runtimeError } from "../errors.ts";
import { MemSize, charge } from "../gc.ts";
import { lessThan, metaLookup } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { NativeFunction, type NativeFn } from "../func.ts";
import { LuaTable, TableError } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { isTruthy, luaTypeOf, type LuaValue } from "../value.ts";
import { arg, checkFunction, checkInt, checkTable, optInt, register, ret1 } from "./api.ts";
import { preloadTable } from "./package.ts";

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

/** table.new(narray, nhash) (lua_createtable): a table with room for narray items and nhash keys. */
function tnew(L: LuaThread, base: number, nargs: number): number {
  const a = checkInt(L, base, nargs, 1);
  const h = checkInt(L, base, nargs, 2);
  try {
    return ret1(L, base, LuaTable.newAH(a, h));
  } catch (e) {
    // lj_err_msg in a C function: the message has no position.
    if (e instanceof TableError) throw new LuaError(e.message);
    throw e;
  }
}

/** table.clear(t) (lj_tab_clear): every key gone, the sizes kept. */
function clear(L: LuaThread, base: number, nargs: number): number {
  checkTable(L, base, nargs, 1).clear();
  return 0;
}

/**
 * require "table.new" / "table.clear" (lj_lib_prereg): the loader makes the
 * function, stores it into the table library too (lj_lib_postreg) and returns it.
 */
function preloadPostreg(S: LuaState, lib: LuaTable, name: string, fn: NativeFn): void {
  preloadTable(S).setStr(`table.${name}`, new NativeFunction(`luaopen_table_${name}`, (L, base) => {
    const f = new NativeFunction(`table.${name}`, fn);
    lib.setStr(name, f);
    return ret1(L, base, f);
  }));
}

export function openTable(S: LuaState): void {
  const lib = new LuaTable();
  register(lib, "table", { maxn, insert, concat, sort });
  S.globals.setStr("table", lib);
  preloadPostreg(S, lib, "new", tnew);
  preloadPostreg(S, lib, "clear", clear);
}
