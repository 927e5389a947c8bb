// JS source for one bytecode instruction, with its operands folded in: the
// same semantics as the interpreter's case for that opcode (src/vm/interp.ts),
// fast path inline and the rest through the same helpers.
//
// Slots live in JS locals (s0, s1, ...), where V8 keeps numbers unboxed,
// except slots a closure captures (an open upvalue points into the stack
// array). The locals are the truth while the function runs: they are written
// back ("spilled") before the stack array is read by anyone else (a call's
// arguments, a range CAT reads, leaving the function), and read again after
// something else wrote it (a native's results, VARG). Metamethods and
// natives get values as arguments and never see the locals; a program that
// could look at them (debug.getlocal) runs interpreted (observe.ts).
//
// The code sees: L, ci, entryDepth, S, cl, base, stack, pc, multres, the
// exit variables (exitPc, exitCode, callFn, callA, callNargs, callNres), the
// JsRuntime members by their names, and the prototype's constants (PT, BC,
// kN for kgc[N], hN for its string hash).
import { BCBIAS_J, bcA, bcB, bcC, bcD, bcOp } from "../../bc/ins.ts";
import { IsType, Op } from "../../bc/opcodes.ts";
import { PROTO_UV_LOCAL, isProto, type Proto } from "../../bc/proto.ts";
import { forStepUpCode } from "../../util/arith.ts";
import { NodeSlot } from "../table.ts";
import { FrameKind } from "../thread.ts";
import { JsExit } from "./runtime.ts";
import { isClosureCode, isNativeCode, isTableCode } from "./typetests.ts";

/** Why the function is left through its shared exit (which spills every local first). */
export const enum ExitCode {
  /** Interpret from exitPc. */
  interpret = JsExit.interpret,
  /** A native yielded. */
  done = JsExit.done,
  /** A tick slice ran out at a back-edge (the driver calls sliceEnd). */
  slice = JsExit.slice,
  /** Call the Lua closure callFn at slot callA (ci.pc = exitPc). */
  call = 4,
  /** The bytecode changed under the code: drop it and interpret from exitPc. */
  stale = 5,
  /** ITERC calls the Lua iterator callFn (as call, but not a budget tick). */
  iterCall = 6,
}

/** What an instruction's code needs from the prototype and records about constants it uses. */
export interface EmitContext {
  readonly pt: Proto;
  /** kgc indexes the code refers to (as kN, and hN for strings' hashes). */
  readonly kgcUsed: Set<number>;
  /** Per slot below framesize: kept in a JS local (not captured by a closure). */
  readonly inLocal: boolean[];
}

/** Which slots stay in JS locals: all below framesize but those a closure of pt captures. */
export function localSlots(pt: Proto): boolean[] {
  const inLocal = new Array<boolean>(pt.framesize).fill(true);
  for (const k of pt.kgc) {
    if (!isProto(k)) continue;
    for (const uv of k.uv) if (uv & PROTO_UV_LOCAL) inLocal[uv & 0xff] = false;
  }
  return inLocal;
}

const LUA_FRAME = FrameKind.LUA;
const TAILRET = -2;

/** A number as a JS literal that reads back as the same double (-0, NaN and infinities too). */
export function numLiteral(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (Object.is(x, -0)) return "-0";
  return x < 0 ? `(${String(x)})` : String(x);
}

/** Slot i's current value, as an expression that can also be assigned to. */
function slot(ctx: EmitContext, i: number): string {
  if (ctx.inLocal[i] === true) return `s${i}`;
  return i === 0 ? "stack[base]" : `stack[base + ${i}]`;
}

/** Write the locals of slots lo..hi-1 to the stack array. */
export function spill(ctx: EmitContext, lo: number, hi: number): string {
  let code = "";
  for (let i = Math.max(lo, 0); i < Math.min(hi, ctx.inLocal.length); i++) if (ctx.inLocal[i]) code += `stack[base + ${i}] = s${i}; `;
  return code;
}

