// The jit library (lib_jit.c): jit.on/off/flush/status/attach/security,
// jit.opt.start and the version fields. Engine state lives in S.jitConfig;
// changes go to the JIT simulator's hooks (S.jit) when one is attached.
import { formatMessage, ERRMSG } from "../../lang/errmsg.ts";
import { argTypeError, runtimeError } from "../errors.ts";
import { LuaClosure, isFunction } from "../func.ts";
import type { JitTarget } from "../jithooks.ts";
import {
  JIT_CPU_FEATURES, JIT_F_CPU, JIT_F_ON, JIT_F_OPT, JIT_F_OPT_DEFAULT, JIT_F_OPT_MASK, JIT_OPT_FLAGS, applyJitOpt,
} from "../jitparams.ts";
import type { LuaState } from "../state.ts";
import { LuaTable, hsizeToHbits } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { arg, checkFunction, checkInt, checkOption, checkString, optString, register, ret1 } from "./api.ts";
import { openJitUtil } from "./jitutil.ts";
import { preload, registerLoaded } from "./package.ts";

/** LUAJIT_VERSION of each simulated build (what `luajit -v` and jit.version show). */
export const LUAJIT_VERSIONS = {
  fixed: "LuaJIT 2.1.1741558142",
  "prefix-assert": "LuaJIT 2.1.1741552097",
  "prefix-release": "LuaJIT 2.1.1741552097",
} as const;
export type JitBuild = keyof typeof LUAJIT_VERSIONS;

/** LUAJIT_VERSION_NUM (deprecated, the same for all v2.1 builds). */
const LUAJIT_VERSION_NUM = 20199;

type ModeOp = "on" | "off" | "flush";

/** jit.on/off/flush([nil] | fn|true [, recursive]) (setjitmode). */
function setJitMode(L: LuaThread, base: number, nargs: number, op: ModeOp): number {
  const S = L.state;
  const a1 = arg(L, base, nargs, 1);
  let target: JitTarget;
  if (a1 === undefined) {
    target = { kind: "engine", wasOn: (S.jitConfig.flags & JIT_F_ON) !== 0 };
    if (op === "on") S.jitConfig.flags |= JIT_F_ON;
    else if (op === "off") S.jitConfig.flags &= ~JIT_F_ON;
  } else {
    if (!isFunction(a1) && a1 !== true) return argTypeError(L, 1, "function", a1, true);
    // `true` means the calling Lua function (frame_prev of the native's frame).
    const fn = a1 === true ? L.ci.closure : a1;
    if (!(fn instanceof LuaClosure)) return argTypeError(L, 1, "function", a1, true);
    const a2 = arg(L, base, nargs, 2);
    const scope = typeof a2 === "boolean" ? (a2 ? "allfunc" : "allsubfunc") : "func";
    target = { kind: "proto", proto: fn.proto, scope };
  }
  const hooks = S.jit;
  if (hooks) hooks[op](target);
  return 0;
}

function jitFlush(L: LuaThread, base: number, nargs: number): number {
  if (nargs >= 1 && typeof L.stack[base] === "number") {
    const traceno = checkInt(L, base, nargs, 1);
    L.state.jit?.flushTrace(traceno);
    return 0;
  }
  return setJitMode(L, base, nargs, "flush");
}

/** true/false for JIT_F_ON, then a string for every CPU feature and optimisation flag set. */
function jitStatus(L: LuaThread, base: number): number {
  const flags = L.state.jitConfig.flags;
  const out: (boolean | string)[] = [(flags & JIT_F_ON) !== 0];
  JIT_CPU_FEATURES.forEach((name, i) => { if (flags & (JIT_F_CPU << i)) out.push(name); });
  JIT_OPT_FLAGS.forEach((name, i) => { if (flags & (JIT_F_OPT << i)) out.push(name); });
  L.ensureStack(base + out.length + 1);
  for (let i = 0; i < out.length; i++) L.stack[base + i] = out[i];
  return out.length;
}

/** jit.attach(fn [, event]): register fn for an event, or detach it from all of them. */
function jitAttach(L: LuaThread, base: number, nargs: number): number {
  const fn = checkFunction(L, base, nargs, 1);
  const event = arg(L, base, nargs, 2) === undefined ? undefined : optString(L, base, nargs, 2, "");
  const handlers = L.state.jitConfig.handlers;
  if (event !== undefined) {
    handlers.set(event, fn);
    if (event === "trace") L.state.jitConfig.traceHandlerReplaced = true;
  } else {
    for (const [name, h] of handlers) if (h === fn) handlers.delete(name);
  }
  L.state.jit?.attach?.(fn, event);
  return 0;
}

/** jit.opt.start(...): no arguments restore the default flags; each argument is applied in turn. */
function optStart(L: LuaThread, base: number, nargs: number): number {
  const S = L.state;
  const config = S.jitConfig;
  const applied: string[] = [];
  try {
    if (nargs === 0) {
      config.flags = (config.flags & ~JIT_F_OPT_MASK) | JIT_F_OPT_DEFAULT;
    }
    for (let i = 1; i <= nargs; i++) {
      const s = checkString(L, base, nargs, i);
      if (!applyJitOpt(config, s)) runtimeError(L, formatMessage(ERRMSG.JITOPT, s.split("\0", 1)[0]));
      applied.push(s);
    }
  } finally {
    S.jit?.optStart(applied);
  }
  return 0;
}

/** Security settings of the default build (LJ_SECURITY_MODE): all four are 1. */
const SECURITY_MODES = ["prng", "strhash", "strid", "mcode"];

export function openJit(S: LuaState, build: JitBuild = "fixed"): void {
  // Sizes as lj_libdef.h has them, so that pairs() sees LuaJIT's order.
  const jit = new LuaTable(0, hsizeToHbits(10));
  S.globals.setStr("jit", jit);
  register(jit, "jit", {
    on: (L, base, nargs) => setJitMode(L, base, nargs, "on"),
    off: (L, base, nargs) => setJitMode(L, base, nargs, "off"),
    flush: jitFlush,
    status: jitStatus,
    security: (L, base, nargs) => {
      checkOption(L, base, nargs, 1, SECURITY_MODES, -1);
      return ret1(L, base, 1);
    },
    attach: jitAttach,
  });
  jit.setStr("os", "Linux");
  jit.setStr("arch", "x64");
  jit.setStr("version_num", LUAJIT_VERSION_NUM);
  jit.setStr("version", LUAJIT_VERSIONS[build]);
  const opt = new LuaTable(0, hsizeToHbits(1));
  register(opt, "jit.opt", { start: optStart });
  jit.setStr("opt", opt);
  registerLoaded(S, "jit", jit);
  registerLoaded(S, "jit.opt", opt);
  preload(S, "jit.util", openJitUtil);
}
