// The bytecode interpreter: one dispatch loop over instruction words with
// LuaJIT's semantics for every opcode (vm_x64.dasc, lj_vm*.c). Lua-to-Lua
// calls, returns, pcall and coroutine yields never recurse in JS.
import { PROTO_UV_IMMUTABLE, PROTO_UV_LOCAL, PROTO_VARARG, type Proto, type TemplateTable } from "../bc/proto.ts";
import { ERRMSG } from "../lang/errmsg.ts";
import { IsType } from "../bc/opcodes.ts";
import { forStepUp, luaMod, luaPow, toInt32 } from "../util/arith.ts";
import { nativeRunning } from "./debuginfo.ts";
import { LuaError, LuaHalt, argError, isMemoryRangeError, locationPrefix, memoryError, opTypeError, runtimeError } from "./errors.ts";
import { callAtIdx, callValue1 } from "./call.ts";
import { LuaClosure, NativeFunction, Upval, isFunction } from "./func.ts";
import * as meta from "./meta.ts";
import { LuaTable, NodeSlot, TableError, iterOut } from "./table.ts";
import { strHash } from "./hash.ts";
import { FrameKind, LJ_STACK_ERRMAX, LJ_STACK_MAX, LUA_MINSTACK, type CallInfo, type LuaThread } from "./thread.ts";
import type { LuaValue } from "./value.ts";
import { budgetExhausted } from "./budget.ts";
import { growStackFor } from "./stacksize.ts";
import { RecordResult, type JitHooks } from "./jithooks.ts";
import { compileProto } from "./jsgen/compile.ts";
import { JsExit, type CompiledProto, type JsRuntime } from "./jsgen/runtime.ts";

/**
 * Opcode numbers as compile-time constants, so that the dispatch switch is a
 * jump table (a property load per case label would make it a chain of compares).
 * Must equal the order of BCDEF in src/bc/opcodes.ts; test/unit/interp-opcodes.test.ts checks it.
 */
const enum BC {
  ISLT = 0, ISGE = 1, ISLE = 2, ISGT = 3, ISEQV = 4, ISNEV = 5, ISEQS = 6, ISNES = 7, ISEQN = 8,
  ISNEN = 9, ISEQP = 10, ISNEP = 11, ISTC = 12, ISFC = 13, IST = 14, ISF = 15, ISTYPE = 16,
  ISNUM = 17, MOV = 18, NOT = 19, UNM = 20, LEN = 21, ADDVN = 22, SUBVN = 23, MULVN = 24,
  DIVVN = 25, MODVN = 26, ADDNV = 27, SUBNV = 28, MULNV = 29, DIVNV = 30, MODNV = 31, ADDVV = 32,
  SUBVV = 33, MULVV = 34, DIVVV = 35, MODVV = 36, POW = 37, CAT = 38, KSTR = 39, KCDATA = 40,
  KSHORT = 41, KNUM = 42, KPRI = 43, KNIL = 44, UGET = 45, USETV = 46, USETS = 47, USETN = 48,
  USETP = 49, UCLO = 50, FNEW = 51, TNEW = 52, TDUP = 53, GGET = 54, GSET = 55, TGETV = 56,
  TGETS = 57, TGETB = 58, TGETR = 59, TSETV = 60, TSETS = 61, TSETB = 62, TSETM = 63, TSETR = 64,
  CALLM = 65, CALL = 66, CALLMT = 67, CALLT = 68, ITERC = 69, ITERN = 70, VARG = 71, ISNEXT = 72,
  RETM = 73, RET = 74, RET0 = 75, RET1 = 76, FORI = 77, JFORI = 78, FORL = 79, IFORL = 80,
  JFORL = 81, ITERL = 82, IITERL = 83, JITERL = 84, LOOP = 85, ILOOP = 86, JLOOP = 87, JMP = 88,
  FUNCF = 89, IFUNCF = 90, JFUNCF = 91, FUNCV = 92, IFUNCV = 93, JFUNCV = 94, FUNCC = 95,
  FUNCCW = 96,
}

/**
 * Constants the loop uses at every jump or return, as compile-time constants:
 * esbuild turns module-level consts into `var`s, which V8 loads at each use.
 * BCBIAS_J copies src/bc/ins.ts (test/unit/interp-opcodes.test.ts checks it).
 */
const enum K {
  BCBIAS_J = 0x8000,
  TAILRET = -2,
}

// -- Frames ----------------------------------------------------------------------

/** Close open upvalues at or above stack index `level` (lj_func_closeuv). */
export function closeUpvals(L: LuaThread, level: number): void {
  let uv = L.openUpvals;
  while (uv !== null && uv.idx >= level) {
    uv.close();
    uv = uv.nextOpen;
  }
  L.openUpvals = uv;
}

/** The open upvalue for stack index idx, created if needed (lj_func_finduv). */
function findUpval(L: LuaThread, idx: number): Upval {
  let prev: Upval | null = null;
  let uv = L.openUpvals;
  while (uv !== null && uv.idx >= idx) {
    if (uv.idx === idx) return uv;
    prev = uv;
    uv = uv.nextOpen;
  }
  const created = new Upval(L.stack, idx);
  created.nextOpen = uv;
  if (prev === null) L.openUpvals = created;
  else prev.nextOpen = created;
  return created;
}

/** FNEW: a closure of child in the frame of parent at base, its upvalues found or shared. */
function newClosure(L: LuaThread, parent: LuaClosure, base: number, child: Proto): LuaClosure {
  const uvd = child.uv;
  const upvals: Upval[] = []; // pushed: packed, not holey
  for (let i = 0; i < uvd.length; i++) {
    const v = uvd[i];
    if (v & PROTO_UV_LOCAL) {
      const uv = findUpval(L, base + (v & 0xff));
      uv.immutable = (v & PROTO_UV_IMMUTABLE) !== 0;
      upvals.push(uv);
    } else {
      upvals.push(parent.upvals[v]);
    }
  }
  return new LuaClosure(child, upvals, parent.env);
}

/**
 * Enter a Lua function: stack[fidx] is the closure, arguments follow at
 * fidx+2. Vararg functions get their fixed parameters copied above the
 * arguments, so the varargs stay below base (as in LuaJIT's vararg frames).
 * The frame must fit below L.maxstack (the check of FUNCF/FUNCV).
 */
export function pushLuaFrame(
  L: LuaThread, cl: LuaClosure, fidx: number, nargs: number, nresults: number, kind: FrameKind, handler: LuaValue = undefined,
): CallInfo {
  const pt = cl.proto;
  const nparams = pt.numparams;
  let base = fidx + 2;
  let nvarargs = 0;
  let regrows = 0;
  if (pt.flags & PROTO_VARARG) {
    nvarargs = nargs > nparams ? nargs - nparams : 0;
    const newbase = base + nargs + 2;
    if (newbase + pt.framesize > L.stackLimit) growForFrame(L, cl, fidx, newbase + pt.framesize, nresults, kind, handler);
    L.ensureStack(newbase + pt.framesize + 4);
    const stack = L.stack;
    stack[newbase - 2] = cl;
    for (let i = 0; i < nparams; i++) stack[newbase + i] = i < nargs ? stack[base + i] : undefined;
    base = newbase;
  } else {
    if (base + pt.framesize > L.stackLimit) regrows = growForFrame(L, cl, fidx, base + pt.framesize, nresults, kind, handler);
    L.ensureStack(base + pt.framesize + 4);
    const stack = L.stack;
    for (let i = nargs; i < nparams; i++) stack[base + i] = undefined;
  }
  const ci = L.frameAt(++L.depth);
  ci.kind = kind;
  ci.fromNative = false;
  ci.byPcall = false;
  ci.func = cl;
  ci.closure = cl;
  ci.funcIdx = fidx;
  ci.base = base;
  ci.pc = 0;
  ci.nresults = nresults;
  ci.nvarargs = nvarargs;
  ci.handler = handler;
  ci.regrows = regrows;
  L.top = base + pt.framesize;
  return ci;
}

/**
 * A frame reaching `top` does not fit the stack LuaJIT has grown so far:
 * grow it (the count of growths is returned), or raise "stack overflow".
 */
