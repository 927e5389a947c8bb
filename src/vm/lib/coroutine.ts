// The coroutine library (the coroutine half of lib_base.c).
import { ERRMSG } from "../../lang/errmsg.ts";
import { coStatus, newCoroutine, resume, yieldNative } from "../coro.ts";
import { LuaError, argError, locationPrefix } from "../errors.ts";
import { NativeFunction } from "../func.ts";
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import { LuaThread } from "../thread.ts";
import { checkFunction, register, ret, ret1 } from "./api.ts";

function checkCoroutine(L: LuaThread, base: number, nargs: number): LuaThread {
  const v = nargs >= 1 ? L.stack[base] : undefined;
  if (!(v instanceof LuaThread)) return argError(L, 1, ERRMSG.NOCORO);
  return v;
}

export function openCoroutine(S: LuaState): void {
  const co = new LuaTable();
  S.globals.setStr("coroutine", co);
  register(co, "coroutine", {
    create: (L, base, nargs) => ret1(L, base, newCoroutine(L, checkFunction(L, base, nargs, 1))),
    resume: (L, base, nargs) => {
      const c = checkCoroutine(L, base, nargs);
      const r = resume(L, c, L.stack.slice(base + 1, base + nargs));
      if (r.ok) return ret(L, base, true, ...r.values);
      return ret(L, base, false, r.error);
    },
    yield: yieldNative,
    status: (L, base, nargs) => ret1(L, base, coStatus(L, checkCoroutine(L, base, nargs))),
    running: (L, base) => ret1(L, base, L === L.state.main ? undefined : L),
    isyieldable: (L, base) => ret1(L, base, L !== L.state.main && L.state.cCalls === L.cCallsAtResume),
    wrap: (L, base, nargs) => {
      const c = newCoroutine(L, checkFunction(L, base, nargs, 1));
      const wrapped = new NativeFunction("coroutine.wrap_aux", (L2, b2, n2) => {
        const r = resume(L2, c, L2.stack.slice(b2, b2 + n2));
        if (r.ok) return ret(L2, b2, ...r.values);
        // The error goes on in the caller; a message gets the caller's position too.
        const e = r.error;
        throw new LuaError(typeof e === "string" && !L2.nativeFromJs ? locationPrefix(L2) + e : e);
      });
      wrapped.upvalue = c;
      return ret1(L, base, wrapped);
    },
  });
}
