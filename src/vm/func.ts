// Functions and upvalues (GCfunc, GCupval in lj_obj.h): Lua closures over a
// Proto, and native functions standing in for LuaJIT's C library functions.
import { ffRange } from "./lib/ffid.ts";
import type { Proto } from "../bc/proto.ts";
import type { LuaTable } from "./table.ts";
import { MemSize, meter } from "./gc.ts";
import type { LuaObject, LuaValue } from "./value.ts";
import type { LuaThread } from "./thread.ts";

/**
 * An upvalue: open while it aliases a live stack slot (`stack[idx]`), closed
 * once that slot's scope ends (`stack` becomes null and `value` holds it).
 */
export class Upval {
  stack: LuaValue[] | null;
  idx: number;
  value: LuaValue = undefined;
  /** Next open upvalue of the same thread, higher slots first. */
  nextOpen: Upval | null = null;
  /**
   * The variable is never assigned after its declaration (PROTO_UV_IMMUTABLE
   * of the closure that last found it, as lj_func_newL_gc sets it): the
   * recorder may take its value as a constant.
   */
  immutable = false;

  constructor(stack: LuaValue[] | null, idx: number) {
    this.stack = stack;
    this.idx = idx;
  }

  get(): LuaValue {
    return this.stack !== null ? this.stack[this.idx] : this.value;
  }

  set(v: LuaValue): void {
    if (this.stack !== null) this.stack[this.idx] = v;
    else this.value = v;
  }

  close(): void {
    if (this.stack !== null) {
      this.value = this.stack[this.idx];
      this.stack = null;
    }
  }

  static closed(v: LuaValue): Upval {
    const uv = new Upval(null, 0);
    uv.value = v;
    return uv;
  }
}

export class LuaClosure implements LuaObject {
  readonly luaType = "function";
  /** True on every Lua closure (a prototype mark, as LuaTable.isLuaTable). */
  declare readonly isLuaClosure: true;
  readonly proto: Proto;
  readonly upvals: Upval[];
  /** Function environment (getfenv/setfenv); globals lookups go here. */
  env: LuaTable;

  constructor(proto: Proto, upvals: Upval[], env: LuaTable) {
    this.proto = proto;
    this.upvals = upvals;
    this.env = env;
    if (proto.closures < 7) proto.closures++;
    meter.total += MemSize.CLOSURE + MemSize.SLOT * upvals.length;
  }
}

/**
 * A native function. Arguments are `L.stack[base .. base+nargs-1]`; it writes
 * its results to `L.stack[base ..]` and returns how many there are.
 */
export type NativeFn = (L: LuaThread, base: number, nargs: number) => number;

/**
 * LuaJIT's fast functions written in assembler (LJLIB_ASM in lib_*.c). They
 * run in the caller's frame; every other library function is a C function,
 * called only with LUA_MINSTACK free slots above its arguments.
 */
const ASM_FUNCTIONS = new Set([
  "assert", "type", "next", "pairs", "ipairs_aux", "ipairs", "getmetatable", "setmetatable", "rawget",
  "tonumber", "tostring", "pcall", "xpcall", "coroutine.yield", "coroutine.resume", "coroutine.wrap_aux",
  "string.byte", "string.char", "string.sub", "string.reverse", "string.lower", "string.upper",
  ...ffRange("math.abs", "math.max"), ...ffRange("bit.tobit", "bit.bxor"),
]);

/**
 * Library functions that call no Lua code (no metamethods, no callbacks) and
 * read no stack slot but their arguments: compiled trace code keeps its
 * caller's other slots in JS locals across a call of one.
 */
const LEAF_FUNCTIONS = new Set([
  "type", "next", "ipairs_aux", "rawget", "rawset", "rawequal", "tonumber", "select", "unpack",
  "string.byte", "string.char", "string.sub", "string.reverse", "string.lower", "string.upper", "string.rep",
  "table.insert", "table.concat", "table.new", "table.clear",
  ...ffRange("math.abs", "math.randomseed"), ...ffRange("bit.tobit", "bit.tohex"),
]);

export class NativeFunction implements LuaObject {
  readonly luaType = "function";
  /** True on every builtin (a prototype mark, as LuaTable.isLuaTable). */
  declare readonly isNativeFunction: true;
  /** Name as LuaJIT's fast-function table knows it, e.g. "print", "string.sub". */
  readonly name: string;
  readonly fn: NativeFn;
  /** Free slots it needs above its arguments: LUA_MINSTACK (20) for a C function, 0 for a fast function. */
  readonly minStack: number;
  /** Environment for getfenv, as C functions have one too. */
  env: LuaTable | undefined;
  /** A Lua value the JS closure keeps (a C function's upvalue, e.g. coroutine.wrap's coroutine), for the heap count. */
  upvalue: LuaValue = undefined;
  /** It reads or writes the slots of Lua frames (debug.getlocal/setlocal): compiled code leaves it to the interpreter. */
  readsFrames = false;
  /** One of LEAF_FUNCTIONS. */
  readonly leaf: boolean;

  constructor(name: string, fn: NativeFn) {
    this.name = name;
    this.fn = fn;
    this.minStack = ASM_FUNCTIONS.has(name) ? 0 : 20;
    this.leaf = LEAF_FUNCTIONS.has(name);
  }
}

export type LuaFunction = LuaClosure | NativeFunction;

export function isFunction(v: LuaValue): v is LuaFunction {
  return typeof v === "object" && (v as LuaObject).luaType === "function";
}

// Prototype marks that generated code tests instead of instanceof (see LuaTable.isLuaTable).
Object.defineProperty(LuaClosure.prototype, "isLuaClosure", { value: true });
Object.defineProperty(NativeFunction.prototype, "isNativeFunction", { value: true });
