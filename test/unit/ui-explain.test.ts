// Explanations: every event of the imported seed logs gets a card naming
// LuaJIT's function, and the flush-twice moments say what the build does.
import { describe, expect, it } from "vitest";
import { explain, linkText, sourceUrl, summarize } from "../../src/ui/model/explain.ts";
import { Timeline } from "../../src/ui/model/timeline.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { eventLine, eventSlot } from "../../src/ui/model/where.ts";
import { importLog, readFixture } from "../support/events.ts";
import { runProgram } from "../../src/engine/runner.ts";
import { DEFAULT_MAX_OUTPUT } from "../../src/engine/protocol.ts";

const source = readFixture("seed_flush_twice.lua");

function timeline(build: string): Timeline {
  const { events } = importLog(readFixture(`seed_flush_twice.events.${build}.jsonl`), `x.events.${build}.jsonl`, source);
  const t = new Timeline();
  t.reset({ source: "import", build: build as "fixed" });
  t.append(events);
  return t;
}

describe("explanations", () => {
  it("explain every event with a title, text and (mostly) a LuaJIT source reference", () => {
    for (const build of ["fixed", "prefix-assert", "prefix-release"]) {
      const t = timeline(build);
      t.events.forEach((e, i) => {
        const x = explain(e, t.stateAt(i - 1), t.stateAt(i), t.meta.build);
        expect(x.title.length, `${build} #${i}`).toBeGreaterThan(3);
        expect(x.body.join(" ").length).toBeGreaterThan(20);
        expect(summarize(e).length).toBeGreaterThan(3);
        if (e.type !== "end" && e.type !== "output") expect(x.source?.file).toMatch(/^lj_|vm_/);
      });
    }
  });

  it("tell the fixed build's harmless second flush from the pre-fix revert", () => {
    const fixed = timeline("fixed");
    const stop3 = fixed.events.findIndex((e) => e.type === "trace-stop" && e.tr === 3);
    expect(fixed.events.slice(stop3 + 1).map((e) => e.type)).toEqual(["end"]); // nothing happens: no event at all
    const release = timeline("prefix-release");
    const i = release.events.findIndex((e) => e.type === "trace-flush" && release.stateAt(release.events.indexOf(e) - 1).traces.get(1)?.state === "flushed");
    const x = explain(release.events[i], release.stateAt(i - 1), release.stateAt(i), "prefix-release");
    expect(x.body.join(" ")).toMatch(/already been flushed.*issue #1345/s);
    const assert = timeline("prefix-assert");
    const v = assert.events.findIndex((e) => e.type === "violation");
    const xv = explain(assert.events[v], assert.stateAt(v - 1), assert.stateAt(v), "prefix-assert");
    expect(xv).toMatchObject({ title: "LuaJIT assertion failed", tone: "error", source: { file: "lj_trace.c", symbol: "trace_unpatch" } });
    expect(xv.body[0]).toBe("`LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace`");
    expect(sourceUrl(xv.source!, "prefix-assert")).toBe("https://github.com/LuaJIT/LuaJIT/blob/eee16efa/src/lj_trace.c");
  });

  it("say where a side trace's loop goes when the loop optimisation was off (-> root loop)", () => {
    const t = timeline("fixed");
    const i = t.events.findIndex((e) => e.type === "trace-stop");
    const stop = t.events[i] as Extract<EngineEvent, { type: "trace-stop" }>;
    const side = { ...stop, tr: 9, kind: "side" as const, parent: stop.tr, exit: 0, linktype: "loop" as const, link: stop.tr };
    const text = explain(side, t.stateAt(i - 1), t.stateAt(i), "fixed").body.join(" ");
    expect(text).toContain(`linked to its root trace ${stop.tr}`);
    expect(text).not.toContain("its own start: the whole loop body");
    expect(explain(stop, t.stateAt(i - 1), t.stateAt(i), "fixed").body.join(" ")).not.toContain("linked to its root trace");
  });

  it("say why a trace holds more than one iteration of its loop (the loop optimisation failed)", () => {
    const source = "local flip, n = false, 0\nfor i = 1, 300 do\n  if flip then n = n + 1 else n = n + 2 end\n  flip = not flip\nend\n";
    const events: EngineEvent[] = [];
    runProgram(1, source, "main.lua", { build: "fixed", jitOpts: [], budget: 5_000_000, maxEvents: 10_000, maxOutput: DEFAULT_MAX_OUTPUT },
      (r) => { if (r.kind === "events") events.push(...r.events); });
    const t = new Timeline();
    t.reset({ source: "run", build: "fixed" });
    t.append(events);
    const i = t.events.findIndex((e) => e.type === "trace-stop");
    expect(t.events[i]).toMatchObject({ tr: 1, linktype: "loop", loopRetries: ["persistent type instability"] });
    const text = explain(t.events[i], t.stateAt(i - 1), t.stateAt(i), "fixed").body.join(" ");
    expect(text).toContain("failed once (persistent type instability)");
    expect(text).toContain("holds 2 iterations");
  });

  it("name links as jit.v does and find an event's slot and line", () => {
    expect(linkText("loop", 1, 2)).toBe("-> 1 loop");
    expect(linkText("loop", 3, 3)).toBe("loop");
    expect(linkText("root", 1, 2)).toBe("-> 1");
    expect(linkText("return", 0, 2)).toBe("return");
    expect(linkText("stitch", 2, 1)).toBe("-> 2 stitch");
    const t = timeline("fixed");
    const start = t.events.find((e) => e.type === "trace-start")!;
    expect(eventSlot(start)).toEqual({ proto: "seed_flush_twice.lua:0", pc: 13 });
    expect(eventLine(start, t.state)).toBe(4);
    const bc = t.events.find((e) => e.type === "bc")!;
    expect(eventLine(bc, t.state)).toBe(4);
  });
});
