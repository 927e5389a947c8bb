// Function prototypes as the compiler produces them: LuaJIT's GCproto minus
// the memory layout (lj_obj.h). Lua strings are JS strings of byte values
// 0..255 ("binary strings"), so #s and string.byte are direct.

/** Prototype flags (PROTO_* in lj_obj.h). */
export const PROTO_CHILD = 0x01;
export const PROTO_VARARG = 0x02;
export const PROTO_FFI = 0x04;
export const PROTO_NOJIT = 0x08;
export const PROTO_ILOOP = 0x10;

/** Upvalue descriptor bits: the upvalue refers to a local slot of the parent. */
export const PROTO_UV_LOCAL = 0x8000;
/** The captured local is never assigned after its declaration. */
export const PROTO_UV_IMMUTABLE = 0x4000;

/**
 * A constant table for TDUP. LuaJIT builds it with lj_tab_set while parsing, so
 * its node layout depends on the order of stores: keep them, to replay them.
 */
export interface TemplateTable {
  kind: "template";
  /** Array slots (0..asize-1) and hash bits the template was created with. */
  asize: number;
  hbits: number;
  /** Stores in source order; value undefined = nil that keeps its key (LuaJIT's nil marker). */
  sets: [KValue, KValue | undefined][];
  /** Minimum array size after construction (LuaJIT resizes the array part to this). */
  minAsize: number;
}

/** A primitive constant value as stored in a template table. */
export type KValue = null | boolean | number | string;

/** A GC constant: string, child prototype or TDUP template. */
export type KGC = string | Proto | TemplateTable;

/** Debug info for a local variable: live for startpc <= pc < endpc. */
export interface VarInfo {
  name: string;
  startpc: number;
  endpc: number;
}

export interface Proto {
  kind: "proto";
  /** Raw chunk name as LuaJIT keeps it: "@file.lua", "=stdin" or the source text. */
  chunkname: string;
  /** Line of the `function` keyword (0 for the main chunk). */
  firstline: number;
  /** lastlinedefined - firstline. */
  numline: number;
  numparams: number;
  framesize: number;
  flags: number;
  /** Instruction words; bc[0] is the FUNCF/FUNCV header. */
  bc: Uint32Array;
  /** Source line of each instruction (absolute). */
  lineinfo: Int32Array;
  /** Number constants, by D operand. */
  knum: number[];
  /** GC constants, by D operand (LuaJIT stores them at negative indices). */
  kgc: KGC[];
  /** Upvalue descriptors: parent slot | PROTO_UV_LOCAL, or parent upvalue index. */
  uv: number[];
  uvnames: string[];
  varinfo: VarInfo[];
  /** Filled in lazily by the VM: table hashes of the string constants (index as kgc). */
  khash?: Int32Array;
  /** Hot counters of the JIT simulation, per instruction (created when first needed). */
  hotcount?: Int32Array;
  /**
   * Filled in lazily by the VM: the prototype compiled to JS (src/vm/jsgen),
   * null if it stays interpreted; reset when its bytecode is patched.
   */
  jsfn?: ((...args: never[]) => number) | null;
  /**
   * Closures created from this prototype so far, saturating at 7 (the 3-bit
   * PROTO_CLCOUNT counter in LuaJIT's flags): from 3 on, the recorder treats
   * calls of it as polymorphic and guards the prototype, not the closure.
   */
  closures: number;
}

export function isProto(k: unknown): k is Proto {
  return typeof k === "object" && k !== null && (k as Proto).kind === "proto";
}

/** "chunk:firstline", the name LuaJIT's tools use for a prototype. */
export function protoLoc(pt: Proto): string {
  return `${shortSrc(pt.chunkname, pt.firstline)}:${pt.firstline}`;
}

/** LUA_IDSIZE in luaconf.h: the size of a short source name including its NUL. */
export const LUA_IDSIZE = 60;

/**
 * The short source name used in messages and listings (lj_debug_shortname):
 * "@file" -> file (or "..." + its tail), "=name" -> name, source text -> [string "..."].
 */
export function shortSrc(chunkname: string, firstline = 0): string {
  if (chunkname.startsWith("=")) return chunkname.slice(1, LUA_IDSIZE);
  if (chunkname.startsWith("@")) {
    const file = chunkname.slice(1);
    return file.length >= LUA_IDSIZE ? "..." + file.slice(file.length - (LUA_IDSIZE - 4)) : file;
  }
  let len = 0;
  while (len < LUA_IDSIZE - 12 && len < chunkname.length && chunkname.charCodeAt(len) >= 32) len++;
  const builtin = firstline === -1;
  const open = builtin ? "[builtin:" : '[string "';
  const close = builtin ? "]" : '"]';
  if (len < chunkname.length) {
    return open + chunkname.slice(0, Math.min(len, LUA_IDSIZE - 15)) + "..." + close;
  }
  return open + chunkname + close;
}
