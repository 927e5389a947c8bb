// Golden test for the trace lifecycle: -jv output, stdout/exit and the event
// log of the seed and every flush-bug case must equal real LuaJIT's under all
// three builds (the oracle's NAME.jv.B, NAME.out.B, NAME.events.B.jsonl).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { luajitArgs, runCliIn } from "../support/cli.ts";
import { jsonLines } from "../support/jv.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

const BUILDS = ["fixed", "prefix-assert", "prefix-release"] as const;
const names = oracleCaseNames()?.filter((n) => n === "seed_flush_twice" || n.startsWith("flushbug_")) ?? null;

function run(name: string, build: string, extra: string[]) {
  const args = luajitArgs(readFileSync(casePath(name, ".lua"), "latin1"));
  return runCliIn(oracleCases, [`--build=${build}`, ...args, ...extra, `${name}.lua`]);
}

describe("trace lifecycle of the flush-bug cases matches LuaJIT", () => {
  if (names === null) {
    it.skip(`oracle corpus not found at ${oracleCases}: golden tests skipped`, () => {});
    return;
  }
  it("covers the seed and the flush-bug variants", () => expect(names.length).toBeGreaterThanOrEqual(9));
  for (const name of names) {
    for (const build of BUILDS) {
      it(`${name} (${build})`, () => {
        const jv = run(name, build, ["-jv"]);
        const wantJv = readFileSync(casePath(name, `.jv.${build}`), "latin1");
        // -jv output is stderr: trace lines, plus the assertion for a crash.
        expect(jv.stderr).toBe(wantJv);
        expect(`${jv.stdout}exit: ${jv.status}\n`).toBe(readFileSync(casePath(name, `.out.${build}`), "latin1"));
        const ev = run(name, build, ["--events=log.jsonl"]);
        expect(jsonLines(ev.files.get("log.jsonl") ?? "")).toEqual(jsonLines(readFileSync(casePath(name, `.events.${build}.jsonl`), "latin1")));
      });
    }
  }
});