/** Read slots lo..hi-1 from the stack array into their locals. */
export function reload(ctx: EmitContext, lo: number, hi: number): string {
  let code = "";
  for (let i = Math.max(lo, 0); i < Math.min(hi, ctx.inLocal.length); i++) if (ctx.inLocal[i]) code += `s${i} = stack[base + ${i}]; `;
  return code;
}

/** Leave through the shared exit. */
const exit = (code: ExitCode, pc: number | string): string => `{ exitPc = ${pc}; exitCode = ${code}; break dispatch; }`;

/** The word at pc must still be the one compiled (ops the JIT simulation patches). */
const guardWord = (pt: Proto, pc: number): string => `if (BC[${pc}] !== ${pt.bc[pc]}) ${exit(ExitCode.stale, pc)}`;

/** After a call out (metamethod, native): the stack may have moved, and recording may have begun, which only the interpreter follows. */
const afterCallOut = (pc: number | string): string =>
  `stack = L.stack; if (S.recording === true) ${exit(ExitCode.interpret, pc)}`;

/**
 * Hot counting at a loop or function header: when the counter would run out,
 * the interpreter runs this instruction (it counts again and calls the simulator).
 */
function countHot(pc: number, dec: number | string): string {
  return `if (S.counting === true) { const hc = PT.hotcount ?? S.initHotcount(PT); const v = hc[${pc}] - ${dec};
    if (v < 0) ${exit(ExitCode.interpret, pc)} hc[${pc}] = v; }`;
}