function growForFrame(L: LuaThread, cl: LuaClosure, fidx: number, top: number, nresults: number, kind: FrameKind, handler: LuaValue): number {
  const grown = growStackFor(L, top, cl.proto.framesize);
  if (top > L.maxstack) frameOverflow(L, cl, fidx, nresults, kind, handler);
  return grown;
}

/** A C function gets LUA_MINSTACK free slots above its arguments (vm_growstack_c), or "stack overflow". */
export function nativeStack(L: LuaThread, fn: NativeFunction): void {
  growStackFor(L, L.top + fn.minStack, LUA_MINSTACK);
  if (L.top + fn.minStack > L.maxstack) stackOverflow(L, L.top, false);
}

/** A tail call of cl at fidx reuses frame ci: the callee returns straight to ci's caller. */
function tailCall(L: LuaThread, ci: CallInfo, cl: LuaClosure, fidx: number, nargs: number): void {
  if (L.openUpvals !== null) closeUpvals(L, ci.base);
  const stack = L.stack;
  const dst = ci.funcIdx;
  for (let i = 0; i < nargs + 2; i++) stack[dst + i] = stack[fidx + i];
  const kind = ci.kind;
  const handler = ci.handler;
  const wanted = ci.nresults;
  const fromNative = ci.fromNative; // the callee returns to the same caller, JS or Lua
  L.depth--;
  pushLuaFrame(L, cl, dst, nargs, wanted, kind, handler).fromNative = fromNative;
}

/** Where a frame's results go: its function's slot, or for a pcall/xpcall frame pcall's own slot below. */
export function frameResultIdx(ci: CallInfo): number {
  return ci.kind === FrameKind.PCALL ? ci.funcIdx - 2 : ci.kind === FrameKind.XPCALL ? ci.funcIdx - 3 : ci.funcIdx;
}

// -- Stack overflow ----------------------------------------------------------------

/**
 * The frame of cl at fidx does not fit (lj_state_growstack called from a
 * function header). The frame is pushed all the same, so that a pcall frame
 * still catches the error: as a dummy without a function (tracebacks skip
 * it, the message has no position) when even its fixed part passes the
 * limit, else (a vararg frame whose varargs did not fit) as the function
 * stopped at its first instruction, which the message then names.
 */
function frameOverflow(L: LuaThread, cl: LuaClosure, fidx: number, nresults: number, kind: FrameKind, handler: LuaValue): never {
  const top = fidx + 2 + cl.proto.framesize;
  const fits = top <= L.maxstack;
  const ci = L.frameAt(++L.depth);
  ci.kind = kind;
  ci.fromNative = false;
  ci.func = fits ? cl : null;
  ci.closure = fits ? cl : null;
  ci.funcIdx = fidx;
  ci.base = fidx + 2;
  ci.pc = fits ? 2 : 0;
  ci.nresults = nresults;
  ci.nvarargs = 0;
  ci.handler = handler;
  return stackOverflow(L, fits ? top : fidx + 2, fits);
}

/**
 * Raise "stack overflow" with the message at stack slot `top`
 * (lj_state_growstack's error path). The limit is raised so that an error
 * handler has room to run; it comes back down when a pcall catches the
 * error. An overflow while it is raised aborts the handler (LUA_ERRERR).
 * DIVERGENCE: the interpreter's checks only; compiled traces check elsewhere (see docs/divergences.md).
 */
export function stackOverflow(L: LuaThread, top: number, located: boolean): never {
  L.top = top;
  if (L.maxstack > LJ_STACK_MAX) {
    const abort = new LuaError(ERRMSG.STKOV);
    abort.withoutHandler = ERRMSG.STKOV;
    throw abort;
  }
  L.maxstack = LJ_STACK_ERRMAX;
  const e = new LuaError((located ? locationPrefix(L) : "") + ERRMSG.STKOV);
  e.top = top;
  if (!hasHandlerRoom(L, top)) e.withoutHandler = ERRMSG.STKOV;
  throw e;
}

/** lj_err_run calls a message handler only with 2*LUA_MINSTACK free slots above the message (at top). */
function hasHandlerRoom(L: LuaThread, top: number): boolean {
  return L.maxstack - (top + 1) > 2 * LUA_MINSTACK;
}

/**
 * The error a message handler (xpcall's, luajit's traceback) gets called for.
 * Without room for it above the message the error becomes a stack overflow
 * (the raised limit may then make room), or aborts the handler if the limit
 * is raised already; withoutHandler tells when no handler runs.
 */
export function handlerError(L: LuaThread, err: LuaError): LuaError {
  if (err.withoutHandler !== undefined || err.top < 0 || hasHandlerRoom(L, err.top)) return err;
  const ci = L.frames[L.depth];
  try {
    return stackOverflow(L, err.top, ci.closure !== null && !nativeRunning(L));
  } catch (e) {
    return e as LuaError;
  }
}

/** lj_state_relimitstack: an error caught with its message at slot top-1 brings the limit back down. */
function relimitStack(L: LuaThread, top: number): void {
  if (L.maxstack > LJ_STACK_MAX && top < LJ_STACK_MAX - 1) L.maxstack = LJ_STACK_MAX;
}

// -- Error recovery ----------------------------------------------------------------

/**
 * The Lua error an exception stands for (a table operation's error gets the
 * position where it happened, a JS engine limit becomes a Lua error), or
 * undefined if it is not a Lua error (a halt, a bug).
 */
export function toLuaError(L: LuaThread, e: unknown): LuaError | undefined {
  let err: LuaError;
  if (e instanceof LuaError) err = e;
  else if (e instanceof TableError) err = new LuaError(errorWithLocation(L, e.message));
  else if (e instanceof RangeError && /call stack/i.test(e.message)) err = new LuaError(errorWithLocation(L, ERRMSG.STKOV));
  else if (isMemoryRangeError(e)) err = memoryError();
  else return undefined;
  if (err.top < 0) err.top = L.top;
  L.state.jit?.errorThrown?.();
  return err;
}

function errorWithLocation(L: LuaThread, msg: string): LuaValue {
  try {
    runtimeError(L, msg);
  } catch (e) {
    return (e as LuaError).value;
  }
}

/**
 * Unwind to the innermost pcall/xpcall frame at or above entryDepth. Returns
 * false if there is none (the error propagates to the JS caller).
 */
function recover(L: LuaThread, err: LuaError, entryDepth: number): boolean {
  let d = L.depth;
  while (d >= entryDepth && L.frames[d].kind !== FrameKind.PCALL && L.frames[d].kind !== FrameKind.XPCALL) d--;
  if (d < entryDepth) return false;
  const ci = L.frames[d];
  let value = err.value;
  if (ci.kind === FrameKind.XPCALL) {
    const herr = handlerError(L, err);
    if (herr.withoutHandler !== undefined) {
      value = herr.withoutHandler;
    } else {
      // The handler runs where the error happened, so a traceback sees those frames
      // (a dummy frame left by a stack overflow holds nothing).
      L.top = Math.max(L.top, ci.closure === null ? ci.base : ci.base + 1);
      value = runHandler(L, ci.handler, herr.value);
    }
  }
  closeUpvals(L, ci.funcIdx);
  L.depth = d;
  relimitStack(L, frameResultIdx(ci) + 3);
  const stack = L.stack;
  stack[ci.base] = false;
  stack[ci.base + 1] = value;
  returnFrom(L, ci, ci.base, 2, entryDepth, true);
  return true;
}

/**
 * Copy n results from stack[src..] to the frame's funcIdx, pop the frame, and
 * adjust them for the caller. pcall frames prepend true (unless `error`).
 * Leaves L.top = one past the last result.
 */
function finishReturn(L: LuaThread, ci: CallInfo, src: number, n: number, prependTrue: boolean): void {
  const stack = L.stack;
  const ret = frameResultIdx(ci);
  let dst = ret;
  if (prependTrue) {
    stack[dst++] = true;
  }
  if (dst !== src) for (let i = 0; i < n; i++) stack[dst + i] = stack[src + i];
  let total = n + (prependTrue ? 1 : 0);
  const wanted = ci.nresults;
  if (wanted >= 0) {
    for (let i = total; i < wanted; i++) stack[ret + i] = undefined;
    total = wanted;
  }
  L.depth--;
  L.top = ret + total;
  L.multres = total;
}

// -- The loop --------------------------------------------------------------------------

