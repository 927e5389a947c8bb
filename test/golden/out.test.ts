// Golden test for the interpreter: each oracle case's stdout and exit status
// under our VM must equal real LuaJIT's (NAME.out.fixed, which ends with
// "exit: N"). Runs the CLI's own run path in-process.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { luajitArgs, runCliIn } from "../support/cli.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

const names = oracleCaseNames();

function runCase(name: string): string {
  const { status, stdout } = runCliIn(oracleCases, [...luajitArgs(readFileSync(casePath(name, ".lua"), "latin1")), `${name}.lua`]);
  return `${stdout}exit: ${status}\n`;
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
