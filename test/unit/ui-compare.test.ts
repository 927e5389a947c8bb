// The compare view's store: A is run, then B, each with its own options, and
// the logs are aligned; a newer run or closing the view drops the replies of
// the one before. The client is a fake whose runs go through the real runner.
import { describe, expect, it } from "vitest";
import type { EngineClient, RunHandlers } from "../../src/engine/client.ts";
import type { RunOptions } from "../../src/engine/protocol.ts";
import { runProgram } from "../../src/engine/runner.ts";
import { CompareStore, otherBuild } from "../../src/ui/app/compare.ts";
import { DEFAULT_SETTINGS } from "../../src/ui/app/settings.ts";

const SEED = "for _ = 1, 3 do\n  jit.flush(1)\n  for _ = 1, 4 do end\nend\n";

/** Runs are answered when `answer()` is called, in order, through runProgram. */
class FakeClient {
  runs: { source: string; options: RunOptions; handlers: RunHandlers }[] = [];
  stopped = 0;
  run(source: string, _chunk: string, options: RunOptions, handlers: RunHandlers): void {
    this.runs.push({ source, options, handlers });
  }
  stop(): boolean { this.stopped++; return true; }
  dispose(): void {}
  answer(k: number): void {
    const { source, options, handlers } = this.runs[k];
    runProgram(k, source, "seed.lua", options, (r) => {
      if (r.kind === "events") handlers.events(r.events);
      if (r.kind === "done") handlers.done();
    });
  }
}

describe("CompareStore", () => {
  it("runs A then B with their options and aligns the logs", () => {
    const fake = new FakeClient();
    const store = new CompareStore(() => fake as unknown as EngineClient);
    const a = { ...DEFAULT_SETTINGS, hotloop: 1 };
    store.open(a, SEED, "seed.lua");
    expect(store.state.b).toEqual(otherBuild(a));
    expect(store.state.b.build).toBe("prefix-release");
    expect(store.state.status).toBe("running");
    expect(fake.runs.map((r) => r.options.build)).toEqual(["fixed"]); // B waits for A
    fake.answer(0);
    expect(fake.runs.map((r) => [r.options.build, r.options.jitOpts])).toEqual([["fixed", ["hotloop=1"]], ["prefix-release", ["hotloop=1"]]]);
    expect(store.state.alignment).toBe(null);
    fake.answer(1);
    const s = store.state;
    expect(s.status).toBe("done");
    expect(s.logs.a.at(-1)).toMatchObject({ type: "end", status: "ok" });
    const row = s.alignment?.rows[s.alignment.firstDivergence as number];
    expect(s.logs.b[row?.b as number]).toMatchObject({ type: "trace-start", tr: 4 });
  });

  it("drops the replies of a run that a newer one replaced", () => {
    const fake = new FakeClient();
    const store = new CompareStore(() => fake as unknown as EngineClient);
    store.open({ ...DEFAULT_SETTINGS, hotloop: 1 }, SEED, "seed.lua");
    store.setSide("b", { build: "prefix-assert" });
    store.run(SEED, "seed.lua");
    fake.answer(0); // the first run's A: ignored, no B follows from it
    expect(fake.runs).toHaveLength(2);
    fake.answer(1);
    fake.answer(2);
    expect(fake.runs.map((r) => r.options.build)).toEqual(["fixed", "fixed", "prefix-assert"]);
    expect(store.state.logs.a.filter((e) => e.type === "end")).toHaveLength(1);
    expect(store.state.logs.b.at(-1)).toMatchObject({ type: "end", status: "crash", exitCode: 134 });
    store.close();
    expect(store.state.open).toBe(false);
    expect(fake.stopped).toBe(1);
  });
});