/** Code for the instruction at pc, without its case label. */
export function emitIns(ctx: EmitContext, pc: number): string {
  const pt = ctx.pt;
  const ins = pt.bc[pc];
  const op = bcOp(ins);
  const a = bcA(ins);
  const b = bcB(ins);
  const c = bcC(ins);
  const d = bcD(ins);
  const next = pc + 1;
  const S_ = (i: number): string => slot(ctx, i);
  const jumpTarget = (at: number, w: number): number => at + 1 + (bcD(w) - BCBIAS_J);
  const kstr = (i: number): string => { ctx.kgcUsed.add(i); return `k${i}`; };
  const khash = (i: number): string => { ctx.kgcUsed.add(i); return `h${i}`; };
  const knum = (i: number): string => numLiteral(pt.knum[i]);
  const prep = `ci.pc = ${next}; L.top = base + ${pt.framesize};`;
  /** A slow path that calls out, then goes on with the next instruction. */
  const slow = (code: string): string => `${prep} ${code} ${afterCallOut(next)}`;

  // Comparisons and tests: the next instruction is the JMP taken when the test holds.
  const condJump = (cond: string): string => {
    const target = jumpTarget(next, pt.bc[next]);
    return `if (${cond}) { pc = ${target}; continue; } pc = ${next + 1}; continue;`;
  };
  const compare = (fast: string): string => {
    const target = jumpTarget(next, pt.bc[next]);
    return `const x = ${S_(a)}, y = ${S_(d)};
      if (typeof x === "number" && typeof y === "number") { ${condJump(fast)} }
      const r = compareSlow(L, ci, ${next}, x, y, ${op}); ${afterCallOut(`r ? ${target} : ${next + 1}`)}
      pc = r ? ${target} : ${next + 1}; continue;`;
  };
  const arithVN = (expr: string, opIdx: number, swap: boolean): string => `const x = ${S_(b)};
      if (typeof x === "number") ${S_(a)} = ${expr};
      else { ${slow(`${S_(a)} = meta.arith(L, ${swap ? `${knum(c)}, x` : `x, ${knum(c)}`}, ${opIdx}, ${swap ? `-1, ${b}` : `${b}, -1`});`)} }`;
  const arithVV = (expr: string, opIdx: number): string => `const x = ${S_(b)}, y = ${S_(c)};
      if (typeof x === "number" && typeof y === "number") ${S_(a)} = ${expr};
      else { ${slow(`${S_(a)} = meta.arith(L, x, y, ${opIdx}, ${b}, ${c});`)} }`;

  switch (op) {
    case Op.ISLT: return compare("x < y");
    case Op.ISGE: return compare("!(x < y)");
    case Op.ISLE: return compare("x <= y");
    case Op.ISGT: return compare("!(x <= y)");
    case Op.ISEQV: case Op.ISNEV: {
      const eq = op === Op.ISEQV;
      const target = jumpTarget(next, pt.bc[next]);
      return `const x = ${S_(a)}, y = ${S_(d)};
        if (x !== y && typeof x === "object" && typeof y === "object") {
          ${prep} const r = meta.equals(L, x, y) === ${eq}; ${afterCallOut(`r ? ${target} : ${next + 1}`)}
          pc = r ? ${target} : ${next + 1}; continue;
        }
        ${condJump(eq ? "x === y" : "x !== y")}`;
    }
    case Op.ISEQS: return condJump(`${S_(a)} === ${kstr(d)}`);
    case Op.ISNES: return condJump(`${S_(a)} !== ${kstr(d)}`);
    case Op.ISEQN: return condJump(`${S_(a)} === ${knum(d)}`);
    case Op.ISNEN: return condJump(`${S_(a)} !== ${knum(d)}`);
    case Op.ISEQP: case Op.ISNEP: {
      const pri = d === 0 ? "undefined" : String(d === 2);
      return condJump(`${S_(a)} ${op === Op.ISEQP ? "===" : "!=="} ${pri}`);
    }
    case Op.ISTC: case Op.ISFC: {
      const target = jumpTarget(next, pt.bc[next]);
      return `const v = ${S_(d)};
        if ((v !== undefined && v !== false) === ${op === Op.ISTC}) { ${S_(a)} = v; pc = ${target}; continue; }
        pc = ${next + 1}; continue;`;
    }
    case Op.IST: return `const v = ${S_(d)}; ${condJump("v !== undefined && v !== false")}`;
    case Op.ISF: return `const v = ${S_(d)}; ${condJump("v === undefined || v === false")}`;
    case Op.ISTYPE: case Op.ISNUM: {
      const test = d === IsType.tab ? isTableCode("v") : d === IsType.num ? `typeof v === "number"`
        : d === IsType.str ? `typeof v === "string"` : "isFunction(v)";
      return `const v = ${S_(a)}; if (!(${test})) { ${slow(`${S_(a)} = meta.istype(L, ${a}, ${d}, v);`)} }`;
    }

    case Op.MOV: return `${S_(a)} = ${S_(d)};`;
    case Op.NOT: return `const v = ${S_(d)}; ${S_(a)} = v === undefined || v === false;`;
    case Op.UNM:
      return `const v = ${S_(d)}; if (typeof v === "number") ${S_(a)} = -v; else { ${slow(`${S_(a)} = meta.unm(L, v, ${d});`)} }`;
    case Op.LEN:
      return `const v = ${S_(d)};
        if (typeof v === "string") ${S_(a)} = v.length;
        else if (${isTableCode("v")}) ${S_(a)} = v.length();
        else { ${slow(`${S_(a)} = meta.len(L, v, ${d});`)} }`;

    case Op.ADDVN: return arithVN(`x + ${knum(c)}`, 0, false);
    case Op.SUBVN: return arithVN(`x - ${knum(c)}`, 1, false);
    case Op.MULVN: return arithVN(`x * ${knum(c)}`, 2, false);
    case Op.DIVVN: return arithVN(`x / ${knum(c)}`, 3, false);
    case Op.MODVN: return arithVN(`luaMod(x, ${knum(c)})`, 4, false);
    case Op.ADDNV: return arithVN(`${knum(c)} + x`, 0, true);
    case Op.SUBNV: return arithVN(`${knum(c)} - x`, 1, true);
    case Op.MULNV: return arithVN(`${knum(c)} * x`, 2, true);
    case Op.DIVNV: return arithVN(`${knum(c)} / x`, 3, true);
    case Op.MODNV: return arithVN(`luaMod(${knum(c)}, x)`, 4, true);
    case Op.ADDVV: return arithVV("x + y", 0);
    case Op.SUBVV: return arithVV("x - y", 1);
    case Op.MULVV: return arithVV("x * y", 2);
    case Op.DIVVV: return arithVV("x / y", 3);
    case Op.MODVV: return arithVV("luaMod(x, y)", 4);
    case Op.POW: return arithVV("luaPow(x, y)", 5);
    case Op.CAT: {
      // meta.concat reads the operands from the stack array.
      const concat = `${spill(ctx, b, c + 1)} ${slow(`${S_(a)} = meta.concat(L, base + ${b}, base + ${c});`)}`;
      if (c !== b + 1) return concat;
      return `const x = ${S_(b)}, y = ${S_(c)};
        if (typeof x === "string" && typeof y === "string") ${S_(a)} = x + y; else { ${concat} }`;
    }

    case Op.KSTR: return `${S_(a)} = ${kstr(d)};`;
    case Op.KSHORT: return `${S_(a)} = ${ins >> 16};`;
    case Op.KNUM: return `${S_(a)} = ${knum(d)};`;
    case Op.KPRI: return `${S_(a)} = ${d === 0 ? "undefined" : String(d === 2)};`;
    case Op.KNIL: {
      let code = "";
      for (let i = a; i <= d; i++) code += `${S_(i)} = undefined; `;
      return code;
    }

    case Op.UGET: return `${S_(a)} = cl.upvals[${d}].get();`;
    case Op.USETV: return `cl.upvals[${a}].set(${S_(d)});`;
    case Op.USETS: return `cl.upvals[${a}].set(${kstr(d)});`;
    case Op.USETN: return `cl.upvals[${a}].set(${knum(d)});`;
    case Op.USETP: return `cl.upvals[${a}].set(${d === 0 ? "undefined" : String(d === 2)});`;
    case Op.UCLO:
      // Captured slots are never in locals: closing reads the stack array.
      return `if (L.openUpvals !== null) closeUpvals(L, base + ${a}); pc = ${jumpTarget(pc, ins)}; continue;`;
    case Op.FNEW: return `${S_(a)} = newClosure(L, cl, base, ${kstr(d)});`;

    case Op.TNEW: return `${S_(a)} = LuaTable.fromTNEW(${d});`;
    case Op.TDUP: return `${S_(a)} = LuaTable.fromTemplate(${kstr(d)});`;
    case Op.GGET:
      return `L${pc}: { const env = cl.env; const v = env.getStrH(${kstr(d)}, ${khash(d)});
        if (v !== undefined || env.metatable === undefined) { ${S_(a)} = v; break L${pc}; }
        ${slow(`${S_(a)} = meta.indexStr(L, env, ${kstr(d)}, ${khash(d)}, -1);`)} }`;
    case Op.GSET:
      return `L${pc}: { const env = cl.env;
        if (env.metatable === undefined) { env.setStrH(${kstr(d)}, ${khash(d)}, ${S_(a)}); break L${pc}; }
        ${slow(`meta.setIndexStr(L, env, ${kstr(d)}, ${khash(d)}, ${S_(a)}, -1);`)} }`;
    case Op.TGETV:
      return `L${pc}: { const t = ${S_(b)}, k = ${S_(c)};
        if (${isTableCode("t")}) {
          let v;
          if (typeof k === "number") { const i = k | 0; v = i === k && i >= 0 && i < t.asize ? t.arr[i] : t.get(k); }
          else v = t.get(k);
          if (v !== undefined || t.metatable === undefined) { ${S_(a)} = v; break L${pc}; }
        }
        ${slow(`${S_(a)} = meta.index(L, t, k, ${b});`)} }`;
    case Op.TGETR:
      return `const t = ${S_(b)}, k = ${S_(c)}; ${S_(a)} = t.getInt((k | 0) === k ? k : toInt32(k));`;
    case Op.TGETS:
      return `L${pc}: { const t = ${S_(b)};
        if (${isTableCode("t")}) {
          const node = t.node; let n = (${khash(c)} & t.hmask) << 2; let v;
          do { if (node[n] === ${kstr(c)}) { v = node[n + ${NodeSlot.VAL}]; break; } n = node[n + ${NodeSlot.NEXT}]; } while (n >= 0);
          if (v !== undefined || t.metatable === undefined) { ${S_(a)} = v; break L${pc}; }
        }
        ${slow(`${S_(a)} = meta.indexStr(L, t, ${kstr(c)}, ${khash(c)}, ${b});`)} }`;
    case Op.TGETB:
      return `L${pc}: { const t = ${S_(b)};
        if (${isTableCode("t")}) {
          const v = ${c} < t.asize ? t.arr[${c}] : t.getInt(${c});
          if (v !== undefined || t.metatable === undefined) { ${S_(a)} = v; break L${pc}; }
        }
        ${slow(`${S_(a)} = meta.index(L, t, ${c}, ${b});`)} }`;
    case Op.TSETR:
      return `const t = ${S_(b)}, k = ${S_(c)}; t.setInt((k | 0) === k ? k : toInt32(k), ${S_(a)});`;
    case Op.TSETV:
      return `L${pc}: { const t = ${S_(b)}, k = ${S_(c)};
        if (${isTableCode("t")} && t.metatable === undefined) {
          if (typeof k === "number") { const i = k | 0; if (i === k && i >= 0 && i < t.asize) { t.arr[i] = ${S_(a)}; break L${pc}; } }
          ci.pc = ${next};
          if (typeof k === "number" || typeof k === "string") t.set(k, ${S_(a)}); else meta.rawSet(L, t, k, ${S_(a)});
          break L${pc};
        }
        ${slow(`meta.setIndex(L, t, k, ${S_(a)}, ${b});`)} }`;
    case Op.TSETS:
      return `L${pc}: { const t = ${S_(b)};
        if (${isTableCode("t")} && t.metatable === undefined) {
          const node = t.node; let n = (${khash(c)} & t.hmask) << 2;
          do { if (node[n] === ${kstr(c)}) { node[n + ${NodeSlot.VAL}] = ${S_(a)}; break; } n = node[n + ${NodeSlot.NEXT}]; } while (n >= 0);
          if (n < 0) t.setStrH(${kstr(c)}, ${khash(c)}, ${S_(a)});
          break L${pc};
        }
        ${slow(`meta.setIndexStr(L, t, ${kstr(c)}, ${khash(c)}, ${S_(a)}, ${b});`)} }`;
    case Op.TSETB:
      return `L${pc}: { const t = ${S_(b)};
        if (${isTableCode("t")} && t.metatable === undefined) {
          if (${c} < t.asize) t.arr[${c}] = ${S_(a)}; else t.setInt(${c}, ${S_(a)});
          break L${pc};
        }
        ${slow(`meta.setIndex(L, t, ${c}, ${S_(a)}, ${b});`)} }`;
    case Op.TSETM:
      // The values come from the stack array: a multiple-results call or VARG left them there.
      return `const t = ${S_(a - 1)}; let idx = ${pt.knum[d] - 4503599627370496}; const n = multres;
        if (n > 0) { if (idx + n > t.asize) t.reasize(idx + n); for (let i = 0; i < n; i++) t.setInt(idx++, stack[base + ${a} + i]); }`;

    case Op.CALL: return emitCall(ctx, pc, a, c - 1, false, b - 1);
    case Op.CALLM: return emitCall(ctx, pc, a, c, true, b - 1);
    case Op.CALLT: return emitTailCall(ctx, pc, a, d - 1, false);
    case Op.CALLMT: return emitTailCall(ctx, pc, a, d, true);
    case Op.ITERC: {
      const nres = b - 1;
      return `${S_(a)} = ${S_(a - 3)}; ${S_(a + 2)} = ${S_(a - 2)}; ${S_(a + 3)} = ${S_(a - 1)};
        const fn = ${S_(a)};
        if (${isClosureCode("fn")}) { callFn = fn; callA = ${a}; callNargs = 2; callNres = ${nres}; ${exit(ExitCode.iterCall, next)} }
        if (!(${isNativeCode("fn")}) || fn.readsFrames) ${exit(ExitCode.interpret, pc)}
        ci.pc = ${next};
        ${callNative(ctx, a, "2", a + 4, nres, next)}`;
    }
    case Op.ITERN: {
      // On success the jump is the following ITERL's (as in LuaJIT); that ITERL is guarded too.
      const target = jumpTarget(next, pt.bc[next]);
      return `${guardWord(pt, pc)} ${guardWord(pt, next)} ${tickCheck(pc)} ${countHot(pc, 2)}
        const t = ${S_(a - 2)}; const nxt = t.iterate(${S_(a - 1)});
        if (nxt >= 0) {
          ${S_(a - 1)} = nxt; ${S_(a)} = iterOut.key; ${S_(a + 1)} = iterOut.val;
          S.ticks--; pc = ${target}; continue;
        }
        pc = ${next + 1}; continue;`;
    }
    case Op.ISNEXT: {
      const target = jumpTarget(pc, ins);
      return `${guardWord(pt, pc)}
        const fn = ${S_(a - 3)};
        if (fn === S.nextFn && ${isTableCode(S_(a - 2))} && ${S_(a - 1)} === undefined) { ${S_(a - 1)} = 0; pc = ${target}; continue; }
        despecialize(L, PT, ${pc}, ${ins}); S.jit?.despecialised?.(PT, ${pc});
        ${exit(ExitCode.stale, target)}`;
    }
    case Op.VARG: {
      const nwant = b - 1;
      if (nwant < 0) {
        // All varargs, into the stack array: read back the slots they cover.
        return `const nvar = ci.nvarargs, src = ci.funcIdx + ${2 + pt.numparams}, dst = base + ${a};
          if (dst + nvar > L.maxstack) { ci.pc = ${next}; stackOverflow(L, base + ${pt.framesize}, true); }
          L.ensureStack(dst + nvar + 4); stack = L.stack;
          for (let i = 0; i < nvar; i++) stack[dst + i] = stack[src + i];
          multres = nvar; ${reload(ctx, a, pt.framesize)}`;
      }
      let code = `const nvar = ci.nvarargs, src = ci.funcIdx + ${2 + pt.numparams}; `;
      for (let i = 0; i < nwant; i++) code += `${S_(a + i)} = ${i} < nvar ? stack[src + ${i}] : undefined; `;
      return code;
    }

    case Op.RETM:
      return `${guardWord(pt, pc)} ${spill(ctx, a, a + d)} ${returnSlow(a, `${d} + multres`)}`;
    case Op.RET: return `${guardWord(pt, pc)} ${emitReturn(ctx, a, d - 1)}`;
    case Op.RET0: return `${guardWord(pt, pc)} ${emitReturn(ctx, a, 0)}`;
    case Op.RET1: return `${guardWord(pt, pc)} ${emitReturn(ctx, a, 1)}`;

    case Op.FORI: {
      const target = jumpTarget(pc, ins);
      return `${guardWord(pt, pc)}
        const idx = ${S_(a)}, stop = ${S_(a + 1)}, step = ${S_(a + 2)};
        if (typeof idx === "number" && typeof stop === "number" && typeof step === "number") {
          if (${forStepUpCode("step")} ? idx <= stop : idx >= stop) ${S_(a + 3)} = idx; else { pc = ${target}; continue; }
        } else {
          // Numeric strings are converted in their slots (lj_meta_for); anything else throws.
          ${spill(ctx, a, a + 3)} const enters = forEnters(L, ci, ${next}, stack, base + ${a}); ${reload(ctx, a, a + 4)}
          if (!enters) { pc = ${target}; continue; }
        }`;
    }
    case Op.FORL: case Op.IFORL: {
      const target = jumpTarget(pc, ins);
      return `${guardWord(pt, pc)} ${op === Op.FORL ? countHot(pc, 2) : ""}
        const step = ${S_(a + 2)}, idx = ${S_(a)} + step;
        if (${forStepUpCode("step")} ? idx <= ${S_(a + 1)} : idx >= ${S_(a + 1)}) {
          ${S_(a)} = idx; ${S_(a + 3)} = idx;
          if (--S.ticks <= 0) ${exit(ExitCode.slice, target)}
          pc = ${target}; continue;
        }`;
    }
    case Op.ITERL: case Op.IITERL: {
      const target = jumpTarget(pc, ins);
      return `${guardWord(pt, pc)} ${op === Op.ITERL ? countHot(pc, 2) : ""}
        const v = ${S_(a)};
        if (v !== undefined) {
          ${S_(a - 1)} = v;
          if (--S.ticks <= 0) ${exit(ExitCode.slice, target)}
          pc = ${target}; continue;
        }`;
    }
    case Op.LOOP: case Op.ILOOP:
      return `${guardWord(pt, pc)} ${op === Op.LOOP ? countHot(pc, 2) : ""}
        if (--S.ticks <= 0) ${exit(ExitCode.slice, next)}`;
    case Op.JMP: return `pc = ${jumpTarget(pc, ins)}; continue;`;

    // One count more for each time entering the frame grew the stack (the header ran again).
    case Op.FUNCF: return `${guardWord(pt, pc)} ${countHot(pc, "(1 + ci.regrows)")}`;
    case Op.FUNCV: return guardWord(pt, pc);
    case Op.IFUNCF: case Op.IFUNCV: return "";

    default:
      // The J-ops (a trace is entered), tail calls, KCDATA: the interpreter runs them.
      return exit(ExitCode.interpret, pc);
  }
}

