// A trace's recorded path compiled to one JS function, so that running a
// trace costs about what compiled prototypes cost rather than one report to
// the simulation per bytecode. The code does, step by step along the path,
// what the interpreter does for that bytecode and what the simulation's
// follow() does around it: the step's checks, its branch guard, whether the
// next bytecode is the path's next step, and the wrap into the loop part.
//
// It only takes the fast paths (numbers, plain tables, Lua calls and
// returns, builtins called in place). Anything else hands the step back to
// the interpreter, which reports it and follows as before: compiled code
// leaves the Running cursor exactly where follow() would have left it, so
// the two can take turns at any step. The slots of the trace's first frame
// live in JS locals while its steps run there (V8 then keeps numbers
// unboxed); they are written back to the stack array before anything else
// can read it (leaving, a call out, a frame pushed) and read again after
// anything else may have written it. Other frames' slots stay in the array.
import { BCBIAS_J, bcA, bcB, bcC, bcD, bcOp } from "../bc/ins.ts";
import { IsType, Op, isJOp, isRetOp } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import { NATIVE_IN_PLACE, numLiteral } from "../vm/jsgen/emit.ts";
import { forStepUpCode } from "../util/arith.ts";
import { isClosureCode as isClosure, isNativeCode as isNative, isTableCode as isTable } from "../vm/jsgen/typetests.ts";
import type { JsRuntime } from "../vm/jsgen/runtime.ts";
import { RecordResult } from "../vm/jithooks.ts";
import type { CallInfo, LuaThread } from "../vm/thread.ts";
import { FrameKind } from "../vm/thread.ts";
import type { CalleeSpec } from "./irmodel.ts";
import { CheckKind, type RunPlan } from "./runplan.ts";
import type { Trace } from "./trace.ts";
import { TypeCode } from "./vtype.ts";

/** The part of the simulation's Running record that compiled code reads and writes. */
export interface RunCursor {
  readonly plan: RunPlan;
  /** Stack index of the trace's first frame (an up-recursion's moves one frame deeper each time round). */
  base0: number;
  /** Changes when the record is reused for a new run. */
  readonly gen: number;
  cursor: number;
  inLoop: boolean;
  guard: number;
  guardInLoop: boolean;
  atJop: boolean;
  /** Compiled code handed step `cursor` back: the next report of it is followed, not run compiled. */
  skipJs: boolean;
  /** In a straight-line loop part whose bytecodes are not reported (sim.ts Running.coasting). */
  readonly coasting: boolean;
}

/**
 * What compiled code returns to go on in the compiled code of hub.run, from
 * step hub.chainEntry by hub.chainFn (the simulation's runCompiled loop calls it).
 */
export const CHAIN = -1;

/**
 * The simulation's state that compiled code reads and writes itself when it
 * goes on into another trace through a stub (JitSim's fields of these names):
 * an exit or link taken before then costs no call into the simulation.
 */
export interface ChainState {
  /** Changes whenever a stub's target may have (a word, the trace array, a side trace, compiled code). */
  readonly epoch: number;
  /** The trace being run. */
  run: RunCursor | null;
  /** A pending exit that the interpreter's next J-op would clear (a trace passing its own J-op clears it too). */
  exitedAt: object | null;
  /** The recording in progress, if any. */
  readonly rec: object | null;
  chainEntry: number;
  chainFn: CompiledTrace;
}

/** What compiled trace code calls besides the interpreter's helpers. */
export interface TraceRuntime extends JsRuntime {
  /** The simulation's state for stubs taken inline. */
  hub: ChainState;
  /** Step k's checks, without taking an exit (false: hand the step back, follow() takes it). */
  checksPass(r: RunCursor, k: number, L: LuaThread, pt: Proto, pc: number): boolean;
  /** The path starts again: at step 0, in the loop part if it has one (wrap without coasting). */
  wrapped(r: RunCursor): void;
  /** The trace being run now (null: none). */
  running(): RunCursor | null;
  /** The step before `cursor` went to npc, not the path's next step: its guard (r.guard) fails. */
  branchExit(L: LuaThread, r: RunCursor, ci: CallInfo, npc: number, cursor: number, exitno: number, multres: number): number;
  /** One of step k's checks failed (checksPass said so): its guard fails at pc. */
  checkExit(L: LuaThread, r: RunCursor, ci: CallInfo, k: number, pc: number, multres: number): number;
  /** Step k's inline check of guard r.guard failed at pc, and exit number exitno is taken. */
  checkFailed(L: LuaThread, r: RunCursor, ci: CallInfo, k: number, pc: number, exitno: number, multres: number): number;
  /** The last step of a trace linked to another trace's J-op was followed (follow()'s end of the path). */
  pathEnd(r: RunCursor, branched: boolean): void;
  /** JitHooks.loopLeft, for the linked J-op the last step runs. */
  jitLoopLeft(pt: Proto, pc: number): void;
  /**
   * A linked J-op at (pt, pc) enters its trace and the interpreter would go
   * on at npc (pathEnd, JitHooks.enter and continueAt in one): returns as continueAt.
   */
  linkEnter(L: LuaThread, r: RunCursor, ci: CallInfo, pt: Proto, pc: number, npc: number, multres: number): number;
  /** The running trace's compiled code goes on at step k, in another chunk's function (returns as continueAt). */
  chunkTo(r: RunCursor, k: number): number;
  /** Go on at ci's npc as the interpreter would: in the compiled code of a trace running from there, or back in the interpreter. */
  continueAt(L: LuaThread, ci: CallInfo, npc: number, multres: number): number;
  /** The shared exit of compiled code (sharedExit). */
  leave(L: LuaThread, r: RunCursor, ci: CallInfo, xh: number, xk: number, xpc: number, xe: number, inLoop: boolean, multres: number): number;
}

/**
 * Where compiled code goes when it leaves through its shared exit, as xh
 * says (Leave), with the locals written back; an exit into a side trace
 * through its stub stays in the trace's code (the usual case, and the
 * cheapest), any other exit goes to the simulation (branchExit, checkFailed),
 * which takes a stub too if the exit has one. One function for all traces rather than code in each: code
 * that first runs after V8 optimised a trace's function throws that
 * optimised code away, and compiling a long trace again costs a tenth of a
 * second; this function is warm from the first trace on, and the call to
 * it runs before, whenever a chunk goes on into the next (goOnAt).
 */
export function sharedExit(
  R: TraceRuntime, L: LuaThread, r: RunCursor, ci: CallInfo, xh: number, xk: number, xpc: number, xe: number,
  inLoop: boolean, multres: number,
): number {
  switch (xh) {
    case Leave.chunk:
      L.multres = multres;
      return R.chunkTo(r, xk);
    case Leave.after:
      if ((xe & AFTER_WRAP) !== 0 && !inLoop) R.wrapped(r);
      return leaveHelpers.after(L, r, ci, xpc, xk, (xe & AFTER_JOP) !== 0, multres, (xe & AFTER_SLICE) !== 0);
    case Leave.exitWrapped: case Leave.exit: case Leave.check: {
      if (xh === Leave.exitWrapped && !inLoop) R.wrapped(r);
      if (xh === Leave.check) return R.checkFailed(L, r, ci, xk, xpc, xe, multres);
      return R.branchExit(L, r, ci, xpc, xk, xe, multres);
    }
    default:
      if (xk < 0) return R.checkExit(L, r, ci, ~xk, xpc, multres);
      return leaveHelpers.before(L, r, ci, xpc, xk, true, multres);
  }
}

/** A compiled trace: runs from step `entry` (in the part r.inLoop says); returns a RecordResult. */
export type CompiledTrace = (L: LuaThread, r: RunCursor, entryDepth: number, entry: number) => number;

export interface TraceCode {
  /**
   * The function that runs the trace from step k. A short path has two:
   * one that runs from any step (a switch on the step number, every step a
   * join point), and one that runs from the main entry only, as
   * straight-line code (V8 then keeps values unboxed between steps). A
   * long one is compiled in chunks of at most CHUNK_STEPS steps, each a switch.
   */
  fnAt: CompiledTrace[];
  /** 1: compiled code may start at this step. */
  ok: Uint8Array;
}

/** The function of `code` that runs it from step `entry`. */
export function entryFn(code: TraceCode, entry: number): CompiledTrace {
  return code.fnAt[entry];
}

/** Traces with longer paths stay followed by the interpreter (V8 will not optimise huge functions). */
const MAX_TRACE_STEPS = 1500;

/**
 * Steps per compiled function. V8's optimising compile of a function takes
 * time that grows with its size (about a millisecond per step), and it
 * compiles again whenever a part that had not run yet runs: a long loop
 * body in one function spends seconds in compiles, and runs unoptimised
 * code meanwhile. Going on into the next chunk costs a return and a call.
 */
const CHUNK_STEPS = 64;

interface StepContext {
  T: Trace;
  plan: RunPlan;
  protoIndex: Map<Proto, number>;
  kgcUsed: Set<string>;
  /** Objects the code compares with (callees), bound as X0, X1, ... */
  extra: unknown[];
  /** The instruction a J-op of this trace stands for. */
  startIns: (pt: Proto, pc: number) => number;
  /** 1: step k runs in the trace's first frame (base === base0), whose slots are JS locals. */
  root: Uint8Array;
  /** Slots below this index of the first frame are locals (its prototype's framesize). */
  rootSize: number;
  /** The step being emitted uses the locals (root[k], until code leaves the frame). */
  local: boolean;
  /** The step's checks loaded the value its load reads, into the const lv (null: they did not). */
  loaded: string | null;
  /**
   * And a check that runs in both parts found it is not nil: the load is that
   * value, with no __index to look through (a raw value that is not nil is
   * the result, whatever the metatable).
   */
  loadedSure: boolean;
  /** Locals read and written anywhere (declared, reloaded) and written (spilled). */
  reads: Set<number>;
  writes: Set<number>;
}

/**
 * Placeholders for the code that writes the locals of slots [lo, hi) back to
 * the stack array / reads them again (filled in once all steps are emitted).
 */
const spillRange = (lo: number, hi: number): string => `/*@spill:${lo}:${hi}*/`;
const reloadRange = (lo: number, hi: number): string => `/*@reload:${lo}:${hi}*/`;
const SPILL = spillRange(0, 1 << 30);
const RELOAD = reloadRange(0, 1 << 30);

/** A slot of the current frame, read: a local in the first frame, else the stack array. */
function rd(ctx: StepContext, i: number): string {
  if (ctx.local && i >= 0 && i < ctx.rootSize) { ctx.reads.add(i); return `s${i}`; }
  return slot(i);
}

/** A slot of the current frame, as the target of an assignment. */
function wr(ctx: StepContext, i: number): string {
  if (ctx.local && i >= 0 && i < ctx.rootSize) { ctx.writes.add(i); return `s${i}`; }
  return slot(i);
}

