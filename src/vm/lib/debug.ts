// The debug library (lib_debug.c over lj_debug.c): getinfo, locals, upvalues,
// metatables, environments, hooks and traceback, on the stack levels of frames.ts.
import { PROTO_VARARG } from "../../bc/proto.ts";
import { ERRMSG } from "../../lang/errmsg.ts";
import { scanNumber } from "../../lang/strscan.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { varName } from "../debuginfo.ts";
import { argError, argTypeError, runtimeError } from "../errors.ts";
import { LuaClosure, NativeFunction, isFunction, type LuaFunction, type Upval } from "../func.ts";
import { getMetatable } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { LuaTable, hsizeToHbits } from "../table.ts";
import { LuaThread } from "../thread.ts";
import { LuaUserdata } from "../userdata.ts";
import { luaTypeOf, type LuaValue } from "../value.ts";
import { arg, checkAny, checkFunction, checkInt, checkString, checkTable, optInt, optString, ret, ret1 } from "./api.ts";
import { setThreadEnv, threadEnv } from "./fenv.ts";
import { levelLine, levelName, stackLevels, type StackLevel } from "./frames.ts";
import { functionSource, traceback } from "./traceback.ts";

/** getthread: an optional leading thread argument; `off` shifts the other argument numbers. */
function threadArg(L: LuaThread, base: number, nargs: number): { L1: LuaThread; off: number } {
  const v = arg(L, base, nargs, 1);
  return v instanceof LuaThread ? { L1: v, off: 1 } : { L1: L, off: 0 };
}

/** The stack levels of L1 as seen from native `self` running on L. */
function levelsOf(L: LuaThread, L1: LuaThread, self: NativeFunction): StackLevel[] {
  return stackLevels(L1, L1 === L ? self : null);
}

// -- getinfo -----------------------------------------------------------------------

function getinfo(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const { L1, off } = threadArg(L, base, nargs);
  const options = optString(L, base, nargs, off + 2, "flnSu");
  const what = arg(L, base, nargs, off + 1);
  let fn: LuaFunction;
  let lvl: StackLevel | null = null;
  const level = typeof what === "number" ? what : typeof what === "string" ? scanNumber(what, false) : undefined;
  if (level !== undefined) {
    const found = levelsOf(L, L1, self)[Math.trunc(level)];
    if (found === undefined) return ret1(L, base, undefined);
    lvl = found;
    fn = found.fn;
  } else if (isFunction(what)) {
    fn = what;
  } else {
    return argError(L, off + 1, ERRMSG.NOFUNCL);
  }
  if (!/^[SlunfL]*$/.test(options)) argError(L, off + 2, ERRMSG.INVOPT);
  const t = new LuaTable(0, hsizeToHbits(16));
  for (const c of options) {
    switch (c) {
      case "S": {
        const src = functionSource(fn);
        t.setStr("source", src.source);
        t.setStr("short_src", src.shortSrc);
        t.setStr("linedefined", src.linedefined);
        t.setStr("lastlinedefined", src.lastlinedefined);
        t.setStr("what", src.what);
        break;
      }
      case "l":
        t.setStr("currentline", lvl !== null ? levelLine(L1, lvl) : -1);
        break;
      case "u":
        t.setStr("nups", fn instanceof LuaClosure ? fn.upvals.length : 0);
        t.setStr("nparams", fn instanceof LuaClosure ? fn.proto.numparams : 0);
        t.setStr("isvararg", fn instanceof LuaClosure ? (fn.proto.flags & PROTO_VARARG) !== 0 : true);
        break;
      case "n": {
        const named = lvl !== null ? levelName(L1, lvl) : null;
        t.setStr("name", named?.name);
        t.setStr("namewhat", named?.kind ?? "");
        break;
      }
    }
  }
  if (options.includes("L")) t.setStr("activelines", activeLines(fn));
  if (options.includes("f")) t.setStr("func", fn);
  return ret1(L, base, t);
}

/** The set of lines that have code (instructions after the header), or nil for natives. */
function activeLines(fn: LuaFunction): LuaTable | undefined {
  if (!(fn instanceof LuaClosure)) return undefined;
  const t = new LuaTable();
  const li = fn.proto.lineinfo;
  for (let pc = 1; pc < li.length; pc++) t.setInt(li[pc], true);
  return t;
}

// -- Locals ------------------------------------------------------------------------

