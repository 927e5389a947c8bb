// The CLI's -jv output (stderr) and event log for DIR/NAME.lua, run with the
// program's own "-- luajit-args:" line, as LuaJIT was run for the expected output.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CliIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

function argsOf(src: string): string[] {
  const m = /^--\s*luajit-args:(.*)$/m.exec(src.split("\n", 1)[0]);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

function runIn(dir: string, name: string, flag: string): { stderr: string; files: Map<string, string> } {
  const src = readFileSync(join(dir, `${name}.lua`), "latin1");
  let stderr = "";
  const files = new Map<string, string>();
  const io: CliIO = {
    stdout: () => {},
    stderr: (s) => { stderr += s; },
    readFile: (p) => readFileSync(join(dir, p), "latin1"),
    readStdin: () => "",
    writeFile: (p, s) => { files.set(p, s); },
    stdinIsTTY: () => false,
  };
  runCli([...argsOf(src), flag, `${name}.lua`], io);
  return { stderr, files };
}

export function jvOf(dir: string, name: string): string {
  return runIn(dir, name, "-jv").stderr;
}

/** The event log (--events) of the fixed build, as JSON values, one per line. */
export function eventsOf(dir: string, name: string): unknown[] {
  return jsonLines(runIn(dir, name, "--events=log.jsonl").files.get("log.jsonl") ?? "");
}

export const jsonLines = (text: string): unknown[] => text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
