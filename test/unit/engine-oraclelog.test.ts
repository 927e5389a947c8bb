// Import of logs captured from real LuaJIT: the flush-twice seed in all three
// builds, and every log of the oracle corpus replayed through the timeline
// model, which must agree with LuaJIT's own bytecode and registry after each line.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.ts";
import { baseOp, parseOracleLog } from "../../src/engine/oraclelog.ts";
import { findHazards, type Hazard } from "../../src/ui/model/hazards.ts";
import { Timeline } from "../../src/ui/model/timeline.ts";
import { importLog, readFixture } from "../support/events.ts";
import { casePath, oracleCaseNames } from "../support/oracle.ts";

const SEED = "seed_flush_twice";
const seedSource = readFixture(`${SEED}.lua`);
const MAIN = "seed_flush_twice.lua:0";

function timelineOf(events: EngineEvent[]): Timeline {
  const t = new Timeline();
  t.reset({ source: "import" });
  t.append(events);
  return t;
}

const slot = (t: Timeline, pc: number): [string, number] => {
  const s = t.state.slots.get(MAIN);
  return [s?.ops[pc] ?? "", s?.traces[pc] ?? 0];
};

describe("oracle log import: the flush-twice seed", () => {
  it("prefix-assert: the full listing, the patches, and LuaJIT's assertion at the stale slot", () => {
    const { events, full } = importLog(readFixture(`${SEED}.events.prefix-assert.jsonl`), `${SEED}.events.prefix-assert.jsonl`, seedSource);
    expect(full).toBe(true);
    expect(events.map((e) => e.type)).toEqual([
      "compiled",
      "trace-start", "bc", "bc", "trace-stop", // trace 1: FORI 12 -> JFORI, FORL 13 -> JFORL 1
      "trace-start", "bc", "bc", "trace-stop", // trace 2 (outer loop, stops at jit.flush): 4 JFORI, 14 JFORL 2
      "trace-flush", "bc", "bc", "trace-start", // jit.flush(1) unpatches 13 and 12 (no vmevent), trace 3 starts
      "bc", "bc", "trace-stop",
      "trace-flush", "violation", "end", // jit.flush(1) again: trace 1 is stale, slot 13 belongs to trace 3
    ]);
    const t = timelineOf(events);
    expect(slot(t, 13)).toEqual(["JFORL", 3]);
    expect(slot(t, 14)).toEqual(["JFORL", 2]);
    expect(t.state.traces.get(1)).toMatchObject({ state: "flushed", flushes: 2 });
    expect(t.state.traces.get(3)?.state).toBe("live");
    expect(t.state.chains.get(MAIN)).toEqual([3, 2]);
    const v = events.find((e) => e.type === "violation");
    expect(v).toMatchObject({
      message: "LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace", fatal: true, proto: MAIN, pc: 13,
    });
    expect(t.state.end).toMatchObject({ status: "crash", exitCode: 134 });
    // Before the crash, the hazard is visible: trace 1 (flushed, allocated) starts where trace 3 lives now.
    t.seek(events.findIndex((e) => e.type === "violation") - 2);
    expect(findHazards(t.state)).toContainEqual({ kind: "stale-twin", proto: MAIN, pc: 13, trace: 1, other: 3 });
  });

  it("prefix-release: the stale flush silently reverts trace 3, which is recompiled as 4", () => {
    const { events } = importLog(readFixture(`${SEED}.events.prefix-release.jsonl`), `${SEED}.events.prefix-release.jsonl`, seedSource);
    const v = events.find((e) => e.type === "violation");
    expect(v).toMatchObject({ fatal: false, proto: MAIN, pc: 13 });
    const t = timelineOf(events);
    t.seek(events.indexOf(v as EngineEvent));
    expect(slot(t, 13)).toEqual(["FORL", 0]);
    expect(findHazards(t.state)).toContainEqual({ kind: "orphan", proto: MAIN, pc: 13, trace: 3 });
    t.seek(events.length - 1);
    expect(slot(t, 13)).toEqual(["JFORL", 4]);
    expect(t.state.end).toMatchObject({ status: "ok" });
  });

  it("fixed: the second flush of trace 1 changes nothing", () => {
    const { events } = importLog(readFixture(`${SEED}.events.fixed.jsonl`), `${SEED}.events.fixed.jsonl`, seedSource);
    expect(events.some((e) => e.type === "violation")).toBe(false);
    const t = timelineOf(events);
    expect(slot(t, 13)).toEqual(["JFORL", 3]);
    expect(t.state.traces.get(1)?.state).toBe("flushed");
    expect(findHazards(t.state)).toEqual([{ kind: "stale-twin", proto: MAIN, pc: 13, trace: 1, other: 3 }]);
  });

  it("without the source, shows only the positions the log lists", () => {
    const { events, full } = importLog(readFixture(`${SEED}.events.prefix-assert.jsonl`), "x.jsonl", "print('other program')");
    expect(full).toBe(false);
    const compiled = events[0];
    expect(compiled.type === "compiled" && compiled.protos[0].ops.filter((op) => op !== "")).toEqual(["FUNCV", "FORI", "FORI", "FORL", "FORL"]);
    expect(compiled.type === "compiled" && compiled.protos[0].lines[13]).toBe(4);
  });

  it("turns a trailing assertion text (captured with 2>>LOG) into the crash", () => {
    const text = readFixture(`${SEED}.events.prefix-assert.jsonl`).replace(/.*"crash".*\n?/, "") + "LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace\n";
    const parsed = parseOracleLog(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.lines.at(-1)).toMatchObject({ event: "crash", stderr: "LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace" });
  });
});

