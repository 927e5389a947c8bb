// Helpers for native library functions: argument checks with LuaJIT's
// messages (lj_lib.c: lj_lib_check*, lj_lib_opt*), results, registration.
import { ERRMSG, formatMessage } from "../../lang/errmsg.ts";
import { scanNumber } from "../../lang/strscan.ts";
import { toInt32 } from "../../util/arith.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { argError, argTypeError } from "../errors.ts";
import { NativeFunction, type NativeFn, type LuaFunction, isFunction } from "../func.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import type { LuaValue } from "../value.ts";

/** Argument i (1-based) of a native called with args at base. */
export function arg(L: LuaThread, base: number, nargs: number, i: number): LuaValue {
  return i <= nargs ? L.stack[base + i - 1] : undefined;
}

export function checkAny(L: LuaThread, base: number, nargs: number, i: number): LuaValue {
  if (i > nargs) argError(L, i, ERRMSG.NOVAL);
  return L.stack[base + i - 1];
}

export function checkTable(L: LuaThread, base: number, nargs: number, i: number): LuaTable {
  const v = arg(L, base, nargs, i);
  if (!(v instanceof LuaTable)) return argTypeError(L, i, "table", v, i <= nargs);
  return v;
}

export function checkFunction(L: LuaThread, base: number, nargs: number, i: number): LuaFunction {
  const v = arg(L, base, nargs, i);
  if (!isFunction(v)) return argTypeError(L, i, "function", v, i <= nargs);
  return v;
}

/** A number, or a string that converts to one (lj_lib_checknum). */
export function checkNumber(L: LuaThread, base: number, nargs: number, i: number): number {
  const v = arg(L, base, nargs, i);
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = scanNumber(v, false);
    if (n !== undefined) return n;
  }
  return argTypeError(L, i, "number", v, i <= nargs);
}

export function optNumber(L: LuaThread, base: number, nargs: number, i: number, def: number): number {
  const v = arg(L, base, nargs, i);
  return v === undefined ? def : checkNumber(L, base, nargs, i);
}

/** lj_lib_checkint: a number truncated to int32 (as a C cast, out of range wraps like LuaJIT). */
export function checkInt(L: LuaThread, base: number, nargs: number, i: number): number {
  return toInt32(checkNumber(L, base, nargs, i));
}

export function optInt(L: LuaThread, base: number, nargs: number, i: number, def: number): number {
  const v = arg(L, base, nargs, i);
  return v === undefined ? def : checkInt(L, base, nargs, i);
}


/** A string, or a number converted with %.14g (lj_lib_checkstr). */
export function checkString(L: LuaThread, base: number, nargs: number, i: number): string {
  const v = arg(L, base, nargs, i);
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatNumber(v);
  return argTypeError(L, i, "string", v, i <= nargs);
}

export function optString(L: LuaThread, base: number, nargs: number, i: number, def: string): string {
  const v = arg(L, base, nargs, i);
  return v === undefined ? def : checkString(L, base, nargs, i);
}

/**
 * lj_lib_checkopt: the index of argument i in `options`; `def` when it is nil
 * (def < 0: the argument is required). Otherwise "invalid option 'x'".
 */
export function checkOption(L: LuaThread, base: number, nargs: number, i: number, options: readonly string[], def: number): number {
  const s = def >= 0 ? (arg(L, base, nargs, i) === undefined ? undefined : checkString(L, base, nargs, i)) : checkString(L, base, nargs, i);
  if (s === undefined) return def;
  const idx = options.indexOf(s);
  if (idx < 0) argError(L, i, formatMessage(ERRMSG.INVOPTM, s.split("\0", 1)[0]));
  return idx;
}

/** Write results at base and return their count (the native calling convention). */
export function ret(L: LuaThread, base: number, ...values: LuaValue[]): number {
  L.ensureStack(base + values.length + 1);
  const stack = L.stack;
  for (let i = 0; i < values.length; i++) stack[base + i] = values[i];
  return values.length;
}

export function ret1(L: LuaThread, base: number, v: LuaValue): number {
  L.stack[base] = v;
  return 1;
}

/** Register functions into a table under their short names; `prefix` gives full names like "string.sub". */
export function register(t: LuaTable, prefix: string, fns: Record<string, NativeFn>): void {
  for (const [name, fn] of Object.entries(fns)) {
    t.setStr(name, new NativeFunction(prefix ? `${prefix}.${name}` : name, fn));
  }
}