/**
 * Run Lua frames until the frame at entryDepth returns. On return its results
 * are at stack[funcIdx .. L.top-1] of that frame.
 */
export function execute(L: LuaThread, entryDepth: number): void {
  const compiledActive = L.state.compiledActive;
  for (;;) {
    // Nested runs and recovered errors leave any straight stretch: report everything again.
    L.state.stopPc = -1;
    try {
      if (run(L, entryDepth)) return;
    } catch (e) {
      L.state.compiledActive = compiledActive; // compiled code the error left
      const err = e instanceof LuaHalt ? undefined : toLuaError(L, e);
      if (err === undefined) throw e;
      if (!recover(L, err, entryDepth)) throw err;
      if (L.depth < entryDepth) return;
    }
  }
}

/** A frame ended with a tail call that could not reuse it: return whatever the callee returned. */
export const TAILRET = K.TAILRET;

/**
 * Run until the frame at entryDepth returns (true). A loop back-edge that
 * ends a tick slice returns false instead, to be called again: V8 first
 * compiles this loop on-stack-replaced, where it cannot type the values
 * that enter at the loop header, and calls let it compile a normal version.
 */
function run(L: LuaThread, entryDepth: number): boolean {
  const S = L.state;
  let multres = L.multres;
  let interpretTop = false;
  outer: for (;;) {
    const ci = L.frames[L.depth];
    const cl = ci.closure as LuaClosure;
    const pt = cl.proto;
    if (S.recording === false && S.compile && !interpretTop) {
      // Compiled code runs the frame unless the recorder must see each instruction.
      const js = compiledFor(pt);
      if (js !== null) {
        L.multres = multres;
        S.compiledActive++;
        const exit = js(L, ci, entryDepth);
        S.compiledActive--;
        if (exit === JsExit.done) return true;
        if (exit === JsExit.slice) {
          sliceEnd(L);
          return false;
        }
        multres = L.multres;
        // Interpret the top frame, which nested compiled calls may have changed.
        if (exit === JsExit.frameChanged || L.frames[L.depth] !== ci) {
          interpretTop = exit === JsExit.interpret;
          continue;
        }
      }
    }
    interpretTop = false;
    const bc = pt.bc;
    const kgc = pt.kgc;
    const knum = pt.knum;
    const khash = pt.khash ?? constantHashes(pt);
    // `| 0`: V8 then keeps these as untagged int32 instead of re-checking a Smi at each use.
    const base = ci.base | 0;
    let stack = L.stack;
    let pc = ci.pc | 0;
    // S.recording and S.counting change only in calls out of this loop (hooks,
    // natives, metamethods): pure instructions `continue`, and the rest reach
    // the re-read after the switch. That keeps two loads off every instruction.
    // They are tested with `=== true`: in on-stack-replaced code V8 does not
    // know they are booleans, and a plain truth test becomes a generic ToBoolean.
    let recording = S.recording;
    let counting = S.counting;
    for (;;) {
      if (recording === true && (S.stopPc < 0 || S.stopPc === pc)) {
        // The recorder sees each instruction before it runs (and may patch it);
        // a running trace may ask only for the end of a straight stretch (stopPc),
        // or run on in its compiled code from here.
        ci.pc = pc;
        L.multres = multres;
        const how = (S.jit as JitHooks).record(L, pt, pc, entryDepth);
        if (how !== RecordResult.go) {
          multres = L.multres;
          if (how === RecordResult.slice) { sliceEnd(L); return false; }
          if (how === RecordResult.done) return true;
          continue outer;
        }
        stack = L.stack;
        recording = S.recording;
        counting = S.counting;
      }
      const ins = bc[pc++];
      const op = ins & 0xff;
      const a = (ins >>> 8) & 0xff;
      switch (op) {
        // -- Comparisons: the next instruction is the JMP taken when true. ----------
        case BC.ISLT: {
          const x = stack[base + a];
          const y = stack[base + (ins >>> 16)];
          if (typeof x === "number" && typeof y === "number") {
            pc += x < y ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
            continue;
          }
          pc += compareSlow(L, ci, pc, x, y, op) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          break;
        }
        case BC.ISGE: {
          const x = stack[base + a];
          const y = stack[base + (ins >>> 16)];
          if (typeof x === "number" && typeof y === "number") {
            pc += !(x < y) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
            continue;
          }
          pc += compareSlow(L, ci, pc, x, y, op) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          break;
        }
        case BC.ISLE: {
          const x = stack[base + a];
          const y = stack[base + (ins >>> 16)];
          if (typeof x === "number" && typeof y === "number") {
            pc += x <= y ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
            continue;
          }
          pc += compareSlow(L, ci, pc, x, y, op) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          break;
        }
        case BC.ISGT: {
          const x = stack[base + a];
          const y = stack[base + (ins >>> 16)];
          if (typeof x === "number" && typeof y === "number") {
            pc += !(x <= y) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
            continue;
          }
          pc += compareSlow(L, ci, pc, x, y, op) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          break;
        }
        case BC.ISEQV: case BC.ISNEV: {
          const x = stack[base + a];
          const y = stack[base + (ins >>> 16)];
          let r = x === y;
          if (!r && typeof x === "object" && typeof y === "object") {
            ci.pc = pc;
            L.top = base + pt.framesize;
            r = meta.equals(L, x, y);
            pc += r === (op === BC.ISEQV) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
            break;
          }
          pc += r === (op === BC.ISEQV) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          continue;
        }
        case BC.ISEQS: case BC.ISNES: {
          const r = stack[base + a] === kgc[ins >>> 16];
          pc += r === (op === BC.ISEQS) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          continue;
        }
        case BC.ISEQN: case BC.ISNEN: {
          const r = stack[base + a] === knum[ins >>> 16];
          pc += r === (op === BC.ISEQN) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          continue;
        }
        case BC.ISEQP: case BC.ISNEP: {
          const d = ins >>> 16;
          const r = stack[base + a] === (d === 0 ? undefined : d === 2);
          pc += r === (op === BC.ISEQP) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          continue;
        }
        case BC.ISTC: case BC.ISFC: {
          const v = stack[base + (ins >>> 16)];
          if ((v !== undefined && v !== false) === (op === BC.ISTC)) {
            stack[base + a] = v;
            pc += (bc[pc] >>> 16) - K.BCBIAS_J + 1;
          } else {
            pc++;
          }
          continue;
        }
        case BC.IST: case BC.ISF: {
          const v = stack[base + (ins >>> 16)];
          pc += (v !== undefined && v !== false) === (op === BC.IST) ? (bc[pc] >>> 16) - K.BCBIAS_J + 1 : 1;
          continue;
        }

        case BC.ISTYPE: case BC.ISNUM: {
          // Argument checks of the library functions written in Lua (lualib.ts).
          const v = stack[base + a];
          const d = ins >>> 16;
          if (d === IsType.tab ? v instanceof LuaTable : d === IsType.num ? typeof v === "number" :
            d === IsType.str ? typeof v === "string" : isFunction(v)) continue;
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.istype(L, a, d, v);
          break;
        }

        // -- Unary ops -----------------------------------------------------------------
        case BC.MOV:
          stack[base + a] = stack[base + (ins >>> 16)];
          continue;
        case BC.NOT: {
          const v = stack[base + (ins >>> 16)];
          stack[base + a] = v === undefined || v === false;
          continue;
        }
        case BC.UNM: {
          const d = ins >>> 16;
          const v = stack[base + d];
          if (typeof v === "number") {
            stack[base + a] = -v;
            continue;
          }
          ci.pc = pc;
          L.top = base + pt.framesize;
          stack[base + a] = meta.unm(L, v, d);
          break;
        }
        case BC.LEN: {
          const d = ins >>> 16;
          const v = stack[base + d];
          if (typeof v === "string") {
            stack[base + a] = v.length;
            continue;
          }
          if (v instanceof LuaTable) {
            stack[base + a] = v.length();
            continue;
          }
          ci.pc = pc;
          L.top = base + pt.framesize;
          stack[base + a] = meta.len(L, v, d);
          break;
        }

        // -- Arithmetic: one case per opcode, so the fast path is a type check and the op.
        case BC.ADDVN: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = x + knum[(ins >>> 16) & 0xff]; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, knum[(ins >>> 16) & 0xff], 0, ins >>> 24, -1);
          break;
        }
        case BC.SUBVN: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = x - knum[(ins >>> 16) & 0xff]; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, knum[(ins >>> 16) & 0xff], 1, ins >>> 24, -1);
          break;
        }
        case BC.MULVN: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = x * knum[(ins >>> 16) & 0xff]; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, knum[(ins >>> 16) & 0xff], 2, ins >>> 24, -1);
          break;
        }
        case BC.DIVVN: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = x / knum[(ins >>> 16) & 0xff]; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, knum[(ins >>> 16) & 0xff], 3, ins >>> 24, -1);
          break;
        }
        case BC.MODVN: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = luaMod(x, knum[(ins >>> 16) & 0xff]); continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, knum[(ins >>> 16) & 0xff], 4, ins >>> 24, -1);
          break;
        }
        case BC.ADDNV: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = knum[(ins >>> 16) & 0xff] + x; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, knum[(ins >>> 16) & 0xff], x, 0, -1, ins >>> 24);
          break;
        }
        case BC.SUBNV: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = knum[(ins >>> 16) & 0xff] - x; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, knum[(ins >>> 16) & 0xff], x, 1, -1, ins >>> 24);
          break;
        }
        case BC.MULNV: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = knum[(ins >>> 16) & 0xff] * x; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, knum[(ins >>> 16) & 0xff], x, 2, -1, ins >>> 24);
          break;
        }
        case BC.DIVNV: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = knum[(ins >>> 16) & 0xff] / x; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, knum[(ins >>> 16) & 0xff], x, 3, -1, ins >>> 24);
          break;
        }
        case BC.MODNV: {
          const x = stack[base + (ins >>> 24)];
          if (typeof x === "number") { stack[base + a] = luaMod(knum[(ins >>> 16) & 0xff], x); continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, knum[(ins >>> 16) & 0xff], x, 4, -1, ins >>> 24);
          break;
        }
        case BC.ADDVV: {
          const x = stack[base + (ins >>> 24)];
          const y = stack[base + ((ins >>> 16) & 0xff)];
          if (typeof x === "number" && typeof y === "number") { stack[base + a] = x + y; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, y, 0, ins >>> 24, (ins >>> 16) & 0xff);
          break;
        }
        case BC.SUBVV: {
          const x = stack[base + (ins >>> 24)];
          const y = stack[base + ((ins >>> 16) & 0xff)];
          if (typeof x === "number" && typeof y === "number") { stack[base + a] = x - y; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, y, 1, ins >>> 24, (ins >>> 16) & 0xff);
          break;
        }
        case BC.MULVV: {
          const x = stack[base + (ins >>> 24)];
          const y = stack[base + ((ins >>> 16) & 0xff)];
          if (typeof x === "number" && typeof y === "number") { stack[base + a] = x * y; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, y, 2, ins >>> 24, (ins >>> 16) & 0xff);
          break;
        }
        case BC.DIVVV: {
          const x = stack[base + (ins >>> 24)];
          const y = stack[base + ((ins >>> 16) & 0xff)];
          if (typeof x === "number" && typeof y === "number") { stack[base + a] = x / y; continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, y, 3, ins >>> 24, (ins >>> 16) & 0xff);
          break;
        }
        case BC.MODVV: {
          const x = stack[base + (ins >>> 24)];
          const y = stack[base + ((ins >>> 16) & 0xff)];
          if (typeof x === "number" && typeof y === "number") { stack[base + a] = luaMod(x, y); continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, y, 4, ins >>> 24, (ins >>> 16) & 0xff);
          break;
        }
        case BC.POW: {
          const x = stack[base + (ins >>> 24)];
          const y = stack[base + ((ins >>> 16) & 0xff)];
          if (typeof x === "number" && typeof y === "number") { stack[base + a] = luaPow(x, y); continue; }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.arith(L, x, y, 5, ins >>> 24, (ins >>> 16) & 0xff);
          break;
        }
        case BC.CAT: {
          const b = ins >>> 24;
          const c = (ins >>> 16) & 0xff;
          const x = stack[base + b];
          const y = stack[base + c];
          if (c === b + 1 && typeof x === "string" && typeof y === "string") {
            stack[base + a] = x + y;
            continue;
          }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.concat(L, base + b, base + c);
          break;
        }

        // -- Constants -------------------------------------------------------------------
        case BC.KSTR:
          stack[base + a] = kgc[ins >>> 16] as string;
          continue;
        case BC.KSHORT:
          stack[base + a] = ins >> 16;
          continue;
        case BC.KNUM:
          stack[base + a] = knum[ins >>> 16];
          continue;
        case BC.KPRI: {
          const d = ins >>> 16;
          stack[base + a] = d === 0 ? undefined : d === 2;
          continue;
        }
        case BC.KNIL: {
          const d = ins >>> 16;
          for (let i = a; i <= d; i++) stack[base + i] = undefined;
          continue;
        }

        // -- Upvalues and closures ---------------------------------------------------------
        case BC.UGET:
          stack[base + a] = cl.upvals[ins >>> 16].get();
          continue;
        case BC.USETV:
          cl.upvals[a].set(stack[base + (ins >>> 16)]);
          continue;
        case BC.USETS:
          cl.upvals[a].set(kgc[ins >>> 16] as string);
          continue;
        case BC.USETN:
          cl.upvals[a].set(knum[ins >>> 16]);
          continue;
        case BC.USETP: {
          const d = ins >>> 16;
          cl.upvals[a].set(d === 0 ? undefined : d === 2);
          continue;
        }
        case BC.UCLO:
          if (L.openUpvals !== null) closeUpvals(L, base + a);
          pc += (ins >>> 16) - K.BCBIAS_J;
          continue;
        case BC.FNEW:
          stack[base + a] = newClosure(L, cl, base, kgc[ins >>> 16] as Proto);
          continue;

        // -- Tables ------------------------------------------------------------------------
        case BC.TNEW:
          stack[base + a] = LuaTable.fromTNEW(ins >>> 16);
          continue;
        case BC.TDUP:
          stack[base + a] = LuaTable.fromTemplate(kgc[ins >>> 16] as TemplateTable);
          continue;
        case BC.GGET: {
          const env = cl.env;
          const key = kgc[ins >>> 16] as string;
          const v = env.getStrH(key, khash[ins >>> 16]);
          if (v !== undefined || env.metatable === undefined) {
            stack[base + a] = v;
            continue;
          }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.indexStr(L, env, key, khash[ins >>> 16], -1);
          break;
        }
        case BC.GSET: {
          const env = cl.env;
          const key = kgc[ins >>> 16] as string;
          if (env.metatable === undefined) {
            env.setStrH(key, khash[ins >>> 16], stack[base + a]);
            continue;
          }
          ci.pc = pc; L.top = base + pt.framesize;
          meta.setIndexStr(L, env, key, khash[ins >>> 16], stack[base + a], -1);
          break;
        }
        case BC.TGETV: {
          const b = ins >>> 24;
          const t = stack[base + b];
          const k = stack[base + ((ins >>> 16) & 0xff)];
          if (t instanceof LuaTable) {
            let v: LuaValue;
            if (typeof k === "number") {
              // The array part inline: the common t[i].
              const i = k | 0;
              v = i === k && i >= 0 && i < t.asize ? t.arr[i] : t.get(k);
            } else {
              v = t.get(k);
            }
            if (v !== undefined || t.metatable === undefined) {
              stack[base + a] = v;
              continue;
            }
          }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.index(L, t, k, b);
          break;
        }
        case BC.TGETR: {
          // Only the library functions written in Lua use TGETR/TSETR, on a
          // checked table and number: raw, with the key truncated to int32 (cvttsd2si).
          const t = stack[base + (ins >>> 24)] as LuaTable;
          const k = stack[base + ((ins >>> 16) & 0xff)] as number;
          stack[base + a] = t.getInt((k | 0) === k ? k : toInt32(k));
          continue;
        }
        case BC.TGETS: {
          const b = ins >>> 24;
          const t = stack[base + b];
          const k = kgc[(ins >>> 16) & 0xff] as string;
          if (t instanceof LuaTable) {
            // The hash chain walk of LuaTable.getStrH, inline: field reads are this common.
            const node = t.node;
            let n = (khash[(ins >>> 16) & 0xff] & t.hmask) << 2;
            let v: LuaValue;
            do {
              if (node[n] === k) { v = node[n + NodeSlot.VAL]; break; }
              n = node[n + NodeSlot.NEXT] as number;
            } while (n >= 0);
            if (v !== undefined || t.metatable === undefined) {
              stack[base + a] = v;
              continue;
            }
          }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.indexStr(L, t, k, khash[(ins >>> 16) & 0xff], b);
          break;
        }
        case BC.TGETB: {
          const b = ins >>> 24;
          const t = stack[base + b];
          const k = (ins >>> 16) & 0xff;
          if (t instanceof LuaTable) {
            const v = k < t.asize ? t.arr[k] : t.getInt(k);
            if (v !== undefined || t.metatable === undefined) {
              stack[base + a] = v;
              continue;
            }
          }
          ci.pc = pc; L.top = base + pt.framesize;
          stack[base + a] = meta.index(L, t, k, b);
          break;
        }
        case BC.TSETR: {
          const t = stack[base + (ins >>> 24)] as LuaTable;
          const k = stack[base + ((ins >>> 16) & 0xff)] as number;
          t.setInt((k | 0) === k ? k : toInt32(k), stack[base + a]);
          continue;
        }
        case BC.TSETV: {
          const b = ins >>> 24;
          const t = stack[base + b];
          const k = stack[base + ((ins >>> 16) & 0xff)];
          if (t instanceof LuaTable && t.metatable === undefined) {
            if (typeof k === "number") {
              // The array part inline: the common t[i] = v.
              const i = k | 0;
              if (i === k && i >= 0 && i < t.asize) {
                t.arr[i] = stack[base + a];
                continue;
              }
            }
            ci.pc = pc; // for the error of a nil or NaN key
            if (typeof k === "number" || typeof k === "string") t.set(k, stack[base + a]);
            else meta.rawSet(L, t, k, stack[base + a]);
            continue;
          }
          ci.pc = pc; L.top = base + pt.framesize;
          meta.setIndex(L, t, k, stack[base + a], b);
          break;
        }
        case BC.TSETS: {
          const b = ins >>> 24;
          const t = stack[base + b];
          const k = kgc[(ins >>> 16) & 0xff] as string;
          if (t instanceof LuaTable && t.metatable === undefined) {
            // An existing key is updated inline (LuaTable.setStrH's chain walk); a new one is inserted there.
            const node = t.node;
            let n = (khash[(ins >>> 16) & 0xff] & t.hmask) << 2;
            do {
              if (node[n] === k) { node[n + NodeSlot.VAL] = stack[base + a]; break; }
              n = node[n + NodeSlot.NEXT] as number;
            } while (n >= 0);
            if (n < 0) t.setStrH(k, khash[(ins >>> 16) & 0xff], stack[base + a]);
            continue;
          }
          ci.pc = pc; L.top = base + pt.framesize;
          meta.setIndexStr(L, t, k, khash[(ins >>> 16) & 0xff], stack[base + a], b);
          break;
        }
        case BC.TSETB: {
          const b = ins >>> 24;
          const t = stack[base + b];
          const k = (ins >>> 16) & 0xff;
          if (t instanceof LuaTable && t.metatable === undefined) {
            if (k < t.asize) t.arr[k] = stack[base + a];
            else t.setInt(k, stack[base + a]);
            continue;
          }
          ci.pc = pc; L.top = base + pt.framesize;
          meta.setIndex(L, t, k, stack[base + a], b);
          break;
        }
        case BC.TSETM: {
          // A-1 is the table; store A .. A+MULTRES-1 from index knum[D] - 2^52 on.
          const t = stack[base + a - 1] as LuaTable;
          let idx = knum[ins >>> 16] - 4503599627370496;
          const n = multres;
          if (n > 0) {
            if (idx + n > t.asize) t.reasize(idx + n);
            for (let i = 0; i < n; i++) t.setInt(idx++, stack[base + a + i]);
          }
          continue;
        }

        // -- Calls -------------------------------------------------------------------------------
        case BC.CALLM: case BC.CALL: case BC.CALLMT: case BC.CALLT: {
          if (op === BC.CALL) {
            // The common call of a Lua function first; anything else takes the general path.
            const fn = stack[base + a];
            if (fn instanceof LuaClosure) {
              ci.pc = pc;
              if (--S.ticks <= 0) sliceEnd(L);
              pushLuaFrame(L, fn, base + a, ((ins >>> 16) & 0xff) - 1, (ins >>> 24) - 1, FrameKind.LUA);
              continue outer;
            }
          }
          const isTail = op === BC.CALLMT || op === BC.CALLT;
          let nargs: number;
          let nresults: number;
          if (op === BC.CALL) { nargs = ((ins >>> 16) & 0xff) - 1; nresults = (ins >>> 24) - 1; }
          else if (op === BC.CALLM) { nargs = ((ins >>> 16) & 0xff) + multres; nresults = (ins >>> 24) - 1; }
          else if (op === BC.CALLT) { nargs = (ins >>> 16) - 1; nresults = -1; }
          else { nargs = (ins >>> 16) + multres; nresults = -1; }
          const fidx = base + a;
          ci.pc = pc;
          if (--S.ticks <= 0) { sliceEnd(L); stack = L.stack; }
          let fn = stack[fidx];
          if (!(fn instanceof LuaClosure) && !(fn instanceof NativeFunction)) {
            L.top = fidx + 2 + nargs;
            fn = resolveCall(L, fidx, nargs, a);
            nargs++;
          }
          if (fn instanceof LuaClosure) {
            if (isTail && ci.kind !== FrameKind.NATIVE) {
              tailCall(L, ci, fn, fidx, nargs);
            } else {
              pushLuaFrame(L, fn, fidx, nargs, nresults, FrameKind.LUA);
            }
            continue outer;
          }
          // Native function (pcall/xpcall become frames).
          if (fn === pcallMarker || fn === xpcallMarker) {
            if (enterPcall(L, fidx, nargs, isTail ? K.TAILRET : nresults, fn === xpcallMarker)) continue outer;
            if (L.status === "suspended") {
              // pcall(coroutine.yield, ...): suspend as the yield would; resume delivers true and its arguments.
              L.pendingCall = fidx;
              L.pendingResults = isTail ? K.TAILRET : nresults;
              L.pendingPcall = true;
              return true;
            }
            finishNative(L, fidx, fidx, L.top - fidx, isTail ? -1 : nresults);
          } else {
            L.top = fidx + 2 + nargs;
            if (L.top + (fn as NativeFunction).minStack > L.stackLimit) nativeStack(L, fn as NativeFunction);
            L.nativeFromJs = false;
            const n = (fn as NativeFunction).fn(L, fidx + 2, nargs);
            if (n < 0) {
              // coroutine.yield: suspend; resume delivers its arguments as this call's results.
              L.pendingCall = fidx;
              L.pendingResults = isTail ? K.TAILRET : nresults;
              return true;
            }
            finishNative(L, fidx, fidx + 2, n, isTail ? -1 : nresults);
          }
          multres = L.top - fidx;
          if (isTail) {
            // Return the native's results from this frame.
            if (returnFrom(L, ci, fidx, multres, entryDepth)) return true;
            multres = L.multres;
            continue outer;
          }
          L.top = base + pt.framesize;
          break;
        }
        case BC.ITERC: {
          // A, A+2, A+3 = A-3, A-2, A-1; call A with 2 args, B-1 results.
          const fidx = base + a;
          stack[fidx] = stack[fidx - 3];
          stack[fidx + 2] = stack[fidx - 2];
          stack[fidx + 3] = stack[fidx - 1];
          const nresults = (ins >>> 24) - 1;
          ci.pc = pc;
          let fn = stack[fidx];
          let nargs = 2;
          if (!(fn instanceof LuaClosure) && !(fn instanceof NativeFunction)) {
            L.top = fidx + 4;
            fn = resolveCall(L, fidx, 2, a); // a temporary: no name (not the generator local)
            nargs = 3;
          }
          if (fn instanceof LuaClosure) {
            pushLuaFrame(L, fn, fidx, nargs, nresults, FrameKind.LUA);
            continue outer;
          }
          L.top = fidx + 2 + nargs;
          if (L.top + (fn as NativeFunction).minStack > L.stackLimit) nativeStack(L, fn as NativeFunction);
          L.nativeFromJs = false;
          const n = (fn as NativeFunction).fn(L, fidx + 2, nargs);
          if (n < 0) {
            L.pendingCall = fidx;
            L.pendingResults = nresults;
            return true;
          }
          finishNative(L, fidx, fidx + 2, n, nresults);
          L.top = base + pt.framesize;
          break;
        }
        case BC.ITERN: {
          // Specialised next(): A-2 is the table, A-1 a traversal cursor. On
          // success it jumps with the following ITERL's target, as LuaJIT does.
          if (counting === true) { ci.pc = pc; countHot(L, pt, pc - 1, 2); }
          const t = stack[base + a - 2] as LuaTable;
          const nxt = t.iterate(stack[base + a - 1] as number);
          if (nxt >= 0) {
            stack[base + a - 1] = nxt;
            stack[base + a] = iterOut.key;
            stack[base + a + 1] = iterOut.val;
            pc += (bc[pc] >>> 16) - K.BCBIAS_J + 1;
            if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); }
          } else {
            pc++;
          }
          break;
        }
        case BC.ISNEXT: {
          const fn = stack[base + a - 3];
          if (fn === S.nextFn && stack[base + a - 2] instanceof LuaTable && stack[base + a - 1] === undefined) {
            stack[base + a - 1] = 0;
          } else {
            // Not next(): despecialise this loop for good (ISNEXT -> JMP, ITERN -> ITERC).
            despecialize(L, pt, pc - 1, ins);
            S.jit?.despecialised?.(pt, pc - 1);
          }
          pc += (ins >>> 16) - K.BCBIAS_J;
          break;
        }
        case BC.VARG: {
          const nwant = (ins >>> 24) - 1;
          const nvar = ci.nvarargs;
          const src = ci.funcIdx + 2 + pt.numparams;
          const dst = base + a;
          if (nwant < 0) {
            // All varargs: they must fit below the limit (the frame itself already does).
            if (dst + nvar > L.maxstack) { ci.pc = pc; stackOverflow(L, base + pt.framesize, true); }
            L.ensureStack(dst + nvar + 4);
            stack = L.stack;
            for (let i = 0; i < nvar; i++) stack[dst + i] = stack[src + i];
            multres = nvar;
          } else {
            for (let i = 0; i < nwant; i++) stack[dst + i] = i < nvar ? stack[src + i] : undefined;
          }
          continue;
        }

        // -- Returns -------------------------------------------------------------------------------
        case BC.RETM: case BC.RET: case BC.RET0: case BC.RET1: {
          if (ci.kind === FrameKind.LUA && L.depth > entryDepth && ci.nresults !== K.TAILRET && op !== BC.RETM) {
            // Fast path: a plain Lua frame returning a fixed number of values.
            const n = op === BC.RET1 ? 1 : op === BC.RET0 ? 0 : (ins >>> 16) - 1;
            const dst = ci.funcIdx;
            const src = base + a;
            for (let i = 0; i < n; i++) stack[dst + i] = stack[src + i];
            const wanted = ci.nresults;
            if (wanted >= 0) for (let i = n; i < wanted; i++) stack[dst + i] = undefined;
            L.depth--;
            multres = n;
            L.top = dst + (wanted >= 0 ? wanted : n);
            continue outer;
          }
          const n = op === BC.RET0 ? 0 : op === BC.RET1 ? 1 : op === BC.RET ? (ins >>> 16) - 1 : (ins >>> 16) + multres;
          if (returnFrom(L, ci, base + a, n, entryDepth)) return true;
          multres = L.multres;
          continue outer;
        }

        // -- Loops: the plain ops `continue` unless they called out (hot counting, the budget). --
        case BC.FORI:
          if (!forEnters(L, ci, pc, stack, base + a)) pc += (ins >>> 16) - K.BCBIAS_J;
          continue;
        case BC.JFORI:
          // JFORI enters the loop's trace (the JFORL right before its exit target).
          if (forEnters(L, ci, pc, stack, base + a)) (S.jit as JitHooks).enter(L, pt, pc - 1 + (ins >>> 16) - K.BCBIAS_J);
          else pc += (ins >>> 16) - K.BCBIAS_J;
          break;
        case BC.FORL: case BC.IFORL: {
          const hot = op === BC.FORL && counting === true;
          if (hot) { ci.pc = pc; countHot(L, pt, pc - 1, 2); }
          const ra = base + a;
          const step = stack[ra + 2] as number;
          const idx = (stack[ra] as number) + step;
          if (forStepUp(step) ? idx <= (stack[ra + 1] as number) : idx >= (stack[ra + 1] as number)) {
            stack[ra] = idx;
            stack[ra + 3] = idx;
            pc += (ins >>> 16) - K.BCBIAS_J;
            if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); L.multres = multres; return false; }
          }
          if (hot) break;
          continue;
        }
        case BC.JFORL: {
          const d = (S.jit as JitHooks).startIns(pt, pc - 1) >>> 16; // D holds the trace number
          const ra = base + a;
          const step = stack[ra + 2] as number;
          const idx = (stack[ra] as number) + step;
          if (forStepUp(step) ? idx <= (stack[ra + 1] as number) : idx >= (stack[ra + 1] as number)) {
            stack[ra] = idx;
            stack[ra + 3] = idx;
            (S.jit as JitHooks).enter(L, pt, pc - 1);
            pc += d - K.BCBIAS_J;
            if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); }
          } else {
            (S.jit as JitHooks).loopLeft(pt, pc - 1);
          }
          break;
        }
        case BC.ITERL: case BC.IITERL: {
          const hot = op === BC.ITERL && counting === true;
          if (hot) { ci.pc = pc; countHot(L, pt, pc - 1, 2); }
          const v = stack[base + a];
          if (v !== undefined) {
            stack[base + a - 1] = v;
            pc += (ins >>> 16) - K.BCBIAS_J;
            if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); L.multres = multres; return false; }
          }
          if (hot) break;
          continue;
        }
        case BC.JITERL: {
          const d = (S.jit as JitHooks).startIns(pt, pc - 1) >>> 16;
          const v = stack[base + a];
          if (v !== undefined) {
            stack[base + a - 1] = v;
            (S.jit as JitHooks).enter(L, pt, pc - 1);
            pc += d - K.BCBIAS_J;
            if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); }
          } else {
            (S.jit as JitHooks).loopLeft(pt, pc - 1);
          }
          break;
        }
        case BC.LOOP: case BC.ILOOP: {
          const hot = op === BC.LOOP && counting === true;
          if (hot) { ci.pc = pc; countHot(L, pt, pc - 1, 2); }
          if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); L.multres = multres; return false; }
          if (hot) break;
          continue;
        }
        case BC.JLOOP: {
          // A trace started here: run the instruction it replaced.
          const orig = (S.jit as JitHooks).startIns(pt, pc - 1);
          (S.jit as JitHooks).enter(L, pt, pc - 1);
          const oop = orig & 0xff;
          if (oop === BC.ITERN) {
            const oa = (orig >>> 8) & 0xff;
            const t = stack[base + oa - 2] as LuaTable;
            const nxt = t.iterate(stack[base + oa - 1] as number);
            if (nxt >= 0) {
              stack[base + oa - 1] = nxt;
              stack[base + oa] = iterOut.key;
              stack[base + oa + 1] = iterOut.val;
              pc += (bc[pc] >>> 16) - K.BCBIAS_J + 1;
            } else {
              pc++;
            }
          } else if (oop === BC.RET0 || oop === BC.RET1 || oop === BC.RET) {
            const n = oop === BC.RET0 ? 0 : oop === BC.RET1 ? 1 : (orig >>> 16) - 1;
            if (returnFrom(L, ci, base + ((orig >>> 8) & 0xff), n, entryDepth)) return true;
            multres = L.multres;
            continue outer;
          }
          if (--S.ticks <= 0) { ci.pc = pc; sliceEnd(L); }
          break;
        }
        case BC.JMP:
          pc += (ins >>> 16) - K.BCBIAS_J;
          continue;

        // -- Function headers ----------------------------------------------------------------------
        case BC.FUNCF:
          if (counting === true) { ci.pc = pc; countHot(L, pt, 0, 1 + ci.regrows); break; }
          continue;
        case BC.JFUNCF:
          (S.jit as JitHooks).enter(L, pt, pc - 1);
          break;
        case BC.IFUNCF: case BC.FUNCV: case BC.IFUNCV: case BC.JFUNCV:
          continue;

        default:
          ci.pc = pc;
          throw new Error(`ljscope: cannot interpret opcode ${op} at pc ${pc - 1}`);
      }
      recording = S.recording;
      counting = S.counting;
      stack = L.stack; // sliceEnd may have moved it
    }
  }
}