/** A slot counted from the first frame's base (the checks' slots), read. */
function rd0(ctx: StepContext, i: number): string {
  if (ctx.local && i >= 0 && i < ctx.rootSize) { ctx.reads.add(i); return `s${i}`; }
  return `stack[base0 + ${i}]`;
}

/**
 * Before control leaves compiled code or calls out: the guard passed last
 * (kept in the locals g, gl) into r, and in the first frame the locals into
 * the stack array.
 */
function sync(ctx: StepContext): string {
  return `r.guard = g; r.guardInLoop = gl;${ctx.local ? ` ${SPILL}` : ""}`;
}

/** The first frame is left (a call, a tail call, a return): the stack array holds its slots from here. */
function leaveFrame(ctx: StepContext): string {
  if (!ctx.local) return "";
  ctx.local = false;
  return `${SPILL} live = false;`;
}

/**
 * Which steps run in the trace's first frame, from the frame changes along
 * the path: a call into a function (the next step is its header) goes a
 * frame deeper, a return one up; a tail call from the first frame, a
 * return out of it, or a step to another prototype that is neither leaves
 * it for good. A loop that comes back to step 0 from another frame uses no
 * locals at all. Compiled code checks base === base0 where it comes into
 * the first frame (entry, a return), so a step marked here runs there.
 */
function firstFrameSteps(T: Trace, startIns: (pt: Proto, pc: number) => number, wraps: boolean): Uint8Array {
  const n = T.path.length;
  const root = new Uint8Array(n);
  let depth = 0;
  let alive = true;
  for (let k = 0; k < n; k++) {
    root[k] = alive && depth === 0 ? 1 : 0;
    if (k === n - 1) break;
    const { pt, pc } = T.path[k];
    const word = pt.bc[pc];
    const op = bcOp(isJOp(bcOp(word)) ? startIns(pt, pc) : word);
    const next = T.path[k + 1];
    if (isRetOp(op)) depth--;
    if (next.pc === 0) {
      if (op === Op.CALLT || op === Op.CALLMT) { if (depth === 0) alive = false; }
      else depth++;
    } else if (next.pt !== pt && !isRetOp(op)) {
      alive = false;
    }
    if (depth < 0) alive = false;
  }
  if (wraps && root[0] === 1 && root[n - 1] !== 1) root.fill(0);
  return root;
}

/** Ops the simulation may patch (or that are patched): code for them holds only while the word is unchanged. */
function patchable(op: number): boolean {
  return op === Op.FORI || op === Op.FORL || op === Op.ITERL || op === Op.ITERN || op === Op.LOOP ||
    op === Op.FUNCF || op === Op.FUNCV || isRetOp(op) || op === Op.ISNEXT ||
    (op >= Op.JFORI && op <= Op.JFUNCV);
}

/**
 * Which call of a compiled function is its probe: that call does nothing but
 * go through the shared exit and back in (as a chunk going on into itself),
 * so V8 has seen the exit's code run before it optimises the function.
 * Otherwise a trace that links back far more often than it exits has its
 * optimised code thrown away at its first exit, and V8 compiles it again.
 * Not the first call: V8 keeps no type feedback for a function's first few.
 */
const PROBE_CALL = 64;

/** Where the path's last step goes back to step 0 (a continue of the loop around the steps). */
const LOOP_BACK = "/*@loopback*/";

/**
 * Compiled code goes on at step m through the simulation (runCompiled calls
 * the function that runs from there): the next chunk's. Through the shared
 * exit, whose call then runs before V8 optimises the function (sharedExit).
 */
const goOnAt = (m: number): string => `{ xh = ${Leave.chunk}; xk = ${m}; break steps; }`;

const slot = (i: number): string => (i === 0 ? "stack[base]" : `stack[base + ${i}]`);

