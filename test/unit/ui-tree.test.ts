// Layout of the trace tree: side traces under their parent with their exit,
// stitched traces after the trace they continue, each trace's link, no two
// nodes on top of each other; and the tree follows the timeline's cursor.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { TraceOrigin } from "../../src/engine/events.ts";
import { NODE_H, NODE_W, traceLabel, traceTreeLayout, type TreeLayout } from "../../src/ui/layout/traceTree.ts";
import type { TraceRecord } from "../../src/ui/model/state.ts";
import { Timeline } from "../../src/ui/model/timeline.ts";
import { importLog } from "../support/events.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

function timelineOf(name: string): Timeline {
  const file = `${name}.events.fixed.jsonl`;
  const { events } = importLog(readFileSync(casePath(name, ".events.fixed.jsonl"), "utf8"), file, readFileSync(casePath(name, ".lua"), "utf8"));
  const t = new Timeline();
  t.reset({ source: "import", name: file });
  t.append(events);
  return t;
}

function expectNoOverlap(l: TreeLayout): void {
  for (const a of l.nodes) {
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(a.x + NODE_W).toBeLessThanOrEqual(l.width);
    expect(a.y + NODE_H).toBeLessThanOrEqual(l.height);
    for (const b of l.nodes) {
      if (a === b) continue;
      const apart = a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y + NODE_H <= b.y || b.y + NODE_H <= a.y;
      expect(apart, `traces ${a.tr} and ${b.tr} overlap`).toBe(true);
    }
  }
}

const rec = (tr: number, origin: Partial<TraceOrigin>, more: Partial<TraceRecord> = {}): TraceRecord => ({
  tr, state: "live", generation: 1, started: tr, exits: 0, flushes: 0, since: tr,
  origin: { tr, func: "m.lua:0", pc: 1, loc: "m.lua:1", kind: "root", ...origin }, ...more,
});

describe("trace labels", () => {
  it("are jit.v's: number, (parent/exit), (parent/stitch)", () => {
    expect(traceLabel(rec(1, {}))).toBe("1");
    expect(traceLabel(rec(2, { kind: "side", parent: 1, exit: 5 }))).toBe("2 (1/5)");
    expect(traceLabel(rec(3, { kind: "stitch", parent: 2 }))).toBe("3 (2/stitch)");
  });
});

describe("traceTreeLayout", () => {
  it("is empty without traces", () => {
    expect(traceTreeLayout(new Map()).nodes).toEqual([]);
  });

  it("puts a side trace of a side trace two levels deep, and a side trace whose parent is gone at the top", () => {
    const traces = new Map([
      [1, rec(1, {}, { linktype: "loop", link: 1 })],
      [2, rec(2, { kind: "side", parent: 1, exit: 3 }, { linktype: "root", link: 1 })],
      [3, rec(3, { kind: "side", parent: 2, exit: 0 }, { linktype: "root", link: 1 })],
      [5, rec(5, { kind: "side", parent: 4, exit: 1 }, { linktype: "interpreter", link: 0 })],
    ]);
    const l = traceTreeLayout(traces);
    const node = (tr: number) => l.nodes.find((n) => n.tr === tr);
    expect(node(3)?.x).toBeGreaterThan(node(2)?.x as number);
    expect(node(2)?.x).toBeGreaterThan(node(1)?.x as number);
    expect(node(5)?.orphan).toBe(true);
    expect(node(5)?.x).toBe(node(1)?.x);
    expect(l.edges.map((e) => [e.from, e.to, e.label])).toEqual([[1, 2, "exit 3"], [2, 3, "exit 0"]]);
    expect(l.links.map((k) => [k.from, k.to, k.linktype])).toEqual([[1, 1, "loop"], [2, 1, "root"], [3, 1, "root"]]);
    expectNoOverlap(l);
  });

  it("does not hang a trace under a younger trace that reuses its parent's number", () => {
    const traces = new Map([
      [1, rec(1, {}, { started: 10 })],
      [2, rec(2, { kind: "side", parent: 1, exit: 1 }, { started: 5 })],
    ]);
    const l = traceTreeLayout(traces);
    expect(l.edges).toEqual([]);
    expect(l.nodes.find((n) => n.tr === 2)?.orphan).toBe(true);
  });
});

describe("the trace tree of LuaJIT's logs", () => {
  const names = oracleCaseNames();
  if (names === null) {
    it.skip(`oracle corpus not found at ${oracleCases}`, () => {});
    return;
  }

  it("loop_goto: two side traces of trace 1 linking back to it, and a second root", () => {
    const l = traceTreeLayout(timelineOf("loop_goto").state.traces);
    expect(l.nodes.map((n) => n.label)).toEqual(["1", "2 (1/2)", "3 (1/5)", "4"]);
    expect(l.edges.map((e) => [e.from, e.to, e.kind, e.label])).toEqual([[1, 2, "side", "exit 2"], [1, 3, "side", "exit 5"]]);
    expect(l.links.map((k) => [k.from, k.to, k.label])).toEqual([[1, 1, "loop"], [2, 1, "-> 1"], [3, 1, "-> 1"], [4, 4, "loop"]]);
    expectNoOverlap(l);
  });

  it("misc_unpack: a stitched trace after trace 1, linking back to it; the stitch link is the tree edge", () => {
    const l = traceTreeLayout(timelineOf("misc_unpack").state.traces);
    expect(l.nodes.map((n) => [n.label, n.kind])).toEqual([["1", "root"], ["2 (1/stitch)", "stitch"], ["3", "root"]]);
    expect(l.edges.map((e) => [e.from, e.to, e.kind])).toEqual([[1, 2, "stitch"]]);
    expect(l.links.map((k) => [k.from, k.to])).toEqual([[2, 1]]);
    expect(l.nodes.find((n) => n.tr === 3)?.linkLabel).toBe("return");
  });

  it("follows the cursor: a side trace appears recording, then compiled; a flush empties the tree", () => {
    const t = timelineOf("side_type_change");
    const at = (i: number) => traceTreeLayout(t.stateAt(i).traces);
    const start4 = t.events.findIndex((e) => e.type === "trace-start" && e.tr === 4);
    expect(at(start4 - 1).nodes.map((n) => n.label)).toEqual(["1", "2 (1/1)", "3"]);
    expect(at(start4).nodes.find((n) => n.tr === 4)).toMatchObject({ label: "4 (3/0)", state: "recording", linkLabel: "recording…" });
    expect(at(t.length - 1).nodes.find((n) => n.tr === 4)).toMatchObject({ state: "live", linkLabel: "loop" });
    expect(at(t.length - 1).links.find((k) => k.from === 4)).toMatchObject({ to: 4, linktype: "loop" });

    const flushAll = timelineOf("jit_flush_all");
    const flush = flushAll.events.findIndex((e) => e.type === "flush");
    expect(traceTreeLayout(flushAll.stateAt(flush - 1).traces).nodes.length).toBeGreaterThan(0);
    expect(traceTreeLayout(flushAll.stateAt(flush).traces).nodes).toEqual([]);
  });

  it("lays out every log of the corpus at every event without overlapping nodes", () => {
    for (const name of names) {
      const t = timelineOf(name);
      for (let i = 0; i < t.length; i++) expectNoOverlap(traceTreeLayout(t.stateAt(i).traces));
    }
  });
});
