// The worker protocol: typed messages between the explorer (client.ts) and
// the engine worker (worker.ts). Every request carries an id; replies echo it
// so that the client can drop replies to requests it no longer cares about.
import type { JitBuild } from "../vm/lib/jit.ts";
import type { EngineEvent, ProtoInfo } from "./events.ts";

/** The simulated LuaJIT builds (see ../shared/oracle/README.md "The builds"). */
export const BUILDS = ["fixed", "prefix-assert", "prefix-release"] as const satisfies readonly JitBuild[];
export type BuildName = (typeof BUILDS)[number];

export function isBuildName(s: unknown): s is BuildName {
  return typeof s === "string" && (BUILDS as readonly string[]).includes(s);
}

export interface RunOptions {
  build: BuildName;
  /** -O arguments as jit.opt.start takes them, e.g. ["hotloop=1", "maxtrace=4"]; applied in order. */
  jitOpts: string[];
  /** VMOptions.budget: ticks (loop back-edges and calls) before "instruction budget exhausted". */
  budget: number;
  /** VMOptions.memoryLimit: bytes of live data (estimated) before "not enough memory"; DEFAULT_MEMORY_LIMIT if unset. */
  memoryLimit?: number;
  /** VMOptions.compile: false runs everything interpreted (compiled code is checked against that). */
  compile?: boolean;
  /** The run stops when the event log reaches this many events. */
  maxEvents: number;
  /** Program output kept in the log (characters); the rest is dropped with a note. */
  maxOutput: number;
}

export const DEFAULT_BUDGET = 50_000_000;
export const DEFAULT_MAX_EVENTS = 200_000;
export const DEFAULT_MAX_OUTPUT = 1 << 20;

/** A compile error, with LuaJIT's exact message ("main.lua:3: 'end' expected near '<eof>'"). */
export interface SyntaxErrorInfo {
  message: string;
  /** The line the message names, if it names one. */
  line?: number;
}

export type WorkerRequest =
  /** Compile and run a program; events stream back in batches, then "done". */
  | { kind: "run"; id: number; source: string; chunkname: string; options: RunOptions }
  /** Only compile (live syntax markers, listings for imported logs). */
  | { kind: "check"; id: number; source: string; chunkname: string }
  /** Compile and list the bytecode as `luajit -bl` prints it (the explorer's -bl export). */
  | { kind: "list"; id: number; source: string; chunkname: string };

export type WorkerReply =
  | { kind: "events"; id: number; events: EngineEvent[] }
  | { kind: "syntax-error"; id: number; error: SyntaxErrorInfo }
  | { kind: "checked"; id: number; protos: ProtoInfo[] | null; error: SyntaxErrorInfo | null }
  | { kind: "listed"; id: number; listing: string | null; error: SyntaxErrorInfo | null }
  /** The run is over; its last event batch (with the `end` event) came before. */
  | { kind: "done"; id: number }
  /** The engine itself failed (a bug, not a Lua error). */
  | { kind: "failed"; id: number; message: string };
