// Function environments (getfenv/setfenv in lib_base.c): Lua closures carry
// their own; natives see the running thread's (L->env), which setfenv(0, t) sets.
import { ERRMSG } from "../../lang/errmsg.ts";
import { argError, runtimeError } from "../errors.ts";
import { LuaClosure, NativeFunction, isFunction, type LuaFunction } from "../func.ts";
import type { LuaState } from "../state.ts";
import type { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { arg, checkInt, checkTable, optInt, ret1 } from "./api.ts";
import { stackLevels } from "./frames.ts";

/**
 * Environments set with setfenv(0, t), per thread. DIVERGENCE: only load,
 * getfenv and print use it (LuaJIT's require and new coroutines read L->env too).
 */
const threadEnvs = new WeakMap<LuaThread, LuaTable>();

/** The thread's environment (L->env): the globals unless setfenv(0, t) changed it. */
export function threadEnv(L: LuaThread): LuaTable {
  return threadEnvs.get(L) ?? L.state.globals;
}

/** The function at stack level `level` of the caller of native `self`, or an "invalid level" error. */
function functionAtLevel(L: LuaThread, self: NativeFunction, level: number): LuaFunction {
  if (level < 0) argError(L, 1, ERRMSG.INVLVL);
  const lvl = stackLevels(L, self)[level];
  if (lvl === undefined) return argError(L, 1, ERRMSG.INVLVL);
  return lvl.fn;
}

function getfenv(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const a = arg(L, base, nargs, 1);
  const fn = isFunction(a) ? a : functionAtLevel(L, self, optInt(L, base, nargs, 1, 1));
  return ret1(L, base, fn instanceof LuaClosure ? fn.env : threadEnv(L));
}

function setfenv(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const t = checkTable(L, base, nargs, 2);
  const a = arg(L, base, nargs, 1);
  let fn: LuaFunction;
  if (isFunction(a)) {
    fn = a;
  } else {
    const level = checkInt(L, base, nargs, 1);
    if (level === 0) {
      threadEnvs.set(L, t);
      return 0;
    }
    fn = functionAtLevel(L, self, level);
  }
  if (!(fn instanceof LuaClosure)) runtimeError(L, ERRMSG.SETFENV);
  fn.env = t;
  return ret1(L, base, fn);
}

export function openFenv(S: LuaState): void {
  const getfenvFn: NativeFunction = new NativeFunction("getfenv", (L, base, nargs) => getfenv(L, base, nargs, getfenvFn));
  const setfenvFn: NativeFunction = new NativeFunction("setfenv", (L, base, nargs) => setfenv(L, base, nargs, setfenvFn));
  S.globals.setStr("getfenv", getfenvFn);
  S.globals.setStr("setfenv", setfenvFn);
}

/** debug.setfenv(thread, t): the thread's environment from now on. */
export function setThreadEnv(L: LuaThread, t: LuaTable): void {
  threadEnvs.set(L, t);
}
