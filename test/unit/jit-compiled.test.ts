// Traces compiled to JS (src/jit/tracejs.ts) must leave the simulation
// exactly where following each bytecode through the interpreter would: every
// program we have real LuaJIT's output for, in every build, run once with
// compiled code and once interpreted, gives the same event log (ours
// included: exits, counts, patches) and the same output.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.ts";
import { optArgs, argsLine } from "../../src/engine/jitargs.ts";
import { DEFAULT_MAX_OUTPUT, type RunOptions, type WorkerReply } from "../../src/engine/protocol.ts";
import { runProgram } from "../../src/engine/runner.ts";
import { BUILDS } from "../../src/jit/builds.ts";
import { oracleCaseNames, oracleCases, repoRoot } from "../support/oracle.ts";

function events(source: string, chunkname: string, o: Partial<RunOptions>): EngineEvent[] {
  const replies: WorkerReply[] = [];
  const jitOpts = optArgs(argsLine(source) ?? "");
  const options: RunOptions = { build: "fixed", jitOpts, budget: 50_000_000, maxEvents: 200_000, maxOutput: DEFAULT_MAX_OUTPUT, ...o };
  runProgram(1, source, chunkname, options, (r) => replies.push(r));
  return withOutputJoined(replies.flatMap((r) => (r.kind === "events" ? r.events : [])));
}

/**
 * The log with consecutive output of one stream joined and no seq numbers:
 * the engine cuts output into events by elapsed time, so where a cut falls
 * varies from run to run.
 */
function withOutputJoined(log: EngineEvent[]): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (const e of log) {
    const { seq: _seq, ...rest } = e as EngineEvent & { seq?: number };
    const prev = out[out.length - 1] as (EngineEvent & { text?: string; stream?: string }) | undefined;
    const cur = rest as EngineEvent & { text?: string; stream?: string };
    if (cur.type === "output" && prev !== undefined && prev.type === "output" && prev.stream === cur.stream) {
      out[out.length - 1] = { ...prev, text: (prev.text ?? "") + (cur.text ?? "") } as EngineEvent;
    } else {
      out.push(cur as EngineEvent);
    }
  }
  return out;
}

const programs: { id: string; path: string; name: string }[] = [];
for (const name of oracleCaseNames() ?? []) programs.push({ id: `oracle/${name}`, path: join(oracleCases, `${name}.lua`), name });
// jit-diff: checked against real LuaJIT too; jit-compiled: programs whose -jv real LuaJIT does
// not give the same twice (hot counters collide in its hash table), for this check only.
for (const set of ["jit-diff", "jit-compiled"]) {
  const dir = join(repoRoot, "test/fixtures", set);
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".lua")).sort()) {
    programs.push({ id: `${set}/${f.slice(0, -4)}`, path: join(dir, f), name: f.slice(0, -4) });
  }
}

describe("compiled traces follow their paths as the interpreter does", () => {
  it("has programs to check", () => expect(programs.length).toBeGreaterThan(100));
  for (const p of programs) {
    for (const build of BUILDS) {
      // The builds differ only in flushing; the differential corpus is run in the fixed one.
      if (build !== "fixed" && !p.id.startsWith("oracle/")) continue;
      it(`${p.id} (${build})`, () => {
        const source = readFileSync(p.path, "latin1");
        const compiled = events(source, `${p.name}.lua`, { build });
        const interpreted = events(source, `${p.name}.lua`, { build, compile: false });
        expect(compiled.length).toBe(interpreted.length);
        expect(compiled).toEqual(interpreted);
      });
    }
  }
});

describe("programs run through compiled traces print what real LuaJIT prints", () => {
  // mm_*: the path goes into each metamethod, which compiled code calls in place and goes on after.
  // iter_pairs_end_in_side_trace: a pairs loop ended inside a side trace skips its ITERL.
  const expected: Record<string, string> = {
    mm_arith: "arith\t-2403\ncompare\t150\t150\t30\t300\n",
    mm_index: "index\t14400\t900\ncall\t18495550\t91500\n",
    mm_error: "error\t44394\t6\nnested\t1494\n",
    iter_pairs_end_in_side_trace: "903\n",
  };
  for (const [name, output] of Object.entries(expected)) {
    it(`${name} prints what real LuaJIT prints`, () => {
      const source = readFileSync(join(repoRoot, "test/fixtures/jit-compiled", `${name}.lua`), "latin1");
      const log = events(source, `${name}.lua`, {});
      const text = log.flatMap((e) => (e.type === "output" && e.stream === "stdout" ? [e.text] : [])).join("");
      expect(text).toBe(output);
    });
  }
});

describe("runaway programs stop in compiled traces as in the interpreter", () => {
  const runaways: Record<string, string> = {
    "a loop": "local s = 0\nwhile true do s = s + 1 end",
    "a loop with side exits": "local s = 0\nlocal i = 0\nwhile true do i = i + 1 if i % 3 == 0 then s = s + 1 else s = s - 1 end end",
    "recursion through a loop": "local function f(n) local s = 0 for i = 1, n do s = s + i end return s end\nwhile true do f(10) end",
    "a loop of calls": "local n = 0\nlocal function g(x) n = n + x end\nwhile true do g(1) g(2) g(3) end",
    "tail recursion": "local function f(n) return f(n + 1) end\nf(0)",
    "up-recursion in a loop": "local function f(n) if n > 0 then return 1 + f(n - 1) end return 0 end\nwhile true do f(30) end",
  };
  for (const [name, source] of Object.entries(runaways)) {
    it(name, () => {
      const compiled = events(source, "main.lua", { budget: 300_000 });
      expect(compiled.at(-1)).toMatchObject({ type: "end", status: "halted", error: "instruction budget exhausted" });
      expect(compiled).toEqual(events(source, "main.lua", { budget: 300_000, compile: false }));
    });
  }
});
