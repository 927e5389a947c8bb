// Stack levels as LuaJIT's debug API counts them (lj_debug_frame, lua_getstack):
// our natives push no frames, so the native levels between Lua frames are
// inferred from the call instruction each Lua frame is executing.
import { bcA, bcOp } from "../../bc/ins.ts";
import { Op } from "../../bc/opcodes.ts";
import { shortSrc } from "../../bc/proto.ts";
import { calleeName, currentLine, type SlotName } from "../debuginfo.ts";
import { LuaClosure, NativeFunction, type LuaFunction } from "../func.ts";
import { pcallMarker, xpcallMarker } from "../interp.ts";
import { FrameKind, type LuaThread } from "../thread.ts";

export interface StackLevel {
  fn: LuaFunction;
  /** Lua frames: depth in L.frames; natives: -1. */
  depth: number;
  /** The Lua frame whose current instruction called fn (it names fn), or -1 if native code did. */
  callerDepth: number;
}

/**
 * The C function below the main chunk (luajit.c's pmain), shown as
 * "[C]: at 0x..." at the bottom of every main-thread traceback.
 */
export const C_ENTRY = new NativeFunction("pmain", () => 0);

/** The native that Lua frame d is calling right now, and whether by a tail call. */
function nativeCalledAt(L: LuaThread, d: number): { fn: NativeFunction; tail: boolean } | null {
  const ci = L.frames[d];
  const cl = ci.closure;
  if (cl === null) return null;
  const pc = ci.pc - 1;
  const bc = cl.proto.bc;
  if (pc < 0 || pc >= bc.length) return null;
  const ins = bc[pc];
  const op = bcOp(ins);
  if (op !== Op.CALL && op !== Op.CALLM && op !== Op.CALLT && op !== Op.CALLMT && op !== Op.ITERC) return null;
  // While a native runs, its function stays in the call slot (pcall/xpcall leave the called function there).
  const fn = L.stack[ci.base + bcA(ins)];
  if (!(fn instanceof NativeFunction)) return null;
  return { fn, tail: op === Op.CALLT || op === Op.CALLMT };
}

/**
 * All levels of thread L, innermost first (index = level). `self` is the
 * native asking (level 0 is then that native), or null when nothing runs
 * (an uncaught error, another coroutine).
 */
export function stackLevels(L: LuaThread, self: NativeFunction | null): StackLevel[] {
  const levels: StackLevel[] = [];
  // A native called by frame d: a tail call replaces frame d, as in LuaJIT.
  const pushNative = (fn: NativeFunction, d: number, tail: boolean): void => {
    let callerDepth = d;
    if (tail && levels.length > 0 && levels[levels.length - 1].depth === d) callerDepth = levels.pop()!.callerDepth;
    levels.push({ fn, depth: -1, callerDepth });
  };
  if (L === L.state.main) levels.push({ fn: C_ENTRY, depth: -1, callerDepth: -1 });
  for (let d = 1; d <= L.depth; d++) {
    const ci = L.frames[d];
    if (ci.closure === null) continue;
    let callerDepth = -1;
    if (d > 1) {
      const below = nativeCalledAt(L, d - 1);
      if (ci.kind === FrameKind.PCALL || ci.kind === FrameKind.XPCALL) {
        // pcall/xpcall from bytecode: a frame of the called function, pcall itself between.
        pushNative(ci.kind === FrameKind.PCALL ? pcallMarker : xpcallMarker, d - 1, isTailCall(L, d - 1));
      } else if (below !== null) {
        pushNative(below.fn, d - 1, below.tail);
      } else {
        callerDepth = d - 1;
      }
    }
    levels.push({ fn: ci.closure, depth: d, callerDepth });
  }
  const top = L.depth >= 1 ? nativeCalledAt(L, L.depth) : null;
  if (self !== null && L.nativeFromJs) {
    if (top !== null) pushNative(top.fn, L.depth, top.tail);
    levels.push({ fn: self, depth: -1, callerDepth: -1 });
  } else if (top !== null) {
    pushNative(top.fn, L.depth, top.tail);
  } else if (self !== null) {
    levels.push({ fn: self, depth: -1, callerDepth: -1 });
  }
  return levels.reverse();
}

function isTailCall(L: LuaThread, d: number): boolean {
  const ci = L.frames[d];
  if (ci.closure === null || ci.pc < 1) return false;
  const op = bcOp(ci.closure.proto.bc[ci.pc - 1]);
  return op === Op.CALLT || op === Op.CALLMT;
}

/** How the caller of a level names it ("global 'f'", "method 'm'"...), or null. */
export function levelName(L: LuaThread, lvl: StackLevel): SlotName | null {
  return lvl.callerDepth < 0 ? null : calleeName(L.frames[lvl.callerDepth]);
}

/** The line a Lua level is executing, or -1 (natives). */
export function levelLine(L: LuaThread, lvl: StackLevel): number {
  if (lvl.depth < 0) return -1;
  const ci = L.frames[lvl.depth];
  return currentLine((ci.closure as LuaClosure).proto, ci.pc - 1);
}

/** luaL_where (lj_debug_addloc): "chunk:line: " for a Lua level with a known line (0 in a stripped builtin), else "". */
export function levelWhere(L: LuaThread, lvl: StackLevel | undefined): string {
  if (lvl === undefined || !(lvl.fn instanceof LuaClosure)) return "";
  const line = levelLine(L, lvl);
  return line >= 0 ? `${shortSrc(lvl.fn.proto.chunkname, lvl.fn.proto.firstline)}:${line}: ` : "";
}
