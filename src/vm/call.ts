// Calls from JS into Lua (lua_call in lj_api.c): natives and metamethods
// call functions through here; Lua-to-Lua calls stay inside the interpreter.
import { ERRMSG } from "../lang/errmsg.ts";
import { opTypeError, runtimeError } from "./errors.ts";
import { LuaClosure, NativeFunction } from "./func.ts";
import { execute, nativeStack, pushLuaFrame } from "./interp.ts";
import { H_CALL, metaLookup } from "./meta.ts";
import { FrameKind, type LuaThread } from "./thread.ts";
import type { LuaValue } from "./value.ts";

/**
 * LUAI_MAXCCALLS: nesting of JS-level calls before "stack overflow".
 * DIVERGENCE: metamethods nest here too, where LuaJIT runs them in Lua frames (see docs/divergences.md).
 */
export const MAX_CCALLS = 200;

/**
 * Call stack[fidx] with stack[fidx+2 .. fidx+2+nargs-1] as arguments. Results
 * end up at stack[fidx ..]; returns their number (all of them: callers adjust).
 */
export function callAtIdx(L: LuaThread, fidx: number, nargs: number): number {
  let fn = L.stack[fidx];
  const byPcall = L.pcallNext;
  L.pcallNext = false;
  if (!(fn instanceof LuaClosure) && !(fn instanceof NativeFunction)) {
    // __call: the object becomes the first argument.
    const mo = metaLookup(L, fn, "__call", H_CALL);
    if (mo === undefined) return opTypeError(L, -1, fn, ERRMSG.OPCALL);
    const stack = L.stack;
    L.ensureStack(fidx + 3 + nargs);
    for (let i = fidx + 2 + nargs; i > fidx + 2; i--) stack[i] = stack[i - 1];
    stack[fidx + 2] = fn;
    stack[fidx] = mo;
    nargs++;
    fn = mo;
    if (!(fn instanceof LuaClosure) && !(fn instanceof NativeFunction)) return opTypeError(L, -1, fn, ERRMSG.OPCALL);
  }
  const S = L.state;
  if (S.cCalls >= MAX_CCALLS) runtimeError(L, ERRMSG.STKOV);
  S.cCalls++;
  const savedTop = L.top;
  const savedFromJs = L.nativeFromJs;
  try {
    if (fn instanceof LuaClosure) {
      // Natives the Lua code calls are its own (restored below).
      L.nativeFromJs = false;
      const ci = pushLuaFrame(L, fn, fidx, nargs, -1, FrameKind.LUA);
      ci.fromNative = true;
      ci.byPcall = byPcall;
      execute(L, L.depth);
      return L.top - fidx;
    }
    L.top = fidx + 2 + nargs;
    if (L.top + fn.minStack > L.stackLimit) nativeStack(L, fn);
    L.nativeFromJs = true;
    const n = fn.fn(L, fidx + 2, nargs);
    const stack = L.stack;
    for (let i = 0; i < n; i++) stack[fidx + i] = stack[fidx + 2 + i];
    return n;
  } finally {
    S.cCalls--;
    L.top = savedTop;
    L.nativeFromJs = savedFromJs;
  }
}

/** Call fn(args...) and return its first result. */
export function callValue1(L: LuaThread, fn: LuaValue, a?: LuaValue, b?: LuaValue, c?: LuaValue): LuaValue {
  const fidx = L.top;
  L.ensureStack(fidx + 8);
  const stack = L.stack;
  stack[fidx] = fn;
  stack[fidx + 1] = undefined;
  stack[fidx + 2] = a;
  stack[fidx + 3] = b;
  let nargs = 2;
  if (c !== undefined) {
    stack[fidx + 4] = c;
    nargs = 3;
  }
  const n = callAtIdx(L, fidx, nargs);
  return n > 0 ? stack[fidx] : undefined;
}

/** Call fn with exactly one argument and return its first result (message handlers, loaders). */
export function callWithArg(L: LuaThread, fn: LuaValue, a: LuaValue): LuaValue {
  const fidx = L.top;
  L.ensureStack(fidx + 4);
  const stack = L.stack;
  stack[fidx] = fn;
  stack[fidx + 1] = undefined;
  stack[fidx + 2] = a;
  return callAtIdx(L, fidx, 1) > 0 ? stack[fidx] : undefined;
}

/** Call fn with a list of arguments and return all results. */
export function callValue(L: LuaThread, fn: LuaValue, args: readonly LuaValue[]): LuaValue[] {
  const fidx = L.top;
  L.ensureStack(fidx + 2 + args.length + 1);
  const stack = L.stack;
  stack[fidx] = fn;
  stack[fidx + 1] = undefined;
  for (let i = 0; i < args.length; i++) stack[fidx + 2 + i] = args[i];
  const n = callAtIdx(L, fidx, args.length);
  return stack.slice(fidx, fidx + n);
}
