// Command-line parsing for bin/ljscope: luajit's own options, scanned the way
// luajit.c's collectargs does, plus ljscope's --build= and --events=.

/** The simulated LuaJIT builds (see ../shared/oracle/README.md). */
export const BUILDS = ["fixed", "prefix-assert", "prefix-release"] as const;
export type BuildName = (typeof BUILDS)[number];

/** Options that luajit.c's runargs carries out one after the other, in command-line order. */
export type CliAction =
  | { kind: "exec"; chunk: string }                 // -e chunk
  | { kind: "require"; name: string }               // -l name
  | { kind: "jit"; name: string; args: (string | null)[] } // -j cmd[=arg,arg...]
  | { kind: "opt"; args: (string | null)[] }        // -O[arg,arg...], as jit.opt.start arguments
  | { kind: "bytecode"; args: string[] };           // -b...: everything from the -b on, for bcsave

export interface CliOptions {
  build: BuildName;
  /** --events=FILE: where to write the event log. */
  events: string | null;
  actions: CliAction[];
  version: boolean;      // -v (or -i)
  interactive: boolean;  // -i
  noEnv: boolean;        // -E
  /** -e or -b seen: don't fall back to stdin/REPL when there is no script. */
  exec: boolean;
  /** The script and its arguments; name "-" with fromStdin means standard input. */
  script: { name: string; fromStdin: boolean; args: string[] } | null;
}

export type ParseResult =
  | { ok: true; options: CliOptions }
  | { ok: false; usage: true }                 // luajit prints its usage text
  | { ok: false; usage: false; message: string };

/** Split "a,b,,c" into jit command arguments like luajit.c's runcmdopt (empty pieces are nil). */
export function splitCmdArgs(opt: string): (string | null)[] {
  if (opt === "") return [];
  return opt.split(",").map((s) => (s === "" ? null : s));
}

/** Parse argv (without node and script path) the way luajit.c does. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const o: CliOptions = {
    build: "fixed", events: null, actions: [], version: false, interactive: false, noEnv: false,
    exec: false, script: null,
  };
  // luajit refuses -b after any option that sets a flag (-e -l -j -i -v -E).
  let flagged = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    const ours = /^--(build|events)=(.*)$/s.exec(a);
    if (ours) {
      if (ours[1] === "events") { o.events = ours[2]; continue; }
      if (!(BUILDS as readonly string[]).includes(ours[2])) {
        return { ok: false, usage: false, message: `unknown build '${ours[2]}' (use ${BUILDS.join(", ")})` };
      }
      o.build = ours[2] as BuildName;
      continue;
    }
    if (a[0] !== "-") break;
    const tail = a.slice(2);
    switch (a[1]) {
      case "-":
        if (tail) return { ok: false, usage: true };
        i++;
        return finish(o, argv, i, true);
      case undefined: // "-": the script is stdin
        return finish(o, argv, i, false);
      case "i":
        if (tail) return { ok: false, usage: true };
        o.interactive = o.version = flagged = true;
        break;
      case "v":
        if (tail) return { ok: false, usage: true };
        o.version = flagged = true;
        break;
      case "e": case "l": case "j": {
        let value = tail;
        if (!tail) {
          if (++i >= argv.length) return { ok: false, usage: true };
          value = argv[i];
        }
        flagged = true;
        if (a[1] === "e") { o.exec = true; o.actions.push({ kind: "exec", chunk: value }); }
        else if (a[1] === "l") o.actions.push({ kind: "require", name: value });
        else {
          const eq = value.indexOf("=");
          o.actions.push(eq < 0
            ? { kind: "jit", name: value, args: [] }
            : { kind: "jit", name: value.slice(0, eq), args: splitCmdArgs(value.slice(eq + 1)) });
        }
        break;
      }
      case "O":
        o.actions.push({ kind: "opt", args: splitCmdArgs(tail) });
        break;
      case "b":
        if (flagged) return { ok: false, usage: true };
        o.exec = true;
        o.actions.push({ kind: "bytecode", args: argv.slice(i) });
        return { ok: true, options: o };
      case "E":
        o.noEnv = flagged = true;
        break;
      default:
        return { ok: false, usage: true };
    }
  }
  return finish(o, argv, i, false);
}

function finish(o: CliOptions, argv: readonly string[], i: number, afterDashDash: boolean): ParseResult {
  if (i < argv.length) {
    const name = argv[i];
    o.script = { name, fromStdin: name === "-" && !afterDashDash, args: argv.slice(i + 1) };
  }
  return { ok: true, options: o };
}

/** luajit's usage text, with our program name and options. */
export function usageText(progname: string): string {
  return `usage: ${progname} [options]... [script [args]...].
Available options are:
  -e chunk  Execute string 'chunk'.
  -l name   Require library 'name'.
  -b ...    Save or list bytecode.
  -j cmd    Perform LuaJIT control command.
  -O[opt]   Control LuaJIT optimizations.
  -i        Enter interactive mode after executing 'script'.
  -v        Show version information.
  -E        Ignore environment variables.
  --        Stop handling options.
  -         Execute stdin and stop handling options.
ljscope options (before the script):
  --build=NAME   Simulated LuaJIT build: ${BUILDS.join(", ")} (default fixed).
  --events=FILE  Write the trace event log (JSON lines) to FILE.
`;
}
