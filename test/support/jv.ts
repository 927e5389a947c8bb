// The CLI's -jv output (stderr) and event log for DIR/NAME.lua, run with the
// program's own "-- luajit-args:" line, as LuaJIT was run for the expected output.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { luajitArgs, runCliIn, type CliRun } from "./cli.ts";

function runIn(dir: string, name: string, flag: string): CliRun {
  return runCliIn(dir, [...luajitArgs(readFileSync(join(dir, `${name}.lua`), "latin1")), flag, `${name}.lua`]);
}

export function jvOf(dir: string, name: string): string {
  return runIn(dir, name, "-jv").stderr;
}

/** The event log (--events) of the fixed build, as JSON values, one per line. */
export function eventsOf(dir: string, name: string): unknown[] {
  return jsonLines(runIn(dir, name, "--events=log.jsonl").files.get("log.jsonl") ?? "");
}

export const jsonLines = (text: string): unknown[] => text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