/**
 * Return n values from stack[src..] out of frame ci. True if that ends the
 * run (it was the entry frame). A caller that made a tail call it could not
 * fold (nresults TAILRET) returns the same values in turn.
 */
export function returnFrom(L: LuaThread, ci: CallInfo, src: number, n: number, entryDepth: number, isError = false): boolean {
  for (;;) {
    const prepend = !isError && (ci.kind === FrameKind.PCALL || ci.kind === FrameKind.XPCALL);
    isError = false;
    const wasDepth = L.depth;
    const tailret = ci.nresults === K.TAILRET;
    if (tailret) ci.nresults = -1;
    finishReturn(L, ci, src, n, prepend);
    if (wasDepth === entryDepth) return true;
    if (!tailret) return false;
    // The caller (now current) made the tail call: return these results from it too
    // (a tail-called pcall's results, true first, start at pcall's own slot).
    const caller = L.frames[L.depth];
    src = frameResultIdx(ci);
    n = L.top - src;
    ci = caller;
  }
}

// -- Helpers of the loop ---------------------------------------------------------------------

/**
 * Hot counting (lj_dispatch.h hotcount): loops subtract 2, calls 1; when the
 * counter would go below zero the simulator is told (lj_trace_hot).
 * DIVERGENCE: counters are per instruction, not 64 shared address-hashed ones.
 */
