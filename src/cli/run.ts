// Running a compiled chunk: the single place where the CLI hands a program to
// the interpreter (lua_pcall of the main chunk in luajit.c), with luajit's
// report of an uncaught error and its exit status.
import type { Proto } from "../bc/proto.ts";
import { createState, mainClosure, runMain } from "../vm/runtime.ts";
import { uncaughtReport } from "../vm/lib/traceback.ts";
import { LuaTable } from "../vm/table.ts";
import type { CliOptions } from "./args.ts";
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
  const result = runMain(S, mainClosure(S, main), args);
  out.flush();
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
