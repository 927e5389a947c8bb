// Compile a prototype's bytecode into one JS function (a baseline compiler,
// not LuaJIT's trace compiler): each instruction becomes a `case` of a switch
// on pc with its operands and number constants folded in, so V8 runs
// straight-line code without decoding or dispatching each instruction, and
// slots in JS locals (emit.ts). Whenever it leaves, the stack array holds the
// frame exactly as the interpreter would, so the two can hand a frame to each
// other at any instruction (src/vm/interp.ts decides which runs).
import type { Proto } from "../../bc/proto.ts";
import { FrameKind } from "../thread.ts";
import { ExitCode, emitIns, localSlots, reload, spill, type EmitContext } from "./emit.ts";
import { JsExit, type CompiledProto, type JsRuntime } from "./runtime.ts";

/** Prototypes longer than this stay interpreted: V8 will not optimise a huge function, and the main chunk runs once. */
export const MAX_COMPILED_INS = 4000;

/**
 * Compiled functions calling each other directly, at most this deep (the
 * rest returns to the interpreter's driver loop, which keeps the JS stack flat).
 */
const MAX_NESTED = 48;

/**
 * The JS source of pt's function body (for the factory's parameters R, PT,
 * BC, KGC, KHASH); runtimeNames are R's members, bound to local names once
 * per prototype (V8 then treats them as constants).
 */
export function protoSource(pt: Proto, runtimeNames: readonly string[]): string {
  const ctx: EmitContext = { pt, kgcUsed: new Set(), inLocal: localSlots(pt) };
  const cases: string[] = [];
  for (let pc = 0; pc < pt.bc.length; pc++) cases.push(`case ${pc}: { ${emitIns(ctx, pc)} }`);
  const consts = [...ctx.kgcUsed].sort((x, y) => x - y)
    .map((i) => `const k${i} = KGC[${i}]` + (typeof pt.kgc[i] === "string" ? `, h${i} = KHASH[${i}];` : ";"));
  const locals = ctx.inLocal.map((inLocal, i) => (inLocal ? `s${i} = stack[base + ${i}]` : "")).filter(Boolean);
  return `"use strict";
const { ${runtimeNames.join(", ")} } = R;
${consts.join("\n")}
return function ${functionName(pt)}(L, ci, entryDepth) {
  const S = L.state, cl = ci.closure, base = ci.base | 0, depth = L.depth;
  let stack = L.stack, pc = ci.pc | 0, multres = L.multres;
  let exitPc = 0, exitCode = 0, callFn = null, callA = 0, callNargs = 0, callNres = 0;
  ${locals.length > 0 ? `let ${locals.join(", ")};` : ""}
  for (;;) {
    dispatch: for (;;) {
      switch (pc) {
${cases.join("\n")}
        default: throw new Error("ljscope: compiled code has no instruction " + pc);
      }
    }
    // The shared exit: the stack array gets every local back.
    ${spill(ctx, 0, pt.framesize)}
    ci.pc = exitPc; L.multres = multres;
    switch (exitCode) {
      case ${ExitCode.call}: S.ticks--; // the call site checked that this does not end the slice
      // falls through
      case ${ExitCode.iterCall}: {
        pushLuaFrame(L, callFn, base + callA, callNargs, callNres, ${FrameKind.LUA});
        // The callee's compiled code runs nested in this one (up to a depth):
        // when it returns to this frame, go on without the driver loop.
        if (S.compiledActive >= ${MAX_NESTED}) return ${JsExit.frameChanged};
        const js = compiledFor(callFn.proto);
        if (js === null) return ${JsExit.frameChanged};
        S.compiledActive++;
        const exit = js(L, L.frames[depth + 1], entryDepth);
        S.compiledActive--;
        if (exit !== ${JsExit.frameChanged} || L.depth !== depth || S.recording === true) return exit;
        stack = L.stack; multres = L.multres; pc = ci.pc;
        ${reload(ctx, 0, pt.framesize)}
        continue;
      }
      case ${ExitCode.stale}: PT.jsfn = undefined; return ${JsExit.interpret};
      default: return exitCode;
    }
  }
};`;
}

/** A readable name in profiles and stack traces: lua_<chunk>_<line>. */
function functionName(pt: Proto): string {
  const chunk = pt.chunkname.replace(/^[@=]/, "").replace(/.*[\\/]/, "").replace(/\W+/g, "_").slice(0, 40);
  return `lua_${chunk}_${pt.firstline < 0 ? "builtin" : pt.firstline}`;
}

/** pt's compiled function, or null if it stays interpreted. */
export function compileProto(pt: Proto, R: JsRuntime, khash: Int32Array): CompiledProto | null {
  if (pt.bc.length > MAX_COMPILED_INS) return null;
  const factory = new Function("R", "PT", "BC", "KGC", "KHASH", protoSource(pt, Object.keys(R))) as
    (R: JsRuntime, PT: Proto, BC: Uint32Array, KGC: unknown[], KHASH: Int32Array) => CompiledProto;
  return factory(R, pt, pt.bc, pt.kgc, khash);
}