function countHot(L: LuaThread, pt: Proto, pc: number, dec: number): void {
  const hc = pt.hotcount ?? L.state.initHotcount(pt);
  const v = hc[pc] - dec;
  if (v < 0) (L.state.jit as JitHooks).hot(L, pt, pc);
  else hc[pc] = v;
}

/** Stacks up to this many slots are renewed each tick slice (a copy is a few microseconds). */
const RENEW_MAX_SLOTS = 16384;

/**
 * A tick slice is used up: refill it (or halt), and give the main thread's
 * stack a fresh copy. Why: the stack lives as long as the run, so V8 soon
 * moves it to the old generation, and from then on every store of a new
 * HeapNumber (any double that is not a small integer) into it takes the write
 * barrier's slow path, a remembered-set insert. Stores into a young array skip
 * that; float-heavy loops run about a fifth faster. Only the outermost loop
 * does this (cCalls 1: runMain's call), when no native below it holds the old
 * array; open upvalues are repointed. Coroutine stacks are left alone.
 */
function sliceEnd(L: LuaThread): void {
  budgetExhausted(L);
  const S = L.state;
  const old = L.stack;
  if (S.cCalls !== 1 || L !== S.main || old.length > RENEW_MAX_SLOTS) return;
  const stack = old.slice();
  L.stack = stack;
  for (let uv = L.openUpvals; uv !== null; uv = uv.nextOpen) uv.stack = stack;
}

