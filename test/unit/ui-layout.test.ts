// Pure layout functions of the views: the trace palette's contrast, bytecode
// rows from -bl text, the timeline's window and densities.
import { describe, expect, it } from "vitest";
import type { EngineEvent, ProtoInfo } from "../../src/engine/events.ts";
import { checkProgram } from "../../src/engine/runner.ts";
import { protoRows, slotRow, splitListingLine } from "../../src/ui/layout/bcrows.ts";
import { contrast, traceColour } from "../../src/ui/layout/palette.ts";
import { densities, fitWindow, trackOf, TRACKS } from "../../src/ui/layout/timelineTracks.ts";

describe("trace palette", () => {
  it("gives every trace number a fill with readable text (WCAG AA for large text)", () => {
    for (let tr = 1; tr <= 14; tr++) {
      const c = traceColour(tr);
      expect(contrast(c.fill, c.text), `trace ${tr}`).toBeGreaterThanOrEqual(3);
    }
    expect(traceColour(1)).toEqual(traceColour(8)); // seven colours, cycled
    expect(traceColour(1).fill).not.toBe(traceColour(2).fill);
  });
});

describe("bytecode rows", () => {
  const info = (checkProgram("for i = 1, 3 do print(i) end", "x.lua").protos as ProtoInfo[])[0];

  it("splits -bl lines into columns", () => {
    expect(splitListingLine("0005 => GGET     4   0      ; \"print\"")).toEqual({ target: true, a: "4", rest: "0", comment: '"print"' });
    expect(splitListingLine("0008    FORL     0 => 0005")).toEqual({ target: false, a: "0", rest: "=> 0005", comment: "" });
  });

  it("shows patched ops with their trace and keeps the original", () => {
    const forl = info.ops.indexOf("FORL");
    const ops = info.ops.slice();
    const traces = ops.map(() => 0);
    ops[forl] = "JFORL";
    traces[forl] = 3;
    const row = slotRow(info, { ops, traces }, forl);
    expect(row).toMatchObject({ op: "JFORL", origOp: "FORL", trace: 3, patched: true, operands: "0" });
    const plain = slotRow(info, undefined, forl);
    expect(plain).toMatchObject({ op: "FORL", trace: 0, patched: false, operands: "0 => 0005", jumpTo: 5 });
    expect(protoRows(info, undefined).map((r) => r.pc)).toEqual(info.ops.map((_, pc) => pc));
  });

  it("skips positions a partial listing does not know", () => {
    const partial: ProtoInfo = { key: "k:0", chunkname: "k", firstline: 0, lastline: 0, ops: ["FUNCV", "", "FORL"], lines: [0, 0, 3], text: ["0000    FUNCV", "", "0002    FORL"] };
    expect(protoRows(partial, undefined).map((r) => [r.pc, r.op, r.line])).toEqual([[0, "FUNCV", 0], [2, "FORL", 3]]);
  });
});

describe("timeline layout", () => {
  it("fits a window around the cursor, moving it as little as possible", () => {
    expect(fitWindow(50, 10, null, 300)).toEqual([0, 49]);
    expect(fitWindow(1000, 500, null, 100)).toEqual([450, 549]);
    expect(fitWindow(1000, 560, [450, 549], 100)).toEqual([461, 560]);
    expect(fitWindow(1000, 100, [450, 549], 100)).toEqual([100, 199]);
    expect(fitWindow(1000, 999, [950, 1049], 100)).toEqual([900, 999]);
    expect(fitWindow(0, -1, null, 100)).toEqual([0, 0]);
  });

  it("puts every event type on a track and counts densities", () => {
    const ev = (type: string, i: number): EngineEvent => ({ type, seq: i + 1 }) as unknown as EngineEvent;
    const events = ["compiled", "trace-start", "bc", "bc", "trace-stop", "output", "end"].map(ev);
    const d = densities(events, 7);
    expect(d.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(TRACKS.map((t) => events.filter((e) => trackOf(e.type) === t.id).length));
    expect(trackOf("trace-flush")).toBe("flush");
  });
});
