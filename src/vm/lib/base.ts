// The base library (lib_base.c): print, tostring/tonumber, type, errors,
// pcall/xpcall, metatables, raw access, iteration, select and unpack.
import { ERRMSG, formatMessage } from "../../lang/errmsg.ts";
import { scanNumber } from "../../lang/strscan.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { callValue1 } from "../call.ts";
import { LuaError, argError, runtimeError } from "../errors.ts";
import { LuaClosure, NativeFunction, isFunction } from "../func.ts";
import { pcallMarker, xpcallMarker } from "../interp.ts";
import { equals, getMetatable, index, rawSet } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { LuaTable, TableError, iterOut } from "../table.ts";
import { ffid } from "./ffid.ts";
import type { LuaThread } from "../thread.ts";
import { luaTypeOf, type LuaValue } from "../value.ts";
import { threadEnv } from "./fenv.ts";
import { levelWhere, stackLevels } from "./frames.ts";
import {
  arg, checkAny, checkInt, checkTable, optInt, register, ret, ret1,
} from "./api.ts";

/** tostring without metamethods (lj_strfmt_obj). */
export function tostringRaw(S: LuaState, v: LuaValue): string {
  switch (typeof v) {
    case "undefined": return "nil";
    case "boolean": return v ? "true" : "false";
    case "number": return formatNumber(v);
    case "string": return v;
    default: {
      const o = v as { luaType: string };
      const id = o instanceof NativeFunction ? ffid(o.name) : 0;
      if (id > 0) return `function: builtin#${id}`;
      return `${o.luaType}: ${S.addressOf(o)}`;
    }
  }
}

/** tostring with __tostring (lj_strfmt_obj + meta call). */
export function tostring(L: LuaThread, v: LuaValue): LuaValue {
  const mt = getMetatable(L, v);
  if (mt !== undefined) {
    const mo = mt.getStr("__tostring");
    if (mo !== undefined) return callValue1(L, mo, v);
  }
  return tostringRaw(L.state, v);
}

function tonumber(L: LuaThread, base: number, nargs: number): number {
  const b = arg(L, base, nargs, 2);
  const radix = b === undefined ? 10 : checkInt(L, base, nargs, 2);
  if (radix === 10) {
    const v = checkAny(L, base, nargs, 1);
    if (typeof v === "number") return ret1(L, base, v);
    if (typeof v === "string") return ret1(L, base, scanNumber(v, false));
    return ret1(L, base, undefined);
  }
  const v = arg(L, base, nargs, 1);
  const s = typeof v === "number" ? formatNumber(v) : typeof v === "string" ? v : argError(L, 1, formatMessage(ERRMSG.BADTYPE, "string", luaTypeOf(v)));
  if (radix < 2 || radix > 36) argError(L, 2, ERRMSG.BASERNG);
  return ret1(L, base, parseRadix(s, radix));
}

/** ULONG_MAX: what strtoul gives for a number too large. */
const ULONG_MAX = (1n << 64n) - 1n;

/** A digit's value in bases up to 36, or 99. */
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 87;
  return 99;
}

/**
 * tonumber(s, base) for a base other than 10 (lib_base.c): spaces, an
 * optional sign, then strtoul's digits (with its optional 0x for base 16),
 * then only spaces.
 */
function parseRadix(s: string, radix: number): number | undefined {
  let i = 0;
  const n = s.length;
  const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (s.charCodeAt(i) === 45) { neg = true; i++; } else if (s.charCodeAt(i) === 43) i++;
  if (i >= n || digitValue(s.charCodeAt(i)) === 99) return undefined; // not alphanumeric
  if (radix === 16 && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && digitValue(s.charCodeAt(i + 2)) < 16) i += 2;
  let val = 0n;
  const start = i;
  for (; i < n; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= radix) break;
    val = val * BigInt(radix) + BigInt(d);
    if (val > ULONG_MAX) val = ULONG_MAX + 1n; // saturates (strtoul's ERANGE)
  }
  if (i === start) return undefined;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  if (i < n) return undefined;
  const num = Number(val > ULONG_MAX ? ULONG_MAX : val);
  return neg ? -num : num;
}

function print(L: LuaThread, base: number, nargs: number): number {
  const S = L.state;
  // lj_cf_print calls the environment's tostring, skipping it for strings and
  // numbers only while it is the builtin one and numbers have no metatable.
  const env = threadEnv(L);
  const tostringFn = env.getStr("tostring") ?? index(L, env, "tostring", -1);
  const shortcut = tostringFn === S.tostringFn && S.typeMeta.number === undefined;
  let out = "";
  try {
    for (let i = 0; i < nargs; i++) {
      const v = L.stack[base + i];
      let s: LuaValue;
      if (shortcut && typeof v === "string") s = v;
      else if (shortcut && typeof v === "number") s = formatNumber(v);
      else if (shortcut) s = tostring(L, v);
      else s = callValue1(L, tostringFn, v);
      if (typeof s !== "string") {
        if (typeof s === "number") s = formatNumber(s);
        else runtimeError(L, ERRMSG.PRTOSTR);
      }
      if (i > 0) out += "\t";
      out += s;
    }
  } catch (e) {
    S.stdout(out); // what was written before the error stays written
    throw e;
  }
  S.stdout(out + "\n");
  return 0;
}