/** The stack slot and name of local n at a level (debug_localname), or null. */
function localSlot(L1: LuaThread, levels: StackLevel[], level: number, n: number): { idx: number; name: string } | null {
  const lvl = levels[level];
  // DIVERGENCE: natives have no frame, so their arguments are not visible as "(*temporary)".
  if (lvl.depth < 0) return null;
  const ci = L1.frames[lvl.depth];
  const pt = (ci.closure as LuaClosure).proto;
  if (n < 0) {
    if ((pt.flags & PROTO_VARARG) === 0 || -n > ci.nvarargs) return null;
    return { idx: ci.funcIdx + 2 + pt.numparams - n - 1, name: "(*vararg)" };
  }
  const name = varName(pt, ci.pc - 1, n - 1);
  if (name !== undefined) return { idx: ci.base + n - 1, name };
  // Unnamed slots below the next frame (or the frame's top) are temporaries.
  const above = levels[level - 1];
  const limit = above === undefined ? ci.base + pt.framesize
    : above.depth >= 0 ? L1.frames[above.depth].funcIdx : nativeCallSlot(ci.base, ci.closure as LuaClosure, ci.pc);
  if (n > 0 && ci.base + n - 1 < limit) return { idx: ci.base + n - 1, name: "(*temporary)" };
  return null;
}

/** The function slot of the call instruction a frame is executing. */
function nativeCallSlot(base: number, cl: LuaClosure, pc: number): number {
  return base + ((cl.proto.bc[pc - 1] >>> 8) & 0xff);
}

function getlocal(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const { L1, off } = threadArg(L, base, nargs);
  const n = checkInt(L, base, nargs, off + 2);
  const f = arg(L, base, nargs, off + 1);
  if (isFunction(f)) {
    // Parameter names of a function that is not running.
    return ret1(L, base, f instanceof LuaClosure ? varName(f.proto, 0, n - 1) : undefined);
  }
  const level = checkInt(L, base, nargs, off + 1);
  const levels = levelsOf(L, L1, self);
  if (level < 0 || level >= levels.length) argError(L, off + 1, ERRMSG.LVLRNG);
  // Level 0 is getlocal itself: its arguments are its temporaries.
  if (level === 0 && L1 === L && n >= 1 && n <= nargs) return ret(L, base, "(*temporary)", L.stack[base + n - 1]);
  const slot = localSlot(L1, levels, level, n);
  if (slot === null) return ret1(L, base, undefined);
  return ret(L, base, slot.name, L1.stack[slot.idx]);
}

function setlocal(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const { L1, off } = threadArg(L, base, nargs);
  const level = checkInt(L, base, nargs, off + 1);
  const levels = levelsOf(L, L1, self);
  if (level < 0 || level >= levels.length) argError(L, off + 1, ERRMSG.LVLRNG);
  const v = checkAny(L, base, nargs, off + 3);
  const slot = localSlot(L1, levels, level, checkInt(L, base, nargs, off + 2));
  if (slot !== null) L1.stack[slot.idx] = v;
  return ret1(L, base, slot?.name);
}

// -- Upvalues ------------------------------------------------------------------------

/** Upvalue n (1-based) of a Lua closure; natives have none we can show. */
function upvalueAt(fn: LuaFunction, n: number): { uv: Upval; name: string } | null {
  if (!(fn instanceof LuaClosure) || n < 1 || n > fn.upvals.length) return null;
  return { uv: fn.upvals[n - 1], name: fn.proto.uvnames[n - 1] ?? "" };
}

function getupvalue(L: LuaThread, base: number, nargs: number): number {
  const n = checkInt(L, base, nargs, 2);
  const u = upvalueAt(checkFunction(L, base, nargs, 1), n);
  return u === null ? 0 : ret(L, base, u.name, u.uv.get());
}

function setupvalue(L: LuaThread, base: number, nargs: number): number {
  const v = checkAny(L, base, nargs, 3);
  const n = checkInt(L, base, nargs, 2);
  const u = upvalueAt(checkFunction(L, base, nargs, 1), n);
  if (u === null) return 0;
  u.uv.set(v);
  return ret1(L, base, u.name);
}

function checkUpvalue(L: LuaThread, base: number, nargs: number, i: number, luaOnly: boolean): { fn: LuaClosure | NativeFunction; n: number } {
  const fn = checkFunction(L, base, nargs, i);
  if (luaOnly && !(fn instanceof LuaClosure)) argError(L, i, ERRMSG.NOLFUNC);
  const n = checkInt(L, base, nargs, i + 1) - 1;
  if (!(fn instanceof LuaClosure) || n < 0 || n >= fn.upvals.length) argError(L, i + 1, ERRMSG.IDXRNG);
  return { fn, n };
}

// -- Hooks ---------------------------------------------------------------------------

interface HookState { fn: LuaValue; mask: string; count: number }

/**
 * DIVERGENCE: hooks are recorded for gethook but never called; the
 * interpreter has no call, return, line or count events.
 */
function sethook(L: LuaThread, base: number, nargs: number, hooks: WeakMap<LuaState, HookState>): number {
  const { off } = threadArg(L, base, nargs);
  const f = arg(L, base, nargs, off + 1);
  if (f === undefined) {
    hooks.delete(L.state);
    return 0;
  }
  const smask = checkString(L, base, nargs, off + 2);
  if (!isFunction(f)) argTypeError(L, off + 1, "function", f, true);
  const count = optInt(L, base, nargs, off + 3, 0);
  const mask = ["c", "r", "l"].filter((c) => smask.split("\0", 1)[0].includes(c)).join("");
  hooks.set(L.state, { fn: f, mask, count: count > 0 ? count : 0 });
  return 0;
}

