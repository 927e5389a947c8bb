// Names and lines for error messages, deduced from bytecode and debug info
// (lj_debug.c: debug_varname, lj_debug_slotname, lj_debug_funcname).
import { bcA, bcB, bcC, bcD, bcOp } from "../bc/ins.ts";
import { Mode, Op, metamethodOf, modeA } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import { NativeFunction } from "./func.ts";
import { FrameKind, type CallInfo, type LuaThread } from "./thread.ts";

export interface SlotName {
  kind: "local" | "global" | "field" | "method" | "upvalue" | "metamethod";
  name: string;
}

/** Source line of the instruction at pc, or -1. */
export function currentLine(pt: Proto, pc: number): number {
  if (pc < 0 || pc >= pt.lineinfo.length) return -1;
  return pt.lineinfo[pc];
}

/** The name of the local variable living in `slot` at pc, if any. */
export function varName(pt: Proto, pc: number, slot: number): string | undefined {
  for (const v of pt.varinfo) {
    if (v.startpc > pc) break;
    if (pc < v.endpc && slot-- === 0) return v.name;
  }
  return undefined;
}

/** What the value in `slot` is, judging by the code before pc (for "attempt to index global 'x'"). */
export function slotName(pt: Proto, pc: number, slot: number): SlotName | null {
  const bc = pt.bc;
  for (;;) {
    const lname = varName(pt, pc, slot);
    if (lname !== undefined) return { kind: "local", name: lname };
    let restarted = false;
    for (let ip = pc - 1; ip > 0; ip--) {
      const ins = bc[ip];
      const op = bcOp(ins);
      const ra = bcA(ins);
      const ma = modeA[op];
      if (ma === Mode.base) {
        if (slot >= ra && (op !== Op.KNIL || slot <= bcD(ins))) return null;
      } else if (ma === Mode.dst && ra === slot) {
        switch (op) {
          case Op.MOV:
            slot = bcD(ins);
            pc = ip;
            restarted = true;
            break;
          case Op.GGET:
            return { kind: "global", name: pt.kgc[bcD(ins)] as string };
          case Op.TGETS: {
            const name = pt.kgc[bcC(ins)] as string;
            if (ip > 1) {
              const prev = bc[ip - 1];
              if (bcOp(prev) === Op.MOV && bcA(prev) === ra + 2 && bcD(prev) === bcB(ins)) {
                return { kind: "method", name };
              }
            }
            return { kind: "field", name };
          }
          case Op.UGET:
            return { kind: "upvalue", name: pt.uvnames[bcD(ins)] ?? "" };
          default:
            return null;
        }
        if (restarted) break;
      }
    }
    if (!restarted) return null;
  }
}

/**
 * How the running native function was called, from the calling Lua frame's
 * call instruction (lj_debug_funcname); null if not called from bytecode.
 */
export function funcName(L: LuaThread): SlotName | null {
  const d = nativeCallerDepth(L);
  return d < 0 ? null : calleeName(L.frames[d]);
}

/**
 * The Lua frame that called the running native, as LuaJIT sees it, or -1 if
 * native code did. A native reached by a tail call (CALLT) has replaced the
 * frame that made it, so its caller is that frame's caller.
 */
export function nativeCallerDepth(L: LuaThread): number {
  if (L.nativeFromJs) return -1;
  const d = L.depth;
  if (!callsNative(L, d, true)) return d;
  const ci = L.frames[d];
  if (d <= 1 || ci.kind !== FrameKind.LUA || callsNative(L, d - 1, false)) return -1;
  return d - 1;
}

/** True while a native runs on L, rather than the current Lua frame's own instruction (LuaJIT: !curr_funcisL). */
export function nativeRunning(L: LuaThread): boolean {
  return L.nativeFromJs || callsNative(L, L.depth, false);
}

/** True if Lua frame d is executing a call of a native (only tail calls if `tail`). */
function callsNative(L: LuaThread, d: number, tail: boolean): boolean {
  const ci = L.frames[d];
  if (ci === undefined || ci.closure === null || ci.pc < 1) return false;
  const ins = ci.closure.proto.bc[ci.pc - 1];
  const op = bcOp(ins);
  const isTail = op === Op.CALLT || op === Op.CALLMT;
  if (tail ? !isTail : !(isTail || op === Op.CALL || op === Op.CALLM || op === Op.ITERC)) return false;
  return L.stack[ci.base + bcA(ins)] instanceof NativeFunction;
}

/** The name the current instruction of Lua frame ci gives the function it calls (lj_debug_funcname). */
export function calleeName(ci: CallInfo): SlotName | null {
  if (ci.closure === null) return null;
  const pt = ci.closure.proto;
  const pc = ci.pc - 1;
  if (pc < 0 || pc >= pt.bc.length) return null;
  const ins = pt.bc[pc];
  const op = bcOp(ins);
  const mm = metamethodOf[op];
  if (mm === "call") {
    let slot = bcA(ins);
    if (op === Op.ITERC) slot -= 3;
    return slotName(pt, pc, slot);
  }
  if (mm !== "___") return { kind: "metamethod", name: "__" + mm };
  return null;
}
