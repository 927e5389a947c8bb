// The string library as Lua sees it (lib_string.c): argument checks and the
// calling convention around the pure core in strlib.ts, gmatch iterators,
// gsub callbacks, and the string metatable that makes ("x"):rep(3) work.
import { ERRMSG } from "../../lang/errmsg.ts";
import { scanNumber } from "../../lang/strscan.ts";
import { callAtIdx } from "../call.ts";
import { argError, argTypeError, memoryError, runtimeError } from "../errors.ts";
import { NativeFunction, isFunction } from "../func.ts";
import { MemSize, charge } from "../gc.ts";
import { index } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import type { LuaValue } from "../value.ts";
import { arg, checkInt, checkString, optInt, register, ret1 } from "./api.ts";
import { tostring, tostringRaw } from "./base.ts";
import * as core from "./strlib.ts";
import { LuaStringError, type Capture, type FormatHooks } from "./strlib.ts";

/** Turn a core error into the Lua error LuaJIT raises for it. */
function rethrow(L: LuaThread, e: unknown): never {
  if (e instanceof LuaStringError) {
    if (e.kind === "arg") argError(L, e.arg, e.message);
    // lj_err_mem: no position, no message handler.
    if (e.kind === "memory") throw memoryError();
    runtimeError(L, e.message);
  }
  throw e;
}

/** Write captures as results. */
function retCaptures(L: LuaThread, base: number, caps: readonly Capture[], from = 0): number {
  const n = caps.length;
  L.ensureStack(base + from + n + 1);
  const stack = L.stack;
  for (let i = 0; i < n; i++) stack[base + from + i] = caps[i];
  return from + n;
}

function sub(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const i = checkInt(L, base, nargs, 2);
  return ret1(L, base, core.sub(s, i, optInt(L, base, nargs, 3, -1)));
}

/** string.byte writes its results straight to the stack (no array in between). */
function byte(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const n = s.length;
  let start = optInt(L, base, nargs, 2, 1);
  let stop = optInt(L, base, nargs, 3, start);
  if (stop < 0) stop += n + 1;
  if (start < 0) start += n + 1;
  if (start <= 0) start = 1;
  if (stop > n) stop = n;
  if (start > stop) return 0;
  const count = stop - start + 1;
  if (count > 8000) runtimeError(L, ERRMSG.STRSLC);
  L.ensureStack(base + count + 1);
  const stack = L.stack;
  for (let k = 0; k < count; k++) stack[base + k] = s.charCodeAt(start - 1 + k);
  return count;
}

function char(L: LuaThread, base: number, nargs: number): number {
  let out = "";
  for (let i = 1; i <= nargs; i++) {
    const c = checkInt(L, base, nargs, i);
    if (c < 0 || c > 255) argError(L, i, ERRMSG.BADVAL);
    out += String.fromCharCode(c);
  }
  return ret1(L, base, out);
}

function rep(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const n = checkInt(L, base, nargs, 2);
  const sep = arg(L, base, nargs, 3) === undefined ? undefined : checkString(L, base, nargs, 3);
  // Charged (and checked against the memory ceiling) before it is built.
  const count = core.num2int(n);
  if (count > 0) charge(MemSize.STRING + count * s.length + (count - 1) * (sep?.length ?? 0));
  try {
    return ret1(L, base, core.rep(s, n, sep));
  } catch (e) {
    return rethrow(L, e);
  }
}

// -- find / match / gmatch ----------------------------------------------------------

function find(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const p = checkString(L, base, nargs, 2);
  const init = optInt(L, base, nargs, 3, 1);
  const plain = nargs >= 4 && L.stack[base + 3] !== undefined && L.stack[base + 3] !== false;
  let caps: Capture[] | null;
  try {
    caps = core.find(s, p, init, plain);
  } catch (e) {
    return rethrow(L, e);
  }
  return caps === null ? ret1(L, base, undefined) : retCaptures(L, base, caps);
}

function match(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const p = checkString(L, base, nargs, 2);
  const init = optInt(L, base, nargs, 3, 1);
  let caps: Capture[] | null;
  try {
    caps = core.match(s, p, init);
  } catch (e) {
    return rethrow(L, e);
  }
  return caps === null ? ret1(L, base, undefined) : retCaptures(L, base, caps);
}

/** string.gmatch returns a native closure over its iterator state (gmatch_aux's upvalues). */
function gmatch(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const p = checkString(L, base, nargs, 2);
  const it = core.gmatch(s, p);
  return ret1(L, base, new NativeFunction("string.gmatch_aux", (L2, base2) => {
    let caps: Capture[] | null;
    try {
      caps = it.next();
    } catch (e) {
      return rethrow(L2, e);
    }
    return caps === null ? 0 : retCaptures(L2, base2, caps);
  }));
}

