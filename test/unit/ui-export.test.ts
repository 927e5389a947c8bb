// The explorer's exports: the -jv text of a run's log and the worker's -bl
// listing equal real LuaJIT's (the oracle), and the repro line survives a
// POSIX shell byte for byte and, run by a real luajit, prints what we print.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.ts";
import { jvText } from "../../src/engine/jv.ts";
import { DEFAULT_MAX_OUTPUT, type BuildName, type WorkerReply } from "../../src/engine/protocol.ts";
import { listProgram, runProgram } from "../../src/engine/runner.ts";
import { reproLine, shellQuote } from "../../src/ui/app/repro.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

function run(source: string, chunkname: string, build: BuildName, jitOpts: string[]): EngineEvent[] {
  const replies: WorkerReply[] = [];
  runProgram(1, source, chunkname, { build, jitOpts, budget: 5e7, maxEvents: 100_000, maxOutput: DEFAULT_MAX_OUTPUT }, (r) => replies.push(r));
  return replies.flatMap((r) => (r.kind === "events" ? r.events : []));
}

const names = oracleCaseNames();
const BUILDS = ["fixed", "prefix-assert", "prefix-release"] as const;

describe("exports against the oracle", () => {
  if (names === null) {
    it.skip(`oracle corpus not found at ${oracleCases}: export golden tests skipped`, () => {});
    return;
  }
  const read = (name: string, ext: string): string => readFileSync(casePath(name, ext), "utf8");
  const argsOf = (source: string): string[] => {
    const m = /^--\s*luajit-args:(.*)$/m.exec(source.split("\n", 1)[0]);
    return (m ? m[1].trim().split(/\s+/).filter(Boolean) : []).map((a) => a.replace(/^-O/, ""));
  };

  for (const name of names.filter((n) => n === "seed_flush_twice" || n.startsWith("flushbug_"))) {
    it(`-jv text of ${name} under each build is luajit -jv's stderr`, () => {
      const source = read(name, ".lua");
      for (const build of BUILDS) expect(jvText(run(source, `${name}.lua`, build, argsOf(source)))).toBe(read(name, `.jv.${build}`));
    });
  }

  it("-bl listing of every case is luajit -bl's", () => {
    for (const name of names) expect(listProgram(read(name, ".lua"), `${name}.lua`).listing, name).toBe(read(name, ".bl"));
  });

  it("a program that does not compile has no listing, and LuaJIT's message", () => {
    expect(listProgram("for i = 1, 3 do\n", "x.lua")).toEqual({ listing: null, error: { message: "x.lua:2: 'end' expected (to close 'for' at line 1) near '<eof>'", line: 2 } });
  });
});

describe("repro line", () => {
  /** What /bin/sh hands a program as its one argument. */
  const throughShell = (quoted: string): string =>
    spawnSync("sh", ["-c", `printf '%s' ${quoted}`], { encoding: "utf8" }).stdout;

  it("quotes anything so that the shell gives back the same text", () => {
    const tricky = [
      "plain", "", "it's", "'", "''", "a b", "$HOME `id` $(id) \\n \\", "line 1\nline 2\n", "tab\there", "é ✓ ∑", "!event", "*?[a]", "-- comment",
      "print(\"x\") -- 'quoted' \"double\"",
    ];
    for (const s of tricky) expect(throughShell(shellQuote(s)), JSON.stringify(s)).toBe(s);
  });

  it("names -O arguments, -jv and the chunk, quoting only what needs it", () => {
    expect(reproLine("print(1)\n", ["maxtrace=4", "hotloop=1"])).toBe("luajit -Omaxtrace=4 -Ohotloop=1 -jv -e 'print(1)'");
  });

  const hasLuajit = spawnSync("sh", ["-c", "command -v luajit"]).status === 0;
  it.skipIf(!hasLuajit)("run by Debian's luajit (a pre-fix release build), prints our prefix-release -jv of the seed", () => {
    const seed = "-- luajit-args: -Ohotloop=1\nfor _ = 1, 3 do\n  jit.flush(1)\n  for _ = 1, 4 do end\nend\n";
    const r = spawnSync("sh", ["-c", reproLine(seed, ["hotloop=1"])], { encoding: "utf8" });
    expect(r.status).toBe(0);
    // -e names the chunk "=(command line)": our "@(command line)" prints the same location.
    expect(r.stderr).toBe(jvText(run(seed, "(command line)", "prefix-release", ["hotloop=1"])));
    expect(r.stderr).toContain("[TRACE   4 (command line):4 loop]");
  });
});
