// Entry of bin/ljscope: luajit's command line (luajit.c's pmain: version,
// options in order, -b, then the script), with "ljscope" as program name.
import { compile } from "../lang/compile.ts";
import { LuaSyntaxError } from "../lang/errors.ts";
import { parseArgs, usageText, type BuildName, type CliOptions } from "./args.ts";
import { runBytecode } from "./bytecode.ts";
import { loadFileError, nodeIO, type CliIO } from "./io.ts";
import { runChunk } from "./run.ts";
import { LUAJIT_VERSIONS } from "../vm/lib/jit.ts";

export const PROGNAME = "ljscope";

export function versionLine(build: BuildName): string {
  return `${LUAJIT_VERSIONS[build]} -- Copyright (C) 2005-2025 Mike Pall. https://luajit.org/\n`;
}

/** -j commands: those the simulation will implement, and the rest of luajit's. */
const JIT_COMMANDS = new Set(["on", "off", "flush", "v"]);
const OTHER_LUAJIT_COMMANDS = new Set(["status", "attach", "security", "prngstate", "bc", "dump", "p", "zone", "bcsave"]);

/** Run the CLI; returns the exit status. Nothing here calls process.exit, so output gets flushed. */
export function runCli(argv: readonly string[], io: CliIO = nodeIO): number {
  const fail = (msg: string): number => { io.stderr(`${PROGNAME}: ${msg}\n`); return 1; };
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    if (parsed.usage) { io.stderr(usageText(PROGNAME)); return 1; }
    return fail(parsed.message);
  }
  const o = parsed.options;
  if (o.version) io.stdout(versionLine(o.build));

  for (const act of o.actions) {
    switch (act.kind) {
      case "exec": {
        const status = loadAndRun(act.chunk, "=(command line)", [], o, io);
        if (status !== 0) return status;
        break;
      }
      // DIVERGENCE: no module loading (-l), REPL, LUA_INIT, or -j modules other than v.
      case "require":
        return fail(`-l ${act.name}: loading modules is not supported`);
      case "jit":
        // Kept in o.actions for the JIT simulation; only the name is checked here.
        if (JIT_COMMANDS.has(act.name)) break;
        if (OTHER_LUAJIT_COMMANDS.has(act.name)) return fail(`-j${act.name} is not supported`);
        return fail("unknown luaJIT command or jit.* modules not installed");
      case "opt":
        break; // kept in o.actions: jit.opt.start arguments for the JIT simulation
      case "bytecode":
        return runBytecode(act.args, io, PROGNAME);
    }
  }

  if (o.script) {
    const { name, fromStdin, args } = o.script;
    let source: string;
    try {
      source = fromStdin ? io.readStdin() : io.readFile(name);
    } catch (e) {
      return fail(loadFileError(name, e));
    }
    const status = loadAndRun(source, fromStdin ? "=stdin" : "@" + name, args, o, io);
    if (status !== 0) return status;
  }
  if (o.interactive) return fail("interactive mode is not supported");
  if (!o.script && !o.exec && !o.version) {
    if (io.stdinIsTTY()) return fail("interactive mode is not supported; give a script or -e chunk");
    return loadAndRun(io.readStdin(), "=stdin", [], o, io);
  }
  return 0;
}

/** Compile and run one chunk; a syntax error is reported as luajit reports it. */
function loadAndRun(source: string, chunkname: string, args: readonly string[], o: CliOptions, io: CliIO): number {
  let main;
  try {
    main = compile(source, chunkname);
  } catch (e) {
    if (e instanceof LuaSyntaxError) { io.stderr(`${PROGNAME}: ${e.message}\n`); return 1; }
    throw e;
  }
  return runChunk(main, args, o, io, PROGNAME);
}

/** Process entry used by bin/ljscope: internal errors get exit status 70, not a Lua error's 1. */
export function main(argv: readonly string[] = process.argv.slice(2)): void {
  // A closed pipe (`ljscope -bl x.lua | head`) ends the process quietly, as SIGPIPE ends luajit.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  try {
    process.exitCode = runCli(argv);
  } catch (e) {
    nodeIO.stderr(`${PROGNAME}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  }
}
