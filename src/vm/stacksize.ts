// The size LuaJIT's stack has grown to (lj_state.c: stack_init, resizestack,
// lj_state_growstack, lj_state_shrinkstack). ljscope's stack array grows as
// JS needs, but LuaJIT's size matters to hot counting: a function header
// whose frame does not fit grows the stack and then runs again
// (vm_growstack_f retries the call), so its FUNCF takes one more count off
// the function's hot counter for each growth. A collection shrinks a stack
// that is mostly unused, and the next deep call grows it again.
import { LJ_STACK_EXTRA, LJ_STACK_MAX, LUA_MINSTACK, type LuaThread } from "./thread.ts";

/** LJ_STACK_MAXEX: a larger stack is the one an overflow error's handler runs on. */
const STACK_MAXEX = LJ_STACK_MAX + 1 + LJ_STACK_EXTRA;
/** 2 * (LJ_STACK_START + LJ_STACK_EXTRA): a stack is not shrunk below about its starting size. */
const SHRINK_ABOVE = 2 * (2 * LUA_MINSTACK + LJ_STACK_EXTRA);

/** resizestack: n usable slots. */
function resize(L: LuaThread, n: number): void {
  L.stackSize = n + 1 + LJ_STACK_EXTRA;
  L.stackLimit = n;
}

/**
 * Grow the stack until `top` fits, `need` slots at a time as
 * lj_state_growstack does (at least doubling). Returns how many times it
 * grew. A request past LJ_STACK_MAX is left to the caller's overflow check.
 */
export function growStackFor(L: LuaThread, top: number, need: number): number {
  let grown = 0;
  while (top > L.stackLimit) {
    let n = L.stackSize + need;
    if (n >= LJ_STACK_MAX) break;
    if (n < 2 * L.stackSize) n = Math.min(2 * L.stackSize, LJ_STACK_MAX);
    resize(L, n);
    grown++;
  }
  return grown;
}

/**
 * lj_state_shrinkstack after a collection traversed the thread: `used` is
 * the highest slot its frames may use (gc_traverse_frames).
 */
export function shrinkStack(L: LuaThread, used: number): void {
  if (L.stackSize > STACK_MAXEX) return;
  if (4 * Math.min(used, L.stackLimit) < L.stackSize && SHRINK_ABOVE < L.stackSize) resize(L, L.stackSize >> 1);
}

/** gc_traverse_frames: the top of the highest frame (a Lua frame's base + framesize) or L.top. */
export function usedSlots(L: LuaThread): number {
  let top = L.top;
  for (let d = 1; d <= L.depth; d++) {
    const ci = L.frames[d];
    if (ci.closure !== null) top = Math.max(top, ci.base + ci.closure.proto.framesize);
  }
  return top;
}