/** Hashes of a proto's string constants, computed once: field and global access skip hashing. */
function constantHashes(pt: Proto): Int32Array {
  const h = new Int32Array(pt.kgc.length);
  pt.kgc.forEach((k, i) => { if (typeof k === "string") h[i] = strHash(k); });
  pt.khash = h;
  return h;
}

/** ISLT/ISGE/ISLE/ISGT on operands that are not both numbers. */
function compareSlow(L: LuaThread, ci: CallInfo, pc: number, x: LuaValue, y: LuaValue, op: number): boolean {
  ci.pc = pc;
  const pt = (ci.closure as LuaClosure).proto;
  L.top = ci.base + pt.framesize;
  const r = meta.lessThan(L, x, y, op === BC.ISLE || op === BC.ISGT);
  return op === BC.ISGE || op === BC.ISGT ? !r : r;
}

/** Move a native's n results from src to fidx and adjust to nresults; L.top after them. */
function finishNative(L: LuaThread, fidx: number, src: number, n: number, nresults: number): void {
  const stack = L.stack;
  if (src !== fidx) for (let i = 0; i < n; i++) stack[fidx + i] = stack[src + i];
  if (nresults >= 0) {
    for (let i = n; i < nresults; i++) stack[fidx + i] = undefined;
    n = nresults;
  }
  L.top = fidx + n;
}

