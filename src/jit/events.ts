// The typed event log: the seam between the engine (VM + JIT simulation) and
// everything that shows it (-jv, --events, the explorer). Defined here because
// the JIT simulation emits most of it (src/engine re-exports it). LuaJIT's own
// vmevents (lj_vmevent.h, jit.attach) keep LuaJIT's payloads; the rest are
// ours and say so in `ours: true`. Plain JSON, so logs export and import.

/** A prototype as "chunk:firstline" (jit.util.funcinfo's loc), "#2" appended for a duplicate. */
export type ProtoKey = string;

export type TraceKind = "root" | "side" | "stitch";

/** jit.util.traceinfo's linktype names (lj_trace.c TraceLink). */
export type LinkType =
  | "none" | "root" | "loop" | "tail-recursion" | "up-recursion" | "down-recursion"
  | "interpreter" | "return" | "stitch";

/** Where a trace starts (the payload LuaJIT's "trace" vmevent gives for start/stop/abort). */
export interface TraceOrigin {
  tr: number;
  /** Prototype the trace starts in. */
  func: ProtoKey;
  /** Start bytecode position, numbered like the -bl listing (0 = header). */
  pc: number;
  /** "chunk:line" of that position, as jit.v prints it. */
  loc: string;
  kind: TraceKind;
  /** Side traces: parent trace and exit number; stitched traces: the previous trace. */
  parent?: number;
  exit?: number;
}

/** One instruction of a prototype, for the explorer's bytecode view. */
export interface ProtoInfo {
  key: ProtoKey;
  chunkname: string;
  firstline: number;
  lastline: number;
  /** Opcode names and the -bl text of each instruction (index = pc). */
  ops: string[];
  lines: number[];
  text: string[];
}

interface Base {
  /** 1, 2, 3, ... in emission order. */
  seq: number;
}

// -- LuaJIT's own vmevents -------------------------------------------------------

export interface TraceStartEvent extends Base, TraceOrigin {
  type: "trace-start";
}

export interface TraceStopEvent extends Base, TraceOrigin {
  type: "trace-stop";
  linktype: LinkType;
  /** Trace linked to (== tr for a loop, 0 for none). */
  link: number;
  /** Function being recorded when the trace stopped: a proto key or a builtin name ("print", "jit.flush"). */
  stopfunc: string;
  /** Ours: why the loop optimisation failed before, each time recording went on into another iteration (lj_opt_loop). */
  loopRetries?: string[];
}

export interface TraceAbortEvent extends Base, TraceOrigin {
  type: "trace-abort";
  /** Formatted as jit.v does ("NYI: bytecode FNEW  " keeps its padding). */
  reason: string;
  abortFunc: ProtoKey;
  abortPc: number;
  abortLoc: string;
}

/** jit.flush() or trace-number exhaustion: every trace is gone (lj_trace_flushall). */
export interface FlushAllEvent extends Base {
  type: "flush";
}

// -- Ours -----------------------------------------------------------------------

/** The program was compiled: its prototypes, in listing order. */
export interface CompiledEvent extends Base {
  type: "compiled";
  ours: true;
  protos: ProtoInfo[];
}

/** A bytecode slot changed: patched for a trace, restored, blacklisted or despecialised. */
export interface BytecodeEvent extends Base {
  type: "bc";
  ours: true;
  proto: ProtoKey;
  pc: number;
  from: string;
  to: string;
  /** For J-ops, the trace number now in D. */
  trace?: number;
  why: "patch" | "unpatch" | "blacklist" | "despecialise" | "jit-off";
  /** Which LuaJIT function did it (trace_stop, trace_unpatch, penalty_pc, ...). */
  by: string;
}

/** A hot counter fired (lj_trace_hot / hotexit). */
export interface HotEvent extends Base {
  type: "hot";
  ours: true;
  proto: ProtoKey;
  pc: number;
  what: "loop" | "call" | "exit";
}

/** A failed root trace penalised its start instruction (penalty_pc). */
export interface PenaltyEvent extends Base {
  type: "penalty";
  ours: true;
  proto: ProtoKey;
  pc: number;
  value: number;
  reason: string;
}

/** jit.flush(n) / jit.flush(func) / a GC cycle acting on one trace. */
export interface TraceFlushEvent extends Base {
  type: "trace-flush";
  ours: true;
  tr: number;
  /** flushroot: unlinked and unpatched; freed: the number is free again; ignored: nothing to do. */
  what: "flushroot" | "freed" | "ignored";
  by: string;
}

/** A trace was left through a side exit. */
export interface SideExitEvent extends Base {
  type: "exit";
  ours: true;
  tr: number;
  exit: number;
  /** Times this exit has been taken. */
  count: number;
}

/** One of LuaJIT's trace-management assertions does not hold (shown in every build). */
export interface ViolationEvent extends Base {
  type: "violation";
  ours: true;
  /** The assertion text LuaJIT would print (with LUA_USE_ASSERT). */
  message: string;
  proto?: ProtoKey;
  pc?: number;
  /** prefix-assert builds stop the process here (exit 134). */
  fatal: boolean;
}

/** Program output, so the timeline can place it. */
export interface OutputEvent extends Base {
  type: "output";
  ours: true;
  stream: "stdout" | "stderr";
  text: string;
}

/** The program finished. */
export interface EndEvent extends Base {
  type: "end";
  ours: true;
  status: "ok" | "error" | "halted" | "crash";
  error?: string;
  exitCode: number;
}

export type EngineEvent =
  | TraceStartEvent | TraceStopEvent | TraceAbortEvent | FlushAllEvent
  | CompiledEvent | BytecodeEvent | HotEvent | PenaltyEvent | TraceFlushEvent | SideExitEvent
  | ViolationEvent | OutputEvent | EndEvent;

export type EngineEventType = EngineEvent["type"];

/** Distributive Omit, so each member keeps its own fields. */
export type EventInput = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, "seq"> : never) : never;
