// Running a compiled chunk: the single place where the CLI hands a program to
// the interpreter (lua_pcall of the main chunk in luajit.c), with luajit's
// report of an uncaught error and its exit status.
import type { Proto } from "../bc/proto.ts";
import { createState, mainClosure, runMain } from "../vm/runtime.ts";
import { uncaughtReport } from "../vm/lib/traceback.ts";
import { LuaTable } from "../vm/table.ts";
import type { CliOptions } from "./args.ts";
import { AssertionCrash } from "../jit/sim.ts";
import { attachSimulator } from "../engine/simulator.ts";
import { protoKeys } from "../bc/protokeys.ts";
import type { EngineEvent, EventInput } from "../engine/events.ts";
import { applyJitOpt, JIT_F_ON } from "../vm/jitparams.ts";
import { jvPrinter } from "../engine/jv.ts";
import { growStackFor } from "../vm/stacksize.ts";
import { LUA_MINSTACK } from "../vm/thread.ts";
import { EventLogWriter } from "./eventlog.ts";
import type { LuaState } from "../vm/state.ts";
import { vmFileReader, type CliIO } from "./io.ts";

/** Output is buffered and written in large pieces; a program printing a line per iteration stays fast. */
function bufferedWriter(write: (s: string) => void): { put: (s: string) => void; flush: () => void } {
  let parts: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (parts.length) write(parts.join(""));
    parts = [];
    size = 0;
  };
  return {
    put: (s) => {
      parts.push(s);
      size += s.length;
      if (size > 1 << 16) flush();
    },
    flush,
  };
}

/** The global `arg`: arg[0] is the script, arg[1..] its arguments (as luajit.c sets it). */
function argTable(chunkname: string, args: readonly string[]): LuaTable {
  const t = new LuaTable();
  t.setInt(0, chunkname.startsWith("@") ? chunkname.slice(1) : chunkname);
  args.forEach((a, i) => t.setInt(i + 1, a));
  return t;
}

/** L->top of the C call that loading jit.v makes deepest (measured on luajit 2.1 -jv). */
const JV_LOAD_TOP = 21;
/** The stack growths of capture.lua before the script: its main chunk's frame, then a C call (top, slots needed). */
const CAPTURE_GROWTHS = [[10, 66], [95, LUA_MINSTACK]] as const;

/** The events LuaJIT sends as "trace" vmevents. */
const VMEVENT_TYPES: ReadonlySet<string> = new Set(["trace-start", "trace-stop", "trace-abort", "flush"]);

/**
 * The JIT simulation for a CLI run: -O and -j options applied as luajit.c
 * applies them, -jv lines on stderr, and the --events log.
 */
function attachJit(S: LuaState, main: Proto, options: CliOptions, io: CliIO, flushOut: () => void) {
  const printJv = options.actions.some((a) => a.kind === "jit" && a.name === "v") ? jvPrinter((l) => { flushOut(); io.stderr(l); }) : null;
  let log: EventLogWriter | null = null;
  let seq = 0;
  // LJSCOPE_DEBUG_EVENTS=1: every engine event (ours too) as JSON on stderr, for debugging the simulation.
  const debugEvents = io.getenv?.("LJSCOPE_DEBUG_EVENTS") === "1";
  const emit = (e: EventInput): void => {
    const ev = { ...e, seq: ++seq } as EngineEvent;
    // The program's own "trace" handler replaced the one -jv and the oracle's harness attach.
    const vmeventLost = S.jitConfig.traceHandlerReplaced && VMEVENT_TYPES.has(ev.type);
    if (!vmeventLost) {
      printJv?.(ev);
      log?.add(ev);
    }
    if (debugEvents) io.stderr(`${JSON.stringify(ev)}\n`);
  };
  for (const act of options.actions) {
    if (act.kind === "opt") for (const a of act.args) if (a !== null) applyJitOpt(S.jitConfig, a);
    if (act.kind === "jit" && act.name === "off") S.jitConfig.flags &= ~JIT_F_ON;
    if (act.kind === "jit" && act.name === "on") S.jitConfig.flags |= JIT_F_ON;
  }
  // The stack the real runs leave before the script starts, which hot counting sees (a
  // function header that grows the stack counts twice, stacksize.ts): loading jit.v for -jv
  // grows it once (48 to 105 slots); the oracle's event-log harness (capture.lua) twice
  // (to 123, then 255). DIVERGENCE: under that harness the script also runs deeper.
  if (printJv !== null) growStackFor(S.main, JV_LOAD_TOP + LUA_MINSTACK, LUA_MINSTACK);
  if (options.events !== null) for (const [top, need] of CAPTURE_GROWTHS) growStackFor(S.main, top + need, need);
  const keys = protoKeys(main);
  const sim = attachSimulator(S, options.build, emit, keys);
  if (options.events !== null) {
    const writer = new EventLogWriter({ protos: [...keys].map(([pt, key]) => [key, pt]), allocated: () => sim.allocated() });
    sim.onNewKey = (pt, key) => writer.addProto(key, pt);
    log = writer;
  }
  return {
    get log() { return log; },
    finish: () => { if (log !== null && options.events !== null) io.writeFile(options.events, log.text()); },
  };
}

/** Run a main chunk with its arguments; returns the exit status. */
export function runChunk(main: Proto, args: readonly string[], options: CliOptions, io: CliIO, progname: string): number {
  const out = bufferedWriter((s) => io.stdout(s));
  let stdinRead = false;
  const S = createState({
    stdout: out.put,
    stderr: (s) => { out.flush(); io.stderr(s); },
    // All of stdin at the first read (none left if the script came from it).
    stdin: () => {
      if (stdinRead) return null;
      stdinRead = true;
      try { return io.readStdin(); } catch { return null; }
    },
    getenv: (name) => process.env[name],
    readFile: vmFileReader(io),
    // luajit -E ignores LUA_PATH and LUA_CPATH.
    luaPath: options.noEnv ? undefined : io.getenv?.("LUA_PATH"),
    luaCPath: options.noEnv ? undefined : io.getenv?.("LUA_CPATH"),
    build: options.build,
  });
  S.setGlobal("arg", argTable(main.chunkname, args));
  const jit = attachJit(S, main, options, io, out.flush);
  let result;
  try {
    result = runMain(S, mainClosure(S, main), args);
  } catch (e) {
    if (!(e instanceof AssertionCrash)) throw e;
    // A prefix-assert build's failed lua_assert: abort(), exit status 134.
    out.flush();
    io.stderr(e.text + "\n");
    jit.log?.crash(134, e.text);
    jit.finish();
    return 134;
  }
  out.flush();
  jit.log?.end(result.status === "error" ? "error" : "ok", result.status === "error" ? result.message : undefined);
  jit.finish();
  if (result.status === "error") {
    // "luajit: msg" and the traceback; a nil error prints nothing (luajit.c's report).
    const report = uncaughtReport(S.main, result.error, result.traceback);
    if (report !== null) io.stderr(`${progname}: ${report}\n`);
    return 1;
  }
  if (result.status === "halted") {
    io.stderr(`${progname}: ${result.message}\n`);
    return 1;
  }
  // os.exit: C's exit() keeps the low 8 bits.
  if (result.status === "exit") return result.code & 0xff;
  return 0;
}