describe("oracle log import: the whole corpus agrees with LuaJIT after every line", () => {
  const names = oracleCaseNames();
  it.skipIf(names === null)("every case, every build", () => {
    let checked = 0;
    for (const name of names ?? []) {
      const source = readFileSync(casePath(name, ".lua"), "utf8");
      for (const build of ["fixed", "prefix-assert", "prefix-release"]) {
        const file = `${name}.events.${build}.jsonl`;
        const text = readFileSync(casePath(name, `.events.${build}.jsonl`), "utf8");
        const { events, full, lineEnds } = importLog(text, file, source);
        expect(full, `${file}: listing matches`).toBe(true);
        const lines = parseOracleLog(text).lines;
        const t = timelineOf(events);
        expect(lineEnds.length, file).toBe(lines.length);
        lines.forEach((line, k) => {
          t.seek(lineEnds[k]);
          const s = t.state;
          for (const [key, list] of Object.entries(line.bc ?? {})) {
            for (const [pc, op, tr] of list) {
              const where = `${file} line ${k + 1} ${key} pc ${pc}`;
              expect(s.slots.get(key)?.ops[pc], where).toBe(op);
              if (tr !== undefined) expect(s.slots.get(key)?.traces[pc], where).toBe(tr);
            }
          }
          if (line.traces) {
            const allocated = [...s.traces.values()].filter((r) => r.state !== "free").map((r) => r.tr).sort((a, b) => a - b);
            const expected = line.traces.map(([tr]) => tr).filter((tr) => !(line.event === "abort" && tr === line.tr));
            expect(allocated, `${file} line ${k + 1}: allocated numbers`).toEqual(expected);
            for (const [tr, linktype, link] of line.traces) {
              const r = s.traces.get(tr);
              if (r?.state === "live") expect([r.linktype, r.link], `${file} line ${k + 1}: trace ${tr} link`).toEqual([linktype, link]);
            }
          }
          checked++;
        });
        // Stale references only ever appear where flushes leave traces allocated.
        const kinds = new Set<Hazard["kind"]>();
        for (let i = 0; i < events.length; i++) { t.seek(i); for (const h of findHazards(t.state)) kinds.add(h.kind); }
        if (!/flush/.test(name)) expect([...kinds], `${file}: hazards`).toEqual([]);
        if (build === "fixed") expect(kinds.has("orphan"), `${file}: orphaned traces`).toBe(false);
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("maps patched ops back to their originals", () => {
    expect(["JFORL", "IFORL", "JFORI", "JITERL", "ILOOP", "JFUNCF", "JMP", "ADDVV"].map(baseOp))
      .toEqual(["FORL", "FORL", "FORI", "ITERL", "LOOP", "FUNCF", "ISNEXT", "ADDVV"]);
  });
});
