// The seam between the VM and the JIT simulator (src/jit implements JitHooks;
// the VM never imports src/jit). The jit library (src/vm/lib/jit.ts) keeps
// the engine state a program can see in JitConfig and reports changes here.
import type { Proto } from "../bc/proto.ts";
import type { LuaFunction } from "./func.ts";
import type { LuaThread } from "./thread.ts";
import { JIT_F_CPU_DEFAULT, JIT_F_ON, JIT_F_OPT_DEFAULT, JIT_PARAM_DEFAULTS } from "./jitparams.ts";

/** Which prototypes jit.on/off/flush(fn [, recursive]) covers (LUAJIT_MODE_FUNC/ALLFUNC/ALLSUBFUNC). */
export type JitFuncScope = "func" | "allfunc" | "allsubfunc";

/** What a jit.on/off/flush call is about (luaJIT_setmode's idx and mode). */
export type JitTarget =
  /** jit.on() / jit.off() / jit.flush(): the whole engine (wasOn: whether the JIT was on before this call). */
  | { kind: "engine"; wasOn?: boolean }
  /** A Lua function's prototype: fn itself, fn plus its children (true), or only its children (false). */
  | { kind: "proto"; proto: Proto; scope: JitFuncScope };

/** jit.util.traceinfo(tr) as lib_jit.c returns it. */
export interface TraceInfo {
  nins: number;
  nk: number;
  link: number;
  nexit: number;
  linktype: string;
}

export interface JitHooks {
  /** True when the simulator wants instruction-level callbacks. */
  readonly active: boolean;
  /** jit.on(...): for the engine, config.flags already has JIT_F_ON set. */
  on(target: JitTarget): void;
  /** jit.off(...): for the engine, JIT_F_ON is already cleared. */
  off(target: JitTarget): void;
  /** jit.flush(...): all traces (engine, lj_trace_flushall) or a prototype's root traces. */
  flush(target: JitTarget): void;
  /** jit.flush(n): one trace by number (lj_trace_flush); unknown numbers are ignored. */
  flushTrace(traceno: number): void;
  /** jit.opt.start(args...) after config.flags/params were updated from the valid args. */
  optStart(args: readonly string[]): void;
  /** jit.attach(fn, event) / jit.attach(fn) after config.handlers was updated (the simulator emits to those). */
  attach?(fn: LuaFunction, event: string | undefined): void;
  /** jit.util.traceinfo; undefined if there is no such trace. */
  traceInfo?(traceno: number): TraceInfo | undefined;
  /**
   * A hot counter ran out at pt.bc[pc] (FORL/ITERL/ITERN/LOOP/FUNCF, before it
   * executes): lj_trace_hot. The simulator resets the counter and may start recording.
   */
  hot(L: LuaThread, pt: Proto, pc: number): void;
  /**
   * While S.recording: called before the instruction at pt.bc[pc] executes
   * (lj_record_ins), from an interpreter loop running down to entryDepth.
   * A running trace's compiled code may run on from there: the result says
   * how the interpreter goes on.
   */
  record(L: LuaThread, pt: Proto, pc: number, entryDepth: number): RecordResult;
  /** The J-op at pt.bc[pc] jumps into its trace (the loop goes on, or the function is entered). */
  enter(L: LuaThread, pt: Proto, pc: number): void;
  /** A JFORL/JITERL at pt.bc[pc] did not loop back: its trace's loop was left. */
  loopLeft(pt: Proto, pc: number): void;
  /** The original instruction a trace patched at pt.bc[pc] (the trace's startins), for running a J-op. */
  startIns(pt: Proto, pc: number): number;
  /**
   * A Lua error is being thrown (lj_err_throw): a trace being recorded is
   * aborted, which the recorder reports at the next instruction it sees.
   */
  errorThrown?(): void;
  /** coroutine.resume/wrap switched threads (into the coroutine, or back when it yields or ends). */
  threadSwitched?(): void;
  /** ISNEXT found no next(): pt.bc[pc] became JMP and its ITERN an ITERC. */
  despecialised?(pt: Proto, pc: number): void;
}

/** How the interpreter goes on after JitHooks.record. */
export const enum RecordResult {
  /** Run the instruction it reported. */
  go = 0,
  /** Frames and pcs moved on: resume the top frame at its ci.pc (reporting that instruction). */
  resume = 1,
  /** As resume, but end the tick slice first (a loop back-edge used up the slice). */
  slice = 2,
  /** The run is over: a builtin yielded (L.pendingCall is set), or compiled code returned from the frame the run was entered in. */
  done = 3,
}

/** The JIT state a program can observe without a compiler (J->flags, J->param, the vmevent handlers). */
export class JitConfig {
  /** JIT_F_* bits: ON, the CPU features and the optimisation flags. */
  flags = JIT_F_ON | JIT_F_CPU_DEFAULT | JIT_F_OPT_DEFAULT;
  /** JIT_P_* values in JIT_PARAMDEF order (maxtrace, maxrecord, ..., hotloop, ...). */
  readonly params: number[] = JIT_PARAM_DEFAULTS.slice();
  /** jit.attach handlers by event name ("trace", "record", "texit", "bc"). */
  readonly handlers = new Map<string, LuaFunction>();
  /**
   * The program attached a "trace" handler. LuaJIT keeps one handler per
   * event, so one that -jv or an event-capturing harness attached before the
   * program ran is gone from then on (the CLI prints and logs no more).
   */
  traceHandlerReplaced = false;
}