// -- gsub ---------------------------------------------------------------------------

/** Call fn with exactly the captures as arguments (so select('#', ...) is right); its first result. */
function callWithCaptures(L: LuaThread, fn: LuaValue, caps: readonly Capture[]): LuaValue {
  const fidx = L.top;
  const n = caps.length;
  L.ensureStack(fidx + n + 3);
  const stack = L.stack;
  stack[fidx] = fn;
  stack[fidx + 1] = undefined;
  for (let i = 0; i < n; i++) stack[fidx + 2 + i] = caps[i];
  return callAtIdx(L, fidx, n) > 0 ? stack[fidx] : undefined;
}

function gsub(L: LuaThread, base: number, nargs: number): number {
  const s = checkString(L, base, nargs, 1);
  const p = checkString(L, base, nargs, 2);
  const repl = arg(L, base, nargs, 3);
  const maxn = arg(L, base, nargs, 4) === undefined ? undefined : checkNumberArg(L, base, nargs, 4);
  let result: [string, number];
  try {
    if (typeof repl === "string" || typeof repl === "number") {
      result = core.gsub(s, p, repl, maxn);
    } else if (repl instanceof LuaTable) {
      // lua_gettable: __index applies.
      result = core.gsub(s, p, (caps) => index(L, repl, caps[0], -1), maxn, true);
    } else if (isFunction(repl)) {
      result = core.gsub(s, p, (caps) => callWithCaptures(L, repl, caps), maxn);
    } else {
      return argError(L, 3, ERRMSG.NOSFT);
    }
  } catch (e) {
    return rethrow(L, e);
  }
  charge(MemSize.STRING + result[0].length);
  const stack = L.stack;
  stack[base] = result[0];
  stack[base + 1] = result[1];
  return 2;
}

/** luaL_optint's check: a number (or numeric string), left as a double for the core's own conversion. */
function checkNumberArg(L: LuaThread, base: number, nargs: number, i: number): number {
  const v = L.stack[base + i - 1];
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = scanNumber(v, false);
    if (n !== undefined) return n;
  }
  return argTypeError(L, i, "number", v, i <= nargs);
}

// -- format -------------------------------------------------------------------------

function format(L: LuaThread, base: number, nargs: number): number {
  const fmt = checkString(L, base, nargs, 1);
  const S = L.state;
  const args = L.stack.slice(base + 1, base + nargs);
  // %s calls __tostring once; a non-string result is shown without metamethods.
  const str = (v: LuaValue): string => {
    const r = tostring(L, v);
    return typeof r === "string" ? r : tostringRaw(S, r);
  };
  try {
    return ret1(L, base, charged(core.format(fmt, args, str, formatHooks(S))));
  } catch (e) {
    return rethrow(L, e);
  }
}

const hooksOf = new WeakMap<LuaState, FormatHooks>();

function formatHooks(S: LuaState): FormatHooks {
  let h = hooksOf.get(S);
  if (h === undefined) {
    h = {
      tonumber: (s) => scanNumber(s, false),
      pointer: (v) => (typeof v === "object" ? parseInt(S.addressOf(v).slice(2), 16) : typeof v === "string" ? stringAddress(v) : 0),
    };
    hooksOf.set(S, h);
  }
  return h;
}

/**
 * DIVERGENCE: strings have no identity here, so %p of a string prints a
 * made-up address derived from its contents (LuaJIT prints where it lives).
 */
function stringAddress(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return 0x41000000 + ((h >>> 8) << 4);
}

// -- Registration -------------------------------------------------------------------

/** One-argument string functions: checkstr, then the core function. */
function unary(f: (s: string) => string) {
  return (L: LuaThread, base: number, nargs: number): number => ret1(L, base, charged(f(checkString(L, base, nargs, 1))));
}

/** A new string a library function made, charged against the memory ceiling. */
function charged(s: string): string {
  charge(MemSize.STRING + s.length);
  return s;
}

export function openString(S: LuaState): void {
  const lib = new LuaTable();
  register(lib, "string", {
    byte, char, sub, rep,
    reverse: unary(core.reverse),
    lower: unary(core.lower),
    upper: unary(core.upper),
    find, match, gmatch, gsub, format,
  });
  S.globals.setStr("string", lib);
  const mt = LuaTable.newAH(0, 1);
  mt.setStr("__index", lib);
  S.stringMeta = mt;
}
