// Golden test for the interpreter: each oracle case's stdout and exit status
// under our VM must equal real LuaJIT's (NAME.out.fixed, which ends with
// "exit: N"). Runs the CLI's own run path in-process.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import type { CliIO } from "../../src/cli/io.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

const names = oracleCaseNames();

/** The case's luajit options, from its first line. */
function caseArgs(name: string): string[] {
  const first = readFileSync(casePath(name, ".lua"), "latin1").split("\n", 1)[0];
  const m = /^--\s*luajit-args:(.*)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

function runCase(name: string): string {
  let out = "";
  const io: CliIO = {
    stdout: (s) => { out += s; },
    stderr: () => {},
    readFile: (p) => readFileSync(p.startsWith("/") ? p : `${oracleCases}/${p}`, "latin1"),
    readStdin: () => "",
    writeFile: () => {},
    stdinIsTTY: () => false,
  };
  const status = runCli([...caseArgs(name), `${name}.lua`], io);
  return `${out}exit: ${status}\n`;
}

describe("program output matches LuaJIT (fixed build)", () => {
  if (names === null) {
    it.skip(`oracle corpus not found at ${oracleCases}: golden tests skipped`, () => {});
    return;
  }
  for (const name of names) {
    it(name, () => {
      expect(runCase(name)).toBe(readFileSync(casePath(name, ".out.fixed"), "latin1"));
    });
  }
});