/** error(msg, level): position of the level-th Lua caller is prepended to string messages. */
function error(L: LuaThread, base: number, nargs: number): number {
  let v = arg(L, base, nargs, 1);
  const level = optInt(L, base, nargs, 2, 1);
  // Numbers are strings to lua_isstring: they come out as "chunk:line: 42".
  const where = (typeof v === "string" || typeof v === "number") && level > 0;
  if (where) {
    // Levels as lua_getstack counts them: a tail-called error() has replaced its caller's frame.
    const self = L.stack[base - 2] as NativeFunction;
    v = levelWhere(L, stackLevels(L, self)[level]) + (typeof v === "number" ? formatNumber(v) : v);
  }
  const e = new LuaError(v);
  e.top = where ? base + 1 : base; // the message's slot: the first argument's, or above it (lua_concat)
  throw e;
}

function assert(L: LuaThread, base: number, nargs: number): number {
  const v = checkAny(L, base, nargs, 1);
  if (v === undefined || v === false) {
    if (nargs >= 2) throw new LuaError(L.stack[base + 1]);
    runtimeError(L, ERRMSG.ASSERT);
  }
  return nargs;
}

function select(L: LuaThread, base: number, nargs: number): number {
  const n = arg(L, base, nargs, 1);
  if (n === "#") return ret1(L, base, nargs - 1);
  let i = checkInt(L, base, nargs, 1);
  if (i < 0) i = nargs - 1 + i + 1;
  else if (i > nargs - 1) i = nargs;
  if (i < 1) argError(L, 1, ERRMSG.IDXRNG);
  const stack = L.stack;
  const cnt = nargs - i;
  for (let j = 0; j < cnt; j++) stack[base + j] = stack[base + i + j];
  return cnt;
}

function unpack(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  const i = optInt(L, base, nargs, 2, 1);
  const e = arg(L, base, nargs, 3) === undefined ? t.length() : checkInt(L, base, nargs, 3);
  if (i > e) return 0;
  const n = e - i + 1;
  if (n <= 0 || n >= 8000) runtimeError(L, ERRMSG.UNPACK);
  L.ensureStack(base + n + 2);
  const stack = L.stack;
  for (let j = 0; j < n; j++) stack[base + j] = t.getInt(i + j);
  return n;
}

function next(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  try {
    if (t.next(arg(L, base, nargs, 2))) return ret(L, base, iterOut.key, iterOut.val);
  } catch (e) {
    if (e instanceof TableError) runtimeError(L, e.message);
    throw e;
  }
  return ret1(L, base, undefined);
}

function ipairsAux(L: LuaThread, base: number, nargs: number): number {
  const t = arg(L, base, nargs, 1);
  const i = (arg(L, base, nargs, 2) as number) + 1;
  const v = t instanceof LuaTable ? t.getInt(i) : undefined;
  if (v === undefined) return 0;
  return ret(L, base, i, v);
}

function setmetatable(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  const mt = arg(L, base, nargs, 2);
  if (mt !== undefined && !(mt instanceof LuaTable)) argError(L, 2, ERRMSG.NOTABN);
  if (t.metatable !== undefined && t.metatable.getStr("__metatable") !== undefined) runtimeError(L, ERRMSG.PROTMT);
  t.metatable = mt as LuaTable | undefined;
  return ret1(L, base, t);
}

function getmetatable(L: LuaThread, base: number, nargs: number): number {
  const v = checkAny(L, base, nargs, 1);
  const mt = getMetatable(L, v);
  if (mt === undefined) return ret1(L, base, undefined);
  const protectedMt = mt.getStr("__metatable");
  return ret1(L, base, protectedMt !== undefined ? protectedMt : mt);
}

export function openBase(S: LuaState): void {
  const G = S.globals;
  G.setStr("_G", G);
  G.setStr("_VERSION", "Lua 5.1");
  G.setStr("pcall", pcallMarker);
  G.setStr("xpcall", xpcallMarker);
  register(G, "", {
    print,
    error,
    assert,
    select,
    unpack,
    next,
    tonumber,
    setmetatable,
    getmetatable,
    tostring: (L, base, nargs) => ret1(L, base, tostring(L, checkAny(L, base, nargs, 1))),
    type: (L, base, nargs) => ret1(L, base, luaTypeOf(checkAny(L, base, nargs, 1))),
    rawget: (L, base, nargs) => ret1(L, base, checkTable(L, base, nargs, 1).get(arg(L, base, nargs, 2))),
    rawset: (L, base, nargs) => {
      const t = checkTable(L, base, nargs, 1);
      rawSet(L, t, arg(L, base, nargs, 2), arg(L, base, nargs, 3));
      return ret1(L, base, t);
    },
    rawequal: (L, base, nargs) => {
      checkAny(L, base, nargs, 1);
      checkAny(L, base, nargs, 2);
      return ret1(L, base, L.stack[base] === L.stack[base + 1]);
    },
  });
  S.tostringFn = G.getStr("tostring");
  S.nextFn = G.getStr("next");
  const ipairsIter = new NativeFunction("ipairs_aux", ipairsAux);
  register(G, "", {
    pairs: (L, base, nargs) => ret(L, base, S.nextFn, checkTable(L, base, nargs, 1), undefined),
    ipairs: (L, base, nargs) => ret(L, base, ipairsIter, checkTable(L, base, nargs, 1), 0),
  });
  void equals; void LuaClosure; void isFunction;
}
