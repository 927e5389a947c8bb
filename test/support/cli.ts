// The CLI run in-process with its output captured, as the golden and fixture
// tests run it: files are read from one folder (or by absolute path) and the
// files it writes (--events=...) are kept.
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { CliIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  /** Files the run wrote, by the path it gave. */
  files: Map<string, string>;
}

/** A program's luajit options, from its first line (`-- luajit-args: ...`). */
export function luajitArgs(source: string): string[] {
  const m = /^--\s*luajit-args:(.*)$/.exec(source.split("\n", 1)[0]);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

/** `ljscope ARGV` run in folder dir; `io` replaces parts of its I/O (readFile, getenv...). */
export function runCliIn(dir: string, argv: string[], io: Partial<CliIO> = {}): CliRun {
  const run: CliRun = { status: 0, stdout: "", stderr: "", files: new Map() };
  run.status = runCli(argv, {
    stdout: (s) => { run.stdout += s; },
    stderr: (s) => { run.stderr += s; },
    readFile: (p) => readFileSync(isAbsolute(p) ? p : join(dir, p), "latin1"),
    readStdin: () => "",
    writeFile: (p, s) => { run.files.set(p, s); },
    stdinIsTTY: () => false,
    ...io,
  });
  return run;
}
