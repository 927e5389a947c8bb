// Golden test for the trace lifecycle: -jv output, stdout/exit and the event
// log of the seed and every flush-bug case must equal real LuaJIT's under all
// three builds (the oracle's NAME.jv.B, NAME.out.B, NAME.events.B.jsonl).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import type { CliIO } from "../../src/cli/io.ts";
import { jsonLines } from "../support/jv.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

const BUILDS = ["fixed", "prefix-assert", "prefix-release"] as const;
const names = oracleCaseNames()?.filter((n) => n === "seed_flush_twice" || n.startsWith("flushbug_")) ?? null;

function caseArgs(name: string): string[] {
  const first = readFileSync(casePath(name, ".lua"), "latin1").split("\n", 1)[0];
  const m = /^--\s*luajit-args:(.*)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

function run(name: string, build: string, extra: string[]) {
  let stdout = "";
  let stderr = "";
  const files: Record<string, string> = {};
  const io: CliIO = {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    readFile: (p) => readFileSync(`${oracleCases}/${p}`, "latin1"),
    readStdin: () => "",
    writeFile: (p, s) => { files[p] = s; },
    stdinIsTTY: () => false,
  };
  const status = runCli([`--build=${build}`, ...caseArgs(name), ...extra, `${name}.lua`], io);
  return { status, stdout, stderr, files };
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
        expect(jsonLines(ev.files["log.jsonl"])).toEqual(jsonLines(readFileSync(casePath(name, `.events.${build}.jsonl`), "latin1")));
      });
    }
  }
});
