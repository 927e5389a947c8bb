// What the JS a prototype compiles to may call: the interpreter's own
// helpers, handed over as one object so that src/vm/jsgen never imports the
// interpreter (the interpreter imports the compiler).
import type { Proto } from "../../bc/proto.ts";
import type { LuaValue } from "../value.ts";
import type { CallInfo, FrameKind, LuaThread } from "../thread.ts";
import type { LuaClosure, NativeFunction } from "../func.ts";
import type { LuaTable } from "../table.ts";
import type * as meta from "../meta.ts";

export interface JsRuntime {
  LuaTable: typeof LuaTable;
  LuaClosure: typeof LuaClosure;
  NativeFunction: typeof NativeFunction;
  meta: typeof meta;
  iterOut: { key: LuaValue; val: LuaValue };
  pcallMarker: NativeFunction;
  xpcallMarker: NativeFunction;
  luaMod(a: number, b: number): number;
  luaPow(x: number, y: number): number;
  toInt32(x: number): number;
  isFunction(v: LuaValue): boolean;
  pushLuaFrame(L: LuaThread, cl: LuaClosure, fidx: number, nargs: number, nresults: number, kind: FrameKind): CallInfo;
  tailCall(L: LuaThread, ci: CallInfo, cl: LuaClosure, fidx: number, nargs: number): void;
  returnFrom(L: LuaThread, ci: CallInfo, src: number, n: number, entryDepth: number): boolean;
  finishNative(L: LuaThread, fidx: number, src: number, n: number, nresults: number): void;
  stackOverflow(L: LuaThread, top: number, located: boolean): never;
  nativeStack(L: LuaThread, fn: NativeFunction): void;
  closeUpvals(L: LuaThread, level: number): void;
  newClosure(L: LuaThread, parent: LuaClosure, base: number, child: Proto): LuaClosure;
  compareSlow(L: LuaThread, ci: CallInfo, pc: number, x: LuaValue, y: LuaValue, op: number): boolean;
  forEnters(L: LuaThread, ci: CallInfo, pc: number, stack: LuaValue[], ra: number): boolean;
  despecialize(L: LuaThread, pt: Proto, isnextPc: number, ins: number): void;
  /** pt's compiled function (compiled on first use), or null if it stays interpreted. */
  compiledFor(pt: Proto): CompiledProto | null;
}

/**
 * A prototype's compiled code: runs the frame ci from ci.pc until the frame
 * changes or the interpreter must take over. Returns a JsExit.
 */
export type CompiledProto = (L: LuaThread, ci: CallInfo, entryDepth: number) => number;

/** How compiled code hands back to the interpreter's driver loop. */
export const enum JsExit {
  /** A call pushed a frame or a return popped one: run the new top frame. */
  frameChanged = 0,
  /** Interpret this frame from ci.pc (an op compiled code leaves to the interpreter, or recording began). */
  interpret = 1,
  /** The entry frame returned, or a native yielded: the run is over. */
  done = 2,
  /** A tick slice ran out at a loop back-edge: return from the run to be called again. */
  slice = 3,
}