/**
 * stack[fidx] is not a function: use its __call metamethod, shifting the
 * arguments up so that the object becomes the first one. `slot` names the
 * value in the error message.
 */
function resolveCall(L: LuaThread, fidx: number, nargs: number, slot: number): LuaClosure | NativeFunction {
  const obj = L.stack[fidx];
  const mo = meta.metaLookup(L, obj, "__call", meta.H_CALL);
  if (!(mo instanceof LuaClosure) && !(mo instanceof NativeFunction)) return opTypeError(L, slot, obj, ERRMSG.OPCALL);
  L.ensureStack(fidx + 4 + nargs);
  const stack = L.stack;
  for (let i = fidx + 2 + nargs; i > fidx + 2; i--) stack[i] = stack[i - 1];
  stack[fidx + 2] = obj;
  stack[fidx] = mo;
  return mo;
}

/** ISNEXT saw something other than next(): ISNEXT -> JMP and its ITERN -> ITERC, for good. */
function despecialize(L: LuaThread, pt: Proto, isnextPc: number, ins: number): void {
  const bc = pt.bc;
  bc[isnextPc] = ((ins & ~0xff) | BC.JMP) >>> 0;
  const itern = isnextPc + 1 + ((ins >>> 16) - K.BCBIAS_J);
  if ((bc[itern] & 0xff) !== BC.ITERN) return;
  bc[itern] = ((bc[itern] & ~0xff) | BC.ITERC) >>> 0;
  // Calls of this function still inside the loop hold ITERN's cursor as the control
  // value; the ITERC they run next passes it to next(), which wants the key (LuaJIT's
  // next() accepts its key index there).
  const ctrl = ((ins >>> 8) & 0xff) - 1;
  for (let d = L.depth - 1; d > 0; d--) {
    const ci = L.frames[d];
    if (ci.closure?.proto !== pt || ci.pc <= isnextPc + 1 || ci.pc > itern) continue;
    const t = L.stack[ci.base + ctrl - 1];
    const cursor = L.stack[ci.base + ctrl];
    if (t instanceof LuaTable && typeof cursor === "number") L.stack[ci.base + ctrl] = t.keyBefore(cursor);
  }
}

/** FORI: check the loop's start, stop and step; does the loop run (the index is copied for the body)? */
function forEnters(L: LuaThread, ci: CallInfo, pc: number, stack: LuaValue[], ra: number): boolean {
  if (typeof stack[ra] !== "number" || typeof stack[ra + 1] !== "number" || typeof stack[ra + 2] !== "number") {
    ci.pc = pc;
    forCoerce(L, stack, ra);
  }
  const idx = stack[ra] as number;
  const stop = stack[ra + 1] as number;
  const step = stack[ra + 2] as number;
  if (!(forStepUp(step) ? idx <= stop : idx >= stop)) return false; // NaN bounds do not enter
  stack[ra + 3] = idx;
  return true;
}

/**
 * lj_meta_for: numeric strings among a FORI's start, limit and step become
 * numbers in their slots. Returns the error for the first that cannot, or
 * undefined. (The JIT recorder runs it too, rec_for.)
 */
export function forNumbers(stack: LuaValue[], ra: number): string | undefined {
  for (let i = 0; i < 3; i++) {
    const n = meta.toNumber(stack[ra + i]);
    if (n === undefined) return i === 0 ? ERRMSG.FORINIT : i === 1 ? ERRMSG.FORLIM : ERRMSG.FORSTEP;
    stack[ra + i] = n;
  }
  return undefined;
}

