// A Lua thread (coroutine): its value stack and call frames (lua_State in
// lj_obj.h, frame layout of lj_frame.h with FR2: function at base-2).
import type { LuaClosure, LuaFunction, Upval } from "./func.ts";
import type { LuaObject, LuaValue } from "./value.ts";
import { MemSize, meter } from "./gc.ts";
import type { LuaState } from "./state.ts";

/** LuaJIT's LJ_STACK_MAX: slots a thread's stack may grow to before "stack overflow". */
export const LJ_STACK_MAX = 65500;
/** LUA_MINSTACK: free slots a C function gets above its arguments (checked when it is called). */
export const LUA_MINSTACK = 20;
/**
 * The limit while an error handler runs after a stack overflow (lj_state_growstack
 * resizes to LJ_STACK_MAX + 1 + 2*LUA_MINSTACK: one slot for the message, and
 * room for lj_err_run's check for the handler).
 */
export const LJ_STACK_ERRMAX = LJ_STACK_MAX + 1 + 2 * LUA_MINSTACK;
/** LJ_STACK_EXTRA (GC64): slots kept above L->maxstack for metamethod calls. */
export const LJ_STACK_EXTRA = 5 + 3;
/** A new thread's L->stacksize (LJ_STACK_START + LJ_STACK_EXTRA) and the slot its L->maxstack points at (stack_init). */
const STACK_INIT_SIZE = 2 * LUA_MINSTACK + LJ_STACK_EXTRA;
const STACK_INIT_LIMIT = STACK_INIT_SIZE - LJ_STACK_EXTRA - 1;

export const enum FrameKind {
  /** A Lua function. */
  LUA = 0,
  /** A native function (only while it runs). */
  NATIVE = 1,
  /** The function called by pcall: an error unwinds to here. */
  PCALL = 2,
  /** The function called by xpcall: an error calls the handler first. */
  XPCALL = 3,
}

/** One frame. Objects are pooled per thread: a call reuses the slot's object. */
export class CallInfo {
  kind: FrameKind = FrameKind.LUA;
  func: LuaFunction | null = null;
  /** For Lua frames, the closure (func) with its proto. */
  closure: LuaClosure | null = null;
  /** Times entering this frame grew LuaJIT's stack: its FUNCF ran that many more times (stacksize.ts). */
  regrows = 0;
  /** Stack index of the called function; results are copied here. */
  funcIdx = 0;
  /** Stack index of slot 0. */
  base = 0;
  /** Lua frames: index of the instruction to run next (saved across calls). */
  pc = 0;
  /** Results the caller wants (-1: all). */
  nresults = 0;
  /** Called from a native (or from JS): returning from it goes back to C, not to a Lua frame. */
  fromNative = false;
  /** Called from JS by pcall or xpcall (a protected call nested in another): LuaJIT's frame below is a pcall frame. */
  byPcall = false;
  /** Extra arguments of a vararg call, stored below base. */
  nvarargs = 0;
  /** PCALL/XPCALL frames: values pcall returns first (true), or the xpcall handler. */
  handler: LuaValue = undefined;
}

export type ThreadStatus = "running" | "suspended" | "normal" | "dead";

export class LuaThread implements LuaObject {
  readonly luaType = "thread";
  readonly state: LuaState;
  stack: LuaValue[];
  /** Frames, [0] is the base frame; depth is the index of the current one. */
  readonly frames: CallInfo[] = [new CallInfo()];
  depth = 0;
  /** One past the last live slot, for multiple results and natives. */
  top = 0;
  /** Open upvalues, highest stack index first. */
  openUpvals: Upval | null = null;
  status: ThreadStatus = "suspended";
  /** The function a new coroutine starts with. */
  startFn: LuaFunction | null = null;
  /** The thread that resumed this one. */
  resumer: LuaThread | null = null;
  /** Results of the last call, for an instruction that takes them all (MULTRES). */
  multres = 0;
  /** A suspended coroutine: stack index of the yield call, and the results it wants. */
  pendingCall = -1;
  pendingResults = 0;
  /** The suspended call was pcall(coroutine.yield, ...): its results start with true. */
  pendingPcall = false;
  /** Values passed to coroutine.yield, handed to the resumer. */
  yieldValues: LuaValue[] = [];
  /** state.cCalls when this coroutine was resumed: a yield needs no JS-level call in between. */
  cCallsAtResume = 0;
  /** True while a native runs that was called from JS (pcall, sort...), not from a call instruction. */
  nativeFromJs = false;
  /** Set by a protected call made from JS just before it calls: the callee's frame is marked byPcall. */
  pcallNext = false;
  /**
   * The highest slot a frame may reach (L->maxstack at its largest): LJ_STACK_MAX,
   * or LJ_STACK_ERRMAX from a stack overflow until a pcall catches the error.
   */
  maxstack = LJ_STACK_MAX;
  /** The size LuaJIT's stack has grown to (L->stacksize) and the last slot a frame may use in it (L->maxstack): stacksize.ts. */
  stackSize = STACK_INIT_SIZE;
  stackLimit = STACK_INIT_LIMIT;

  constructor(state: LuaState, size = 256) {
    this.state = state;
    // Pushed, not `new Array(size)`: that would be a holey array, and every
    // load from a holey array checks for the hole.
    const stack: LuaValue[] = [];
    for (let i = 0; i < size; i++) stack.push(undefined);
    this.stack = stack;
    meter.total += MemSize.THREAD + size * MemSize.SLOT;
  }

  /** Make sure stack[0 .. need-1] exist (keeps the array packed). */
  ensureStack(need: number): void {
    const stack = this.stack;
    if (need <= stack.length) return;
    let n = stack.length;
    while (n < need) n *= 2;
    meter.total += (n - stack.length) * MemSize.SLOT;
    for (let i = stack.length; i < n; i++) stack.push(undefined);
  }

  /** The frame object for depth d, allocated on first use. */
  frameAt(d: number): CallInfo {
    let ci = this.frames[d];
    if (ci === undefined) {
      ci = new CallInfo();
      this.frames[d] = ci;
    }
    return ci;
  }

  get ci(): CallInfo {
    return this.frames[this.depth];
  }
}