/** T's compiled code, or null if no step of its path can run compiled. */
export function compileTrace(T: Trace, plan: RunPlan, R: TraceRuntime, startIns: (pt: Proto, pc: number) => number): TraceCode | null {
  const n = T.path.length;
  if (n === 0 || n > MAX_TRACE_STEPS) return null;
  const protos: Proto[] = [];
  const protoIndex = new Map<Proto, number>();
  for (const st of T.path) if (!protoIndex.has(st.pt)) { protoIndex.set(st.pt, protos.length); protos.push(st.pt); }
  if (protos.some((pt) => pt.khash === undefined)) return null; // the interpreter hashes constants on a prototype's first run
  const root = firstFrameSteps(T, startIns, plan.wraps);
  const ctx: StepContext = {
    T, plan, protoIndex, kgcUsed: new Set(), extra: [], startIns,
    root, rootSize: T.path[0].pt.framesize, local: false, loaded: null, loadedSure: false, reads: new Set(), writes: new Set(),
  };
  const ok = new Uint8Array(n);
  const bodies: string[] = [];
  for (let k = 0; k < n; k++) {
    ctx.local = root[k] === 1;
    let body = emitStep(ctx, k);
    if (body !== null) ok[k] = 1;
    else { ctx.local = root[k] === 1; body = stopBefore(ctx, k); }
    bodies.push(`{ ${body} }`);
  }
  if (!ok.includes(1)) return null;
  const exitStubs = constant(ctx, T.exitStubs);
  const main = Math.min(T.entryStep, n - 1);
  const chunked = n > CHUNK_STEPS && root.indexOf(0, CHUNK_STEPS) >= 0;
  const loopBack = chunked ? goOnAt(0) : "k = 0; continue;";
  // Any entry to steps [lo, hi): a switch on k; after the last, `tail`.
  const switchOver = (lo: number, hi: number, tail: string): string => `steps: for (;;) {
      switch (k) {
${goOnIn(bodies.slice(lo, hi).map((b, i) => `case ${lo + i}: ${b}`).join("\n"), lo, hi).replaceAll(LOOP_BACK, loopBack)}
${tail}
        default: throw new Error("ljscope: compiled trace has no step " + k);
      }
    }`;
  const parts: { name: string; entries: string; from: number; to: number }[] = [];
  if (!chunked) {
    // Any entry: a switch on k. The main entry: the path from there, then the loop part as a loop.
    const head = goOnIn(straightFrom(bodies, ok, main, n), 0, 0);
    const mainEntry = main === 0 || !head.includes(LOOP_BACK)
      ? `steps: for (;;) {\n${head.replaceAll(LOOP_BACK, "continue;")}\n    }`
      : `steps: {\n${head.replaceAll(LOOP_BACK, "")}\nfor (;;) {\n${goOnIn(straightFrom(bodies, ok, 0, n), 0, 0).replaceAll(LOOP_BACK, "continue;")}\n}\n    }`;
    parts.push({ name: `trace_${T.traceno}`, entries: switchOver(0, n, ""), from: 0, to: n });
    // A path handed back on the way is entered again in the middle: only the switch is worth V8's compile then.
    if (ok.indexOf(0, main) < 0) parts.push({ name: `trace_${T.traceno}_from${main}`, entries: mainEntry, from: main, to: main + 1 });
  } else {
    // A chunk starts at a step outside the first frame, whose slots are in the stack array
    // already: going on into it writes no local back (and boxes no number).
    const starts = new Set<number>([0, main]);
    for (let k = 1, lo = 0; k < n; k++) if (k - lo >= CHUNK_STEPS && root[k] === 0) starts.add(lo = k);
    const sorted = [...starts].sort((x, y) => x - y);
    // One function per chunk: a long path seldom runs straight through (V8 would compile a
    // straight-line copy of each chunk too, and oop's traces spent more in compiles than they saved).
    sorted.forEach((lo, i) => {
      const hi = i + 1 < sorted.length ? sorted[i + 1] : n;
      parts.push({ name: `trace_${T.traceno}_${lo}to${hi}`, from: lo, to: hi, entries: switchOver(lo, hi, hi < n ? goOnAt(hi) : "") });
    });
  }
  const locals = [...new Set([...ctx.reads, ...ctx.writes])].sort((x, y) => x - y);
  const written = [...ctx.writes].sort((x, y) => x - y);
  const inRange = (lo: string, hi: string) => (i: number): boolean => i >= Number(lo) && i < Number(hi);
  const spillCode = (lo: string, hi: string): string =>
    written.filter(inRange(lo, hi)).map((i) => `stack[base0 + ${i}] = s${i};`).join(" ");
  const reloadCode = (lo: string, hi: string): string =>
    locals.filter(inRange(lo, hi)).map((i) => `s${i} = stack[base0 + ${i}];`).join(" ");
  // In the catch, a leaf builtin's error: the locals below "below" were not written back yet.
  const spillBelow = written.map((i) => `if (${i} < below) stack[base0 + ${i}] = s${i};`).join(" ");
  const declare = locals.length === 0 ? "" : `let ${locals.map((i) => `s${i} = stack[base0 + ${i}]`).join(", ")};`;
  const rootAt = constant(ctx, root);
  const consts = [...ctx.kgcUsed].map((name) => {
    const [j, i] = name.split("_").map(Number);
    return `const k${j}_${i} = PTS[${j}].kgc[${i}]` + (typeof protos[j].kgc[i] === "string" ? `, h${j}_${i} = PTS[${j}].khash[${i}];` : ";");
  });
  const source = (name: string, entries: string): string => `"use strict";
const { ${Object.keys(R).join(", ")} } = R;
${protos.map((_, j) => `const B${j} = PTS[${j}].bc, P${j} = PTS[${j}];`).join("\n")}
${consts.join("\n")}
${ctx.extra.map((_, i) => `const X${i} = EXTRA[${i}];`).join("\n")}
let calls = 0;
return function ${name}(L, r, entryDepth, entry) {
  const S = L.state;
  let base0 = r.base0 | 0;
  let ci = L.frames[L.depth], base = ci.base | 0, cl = ci.closure, stack = L.stack, multres = L.multres, npc = 0;
  // inLoop: in the loop part (r.inLoop). The shared exit leaves as xh says (Leave), with xk, xpc, xe.
  // g, gl: the guard passed last (r.guard, r.guardInLoop), written back when control leaves.
  let k = entry, inLoop = r.inLoop, xh = ${Leave.back}, xk = 0, xpc = 0, xe = 0, g = r.guard, gl = r.guardInLoop;
  // live: the first frame's slots are in the locals s<i> (steps marked in ${rootAt} run in that frame).
  let live = ${rootAt}[entry] === 1, below = 0;
  if (live && base !== base0) return before(L, r, ci, r.plan.pcs[entry], entry, true, multres);
  // probe: this call only goes through the shared exit and back in (PROBE_CALL).
  let probe = false;
  if (calls < ${PROBE_CALL} && ++calls === ${PROBE_CALL}) { probe = true; xh = ${Leave.chunk}; xk = entry; xe = 0; }
  ${declare}
  try {
    if (!probe) {
    ${entries}
    }
  } catch (e) {
    if (live) { ${SPILL} } else if (below > 0) { ${spillBelow} }
    r.guard = g; r.guardInLoop = gl;
    throw e;
  }
  if (live) { ${SPILL} }
  r.guard = g; r.guardInLoop = gl;
  if (xe >= 0 && (xh === ${Leave.exit} || xh === ${Leave.check} || xh === ${Leave.exitWrapped})) {
    // An exit taken before goes on into its side trace's code through the stub (as sim.ts exitRun), without a call.
    // (At the path's end too: the run left, it does not matter that its loop part never started.)
    const st = ${exitStubs}[xe];
    if (st !== undefined && st.epoch === hub.epoch && st.pc === xpc && st.pt === cl.proto && hub.run === r) {
      r.cursor = xk; r.atJop = false; ci.pc = xpc; L.multres = multres;
      const Ts = st.Ts;
      hub.run = st.runner.restart(st.step, Ts.entryFrames === 0 ? ci.base : L.frames[L.depth - Ts.entryFrames].base, st.code);
      S.stopPc = -1; hub.chainEntry = st.step; hub.chainFn = st.fn; return ${CHAIN};
    }
  }
  return leave(L, r, ci, xh, xk, xpc, xe, inLoop, multres);
};`.replace(/\/\*@spill:(\d+):(\d+)\*\//g, (_, lo: string, hi: string) => spillCode(lo, hi))
    .replace(/\/\*@reload:(\d+):(\d+)\*\//g, (_, lo: string, hi: string) => reloadCode(lo, hi));
  const make = (name: string, entries: string): CompiledTrace =>
    (new Function("R", "PTS", "EXTRA", source(name, entries)) as (R: TraceRuntime, PTS: Proto[], EXTRA: unknown[]) => CompiledTrace)(R, protos, ctx.extra);
  const fnAt = new Array<CompiledTrace>(n);
  for (const part of parts) {
    const f = make(part.name, part.entries);
    for (let k = part.from; k < part.to; k++) fnAt[k] = f; // (a chunk's straight-line entry comes after its switch)
  }
  return { fnAt, ok };
}

/**
 * The step bodies from `from` as straight-line code, up to step to - 1
 * or the first step handed back to the interpreter (nothing after it runs).
 */
function straightFrom(bodies: readonly string[], ok: Uint8Array, from: number, to: number): string {
  let last = from;
  while (last < to - 1 && ok[last] === 1) last++;
  return bodies.slice(from, last + 1).join("\n");
}

// -- Leaving compiled code -----------------------------------------------------------------

/**
 * How compiled code leaves through the shared exit at the function's end.
 * Code that seldom runs (exits, the end of a tick slice) goes there rather
 * than writing the locals back itself: V8 throws a function's optimised
 * code away the first time a part of it runs that never ran before, and
 * compiles it again, so every exit with code of its own cost a compile.
 */
const enum Leave {
  /** Hand step xk back (~xk: a check of it failed) at xpc. */
  back = 0,
  /** after(): the interpreter goes on at xpc, expected to be step xk; xe holds the AFTER_ flags. */
  after = 1,
  /** branchExit(): npc xpc is not step xk, the guard's exit is xe (-1: the guard passed last). */
  exit = 2,
  /** As exit, at the path's end: the loop part starts first (wrapped). */
  exitWrapped = 3,
  /** checkFailed(): a check of step xk failed at xpc; its guard is g, its exit xe. */
  check = 4,
  /** chunkTo(): the path goes on at step xk, in the next chunk's function. */
  chunk = 5,
}
const AFTER_JOP = 1;
const AFTER_SLICE = 2;
const AFTER_WRAP = 4;

/** Hand step k back to the interpreter, which reports it (and follows it) before running it. */
function stopBefore(ctx: StepContext, k: number): string {
  return `${sync(ctx)} return before(L, r, ci, ${ctx.T.path[k].pc}, ${k}, false, multres);`;
}

/** Hand step k back for now (compiled code could not take it this time): through the shared exit. */
function backOff(ctx: StepContext, k: number): string {
  return `{ xk = ${k}; xpc = ${ctx.T.path[k].pc}; break steps; }`;
}

/**
 * Step k ran; the interpreter goes on at npc and reports it: if that is not
 * the path's next step, follow() takes the exit of the guard last passed.
 */
function leaveAfter(ctx: StepContext, k: number, npc: string, slice = false): string {
  const n = ctx.T.path.length;
  const last = k === n - 1;
  const flags = (ctx.plan.isJop[k] === 1 ? AFTER_JOP : 0) | (slice ? AFTER_SLICE : 0) | (last && ctx.plan.loopPart ? AFTER_WRAP : 0);
  return `{ xh = ${Leave.after}; xpc = ${npc}; xk = ${last ? 0 : k + 1}; xe = ${flags}; break steps; }`;
}

/** The number of guard's exit, as code (it may differ between the pre-roll and the loop part). */
function exitNumber(ctx: StepContext, guard: number): string {
  const { T, plan } = ctx;
  const exitOf = (inLoop: boolean): number => (T.model !== null ? T.model.exitOf(guard, inLoop) : 0);
  return plan.loopPart && exitOf(true) !== exitOf(false) ? `(inLoop ? ${exitOf(true)} : ${exitOf(false)})` : String(exitOf(false));
}

/** As leaveAfter, when npc is not the path's next step: the exit is taken at once. */
function exitAfter(ctx: StepContext, k: number, npc: string): string {
  const { T, plan } = ctx;
  const n = T.path.length;
  const last = k === n - 1;
  const branch = plan.branch[k];
  // Without a branch guard of its own, the step fails the guard passed last (known only at run time: -1).
  const exitno = branch === 0 ? "-1" : exitNumber(ctx, branch);
  const how = last && plan.loopPart ? Leave.exitWrapped : Leave.exit;
  return `{ xh = ${how}; xpc = ${npc}; xk = ${last ? 0 : k + 1}; xe = ${exitno}; break steps; }`;
}

// -- One step ------------------------------------------------------------------------------

/** The running trace went through its own J-op: as the interpreter's enter/loopLeft, a pending exit is cleared. */
const PASS_JOP = "hub.exitedAt = null;";

/** Code for path step k (in the pre-roll and the loop part alike), or null if the interpreter must run it. */
function emitStep(ctx: StepContext, k: number): string | null {
  const { T, plan } = ctx;
  const n = T.path.length;
  if (k === n - 1 && T.linksOn) return emitLink(ctx, k);
  const ending = k === n - 1 && T.linktype === "return";
  if (plan.fast[k] !== 1 && !ending) return null;
  const { pt, pc } = T.path[k];
  const j = ctx.protoIndex.get(pt) as number;
  const word = pt.bc[pc];
  const own = plan.isJop[k] === 1;
  // The instruction the step stands for (a J-op stands for the one it replaced).
  const ins = isJOp(bcOp(word)) ? ctx.startIns(pt, pc) : word;
  const versions = opVersions(bcOp(ins));
  if (isJOp(bcOp(word)) && own) {
    const orig = bcOp(ins);
    if (orig !== Op.FORL && orig !== Op.ITERL && orig !== Op.LOOP && orig !== Op.ITERN && orig !== Op.FUNCF && orig !== Op.FUNCV) return null;
  } else if (isJOp(bcOp(word)) && (k + 1 >= n || versions === null)) {
    return null; // another trace's J-op as the link, or one that stands for a return: the interpreter runs it
  }
  const nextK = k + 1 < n ? k + 1 : 0;
  const expect = T.path[nextK];
  const sameFrameNext = expect.pt === pt;
  const parts: string[] = [];
  const branch = plan.branch[k];
  const guard = branch !== 0 ? `g = ${branch}; gl = ${plan.loopPart ? "inLoop" : "false"};` : "";
  if (own || versions === null) {
    if (patchable(bcOp(word))) parts.push(`if (B${j}[${pc}] !== ${word}) ${backOff(ctx, k)}`);
  } else {
    // Before the path's end the trace goes through a loop or function another trace patches
    // (passesJop in sim.ts): any version of the instruction runs it (a J-op as passed).
    // The versions are adjacent opcodes (lj_bc.h), so one range test covers them. It runs
    // whichever version stands there: when the instruction is patched or blacklisted late in
    // a run, V8's optimised code has seen the test before and is not thrown away.
    const [plain, jop] = versions;
    const ops = versions.filter((o) => o >= 0);
    const lo = Math.min(...ops);
    const span = Math.max(...ops) - lo;
    if (span !== ops.length - 1) throw new Error(`ljscope: versions of op ${plain} are not adjacent`);
    parts.push(`{ const o = B${j}[${pc}] & 0xff;
      if (((o - ${lo}) >>> 0) > ${span}) ${backOff(ctx, k)}
      if (o === ${jop}) ${PASS_JOP} }`);
  }
  if (bcOp(ins) === Op.ITERN) {
    const w = pt.bc[pc + 1];
    parts.push(`if (B${j}[${pc + 1}] !== ${w}) ${backOff(ctx, k)}`);
  }
  ctx.loaded = null;
  ctx.loadedSure = false;
  const chk = emitChecks(ctx, k, j);
  if (chk === null) return null;
  parts.push(chk);
  if (own && isJOp(bcOp(word))) parts.push(PASS_JOP);
  const op = emitOp(ctx, k, j, pt, pc, ins, guard, ending);
  if (op === null || (ending && op.flow !== "return")) return null;
  parts.push(op.code);
  // The transition to the path's next step.
  if (op.flow === "straight") {
    parts.push(guard);
    if (!(sameFrameNext && expect.pc === pc + 1)) parts.push(leaveAfter(ctx, k, String(pc + 1)));
  } else if (op.flow === "branch") {
    parts.push(guard);
    if (!sameFrameNext) parts.push(leaveAfter(ctx, k, "npc"));
    else parts.push(`if (npc !== ${expect.pc}) ${exitAfter(ctx, k, "npc")}`);
    if (op.ticks) parts.push(`if (S.ticks <= 0) ${leaveAfter(ctx, k, String(expect.pc), true)}`);
  }
  // "call" and "return" checked the next step themselves.
  if (k === n - 1) {
    // Calls spend ticks unchecked: a path that goes round through a call (tail- or
    // up-recursion) ends the slice here, as a loop's back-edge does.
    if (plan.wraps && !(op.flow === "branch" && op.ticks)) parts.push(`if (S.ticks <= 0) ${leaveAfter(ctx, k, String(expect.pc), true)}`);
    // A tail call came back to step 0 in the first frame: its slots are read again.
    if (!ctx.local && ctx.root[0] === 1) parts.push(`if (base !== base0) ${leaveAfter(ctx, k, String(expect.pc))} ${RELOAD} live = true;`);
    // Up-recursion goes round in the frame it called: its checks count from there.
    if (T.linktype === "up-recursion") parts.push("r.base0 = base; base0 = base;");
    // (as the simulation's wrapped(): the loop part's reported steps and checks follow from inLoop)
    if (plan.loopPart) parts.push(`if (!inLoop) { r.inLoop = inLoop = true; r.cursor = 0; } ${LOOP_BACK}`);
    else parts.push(LOOP_BACK);
  }
  return parts.join("\n");
}

/**
 * The last step of a trace linked to another trace (lj_record_stop's link
 * to a root trace): the other trace's J-op, run as the interpreter runs it,
 * which enters that trace; then its compiled code goes on, if any.
 */
function emitLink(ctx: StepContext, k: number): string | null {
  const { T, plan } = ctx;
  const { pt, pc } = T.path[k];
  const j = ctx.protoIndex.get(pt) as number;
  const word = pt.bc[pc];
  const op = bcOp(word);
  const chk = emitChecks(ctx, k, j);
  if (chk === null) return null;
  const branch = plan.branch[k];
  const guard = branch !== 0 ? `g = ${branch}; gl = false;` : "";
  const a = bcA(word);
  if (op !== Op.JFUNCF && op !== Op.JLOOP && op !== Op.JFORL && op !== Op.JITERL && op !== Op.JFORI) return null;
  // The J-op that names the linked trace (a JFORI's loop: its JFORL). If another stands there, or
  // none, the interpreter runs the step and the simulation enters the linked trace all the same.
  const jopPc = op === Op.JFORI ? pc + bcD(word) - BCBIAS_J : pc;
  const jop = pt.bc[jopPc];
  if (!isJOp(bcOp(jop)) || bcD(jop) !== T.link) return null;
  const orig = op === Op.JFUNCF || op === Op.JFORI ? word : ctx.startIns(pt, pc);
  if (op === Op.JLOOP && bcOp(orig) !== Op.LOOP) return null;
  // JFORI's operands are read before the locals go back, and checked first (the interpreter raises the error).
  const forOperands = op !== Op.JFORI ? "" : `const idx = ${rd(ctx, a)}, stop = ${rd(ctx, a + 1)}, step = ${rd(ctx, a + 2)};
    if (typeof idx !== "number" || typeof stop !== "number" || typeof step !== "number") ${backOff(ctx, k)}`;
  // The J-op runs on the stack array: the locals go back first (entering the other trace reads the slots).
  const leave = sync(ctx);
  ctx.local = false;
  return `if (B${j}[${pc}] !== ${word}${jopPc !== pc ? ` || B${j}[${jopPc}] !== ${jop}` : ""}) ${backOff(ctx, k)}
    ${forOperands}
    ${chk} ${guard} ${leave} live = false; r.atJop = ${plan.isJop[k] === 1};
    ci.pc = ${pc}; L.multres = multres;
    ${jopRun(op, orig, pc, j, a, branch !== 0, linkStubTaken(ctx, j))}`;
}

/**
 * What the interpreter does for a J-op (JFUNCF, JLOOP standing for LOOP,
 * JFORL, JITERL, JFORI) whose original instruction is "orig", and where
 * compiled code goes on: the loop step, then the trace entered and run on
 * from the next pc (linkEnter); or the loop left (the path ends, the loop
 * op is left) and the interpreter's next pc (continueAt).
 * Slots are read in the stack array (the caller wrote the locals back).
 */
function jopRun(
  op: number, orig: number, pc: number, j: number, a: number, branched: boolean, stubTaken: (at: number, npc: number) => string,
): string {
  const target = pc + 1 + (bcD(orig) - BCBIAS_J);
  // Entering is the way the step went when recorded (a link is made only then): its branch guard passed.
  const enter = (at: number, npc: number): string =>
    `${stubTaken(at, npc)} return linkEnter(L, r, ci, P${j}, ${at}, ${npc}, multres);`;
  const left = (npc: number, loopLeft: boolean): string =>
    `pathEnd(r, ${branched}); ${loopLeft ? `jitLoopLeft(P${j}, ${pc}); ` : ""}return continueAt(L, ci, ${npc}, multres);`;
  switch (op) {
    case Op.JFUNCF: return enter(pc, pc + 1);
    case Op.JLOOP: return `S.ticks--; ${enter(pc, pc + 1)}`;
    case Op.JFORI: // idx, stop and step were read: the linked loop's trace is entered if the loop runs at all
      return `if (${forStepUpCode("step")} ? idx <= stop : idx >= stop) { ${slot(a + 3)} = idx; ${enter(target - 1, pc + 1)} }
        ${left(target, false)}`;
    case Op.JFORL:
      return `{ const step = ${slot(a + 2)}, idx = ${slot(a)} + step;
        if (${forStepUpCode("step")} ? idx <= ${slot(a + 1)} : idx >= ${slot(a + 1)}) {
          ${slot(a)} = idx; ${slot(a + 3)} = idx; S.ticks--; ${enter(pc, target)}
        } ${left(pc + 1, true)} }`;
    default: // JITERL
      return `{ const v = ${slot(a)};
        if (v !== undefined) { ${slot(a - 1)} = v; S.ticks--; ${enter(pc, target)} }
        ${left(pc + 1, true)} }`;
  }
}

/**
 * linkEnter's usual case (one run going straight into the next, the link
 * taken before) by the trace's stub, inline (as sim.ts linkRun): the J-op at
 * `at` entered the linked trace, whose compiled code goes on at npc.
 */
function linkStubTaken(ctx: StepContext, j: number): (at: number, npc: number) => string {
  const self = constant(ctx, ctx.T);
  const end = ctx.T.path.length;
  return (at, npc) => `{ const st = ${self}.linkStub;
      if (st !== null && st.fn !== null && st.epoch === hub.epoch && st.pc === ${at} && st.pt === P${j} && st.npc === ${npc} &&
          hub.run === r && hub.exitedAt === null && hub.rec === null && !r.coasting && S.ticks > 0 && S.recording && S.compile) {
        r.cursor = ${end}; const r2 = st.runner.restart(0, ci.base, st.code); hub.run = r2; r2.cursor = st.step;
        S.stopPc = st.stopPc; ci.pc = ${npc}; hub.chainEntry = st.step; hub.chainFn = st.fn; return ${CHAIN};
      } }`;
}

/**
 * An instruction the simulation patches and its versions [plain, J-op,
 * I-op (or -1)] as they may stand at its pc, or null for the others (and
 * for ITERN and returns, whose J-op stands for a different instruction).
 */
function opVersions(op: number): [number, number, number] | null {
  switch (op) {
    case Op.FORI: return [Op.FORI, Op.JFORI, -1];
    case Op.FORL: return [Op.FORL, Op.JFORL, Op.IFORL];
    case Op.ITERL: return [Op.ITERL, Op.JITERL, Op.IITERL];
    case Op.LOOP: return [Op.LOOP, Op.JLOOP, Op.ILOOP];
    case Op.FUNCF: return [Op.FUNCF, Op.JFUNCF, Op.IFUNCF];
    default: return null;
  }
}

/**
 * The step's checks, inline where simple, else through the simulation's
 * (either way no exit is taken here). The loop part repeats only some of
 * the pre-roll's (runplan.ts): the others are made while !inLoop.
 */
function emitChecks(ctx: StepContext, k: number, j: number): string | null {
  const { plan } = ctx;
  const pre = plan.checksPre;
  const from = pre.start[k];
  const to = pre.start[k + 1];
  if (from === to) return "";
  const { pt, pc } = ctx.T.path[k];
  const ins = pt.bc[pc];
  const hand = `{ xk = ${~k}; xpc = ${pc}; break steps; }`;
  // An inline check that fails is the step's first failing check (those before it passed): its exit is known here.
  const failed = (i: number): string => {
    const guard = pre.guard[i];
    return `{ xh = ${Leave.check}; xk = ${k}; xpc = ${pc}; xe = ${exitNumber(ctx, guard)}; g = ${guard}; gl = inLoop; break steps; }`;
  };
  const loopGuards = new Set<number>();
  if (plan.loopPart) for (let i = plan.checksLoop.start[k]; i < plan.checksLoop.start[k + 1]; i++) loopGuards.add(plan.checksLoop.guard[i]);
  const tests: string[] = [];
  let inArray = false; // a bounds check before made the load an array slot
  for (let i = from; i < to; i++) {
    // get(v): code that sets v to the value a type check tests.
    let get: ((v: string) => string) | null = null;
    let test: string | null = null;
    switch (pre.kind[i]) {
      case CheckKind.slotType: { const s = rd0(ctx, pre.slot[i]); get = (v) => `${v} = ${s};`; break; }
      case CheckKind.loadType: get = loadInto(ctx, j, ins, inArray); break;
      case CheckKind.callee: {
        const spec = pre.callee[i] as CalleeSpec;
        const v = rd0(ctx, pre.slot[i]);
        test = spec.by === "identity" ? `${v} === ${constant(ctx, spec.fn)}`
          : spec.by === "proto" ? `(${isClosure(v)} && ${v}.proto === ${constant(ctx, spec.proto)})`
          : `(${isNative(v)} && ${v}.name === ${JSON.stringify(spec.name)})`;
        break;
      }
      case CheckKind.keyBounds:
        test = boundsTest(ctx, ins);
        // A load checked after it reads the array slot, if this check is made in both parts.
        inArray = test !== null && onlyPre(plan, loopGuards, pre.guard[i]) === "";
        break;
      case CheckKind.stopBounds: {
        const t = indexedTable(ctx, ins);
        const v = rd0(ctx, pre.slot[i]);
        if (t !== null) test = `(${isTable(t)} && typeof ${v} === "number" && (${v} >>> 0) === ${v} && ${v} < ${t}.arr.length)`;
        break;
      }
      case CheckKind.keyOutside: {
        const t = indexedTable(ctx, ins);
        const key = indexKey(ctx, ins);
        if (t !== null && key !== null) test = `(${isTable(t)} && typeof ${key} === "number" && Number.isInteger(${key}) && ${key} >= ${t}.arr.length)`;
        break;
      }
      case CheckKind.hashEmpty: {
        const t = indexedTable(ctx, ins);
        if (t !== null) test = `(${isTable(t)} && ${t}.hmask === 0)`;
        break;
      }
      case CheckKind.hmaskEquals: {
        const t = indexedTable(ctx, ins);
        if (t !== null) test = `(${isTable(t)} && ${t}.hmask === ${pre.param[i]})`;
        break;
      }
      case CheckKind.sameObject:
        test = `((${rd0(ctx, pre.slot[i])} === ${rd0(ctx, pre.param[i])}) === ${pre.type[i] === 1})`;
        break;
      case CheckKind.forDir: {
        const v = rd0(ctx, pre.slot[i]);
        test = `(typeof ${v} === "number" && ${v} ${pre.type[i] === 1 ? ">=" : "<"} 0)`; // as forDirHolds
        break;
      }
      case CheckKind.forRange: {
        const stop = rd0(ctx, pre.slot[i] + 1);
        const step = rd0(ctx, pre.slot[i] + 2);
        test = `(typeof ${stop} === "number" && typeof ${step} === "number" && ${stop} + ${step} >= -2147483648 && ${stop} + ${step} <= 2147483647)`;
        break;
      }
      case CheckKind.keyPresent: case CheckKind.keyAbsent: {
        const t = indexedTable(ctx, ins);
        const key = indexKey(ctx, ins);
        if (t !== null && key !== null) test = `(${isTable(t)} && (${t}.keyIndex(${key}) > ${t}.asize) === ${pre.kind[i] === CheckKind.keyPresent})`;
        break;
      }
      default: break;
    }
    if (get !== null) {
      // The step's own load reads the value again: it takes lv instead.
      const once = ctx.loaded === null && pre.kind[i] === CheckKind.loadType;
      const v = once ? "lv" : "cv";
      const t = typeTest(v, pre.type[i]);
      if (t !== null) {
        const when = onlyPre(plan, loopGuards, pre.guard[i]);
        if (once) {
          ctx.loaded = "lv";
          ctx.loadedSure = t !== "" && pre.type[i] !== TypeCode.nil && when === "";
          tests.push(`let lv; ${get(v)}${t !== "" ? ` if (${when}!(${t})) ${failed(i)}` : ""}`);
        } else if (t !== "") tests.push(`{ let cv; ${get(v)} if (${when}!(${t})) ${failed(i)} }`);
        continue;
      }
    } else if (test !== null) {
      tests.push(`if (${onlyPre(plan, loopGuards, pre.guard[i])}!(${test})) ${failed(i)}`);
      continue;
    }
    // checksHold leaves the guard passed last in r.
    return `ci.pc = ${pc}; ${sync(ctx)} if (!checksPass(r, ${k}, L, P${j}, ${pc})) ${hand} g = r.guard; gl = r.guardInLoop;`;
  }
  // The guard passed last: checksHold leaves the last of the part's list there.
  const lastPre = pre.guard[to - 1];
  const loopTo = plan.checksLoop.start[k + 1];
  const lastLoop = plan.loopPart && loopTo > plan.checksLoop.start[k] ? plan.checksLoop.guard[loopTo - 1] : -1;
  let guard: string;
  if (!plan.loopPart) guard = `g = ${lastPre}; gl = false;`;
  else if (lastLoop < 0) guard = `if (!inLoop) { g = ${lastPre}; gl = false; }`;
  else guard = `g = ${lastLoop === lastPre ? lastPre : `inLoop ? ${lastLoop} : ${lastPre}`}; gl = inLoop;`;
  return `${tests.join("\n")}\n${guard}`;
}

/** "!inLoop && " for a check the loop part does not repeat. */
function onlyPre(plan: RunPlan, loopGuards: Set<number>, guard: number): string {
  return plan.loopPart && !loopGuards.has(guard) ? "!inLoop && " : "";
}

/** An object the code compares with, as a name bound once per trace. */
function constant(ctx: StepContext, v: unknown): string {
  let i = ctx.extra.indexOf(v);
  if (i < 0) { i = ctx.extra.length; ctx.extra.push(v); }
  return `X${i}`;
}

/**
 * For a load checked by loadType: code that sets "out" (declared, undefined)
 * to the value the load is about to read (raw, as the simulation's
 * peekLoad), or null for an instruction that is not such a load.
 */
function loadInto(ctx: StepContext, j: number, ins: number, inArray: boolean): ((out: string) => string) | null {
  const op = bcOp(ins);
  const t = rd(ctx, bcB(ins));
  const slot = (i: number): string => rd(ctx, i);
  const kstr = (i: number): string => { ctx.kgcUsed.add(`${j}_${i}`); return `k${j}_${i}`; };
  switch (op) {
    case Op.TGETV: return (out) => `${out} = ${inArray ? `${t}.arr[${slot(bcC(ins))}]` : `(${isTable(t)} ? ${t}.get(${slot(bcC(ins))}) : undefined)`};`;
    case Op.TGETB: return (out) => `${out} = ${inArray ? `${t}.arr[${bcC(ins)}]` : `(${isTable(t)} ? ${t}.getInt(${bcC(ins)}) : undefined)`};`;
    case Op.TGETS: return (out) => `if (${isTable(t)}) ${hashGet(t, kstr(bcC(ins)), `h${j}_${bcC(ins)}`, out)}`;
    case Op.GGET: return (out) => `{ const env = cl.env; ${hashGet("env", kstr(bcD(ins)), `h${j}_${bcD(ins)}`, out)} }`;
    case Op.UGET: return (out) => `{ const uv = cl.upvals[${bcD(ins)}]; ${out} = uv.stack !== null ? uv.stack[uv.idx] : uv.value; }`;
    default: return null;
  }
}

/**
 * Code that sets "out" to string key k's value in table t (hash h). A call, not the lookup
 * loop written out: every loop costs V8's optimising compile of a long trace more than the call costs.
 */
function hashGet(t: string, k: string, h: string, out: string): string {
  return `${out} = ${t}.getStrH(${k}, ${h});`;
}

/** A JS test that cv has the recorded type ("" if anything passes, null if not done inline). */
function typeTest(v: string, type: number): string | null {
  switch (type) {
    case TypeCode.int: return `(typeof ${v} === "number" && (${v} | 0) === ${v})`;
    case TypeCode.num: return `typeof ${v} === "number"`;
    case TypeCode.str: return `typeof ${v} === "string"`;
    case TypeCode.tab: return isTable(v);
    case TypeCode.fun: return `(${isClosure(v)} || ${isNative(v)})`;
    case TypeCode.nil: return `${v} === undefined`;
    case TypeCode.false_: return `${v} === false`;
    case TypeCode.true_: return `${v} === true`;
    case TypeCode.other: return "";
    default: return null;
  }
}

/** The table an indexing instruction (TGETV/B/S, TSETV/B/S) reads or writes, as the simulation's accessedTable. */
function indexedTable(ctx: StepContext, ins: number): string | null {
  const op = bcOp(ins);
  return op === Op.TGETV || op === Op.TSETV || op === Op.TGETB || op === Op.TSETB || op === Op.TGETS || op === Op.TSETS ? rd(ctx, bcB(ins)) : null;
}

/** Its key (as the simulation's accessedKey). */
function indexKey(ctx: StepContext, ins: number): string | null {
  const op = bcOp(ins);
  if (op === Op.TGETV || op === Op.TSETV) return rd(ctx, bcC(ins));
  if (op === Op.TGETB || op === Op.TSETB) return String(bcC(ins));
  return null;
}

/** The access's key lies in the table's array part (as the simulation's boundsHold). */
function boundsTest(ctx: StepContext, ins: number): string | null {
  const op = bcOp(ins);
  const t = rd(ctx, bcB(ins));
  // (key >>> 0) === key: an integer in [0, 2^32), which the array part's length bounds anyway.
  const arrayPart = (key: string): string =>
    `(${isTable(t)} && typeof ${key} === "number" && (${key} >>> 0) === ${key} && ${key} < ${t}.arr.length)`;
  if (op === Op.TGETV || op === Op.TSETV) return arrayPart(rd(ctx, bcC(ins)));
  if (op === Op.TGETB || op === Op.TSETB) return `(${isTable(t)} && ${bcC(ins)} < ${t}.arr.length)`;
  return null;
}

interface OpCode {
  code: string;
  /** straight: on to pc + 1; branch: on to npc; call/return: the code checked the next step itself. */
  flow: "straight" | "branch" | "call" | "return";
  /** A loop back-edge that counts a tick: the slice may end after it. */
  ticks?: boolean;
}

/** The instruction's semantics on its fast path; off it, the step goes back to the interpreter. */
function emitOp(
  ctx: StepContext, k: number, j: number, pt: Proto, pc: number, ins: number, guard: string, ending: boolean,
): OpCode | null {
  const op = bcOp(ins);
  const a = bcA(ins);
  const b = bcB(ins);
  const c = bcC(ins);
  const d = bcD(ins);
  const next = pc + 1;
  const S_ = (i: number): string => rd(ctx, i);
  // Before a call out that reads the first frame's slots from the stack array.
  const spill = ctx.local ? SPILL : "";
  const W_ = (i: number): string => wr(ctx, i);
  const back = backOff(ctx, k);
  const kstr = (i: number): string => { ctx.kgcUsed.add(`${j}_${i}`); return `k${j}_${i}`; };
  const khash = (i: number): string => { ctx.kgcUsed.add(`${j}_${i}`); return `h${j}_${i}`; };
  const knum = (i: number): string => numLiteral(pt.knum[i]);
  const jumpTarget = (at: number, w: number): number => at + 1 + (bcD(w) - BCBIAS_J);
  const straight = (code: string): OpCode => ({ code, flow: "straight" });
  const branch = (code: string, ticks = false): OpCode => ({ code, flow: "branch", ticks });
  const condJump = (cond: string): string => `npc = (${cond}) ? ${jumpTarget(next, pt.bc[next])} : ${next + 1};`;
  const numCompare = (cond: string): OpCode =>
    branch(`const x = ${S_(a)}, y = ${S_(d)}; if (typeof x !== "number" || typeof y !== "number") ${back} ${condJump(cond)}`);
  // The path went into a metamethod this step calls (its header is the next step) and is back at step mret.
  const mret = metaReturnStep(ctx, k);
  const viaMeta = (call: string, dst: number, npc: string | null = null): string => metaCall(ctx, k, mret, guard, call, dst, npc);
  const arith = (x: string, y: string, expr: string, needX: boolean, needY: boolean): OpCode => {
    const tests = [needX ? `typeof x !== "number"` : "", needY ? `typeof y !== "number"` : ""].filter(Boolean).join(" || ");
    if (mret >= 0) {
      const [mmOp, slotB, slotC] = arithOperands(op, b, c);
      return { flow: "call", code: `const x = ${x}, y = ${y}; if (!(${tests})) ${back}
        ${viaMeta(`meta.arith(L, x, y, ${mmOp}, ${slotB}, ${slotC})`, a)}` };
    }
    return straight(`const x = ${x}, y = ${y}; if (${tests}) ${back} ${W_(a)} = ${expr};`);
  };
  // A store through __newindex the path went into (null: none; a table without a metatable stores raw: handed back).
  const storeViaMeta = (): OpCode | null => {
    if (mret < 0) return null;
    const key = op === Op.TSETV ? S_(c) : op === Op.TSETB ? String(c) : kstr(c);
    const call = op === Op.TSETS ? `meta.setIndexStr(L, t, ${kstr(c)}, ${khash(c)}, sv, ${b})` : `meta.setIndex(L, t, key, sv, ${b})`;
    return { flow: "call", code: `{ const t = ${S_(b)}, key = ${key}, sv = ${S_(a)};
      if (!(${isTable("t")}) || t.metatable === undefined) ${back}
      ${viaMeta(call, -1)} }` };
  };
  // A load that may call __index: if the path went into it, a load that called none leaves (follow() takes the exit).
  const expectsMeta = mret >= 0 ? `${guard} ${leaveAfter(ctx, k, String(next))}` : "";
  const loadOp = (code: string): OpCode => (mret >= 0 ? { code, flow: "call" } : straight(code));
  // ISLT/ISGE/ISLE/ISGT through __lt/__le: compareSlow's result picks the branch.
  const compareMeta = (): OpCode => ({ flow: "call", code: `const x = ${S_(a)}, y = ${S_(d)}; if (typeof x === "number" && typeof y === "number") ${back}
    ${viaMeta(`compareSlow(L, ci, ${next}, x, y, ${op})`, -1, `mv ? ${jumpTarget(next, pt.bc[next])} : ${next + 1}`)}` });
  const expect = ctx.T.path[k + 1 < ctx.T.path.length ? k + 1 : 0];
  const ej = ctx.protoIndex.get(expect.pt) as number;

  switch (op) {
    case Op.ISLT: return mret >= 0 ? compareMeta() : numCompare("x < y");
    case Op.ISGE: return mret >= 0 ? compareMeta() : numCompare("!(x < y)");
    case Op.ISLE: return mret >= 0 ? compareMeta() : numCompare("x <= y");
    case Op.ISGT: return mret >= 0 ? compareMeta() : numCompare("!(x <= y)");
    case Op.ISEQV: case Op.ISNEV:
      if (mret >= 0) {
        return { flow: "call", code: `const x = ${S_(a)}, y = ${S_(d)};
          if (!(x !== y && typeof x === "object" && typeof y === "object")) ${back}
          ${viaMeta("meta.equals(L, x, y)", -1, `mv === ${op === Op.ISEQV} ? ${jumpTarget(next, pt.bc[next])} : ${next + 1}`)}` };
      }
      return branch(`const x = ${S_(a)}, y = ${S_(d)};
        if (x !== y && typeof x === "object" && typeof y === "object") ${back}
        ${condJump(op === Op.ISEQV ? "x === y" : "x !== y")}`);
    case Op.ISEQS: return branch(condJump(`${S_(a)} === ${kstr(d)}`));
    case Op.ISNES: return branch(condJump(`${S_(a)} !== ${kstr(d)}`));
    case Op.ISEQN: return branch(condJump(`${S_(a)} === ${knum(d)}`));
    case Op.ISNEN: return branch(condJump(`${S_(a)} !== ${knum(d)}`));
    case Op.ISEQP: case Op.ISNEP: {
      const pri = d === 0 ? "undefined" : String(d === 2);
      return branch(condJump(`${S_(a)} ${op === Op.ISEQP ? "===" : "!=="} ${pri}`));
    }
    case Op.ISTC: case Op.ISFC:
      return branch(`const v = ${S_(d)};
        if ((v !== undefined && v !== false) === ${op === Op.ISTC}) { ${W_(a)} = v; npc = ${jumpTarget(next, pt.bc[next])}; }
        else npc = ${next + 1};`);
    case Op.IST: return branch(`const v = ${S_(d)}; ${condJump("v !== undefined && v !== false")}`);
    case Op.ISF: return branch(`const v = ${S_(d)}; ${condJump("v === undefined || v === false")}`);
    case Op.ISTYPE: case Op.ISNUM: {
      const test = d === IsType.tab ? isTable("v") : d === IsType.num ? `typeof v === "number"`
        : d === IsType.str ? `typeof v === "string"` : "isFunction(v)";
      return straight(`const v = ${S_(a)}; if (!(${test})) ${back}`);
    }

    case Op.MOV: return straight(`${W_(a)} = ${S_(d)};`);
    case Op.NOT: return straight(`const v = ${S_(d)}; ${W_(a)} = v === undefined || v === false;`);
    case Op.UNM:
      if (mret >= 0) return { flow: "call", code: `const v = ${S_(d)}; if (typeof v === "number") ${back} ${viaMeta(`meta.unm(L, v, ${d})`, a)}` };
      return straight(`const v = ${S_(d)}; if (typeof v !== "number") ${back} ${W_(a)} = -v;`);
    case Op.LEN:
      return straight(`const v = ${S_(d)};
        if (typeof v === "string") ${W_(a)} = v.length; else if (${isTable("v")}) ${W_(a)} = v.length(); else ${back}`);

    case Op.ADDVN: return arith(S_(b), knum(c), "x + y", true, false);
    case Op.SUBVN: return arith(S_(b), knum(c), "x - y", true, false);
    case Op.MULVN: return arith(S_(b), knum(c), "x * y", true, false);
    case Op.DIVVN: return arith(S_(b), knum(c), "x / y", true, false);
    case Op.MODVN: return arith(S_(b), knum(c), "luaMod(x, y)", true, false);
    case Op.ADDNV: return arith(knum(c), S_(b), "x + y", false, true);
    case Op.SUBNV: return arith(knum(c), S_(b), "x - y", false, true);
    case Op.MULNV: return arith(knum(c), S_(b), "x * y", false, true);
    case Op.DIVNV: return arith(knum(c), S_(b), "x / y", false, true);
    case Op.MODNV: return arith(knum(c), S_(b), "luaMod(x, y)", false, true);
    case Op.ADDVV: return arith(S_(b), S_(c), "x + y", true, true);
    case Op.SUBVV: return arith(S_(b), S_(c), "x - y", true, true);
    case Op.MULVV: return arith(S_(b), S_(c), "x * y", true, true);
    case Op.DIVVV: return arith(S_(b), S_(c), "x / y", true, true);
    case Op.MODVV: return arith(S_(b), S_(c), "luaMod(x, y)", true, true);
    case Op.POW: return arith(S_(b), S_(c), "luaPow(x, y)", true, true);
    case Op.CAT: {
      if (c === b + 1) {
        return straight(`const x = ${S_(b)}, y = ${S_(c)};
          if (typeof x === "string" && typeof y === "string") ${W_(a)} = x + y;
          else if ((typeof x === "string" || typeof x === "number") && (typeof y === "string" || typeof y === "number")) {
            ci.pc = ${next}; L.top = base + ${pt.framesize}; ${spill} ${W_(a)} = meta.concat(L, base + ${b}, base + ${c});
          } else ${back}`);
      }
      let plain = "";
      for (let i = b; i <= c; i++) plain += `${i > b ? " && " : ""}(typeof ${S_(i)} === "string" || typeof ${S_(i)} === "number")`;
      return straight(`if (!(${plain})) ${back}
        ci.pc = ${next}; L.top = base + ${pt.framesize}; ${spill} ${W_(a)} = meta.concat(L, base + ${b}, base + ${c});`);
    }

    case Op.KSTR: return straight(`${W_(a)} = ${kstr(d)};`);
    case Op.KSHORT: return straight(`${W_(a)} = ${ins >> 16};`);
    case Op.KNUM: return straight(`${W_(a)} = ${knum(d)};`);
    case Op.KPRI: return straight(`${W_(a)} = ${d === 0 ? "undefined" : String(d === 2)};`);
    case Op.KNIL: {
      let code = "";
      for (let i = a; i <= d; i++) code += `${W_(i)} = undefined; `;
      return straight(code);
    }

    case Op.UGET:
      return straight(ctx.loaded !== null ? `${W_(a)} = ${ctx.loaded};`
        : `{ const uv = cl.upvals[${d}]; ${W_(a)} = uv.stack !== null ? uv.stack[uv.idx] : uv.value; }`);
    case Op.USETV: return straight(`cl.upvals[${a}].set(${S_(d)});`);
    case Op.USETS: return straight(`cl.upvals[${a}].set(${kstr(d)});`);
    case Op.USETN: return straight(`cl.upvals[${a}].set(${knum(d)});`);
    case Op.USETP: return straight(`cl.upvals[${a}].set(${d === 0 ? "undefined" : String(d === 2)});`);
    case Op.UCLO:
      return branch(`if (L.openUpvals !== null) { ${spill} closeUpvals(L, base + ${a}); } npc = ${jumpTarget(pc, ins)};`);

    case Op.TNEW: return straight(`${W_(a)} = LuaTable.fromTNEW(${d});`);
    case Op.TDUP: return straight(`${W_(a)} = LuaTable.fromTemplate(${kstr(d)});`);
    case Op.GGET:
      if (ctx.loadedSure) return straight(`${W_(a)} = lv;`);
      return straight(`{ const env = cl.env; let v; ${ctx.loaded !== null ? `v = ${ctx.loaded};` : hashGet("env", kstr(d), khash(d), "v")}
        if (v === undefined && env.metatable !== undefined) ${back} ${W_(a)} = v; }`);
    case Op.GSET:
      return straight(`{ const env = cl.env; if (env.metatable !== undefined) ${back}
        ci.pc = ${next}; env.setStrH(${kstr(d)}, ${khash(d)}, ${S_(a)}); }`);
    case Op.TGETV:
      if (ctx.loadedSure && mret < 0) return straight(`${W_(a)} = lv;`);
      return loadOp(`{ const t = ${S_(b)}, key = ${S_(c)};
        if (!(${isTable("t")})) ${back}
        let v;
        ${ctx.loaded !== null ? `v = ${ctx.loaded};` : `if (typeof key === "number") { const i = key | 0; v = i === key && i >= 0 && i < t.asize ? t.arr[i] : t.get(key); }
        else v = t.get(key);`}
        if (v === undefined && t.metatable !== undefined) ${mret >= 0 ? `{ ${viaMeta(`meta.index(L, t, key, ${b})`, a)} }` : back}
        ${W_(a)} = v; ${expectsMeta} }`);
    case Op.TGETS:
      if (ctx.loadedSure && mret < 0) return straight(`${W_(a)} = lv;`);
      return loadOp(`{ const t = ${S_(b)};
        if (!(${isTable("t")})) ${back}
        let v; ${ctx.loaded !== null ? `v = ${ctx.loaded};` : hashGet("t", kstr(c), khash(c), "v")}
        // An __index chain of tables runs no Lua code: looked up here (a function goes back).
        if (v === undefined && t.metatable !== undefined) {
          v = meta.indexThroughTables(t, ${kstr(c)}, ${khash(c)});
          if (v === meta.NOT_TABLES) ${mret >= 0 ? `{ ${viaMeta(`meta.indexStr(L, t, ${kstr(c)}, ${khash(c)}, ${b})`, a)} }` : back}
        }
        ${W_(a)} = v; ${expectsMeta} }`);
    case Op.TGETB:
      if (ctx.loadedSure && mret < 0) return straight(`${W_(a)} = lv;`);
      return loadOp(`{ const t = ${S_(b)};
        if (!(${isTable("t")})) ${back}
        const v = ${ctx.loaded ?? `${c} < t.asize ? t.arr[${c}] : t.getInt(${c})`};
        if (v === undefined && t.metatable !== undefined) ${mret >= 0 ? `{ ${viaMeta(`meta.index(L, t, ${c}, ${b})`, a)} }` : back}
        ${W_(a)} = v; ${expectsMeta} }`);
    case Op.TSETV:
      return storeViaMeta() ?? straight(`{ const t = ${S_(b)}, key = ${S_(c)};
        if (!(${isTable("t")}) || t.metatable !== undefined) ${back}
        const i = key | 0;
        if (typeof key === "number" && i === key && i >= 0 && i < t.asize) t.arr[i] = ${S_(a)};
        else if ((typeof key === "number" && key === key) || typeof key === "string") { ci.pc = ${next}; t.set(key, ${S_(a)}); }
        else ${back} }`);
    case Op.TSETS:
      return storeViaMeta() ?? straight(`{ const t = ${S_(b)};
        if (!(${isTable("t")}) || (t.metatable !== undefined && !meta.storesRaw(t, ${kstr(c)}, ${khash(c)}))) ${back}
        ci.pc = ${next}; t.setStrH(${kstr(c)}, ${khash(c)}, ${S_(a)}); }`);
    case Op.TSETB:
      return storeViaMeta() ?? straight(`{ const t = ${S_(b)};
        if (!(${isTable("t")}) || t.metatable !== undefined) ${back}
        if (${c} < t.asize) t.arr[${c}] = ${S_(a)}; else { ci.pc = ${next}; t.setInt(${c}, ${S_(a)}); } }`);

    case Op.TSETM:
      // The values come from the stack array (a multiple-results call or VARG left them there).
      return straight(`{ const t = ${S_(a - 1)}; if (!(${isTable("t")})) ${back}
        ${ctx.local ? spillRange(a, 1 << 30) : ""}
        let idx = ${pt.knum[d] - 4503599627370496}; const n = multres;
        if (n > 0) { ci.pc = ${next}; if (idx + n > t.asize) t.reasize(idx + n); for (let i = 0; i < n; i++) t.setInt(idx++, stack[base + ${a} + i]); } }`);

    case Op.CALL: case Op.CALLM: case Op.ITERC: {
      const iter = op === Op.ITERC;
      const fixed = iter ? 2 : op === Op.CALL ? c - 1 : c;
      const nargs = op === Op.CALLM ? `${fixed} + multres` : String(fixed);
      const nres = b - 1;
      const setup = iter ? `${W_(a)} = ${S_(a - 3)}; ${W_(a + 2)} = ${S_(a - 2)}; ${W_(a + 3)} = ${S_(a - 1)};` : "";
      // (spent unchecked: a slice that runs out in a trace ends at its next back-edge, wrap or exit)
      const ticks = iter ? "" : "S.ticks--;";
      if (expect.pc === 0) {
        // A Lua function the trace went into: its frame is pushed here. A call of an object
        // goes to its __call (resolveCall): the object becomes the first argument. Another
        // Lua function is called all the same, and its header, not the path's, takes the
        // exit of the guard passed last (as follow() would when the interpreter reports it).
        return {
          flow: "call",
          code: `const obj = ${iter ? S_(a - 3) : S_(a)}; let fn = obj;
            ${iter ? "" : `if (!(${isClosure("fn")})) fn = ${isNative("fn")} ? undefined : meta.metaLookup(L, fn, "__call", meta.H_CALL);`}
            if (!(${isClosure("fn")})) ${back}
            const other = fn.proto !== P${ej};
            ${setup} ${guard} ci.pc = ${next}; ${ticks} ${leaveFrame(ctx)}
            let nargs = ${nargs};
            ${iter ? "" : `if (fn !== obj) {
              const fidx = base + ${a}; L.ensureStack(fidx + 4 + nargs); stack = L.stack;
              for (let i = fidx + 2 + nargs; i > fidx + 2; i--) stack[i] = stack[i - 1];
              stack[fidx + 2] = obj; stack[fidx] = fn; nargs++;
            }`}
            ci = pushLuaFrame(L, fn, base + ${a}, nargs, ${nres}, ${FrameKind.LUA});
            base = ci.base | 0; cl = fn; stack = L.stack;
            if (other) ${exitAfter(ctx, k, "0")}`,
        };
      }
      if (!(expect.pt === pt && expect.pc === next)) return null;
      const native = nativeCallLocals(ctx, a);
      // A builtin the trace called (it goes on after the call): called in place.
      return straight(`const fn = ${iter ? S_(a - 3) : S_(a)};
        if (!(${NATIVE_IN_PLACE})) ${back}
        ${setup} ${guard} ci.pc = ${next}; ${ticks}
        ${nativeCall(ctx, k, a, nargs, nres, nres, native)}
        multres = L.top - fidx; L.top = base + ${pt.framesize}; stack = L.stack;
        if (${SIM_MOVED(ctx, k)}) { ${native.leave} L.multres = multres; S.stopPc = -1; return ${RecordResult.resume}; }
        ${native.back}`);
    }
    case Op.CALLT: case Op.CALLMT: {
      const fixed = op === Op.CALLT ? d - 1 : d;
      const nargs = op === Op.CALLMT ? `${fixed} + multres` : String(fixed);
      if (expect.pc !== 0) return ending ? null : nativeTailCall(ctx, k, a, nargs, guard, back);
      return {
        flow: "call",
        code: `const fn = ${S_(a)};
          if (!(${isClosure("fn")}) || fn.proto !== P${ej} || ci.kind === ${FrameKind.NATIVE}) ${back}
          ${guard} ci.pc = ${next}; S.ticks--; ${leaveFrame(ctx)}
          tailCall(L, ci, fn, base + ${a}, ${nargs});
          base = ci.base | 0; cl = fn; stack = L.stack;`,
      };
    }
    case Op.VARG: {
      const nwant = b - 1;
      if (nwant < 0) {
        return straight(`{ const nvar = ci.nvarargs, src = ci.funcIdx + ${2 + pt.numparams}, dst = base + ${a};
          if (dst + nvar > L.maxstack) ${back}
          ${spill} L.ensureStack(dst + nvar + 4); stack = L.stack;
          for (let i = 0; i < nvar; i++) stack[dst + i] = stack[src + i];
          multres = nvar; ${ctx.local ? RELOAD : ""} }`);
      }
      let code = `{ const nvar = ci.nvarargs, src = ci.funcIdx + ${2 + pt.numparams}; `;
      for (let i = 0; i < nwant; i++) code += `${W_(a + i)} = ${i} < nvar ? stack[src + ${i}] : undefined; `;
      return straight(code + "}");
    }

    case Op.RET: case Op.RET0: case Op.RET1: case Op.RETM: {
      const count = op === Op.RET0 ? "0" : op === Op.RET1 ? "1" : op === Op.RET ? String(d - 1) : `${d} + multres`;
      return { flow: "return", code: `${RETURNS(ctx, k, ending, back)} ${leaveFrame(ctx)} ${returnTo(ctx, k, `base + ${a}`, count, guard, ending)}` };
    }

    // DIVERGENCE ("LuaJIT bugs that change what a program computes"): NaN bounds go the
    // interpreter's way here; LuaJIT's compiled loop guards fail them both ways.
    case Op.FORI: {
      const target = jumpTarget(pc, ins);
      return branch(`{ const idx = ${S_(a)}, stop = ${S_(a + 1)}, step = ${S_(a + 2)};
        if (typeof idx !== "number" || typeof stop !== "number" || typeof step !== "number") ${back}
        if (${forStepUpCode("step")} ? idx <= stop : idx >= stop) { ${W_(a + 3)} = idx; npc = ${next}; } else npc = ${target}; }`);
    }
    case Op.FORL: {
      const target = jumpTarget(pc, ins);
      return branch(`{ const step = ${S_(a + 2)}, idx = ${S_(a)} + step;
        if (${forStepUpCode("step")} ? idx <= ${S_(a + 1)} : idx >= ${S_(a + 1)}) { ${W_(a)} = idx; ${W_(a + 3)} = idx; npc = ${target}; S.ticks--; }
        else npc = ${next}; }`, true);
    }
    case Op.ITERL: {
      const target = jumpTarget(pc, ins);
      return branch(`{ const v = ${S_(a)};
        if (v !== undefined) { ${W_(a - 1)} = v; npc = ${target}; S.ticks--; } else npc = ${next}; }`, true);
    }
    case Op.LOOP: return branch(`npc = ${next}; S.ticks--;`, true);
    case Op.ITERN: {
      const target = jumpTarget(next, pt.bc[next]);
      return branch(`{ const t = ${S_(a - 2)}; const nxt = t.iterate(${S_(a - 1)});
        if (nxt >= 0) { ${W_(a - 1)} = nxt; ${W_(a)} = iterOut.key; ${W_(a + 1)} = iterOut.val; npc = ${target}; S.ticks--; }
        else npc = ${next + 1}; }`, true); // the end skips the ITERL, as the interpreter does
    }
    case Op.JMP: return branch(`npc = ${jumpTarget(pc, ins)};`);
    case Op.FUNCF: case Op.FUNCV: case Op.IFUNCF: case Op.IFUNCV: return straight("");
    default:
      return null;
  }
}

/**
 * The frames compiled code returns from: a Lua function's, not called by a
 * tail call from JS; the frame it was entered in too (its caller is JS, a
 * metamethod's or a builtin's call: the run is over, as the interpreter's
 * RET ends execute()), unless the path goes round from there. Else the
 * interpreter returns, and follow() checks that the path goes on.
 */
function RETURNS(ctx: StepContext, k: number, ending: boolean, back: string): string {
  const toJs = ending || k + 1 < ctx.T.path.length;
  return `if (ci.kind !== ${FrameKind.LUA} || ci.nresults === ${TAILRET_JS}${toJs ? "" : " || L.depth <= entryDepth"}) ${back}`;
}

/**
 * Step k returns cnt values from stack[src..] out of frame ci (RETURNS
 * holds): they go to the caller's slots from ci.funcIdx, the frame is
 * popped, and the caller goes on at the path's next step, else through the
 * exit of the guard passed last. `ending`: the trace ends with this return.
 */
function returnTo(ctx: StepContext, k: number, src: string, count: string, guard: string, ending: boolean): string {
  const n = ctx.T.path.length;
  const expect = ctx.T.path[k + 1 < n ? k + 1 : 0];
  const ej = ctx.protoIndex.get(expect.pt) as number;
  // Back in the first frame (a function the trace called returned): its slots are read again.
  const intoFirst = !ending && k + 1 < n && ctx.root[k + 1] === 1;
  const back2 = intoFirst
    ? `if (base !== base0) ${leaveAfter(ctx, k, "ci.pc")}
      ${RELOAD} live = true;`
    : "";
  const exit = ending ? "" : exitAfter(ctx, k, "ci.pc");
  if (intoFirst) ctx.local = true;
  // Out of the frame the run was entered in (RETURNS let it through): the run is over, the step
  // after is the caller's, reported when it runs (follow()). The results count as execute()'s.
  const toJs = `if (L.depth < entryDepth) {
      L.multres = L.top - ci.funcIdx;
      ${ending ? "" : guard} r.guard = g; r.guardInLoop = gl;
      ${ending ? "pathEnd(r, false);" : `r.cursor = ${k + 1}; r.atJop = ${ctx.plan.isJop[k] === 1};`}
      S.stopPc = -1; return ${RecordResult.done};
    }`;
  return `{ const dst = ci.funcIdx, src = ${src}, cnt = ${count};
      for (let i = 0; i < cnt; i++) stack[dst + i] = stack[src + i];
      const wanted = ci.nresults;
      if (wanted >= 0) for (let i = cnt; i < wanted; i++) stack[dst + i] = undefined;
      L.depth--; multres = cnt; L.top = dst + (wanted >= 0 ? wanted : cnt); }
    ${ending || k + 1 < n ? toJs : ""}
    ci = L.frames[L.depth]; base = ci.base | 0; cl = ci.closure;
    ${ending
      // The trace ends with this return (linktype return): the interpreter goes on in the caller.
      ? "r.guard = g; r.guardInLoop = gl; pathEnd(r, false); return continueAt(L, ci, ci.pc, multres);"
      : `${guard}
    if (cl.proto !== P${ej} || ci.pc !== ${expect.pc}) ${exit}
    ${back2}`}`;
}

/**
 * A tail call of a builtin (return f(...)): called in place as a call
 * step is, then its results are returned from this frame as by a RET. The
 * frame is left first: the builtin may read any of its slots.
 */
function nativeTailCall(ctx: StepContext, k: number, a: number, nargs: string, guard: string, back: string): OpCode {
  return {
    flow: "return",
    code: `const fn = ${rd(ctx, a)};
      if (!(${NATIVE_IN_PLACE})) ${back}
      ${RETURNS(ctx, k, false, back)}
      ${guard} ci.pc = ${ctx.T.path[k].pc + 1}; S.ticks--; ${leaveFrame(ctx)}
      ${nativeCall(ctx, k, a, nargs, -1, TAILRET_JS, NO_LOCALS)}
      stack = L.stack;
      // The builtin changed what the simulation follows: the interpreter returns and goes on.
      if (${SIM_MOVED(ctx, k)}) {
        const over = returnFrom(L, ci, fidx, L.top - fidx, entryDepth); S.stopPc = -1; return over ? ${RecordResult.done} : ${RecordResult.resume};
      }
      ${returnTo(ctx, k, "fidx", "L.top - fidx", "", false)}`,
  };
}

/**
 * Step k calls a metamethod the path went into (its header is step k + 1):
 * the step after its return, in k's frame, or -1 (the path does not come back).
 */
function metaReturnStep(ctx: StepContext, k: number): number {
  const { T } = ctx;
  const n = T.path.length;
  if (k + 1 >= n || T.path[k + 1].pc !== 0) return -1;
  const op0 = bcOp(T.path[k].pt.bc[T.path[k].pc]);
  if (op0 === Op.CALL || op0 === Op.CALLM || op0 === Op.CALLT || op0 === Op.CALLMT || op0 === Op.ITERC || isJOp(op0)) return -1;
  let depth = 1;
  for (let s = k + 1; s + 1 < n; s++) {
    const { pt, pc } = T.path[s];
    const word = pt.bc[pc];
    const op = bcOp(isJOp(bcOp(word)) ? ctx.startIns(pt, pc) : word);
    const next = T.path[s + 1];
    const tail = op === Op.CALLT || op === Op.CALLMT;
    if (isRetOp(op) || (tail && next.pc !== 0)) {
      if (--depth > 0) continue;
      // Back in k's frame: at the instruction after k's, or either branch of a comparison.
      const compares = op0 >= Op.ISLT && op0 <= Op.ISNEV;
      const back = next.pt === T.path[k].pt && ctx.root[s + 1] === ctx.root[k] && (compares || next.pc === T.path[k].pc + 1);
      return back ? s + 1 : -1;
    } else if (next.pc === 0 && !tail) depth++;
  }
  return -1;
}

/** The metamethod index meta.arith takes, and the operand slots its error names (-1: a constant). */
function arithOperands(op: number, b: number, c: number): [number, number, number] {
  if (op === Op.POW) return [5, b, c];
  if (op >= Op.ADDVV) return [op - Op.ADDVV, b, c];
  if (op >= Op.ADDNV) return [op - Op.ADDNV, -1, b];
  return [op - Op.ADDVN, b, -1];
}

/**
 * Step k calls a metamethod (`call`, the interpreter's own slow path) whose
 * steps the path goes through up to step m, back in this frame: the run
 * record first stands at the metamethod's header, whose compiled code the
 * interpreter then runs (it reports it), and which returns from compiled
 * code at its end (RETURNS). If the simulation followed it to m, compiled
 * code goes on there (through the simulation: the function that runs from
 * m); else the interpreter goes on and follow() takes it. The result goes
 * to slot dst (-1: none); npc picks a comparison's branch. The metamethod
 * may read this frame's slots (an upvalue): the locals go back first, and
 * stay there, as the code leaves.
 */
function metaCall(ctx: StepContext, k: number, m: number, guard: string, call: string, dst: number, npc: string | null): string {
  const { pt, pc } = ctx.T.path[k];
  const goesOn = npc === null ? String(pc + 1) : "npc";
  return `${guard} ci.pc = ${pc + 1}; L.top = base + ${pt.framesize};
    r.cursor = ${k + 1}; const gen = r.gen; r.guard = g; r.guardInLoop = gl;
    ${ctx.local ? `${SPILL} live = false;` : ""}
    const mv = ${call};
    stack = L.stack;
    ${npc !== null ? `npc = ${npc};` : ""}
    ${dst >= 0 ? `${slot(dst)} = mv;` : ""} L.multres = multres; S.stopPc = -1;
    if (running() !== r || r.gen !== gen || r.cursor !== ${m} || S.recording !== true${npc !== null ? ` || npc !== ${ctx.T.path[m].pc}` : ""}) {
      ci.pc = ${goesOn}; return ${RecordResult.resume};
    }
    ${goOnAfterCall(m, ctx.local)}`;
}

/**
 * Where compiled code goes on at step m after a call whose steps the
 * simulation followed (in a nested run of this or another function):
 * filled in per function by goOnIn.
 */
const goOnAfterCall = (m: number, local: boolean): string => `/*@goon:${m}:${local ? 1 : 0}*/`;

/**
 * The code of goOnAfterCall's placeholders in a function that runs steps
 * [lo, hi) by a switch on k: a step of its own is dispatched to at once,
 * with the locals and the guard passed last read again (the nested run
 * moved them on); any other step through the simulation (chunkTo). The
 * straight-line functions have no switch: [0, 0).
 */
function goOnIn(code: string, lo: number, hi: number): string {
  return code.replace(/\/\*@goon:(\d+):([01])\*\//g, (_, at: string, local: string) => {
    const m = Number(at);
    if (m < lo || m >= hi) return `return chunkTo(r, ${m});`;
    return `${local === "1" ? `${RELOAD} live = true; ` : ""}g = r.guard; gl = r.guardInLoop; k = ${m}; continue steps;`;
  });
}

/** The step after k (0 after the last): where the run record stands while step k's builtin runs. */
const stepAfter = (ctx: StepContext, k: number): number => (k + 1 < ctx.T.path.length ? k + 1 : 0);

/**
 * Step k calls builtin fn (slot a) in place, as the interpreter calls a
 * builtin: the run record first stands at the step after (the builtin may
 * flush, record or start another run: `gen` tells), a yield suspends the
 * thread, and the results end at stack[fidx...] (nres: their count wanted,
 * pending: the same for the call a yield leaves pending).
 */
function nativeCall(ctx: StepContext, k: number, a: number, nargs: string, nres: number, pending: number, around: NativeLocals): string {
  return `r.cursor = ${stepAfter(ctx, k)}; const gen = r.gen; r.guard = g; r.guardInLoop = gl; ${around.before}
    const fidx = base + ${a}, nargs = ${nargs};
    L.top = fidx + 2 + nargs;
    if (L.top + fn.minStack > L.stackLimit) nativeStack(L, fn);
    L.nativeFromJs = false;
    const nr = fn.fn(L, fidx + 2, nargs);
    ${around.after}
    if (nr < 0) { ${around.leave} L.pendingCall = fidx; L.pendingResults = ${pending}; L.multres = multres; return ${RecordResult.done}; }
    finishNative(L, fidx, fidx + 2, nr, ${nres});`;
}

/** After nativeCall: the simulation no longer follows this run at the step after k. */
const SIM_MOVED = (ctx: StepContext, k: number): string =>
  `running() !== r || r.gen !== gen || r.cursor !== ${stepAfter(ctx, k)} || S.recording !== true`;

/** What code around a native call does with the first frame's locals (nativeCallLocals). */
interface NativeLocals { before: string; after: string; leave: string; back: string }
const NO_LOCALS: NativeLocals = { before: "", after: "", leave: "", back: "" };

/**
 * Around a builtin called in place from the first frame: the stack array
 * must hold the call's slots [a, ...) before and they are read again after.
 * A leaf builtin sees nothing else, so the slots below a stay in locals
 * (they are written back only if control leaves: "below" tells the catch).
 * Any other builtin, or one called while a closure has an open upvalue in
 * this frame, may read or write any slot: all are written back and read again.
 */
function nativeCallLocals(ctx: StepContext, a: number): NativeLocals {
  if (!ctx.local) return NO_LOCALS;
  const top = 1 << 30;
  return {
    before: `const whole = !fn.leaf || (L.openUpvals !== null && L.openUpvals.idx >= base0);
      ${spillRange(a, top)} if (whole) { ${spillRange(0, a)} } else below = ${a}; live = false;`,
    after: "below = 0;",
    leave: `if (!whole) { ${spillRange(0, a)} }`,
    back: `if (whole) { ${reloadRange(0, a)} } ${reloadRange(a, top)} live = true;`,
  };
}

/** CallInfo.nresults of a frame whose call was a tail call from JS (interp.ts TAILRET). */
const TAILRET_JS = -2;

/** Bodies of the helpers that leave compiled trace code (bound into TraceRuntime by the simulation). */
export const leaveHelpers = {
  /** Step k goes back to the interpreter; `dynamic`: compiled code could not take it this time (do not re-enter at once). */
  before(L: LuaThread, r: RunCursor, ci: { pc: number }, pc: number, k: number, dynamic: boolean, multres: number): number {
    ci.pc = pc;
    r.cursor = k;
    r.skipJs = dynamic;
    L.state.stopPc = -1;
    L.multres = multres;
    return RecordResult.resume;
  },
  /** The interpreter resumes at npc, expected to be step `cursor`. */
  after(L: LuaThread, r: RunCursor, ci: { pc: number }, npc: number, cursor: number, atJop: boolean, multres: number, slice: boolean): number {
    ci.pc = npc;
    r.cursor = cursor;
    r.atJop = atJop;
    L.state.stopPc = -1;
    L.multres = multres;
    return slice ? RecordResult.slice : RecordResult.resume;
  },
};