/**
 * A call or ITERN that would end the tick slice is left to the interpreter:
 * the slice's end (sliceEnd: budget, Stop, memory check) must find the
 * stack array complete, so it happens only where the locals are spilled.
 */
function tickCheck(pc: number): string {
  return `if (S.ticks <= 1) ${exit(ExitCode.interpret, pc)}`;
}

/** A native that compiled code calls in place (pcall/xpcall become frames; frame readers need the interpreter). */
export const NATIVE_IN_PLACE = `${isNativeCode("fn")} && fn !== pcallMarker && fn !== xpcallMarker && !fn.readsFrames`;

/**
 * CALL/CALLM: a Lua closure gets its frame pushed (at the shared exit); a
 * native is called in place; anything else (a __call object, pcall, a native
 * that reads frames) is left to the interpreter. CALLM's extra arguments are
 * in the stack array already.
 */
function emitCall(ctx: EmitContext, pc: number, a: number, fixedArgs: number, multi: boolean, nres: number): string {
  const nargs = multi ? `${fixedArgs} + multres` : String(fixedArgs);
  const fn = slot(ctx, a);
  return `${tickCheck(pc)} const fn = ${fn};
    if (${isClosureCode("fn")}) { callFn = fn; callA = ${a}; callNargs = ${nargs}; callNres = ${nres}; ${exit(ExitCode.call, pc + 1)} }
    if (!(${NATIVE_IN_PLACE})) ${exit(ExitCode.interpret, pc)}
    ci.pc = ${pc + 1}; S.ticks--;
    ${callNative(ctx, a, nargs, a + 2 + fixedArgs, nres, pc + 1)}`;
}

