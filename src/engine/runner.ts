// One run of a program, as the worker does it (and as tests do it in Node):
// compile, announce the prototypes, run the main chunk with the JIT options
// and the budget, stream events, and end with LuaJIT's report of the outcome.
import { listBytecode } from "../bc/listing.ts";
import type { Proto } from "../bc/proto.ts";
import { compile } from "../lang/compile.ts";
import { LuaSyntaxError } from "../lang/errors.ts";
import { LuaHalt } from "../vm/errors.ts";
import { applyJitOpt } from "../vm/jitparams.ts";
import { uncaughtReport } from "../vm/lib/traceback.ts";
import { createState, mainClosure, runMain } from "../vm/runtime.ts";
import { LuaTable } from "../vm/table.ts";
import { EventBatcher } from "./batcher.ts";
import { binaryToUtf8, utf8ToBinary } from "./bytes.ts";
import type { EndEvent, EngineEvent, EventInput } from "./events.ts";
import { protoInfos, protoKeys } from "./protoinfo.ts";
import type { RunOptions, SyntaxErrorInfo, WorkerReply } from "./protocol.ts";
import { attachSimulator } from "./simulator.ts";

/** What luajit calls itself in its error reports. */
const PROGNAME = "luajit";

/** Compile editor text as the file `chunkname` (luajit FILE.lua: chunk name "@FILE.lua"). */
export function compileSource(source: string, chunkname: string): { main: Proto } | { error: SyntaxErrorInfo } {
  try {
    return { main: compile(utf8ToBinary(source), "@" + chunkname) };
  } catch (e) {
    if (e instanceof LuaSyntaxError) return { error: { message: binaryToUtf8(e.message), line: e.line } };
    throw e;
  }
}

/** Run a program to its end, posting event batches and then "done". */
export function runProgram(id: number, source: string, chunkname: string, options: RunOptions, post: (r: WorkerReply) => void): void {
  const batcher = new EventBatcher((events: EngineEvent[]) => post({ kind: "events", id, events }), {
    maxEvents: options.maxEvents, maxOutput: options.maxOutput,
  });
  const end = (e: Omit<EndEvent, "seq" | "type" | "ours">): void => {
    batcher.flush();
    // The end event is always kept, even in a full log.
    batcher.emitFinal({ type: "end", ours: true, ...e });
    batcher.flush();
    post({ kind: "done", id });
  };

  const compiled = compileSource(source, chunkname);
  if ("error" in compiled) {
    post({ kind: "syntax-error", id, error: compiled.error });
    batcher.output("stderr", utf8ToBinary(`${PROGNAME}: ${compiled.error.message}\n`));
    end({ status: "error", error: compiled.error.message, exitCode: 1 });
    return;
  }
  batcher.emit({ type: "compiled", ours: true, protos: protoInfos(compiled.main) });

  let fatal: string | null = null;
  const sink = (e: EventInput): void => {
    batcher.emit(e);
    if (e.type === "violation" && e.fatal) {
      // prefix-assert: lua_assert aborts the process right here.
      fatal = e.message;
      throw new LuaHalt("cancelled", e.message);
    }
  };
  const S = createState({
    stdout: (s) => batcher.output("stdout", s),
    stderr: (s) => batcher.output("stderr", s),
    budget: options.budget,
    memoryLimit: options.memoryLimit,
    build: options.build,
    compile: options.compile,
    // Polled every few thousand ticks: a chance to send output of a long silent run.
    shouldStop: () => { batcher.tick(); return false; },
  });
  const arg = new LuaTable();
  arg.setInt(0, chunkname);
  S.setGlobal("arg", arg);
  for (const a of options.jitOpts) applyJitOpt(S.jitConfig, a);
  attachSimulator(S, options.build, sink, protoKeys(compiled.main));
  if (options.jitOpts.length > 0) S.jit?.optStart(options.jitOpts);

  let result: ReturnType<typeof runMain>;
  try {
    result = runMain(S, mainClosure(S, compiled.main));
  } catch (err) {
    // A bug of ours, not the program's: keep the log so far, say what broke.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    batcher.output("stderr", utf8ToBinary(`ljscope: internal error: ${message}\n`));
    end({ status: "error", error: `internal error: ${message}`, exitCode: 1 });
    post({ kind: "failed", id, message });
    return;
  }
  if (fatal !== null) {
    // prefix-assert: the process died in lua_assert (abort(), exit status 134).
    batcher.output("stderr", utf8ToBinary(fatal + "\n"));
    end({ status: "crash", error: fatal, exitCode: 134 });
    return;
  }
  switch (result.status) {
    case "ok":
      end({ status: "ok", exitCode: 0 });
      return;
    case "exit":
      end({ status: "ok", exitCode: result.code & 0xff });
      return;
    case "halted":
      batcher.output("stderr", utf8ToBinary(`ljscope: ${result.message}\n`));
      end({ status: "halted", error: result.message, exitCode: 1 });
      return;
    case "error": {
      const report = uncaughtReport(S.main, result.error, result.traceback);
      if (report !== null) batcher.output("stderr", `${PROGNAME}: ${report}\n`);
      end({ status: "error", error: binaryToUtf8(result.message), exitCode: 1 });
      return;
    }
  }
}

/** Compile only: the listing, or LuaJIT's syntax error. */
export function checkProgram(source: string, chunkname: string): { protos: ReturnType<typeof protoInfos> | null; error: SyntaxErrorInfo | null } {
  const compiled = compileSource(source, chunkname);
  if ("error" in compiled) return { protos: null, error: compiled.error };
  return { protos: protoInfos(compiled.main), error: null };
}

/** `luajit -bl` of the program as the file `chunkname`, or LuaJIT's syntax error. */
export function listProgram(source: string, chunkname: string): { listing: string | null; error: SyntaxErrorInfo | null } {
  const compiled = compileSource(source, chunkname);
  if ("error" in compiled) return { listing: null, error: compiled.error };
  return { listing: binaryToUtf8(listBytecode(compiled.main)), error: null };
}
