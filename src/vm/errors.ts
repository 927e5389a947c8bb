// Lua errors as JS exceptions, and the messages LuaJIT builds for them
// (lj_err.c: lj_err_optype, lj_err_comp, err_argmsg, lj_err_callermsg).
import { shortSrc } from "../bc/proto.ts";
import { ERRMSG, formatMessage } from "../lang/errmsg.ts";
import { calleeName, currentLine, nativeCallerDepth, nativeRunning, slotName } from "./debuginfo.ts";
import type { LuaThread } from "./thread.ts";
import { FrameKind } from "./thread.ts";
import { luaTypeOf, type LuaValue } from "./value.ts";

/** A Lua error in flight: any Lua value, plus the traceback captured where it was raised. */
export class LuaError extends Error {
  readonly value: LuaValue;
  traceback: string | undefined;
  /**
   * Set when no message handler runs for this error (lj_err_run): out of
   * memory (LUA_ERRMEM), a handler aborted by a stack overflow (LUA_ERRERR),
   * or no stack room left for one. xpcall and luajit's top level then get
   * this message instead of the handler's result (and print no traceback).
   */
  withoutHandler: string | undefined = undefined;
  /** L.top where it was raised (the message's slot), noted by the first catch; -1 before. */
  top = -1;

  constructor(value: LuaValue) {
    super(typeof value === "string" ? value : typeof value === "number" ? String(value) : "(error object is not a string)");
    this.value = value;
    this.name = "LuaError";
  }
}

/** lj_err_mem: "not enough memory", with no position, and no message handler runs. */
export function memoryError(): LuaError {
  const e = new LuaError(ERRMSG.ERRMEM);
  e.withoutHandler = ERRMSG.ERRMEM;
  return e;
}

/** A JS engine limit that stands for running out of memory (string, array or collection too large). */
export function isMemoryRangeError(e: unknown): boolean {
  return e instanceof RangeError && /invalid (string|array|typed array) length|allocation failed|maximum (set|map) size/i.test(e.message);
}

/** Raised when the instruction budget is used up or the run is cancelled; pcall cannot catch it. */
export class LuaHalt extends Error {
  constructor(readonly reason: "budget" | "cancelled" | "memory", message: string) {
    super(message);
    this.name = "LuaHalt";
  }
}

/** Raised by os.exit: the run ends with this status; pcall cannot catch it. */
export class LuaExit extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
    this.name = "LuaExit";
  }
}

/** "chunk:line: " for the Lua frame at depth d, or "" if there is none. */
export function locationPrefix(L: LuaThread, d = L.depth): string {
  const ci = L.frames[d];
  if (ci === undefined || ci.closure === null || (ci.kind !== FrameKind.LUA && ci.kind !== FrameKind.PCALL && ci.kind !== FrameKind.XPCALL)) return "";
  const pt = ci.closure.proto;
  const line = currentLine(pt, ci.pc - 1);
  if (line < 0) return "";
  return `${shortSrc(pt.chunkname, pt.firstline)}:${line}: `;
}

/**
 * Raise `msg` with the location of the current Lua frame (lj_err_callermsg).
 * A native called from JS (pcall(f), a metamethod) has a C caller: no location.
 */
export function runtimeError(L: LuaThread, msg: string): never {
  const d = nativeCallerDepth(L);
  const e = new LuaError((d < 0 ? "" : locationPrefix(L, d)) + msg);
  // err_msgv pushes the message, then the message with its position, above the
  // top of the current Lua frame (or of the running native's arguments).
  const ci = L.frames[L.depth];
  e.top = (ci.closure !== null && !nativeRunning(L) ? ci.base + ci.closure.proto.framesize : L.top) + 1;
  throw e;
}

/** "attempt to <op> <kind> '<name>' (a <type> value)" for the value in `slot` (lj_err_optype). */
export function opTypeError(L: LuaThread, slot: number, value: LuaValue, op: string): never {
  const tname = luaTypeOf(value);
  const ci = L.ci;
  if (ci.closure !== null && slot >= 0) {
    const named = slotName(ci.closure.proto, ci.pc - 1, slot);
    if (named) runtimeError(L, formatMessage(ERRMSG.BADOPRT, op, named.kind, named.name, tname));
  }
  return runtimeError(L, formatMessage(ERRMSG.BADOPRV, op, tname));
}

/** Ordered comparison of incompatible values (lj_err_comp). */
export function compareError(L: LuaThread, a: LuaValue, b: LuaValue): never {
  const t1 = luaTypeOf(a);
  const t2 = luaTypeOf(b);
  return runtimeError(L, t1 === t2 ? formatMessage(ERRMSG.BADCMPV, t1) : formatMessage(ERRMSG.BADCMPT, t1, t2));
}

/** "bad argument #n to 'f' (msg)" in the caller's context (err_argmsg). */
export function argError(L: LuaThread, narg: number, msg: string): never {
  return argErrorFrom(L, nativeCallerDepth(L), narg, msg);
}

/** argError with the calling Lua frame given (-1: called from native code, so '?' and no location). */
function argErrorFrom(L: LuaThread, callerDepth: number, narg: number, msg: string): never {
  const named = callerDepth < 0 ? null : calleeName(L.frames[callerDepth]);
  const fname = named ? named.name : "?";
  let text: string;
  if (named && named.kind === "method" && --narg === 0) text = formatMessage(ERRMSG.BADSELF, fname, msg);
  else text = formatMessage(ERRMSG.BADARG, narg, fname, msg);
  throw new LuaError((callerDepth < 0 ? "" : locationPrefix(L, callerDepth)) + text);
}

/**
 * A Lua function's own argument check failed (ISTYPE/ISNUM, lj_meta_istype):
 * the message names the running Lua frame as its caller's call instruction does.
 */
export function luaArgTypeError(L: LuaThread, narg: number, expected: string, got: LuaValue): never {
  const d = L.depth;
  const ci = L.frames[d];
  const callerDepth = ci.fromNative || ci.kind !== FrameKind.LUA || d <= 1 ? -1 : d - 1;
  return argErrorFrom(L, callerDepth, narg, formatMessage(ERRMSG.BADTYPE, expected, luaTypeOf(got)));
}

/** "bad argument #n to 'f' (T expected, got U)" (lj_err_argtype). */
export function argTypeError(L: LuaThread, narg: number, expected: string, got: LuaValue, present: boolean): never {
  const tname = present ? luaTypeOf(got) : "no value";
  return argError(L, narg, formatMessage(ERRMSG.BADTYPE, expected, tname));
}