/**
 * CALLT/CALLMT: a Lua closure reuses the frame, a native's results are
 * returned from it; the rest (pcall, __call, a frame called from JS) is left
 * to the interpreter.
 */
function emitTailCall(ctx: EmitContext, pc: number, a: number, fixedArgs: number, multi: boolean): string {
  const nargs = multi ? `${fixedArgs} + multres` : String(fixedArgs);
  return `${tickCheck(pc)} const fn = ${slot(ctx, a)};
    if (${isClosureCode("fn")} && ci.kind !== ${FrameKind.NATIVE}) {
      ${spill(ctx, a, a + 2 + fixedArgs)} ci.pc = ${pc + 1}; S.ticks--;
      tailCall(L, ci, fn, base + ${a}, ${nargs}); return ${JsExit.frameChanged};
    }
    if (!(${NATIVE_IN_PLACE})) ${exit(ExitCode.interpret, pc)}
    ci.pc = ${pc + 1}; S.ticks--;
    ${callNative(ctx, a, nargs, a + 2 + fixedArgs, TAILRET, pc + 1)}
    if (returnFrom(L, ci, fidx, multres, entryDepth)) return ${JsExit.done}; return ${JsExit.frameChanged};`;
}

/**
 * Call the native fn at slot a (ci.pc set) with nargs arguments, which the
 * stack array must hold up to slot argsEnd; a yield ends the run. Its results
 * are read back into the locals; nres TAILRET leaves them at fidx for a tail call's return.
 */