function forCoerce(L: LuaThread, stack: LuaValue[], ra: number): void {
  const err = forNumbers(stack, ra);
  if (err !== undefined) runtimeError(L, err);
}

// -- pcall/xpcall as frames ----------------------------------------------------------------------

/** pcall/xpcall called from JS (e.g. as a sort comparator): a protected call, results at base. */
function pcallFromJs(L: LuaThread, base: number, nargs: number, isX: boolean): number {
  const fidx = base - 2;
  protectedCall(L, fidx, nargs, isX);
  const n = L.top - fidx;
  const stack = L.stack;
  for (let i = n - 1; i >= 0; i--) stack[base + i] = stack[fidx + i];
  return n;
}

/** The base library installs these as pcall and xpcall; the interpreter recognises them. */
export const pcallMarker = new NativeFunction("pcall", (L, base, nargs) => pcallFromJs(L, base, nargs, false));
export const xpcallMarker = new NativeFunction("xpcall", (L, base, nargs) => pcallFromJs(L, base, nargs, true));

/**
 * Rearrange pcall(f, ...) / xpcall(f, h, ...) at fidx into a call of f at fidx.
 * Returns the handler (xpcall) and the number of f's arguments.
 */
function pcallArgs(L: LuaThread, fidx: number, nargs: number, isX: boolean): [LuaValue, number] {
  const stack = L.stack;
  if (nargs < 1) argError(L, 1, ERRMSG.NOVAL);
  let handler: LuaValue = undefined;
  let first = fidx + 3;
  let n = nargs - 1;
  if (isX) {
    if (nargs < 2) argError(L, 2, ERRMSG.NOVAL);
    handler = stack[fidx + 3];
    first = fidx + 4;
    n = nargs - 2;
  }
  stack[fidx] = stack[fidx + 2];
  for (let i = 0; i < n; i++) stack[fidx + 2 + i] = stack[first + i];
  return [handler, n];
}

/**
 * pcall/xpcall from bytecode: run f in a PCALL/XPCALL frame so that an error
 * unwinds to it. True if a Lua frame was pushed; false if f was a native and
 * already returned, with pcall's results at fidx (L.top after them).
 */
function enterPcall(L: LuaThread, fidx: number, nargs: number, nresults: number, isX: boolean): boolean {
  const base = fidx + 2;
  // The fast function's own check: base+nargs+1 past the limit takes the C fallback, which overflows.
  if (base + nargs + 1 > L.maxstack) stackOverflow(L, base + nargs, false);
  const stack = L.stack;
  const fn = stack[base];
  if (fn instanceof LuaClosure && nargs >= (isX ? 2 : 1)) {
    // LuaJIT's layout: f's frame sits above pcall's own (func, link), with f
    // at pcall's base (xpcall: one up, after swapping in the handler), so
    // each pcall costs two slots (xpcall three).
    const handler = isX ? stack[base + 1] : undefined;
    const ffidx = isX ? base + 1 : base;
    const n = nargs - (isX ? 2 : 1);
    L.ensureStack(ffidx + 3 + n);
    const st = L.stack;
    for (let i = ffidx + 1 + n; i > ffidx + 1; i--) st[i] = st[i - 1];
    if (isX) {
      st[base] = handler;
      st[ffidx] = fn;
    }
    pushLuaFrame(L, fn, ffidx, n, nresults, isX ? FrameKind.XPCALL : FrameKind.PCALL, handler);
    return true;
  }
  const [handler, n] = pcallArgs(L, fidx, nargs, isX);
  // A yield may suspend the coroutine from here, with the pcall frame below it (as in LuaJIT),
  // when nothing else stands between: the caller sees L.status "suspended".
  if (fn instanceof NativeFunction && fn.name === "coroutine.yield" && L !== L.state.main && L.state.cCalls === L.cCallsAtResume) {
    L.nativeFromJs = false;
    if (fn.fn(L, fidx + 2, n) < 0) return false;
  }
  runProtectedNative(L, fidx, n, isX, handler);
  return false;
}

/** A protected call made in JS; results (true, ...) or (false, err) at fidx. */
function protectedCall(L: LuaThread, fidx: number, nargs: number, isX: boolean): void {
  const [handler, n] = pcallArgs(L, fidx, nargs, isX);
  runProtectedNative(L, fidx, n, isX, handler);
}

function runProtectedNative(L: LuaThread, fidx: number, n: number, isX: boolean, handler: LuaValue): void {
  const depth = L.depth;
  const stack = L.stack;
  try {
    L.pcallNext = true;
    const cnt = callAtIdx(L, fidx, n);
    for (let i = cnt - 1; i >= 0; i--) stack[fidx + 1 + i] = stack[fidx + i];
    stack[fidx] = true;
    L.top = fidx + cnt + 1;
  } catch (e) {
    const err = e instanceof LuaHalt ? undefined : toLuaError(L, e);
    if (err === undefined) throw e;
    let value = err.value;
    closeUpvals(L, fidx);
    L.depth = depth;
    if (isX) {
      const herr = handlerError(L, err);
      value = herr.withoutHandler ?? runHandler(L, handler, herr.value);
    }
    relimitStack(L, fidx + 3);
    stack[fidx] = false;
    stack[fidx + 1] = value;
    L.top = fidx + 2;
  }
}

/**
 * Call a VM event handler (lj_vmevent_call) above the live part of the current
 * frame: the handler runs whatever instruction the interpreter is about to run,
 * so nothing the frame holds may be overwritten. Returns the error value if the
 * handler raised one (the caller reports it), else undefined; no results.
 */
export function callEventHandler(L: LuaThread, fn: LuaValue, args: readonly LuaValue[]): { error: LuaValue } | undefined {
  const ci = L.frames[L.depth];
  const framesize = ci.closure !== null ? ci.closure.proto.framesize : 0;
  // Multiple results (a CALLM's arguments, a RETM's values) may lie above the frame.
  const fidx = Math.max(L.top, ci.base + framesize + Math.max(0, L.multres));
  const savedTop = L.top;
  const depth = L.depth;
  L.ensureStack(fidx + 2 + args.length + LUA_MINSTACK);
  const stack = L.stack;
  stack[fidx] = fn;
  stack[fidx + 1] = undefined;
  for (let i = 0; i < args.length; i++) stack[fidx + 2 + i] = args[i];
  L.top = fidx + 2 + args.length;
  try {
    callAtIdx(L, fidx, args.length);
    return undefined;
  } catch (e) {
    const err = e instanceof LuaHalt ? undefined : toLuaError(L, e);
    if (err === undefined) throw e;
    closeUpvals(L, fidx);
    L.depth = depth;
    return { error: err.value };
  } finally {
    for (let i = fidx; i < fidx + 2 + args.length; i++) L.stack[i] = undefined;
    L.top = savedTop;
  }
}

/**
 * xpcall's message handler; an error inside it gives "error in error handling"
 * (a stack overflow or memory error that aborted it, its own message).
 */
function runHandler(L: LuaThread, handler: LuaValue, value: LuaValue): LuaValue {
  try {
    return callValue1(L, handler, value);
  } catch (e) {
    const err = e instanceof LuaHalt ? undefined : toLuaError(L, e);
    if (err === undefined) throw e;
    // The handler is the handler of its own errors: lj_err_run's room check comes first.
    return handlerError(L, err).withoutHandler ?? ERRMSG.ERRERR;
  }
}

// -- Compiled prototypes ---------------------------------------------------------------

/** The helpers compiled code calls (src/vm/jsgen/runtime.ts). */
export const jsRuntime: JsRuntime = {
  LuaTable, LuaClosure, NativeFunction, meta, iterOut, pcallMarker, xpcallMarker, luaMod, luaPow, toInt32, isFunction,
  pushLuaFrame, tailCall, returnFrom, finishNative, stackOverflow, nativeStack, closeUpvals, newClosure, compareSlow, forEnters,
  despecialize, compiledFor,
};

/** pt's compiled function, compiled on its first run (null: it stays interpreted). */
function compiledFor(pt: Proto): CompiledProto | null {
  if (pt.jsfn !== undefined) return pt.jsfn as CompiledProto | null;
  const js = compileProto(pt, jsRuntime, pt.khash ?? constantHashes(pt));
  pt.jsfn = js;
  return js;
}
