// Coroutine switching (lj_state.c, the resume/yield paths of lj_vm): a
// coroutine is a LuaThread with its own frames, run by its own execute();
// a yield returns from that execute and leaves the frames in place.
import { ERRMSG } from "../lang/errmsg.ts";
import { LuaError, LuaHalt, runtimeError } from "./errors.ts";
import { LuaClosure, NativeFunction, type LuaFunction } from "./func.ts";
import { TAILRET, execute, pushLuaFrame, returnFrom } from "./interp.ts";
import { FrameKind, LuaThread } from "./thread.ts";
import type { LuaValue } from "./value.ts";

/**
 * Where a coroutine's body is called: above the thread and FR2 slots that
 * begin every LuaJIT stack, so frames (and "stack overflow") sit where LuaJIT's do.
 * Its results, and the values of a native body, end up here too.
 */
const CO_BASE = 2;

export function newCoroutine(L: LuaThread, fn: LuaFunction): LuaThread {
  const co = new LuaThread(L.state, 64);
  co.startFn = fn;
  co.status = "suspended";
  return co;
}

/** coroutine.status as LuaJIT reports it. */
export function coStatus(L: LuaThread, co: LuaThread): string {
  if (co === L) return "running";
  return co.status;
}

export type ResumeResult = { ok: true; values: LuaValue[] } | { ok: false; error: LuaValue };

/** Resume co with args; errors inside it come back as {ok: false}. */
export function resume(L: LuaThread, co: LuaThread, args: LuaValue[]): ResumeResult {
  if (co.status === "dead") return { ok: false, error: ERRMSG.CODEAD };
  if (co.status !== "suspended" || co === L) return { ok: false, error: ERRMSG.CORUN };
  const S = L.state;
  co.status = "running";
  co.resumer = L;
  L.status = "normal";
  S.current = co;
  co.cCallsAtResume = S.cCalls;
  S.jit?.threadSwitched?.();
  try {
    if (co.startFn !== null) start(co, co.startFn, args);
    else if (deliver(co, args)) execute(co, 1);
    if ((co.status as string) === "suspended") {
      const values = co.yieldValues;
      co.yieldValues = [];
      return { ok: true, values };
    }
    co.status = "dead";
    return { ok: true, values: co.stack.slice(CO_BASE, co.top) };
  } catch (e) {
    if (e instanceof LuaHalt || !(e instanceof LuaError)) throw e;
    co.status = "dead";
    return { ok: false, error: e.value };
  } finally {
    S.current = L;
    L.status = "running";
    S.jit?.threadSwitched?.();
  }
}

/** First resume: call the body with the arguments. */
function start(co: LuaThread, fn: LuaFunction, args: LuaValue[]): void {
  co.startFn = null;
  co.ensureStack(CO_BASE + args.length + 8);
  const stack = co.stack;
  stack[CO_BASE] = fn;
  stack[CO_BASE + 1] = undefined;
  for (let i = 0; i < args.length; i++) stack[CO_BASE + 2 + i] = args[i];
  if (fn instanceof LuaClosure) {
    pushLuaFrame(co, fn, CO_BASE, args.length, -1, FrameKind.LUA).fromNative = true;
    execute(co, 1);
    return;
  }
  co.top = CO_BASE + 2 + args.length;
  co.nativeFromJs = true;
  const n = (fn as NativeFunction).fn(co, CO_BASE + 2, args.length);
  if (n < 0) {
    co.pendingCall = -1; // a native body that yields ends when resumed
    return;
  }
  for (let i = 0; i < n; i++) stack[CO_BASE + i] = stack[CO_BASE + 2 + i];
  co.top = CO_BASE + n;
}

/**
 * Put resume's arguments where the suspended yield call wants its results.
 * False if that finished the coroutine (its body was the yielding call).
 */
function deliver(co: LuaThread, args: LuaValue[]): boolean {
  const fidx = co.pendingCall;
  const stack = co.stack;
  if (fidx < 0) {
    co.ensureStack(CO_BASE + args.length + 1);
    for (let i = 0; i < args.length; i++) stack[CO_BASE + i] = args[i];
    co.top = CO_BASE + args.length;
    return false;
  }
  co.ensureStack(fidx + args.length + 5);
  // pcall(coroutine.yield, ...) returns true before what resume passed.
  const lead = co.pendingPcall ? 1 : 0;
  if (lead === 1) co.stack[fidx] = true;
  co.pendingPcall = false;
  for (let i = 0; i < args.length; i++) co.stack[fidx + lead + i] = args[i];
  let n = args.length + lead;
  const want = co.pendingResults;
  co.pendingCall = -1;
  if (want === TAILRET) {
    // `return coroutine.yield(...)`: the frame returns what resume passed.
    // returnFrom leaves co.multres set.
    return !returnFrom(co, co.frames[co.depth], fidx, n, 1);
  }
  if (want >= 0) {
    for (let i = n; i < want; i++) co.stack[fidx + i] = undefined;
    n = want;
  }
  co.multres = n;
  const ci = co.frames[co.depth];
  co.top = ci.closure !== null ? ci.base + ci.closure.proto.framesize : fidx + n;
  return true;
}

/** coroutine.yield: only from a coroutine's own bytecode, with no JS-level call in between. */
export function yieldNative(L: LuaThread, base: number, nargs: number): number {
  if (L === L.state.main || L.nativeFromJs || L.state.cCalls !== L.cCallsAtResume) {
    runtimeError(L, ERRMSG.CYIELD);
  }
  L.yieldValues = L.stack.slice(base, base + nargs);
  L.status = "suspended";
  return -1;
}

export { NativeFunction };