function callNative(ctx: EmitContext, a: number, nargs: string, argsEnd: number, nres: number, next: number): string {
  const pt = ctx.pt;
  const tail = nres === TAILRET;
  const results = nres >= 0 ? a + nres : pt.framesize;
  return `${spill(ctx, a, argsEnd)}
    const fidx = base + ${a}, nargs = ${nargs};
    L.top = fidx + 2 + nargs;
    if (L.top + fn.minStack > L.stackLimit) nativeStack(L, fn);
    L.nativeFromJs = false;
    const n = fn.fn(L, fidx + 2, nargs);
    if (n < 0) { L.pendingCall = fidx; L.pendingResults = ${nres}; ${exit(ExitCode.done, next)} }
    finishNative(L, fidx, fidx + 2, n, ${tail ? -1 : nres});
    multres = L.top - fidx;
    ${tail ? "" : `L.top = base + ${pt.framesize};
    stack = L.stack; ${reload(ctx, a, results)}
    if (S.recording === true) ${exit(ExitCode.interpret, next)}`}`;
}

/** RET/RET0/RET1: a plain Lua frame returns inline; anything else through returnFrom. */
function emitReturn(ctx: EmitContext, a: number, n: number): string {
  let copy = "";
  for (let i = 0; i < n; i++) copy += `stack[dst + ${i}] = ${slot(ctx, a + i)}; `;
  return `if (ci.kind === ${LUA_FRAME} && L.depth > entryDepth && ci.nresults !== ${TAILRET}) {
      const dst = ci.funcIdx; ${copy}
      const wanted = ci.nresults;
      if (wanted >= 0) for (let i = ${n}; i < wanted; i++) stack[dst + i] = undefined;
      L.depth--; L.multres = ${n}; L.top = dst + (wanted >= 0 ? wanted : ${n});
      return ${JsExit.frameChanged};
    }
    ${spill(ctx, a, a + n)} ${returnSlow(a, String(n))}`;
}

function returnSlow(a: number, n: string): string {
  return `if (returnFrom(L, ci, base + ${a}, ${n}, entryDepth)) return ${JsExit.done}; return ${JsExit.frameChanged};`;
}