function gethook(L: LuaThread, base: number, hooks: WeakMap<LuaState, HookState>): number {
  const h = hooks.get(L.state);
  return ret(L, base, h?.fn, h?.mask ?? "", h?.count ?? 0);
}

// -- Metatables and environments -------------------------------------------------------

function setmetatable(L: LuaThread, base: number, nargs: number): number {
  const mt = arg(L, base, nargs, 2);
  if (nargs < 2 || (mt !== undefined && !(mt instanceof LuaTable))) argError(L, 2, ERRMSG.NOTABN);
  const v = arg(L, base, nargs, 1);
  const S = L.state;
  const m = mt as LuaTable | undefined;
  if (v instanceof LuaTable || v instanceof LuaUserdata) {
    v.metatable = m;
  } else {
    // Traces specialise to a basic type's metatable: lua_setmetatable flushes them all.
    S.jit?.flush({ kind: "engine" });
    if (typeof v === "string") S.stringMeta = m;
    else S.typeMeta[luaTypeOf(v)] = m;
  }
  return ret1(L, base, true);
}

function getfenv(L: LuaThread, base: number, nargs: number): number {
  const v = checkAny(L, base, nargs, 1);
  if (v instanceof LuaClosure) return ret1(L, base, v.env);
  if (v instanceof NativeFunction || v instanceof LuaUserdata) return ret1(L, base, v.env ?? L.state.globals);
  if (v instanceof LuaThread) return ret1(L, base, threadEnv(v));
  return ret1(L, base, undefined);
}

function setfenv(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 2);
  const v = arg(L, base, nargs, 1);
  if (v instanceof LuaClosure || v instanceof NativeFunction || v instanceof LuaUserdata) v.env = t;
  else if (v instanceof LuaThread) setThreadEnv(v, t);
  else runtimeError(L, ERRMSG.SETFENV);
  return ret1(L, base, v);
}

// -- traceback -------------------------------------------------------------------------

function debugTraceback(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const { L1, off } = threadArg(L, base, nargs);
  const m = arg(L, base, nargs, off + 1);
  if (typeof m !== "string" && typeof m !== "number" && nargs > off) return ret1(L, base, m);
  const msg = typeof m === "number" ? formatNumber(m) : (m as string | undefined);
  const level = optInt(L, base, nargs, off + 2, L1 === L ? 1 : 0);
  return ret1(L, base, traceback(L1, levelsOf(L, L1, self), msg, level));
}

export function openDebug(S: LuaState): void {
  const lib = new LuaTable(0, hsizeToHbits(16));
  S.globals.setStr("debug", lib);
  // Upvalues have no identity as Lua values; upvalueid hands out one light userdata per upvalue.
  const upvalueIds = new WeakMap<Upval, LuaUserdata>();
  const hooks = new WeakMap<LuaState, HookState>();
  const withSelf = (name: string, fn: (L: LuaThread, base: number, nargs: number, self: NativeFunction) => number): void => {
    const native: NativeFunction = new NativeFunction(`debug.${name}`, (L, base, nargs) => fn(L, base, nargs, native));
    native.readsFrames = name === "getlocal" || name === "setlocal";
    lib.setStr(name, native);
  };
  const plain = (name: string, fn: (L: LuaThread, base: number, nargs: number) => number): void => {
    lib.setStr(name, new NativeFunction(`debug.${name}`, fn));
  };
  plain("getregistry", (L, base) => ret1(L, base, L.state.registry));
  plain("getmetatable", (L, base, nargs) => ret1(L, base, getMetatable(L, checkAny(L, base, nargs, 1))));
  plain("setmetatable", setmetatable);
  plain("getfenv", getfenv);
  plain("setfenv", setfenv);
  withSelf("getinfo", getinfo);
  withSelf("getlocal", getlocal);
  withSelf("setlocal", setlocal);
  plain("getupvalue", getupvalue);
  plain("setupvalue", setupvalue);
  plain("upvalueid", (L, base, nargs) => {
    const { fn, n } = checkUpvalue(L, base, nargs, 1, false);
    const uv = (fn as LuaClosure).upvals[n];
    let id = upvalueIds.get(uv);
    if (id === undefined) upvalueIds.set(uv, (id = new LuaUserdata()));
    return ret1(L, base, id);
  });
  plain("upvaluejoin", (L, base, nargs) => {
    const a = checkUpvalue(L, base, nargs, 1, true);
    const b = checkUpvalue(L, base, nargs, 3, true);
    (a.fn as LuaClosure).upvals[a.n] = (b.fn as LuaClosure).upvals[b.n];
    return 0;
  });
  plain("sethook", (L, base, nargs) => sethook(L, base, nargs, hooks));
  plain("gethook", (L, base) => gethook(L, base, hooks));
  // DIVERGENCE: debug.debug() has no console to read commands from; it returns at once.
  plain("debug", () => 0);
  withSelf("traceback", debugTraceback);
}
