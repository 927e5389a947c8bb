// What a full collection would find live (the mark phase of lj_gc.c), in the
// allocation estimate's sizes (MemSize in gc.ts): the memory ceiling is
// checked against this when the charged estimate passes it.
import { isProto, type Proto } from "../bc/proto.ts";
import { MemSize, SHORT_STRING, stringBytes } from "./gc.ts";
import { LuaClosure, NativeFunction } from "./func.ts";
import type { LuaState } from "./state.ts";
import { LuaTable, NodeSlot } from "./table.ts";
import { LuaThread } from "./thread.ts";
import { LuaUserdata } from "./userdata.ts";
import type { LuaValue } from "./value.ts";

/**
 * Strings up to this length are counted once however often they are
 * referenced (LuaJIT interns them); short ones count nothing (see
 * SHORT_STRING). Longer ones are counted per reference: a JS Set hashes
 * them by length only, which would make many of the same length slow to tell apart.
 */
const DEDUP_MAX = 16383;

/** Counts so far: each count marks the tables it reaches with its own number. */
let counts = 0;

/** Estimated bytes reachable from the state's roots. */
export function liveBytes(S: LuaState): number {
  const epoch = ++counts;
  const seen = new Set<object>();
  const strings = new Set<string>();
  const work: object[] = [];
  let bytes = 0;

  const mark = (v: LuaValue): void => {
    if (typeof v === "string") {
      if (v.length <= SHORT_STRING) return;
      if (v.length > DEDUP_MAX) bytes += stringBytes(v);
      else if (!strings.has(v)) {
        strings.add(v);
        bytes += stringBytes(v);
      }
    } else if (v instanceof LuaTable) {
      // Tables, the most numerous, carry their mark; a Set would take several times longer.
      if (v.marked !== epoch) {
        v.marked = epoch;
        work.push(v);
      }
    } else if (typeof v === "object" && !seen.has(v)) {
      seen.add(v);
      work.push(v);
    }
  };
  const markProto = (pt: Proto): void => {
    if (seen.has(pt)) return;
    seen.add(pt);
    bytes += MemSize.PROTO + 8 * (pt.bc.length + pt.kgc.length + pt.knum.length);
    for (const k of pt.kgc) {
      if (typeof k === "string") mark(k);
      else if (isProto(k)) markProto(k);
    }
  };

  mark(S.globals);
  mark(S.registry);
  mark(S.stringMeta);
  for (const mt of Object.values(S.typeMeta)) mark(mt);
  mark(S.main);
  mark(S.current);

  while (work.length > 0) {
    const o = work.pop() as object;
    if (o instanceof LuaTable) {
      const asize = o.asize;
      const hmask = o.hmask;
      bytes += MemSize.TABLE + asize * MemSize.SLOT + (hmask > 0 ? (hmask + 1) * MemSize.NODE : 0);
      mark(o.metatable);
      const arr = o.arr;
      for (let i = 0; i < asize; i++) mark(arr[i]);
      if (hmask > 0) {
        const node = o.node;
        for (let n = 0, end = hmask << 2; n <= end; n += 4) {
          if (node[n + NodeSlot.VAL] === undefined) continue;
          mark(node[n]);
          mark(node[n + NodeSlot.VAL]);
        }
      }
    } else if (o instanceof LuaClosure) {
      bytes += MemSize.CLOSURE + MemSize.SLOT * o.upvals.length;
      mark(o.env);
      markProto(o.proto);
      // Open upvalues live in a stack, which its thread counts.
      for (const uv of o.upvals) if (uv.stack === null) mark(uv.value);
    } else if (o instanceof NativeFunction) {
      bytes += MemSize.NATIVE;
      mark(o.env);
      mark(o.upvalue);
    } else if (o instanceof LuaThread) {
      const stack = o.stack;
      bytes += MemSize.THREAD + stack.length * MemSize.SLOT;
      // Slots up to the top of the highest frame (lj_gc.c marks up to L->top, which is
      // that while Lua code runs); what returned frames left above is garbage.
      let top = o.top;
      for (let d = 1; d <= o.depth; d++) {
        const ci = o.frames[d];
        const ftop = ci.base + (ci.closure !== null ? ci.closure.proto.framesize : 0);
        if (ftop > top) top = ftop;
        mark(ci.func ?? undefined);
        mark(ci.handler);
      }
      for (let i = 0, end = Math.min(top, stack.length); i < end; i++) mark(stack[i]);
      mark(o.startFn ?? undefined);
      mark(o.resumer ?? undefined);
      for (const v of o.yieldValues) mark(v);
    } else if (o instanceof LuaUserdata) {
      bytes += MemSize.USERDATA;
      mark(o.metatable);
      mark(o.env);
    }
  }
  return bytes;
}
