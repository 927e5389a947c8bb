// The timeline model: cursor moves, keyframes and seeking give the same state
// as replaying from the start, in short logs and long ones.
import { describe, expect, it } from "vitest";
import type { EngineEvent, EventInput, ProtoInfo } from "../../src/engine/events.ts";
import { StateBuilder, type ExplorerState } from "../../src/ui/model/state.ts";
import { KEYFRAME_EVERY, Timeline } from "../../src/ui/model/timeline.ts";

const proto: ProtoInfo = {
  key: "t.lua:0", chunkname: "t.lua", firstline: 0, lastline: 3,
  ops: ["FUNCV", "KSHORT", "FORI", "KSHORT", "FORL", "RET0"], lines: [0, 1, 1, 2, 1, 3], text: ["", "", "", "", "", ""],
};

function numbered(inputs: EventInput[]): EngineEvent[] {
  return inputs.map((e, i) => ({ ...e, seq: i + 1 }) as EngineEvent);
}

/** A log where traces are compiled, flushed and recompiled many times over. */
function churn(rounds: number): EngineEvent[] {
  const ev: EventInput[] = [{ type: "compiled", ours: true, protos: [proto] }];
  const origin = { func: proto.key, pc: 4, loc: "t.lua:1", kind: "root" as const };
  let tr = 1;
  for (let r = 0; r < rounds; r++) {
    ev.push({ type: "trace-start", tr, ...origin });
    ev.push({ type: "bc", ours: true, proto: proto.key, pc: 2, from: "FORI", to: "JFORI", why: "patch", by: "trace_stop" });
    ev.push({ type: "bc", ours: true, proto: proto.key, pc: 4, from: "FORL", to: "JFORL", trace: tr, why: "patch", by: "trace_stop" });
    ev.push({ type: "trace-stop", tr, ...origin, linktype: "loop", link: tr, stopfunc: proto.key });
    ev.push({ type: "output", ours: true, stream: "stdout", text: `round ${r}\n` });
    ev.push({ type: "trace-flush", ours: true, tr, what: "flushroot", by: "jit.flush" });
    ev.push({ type: "bc", ours: true, proto: proto.key, pc: 4, from: "JFORL", to: "FORL", why: "unpatch", by: "trace_unpatch" });
    ev.push({ type: "bc", ours: true, proto: proto.key, pc: 2, from: "JFORI", to: "FORI", why: "unpatch", by: "trace_unpatch" });
    if (r % 3 === 2) {
      ev.push({ type: "trace-flush", ours: true, tr, what: "freed", by: "gc" });
      tr = 1;
    } else tr++;
  }
  ev.push({ type: "end", ours: true, status: "ok", exitCode: 0 });
  return numbered(ev);
}

function replay(events: readonly EngineEvent[], index: number): ExplorerState {
  const b = new StateBuilder();
  for (let i = 0; i <= index; i++) b.apply(events[i]);
  return b.snapshot();
}

/** The parts of a state views draw, as plain data. */
function plain(s: ExplorerState): unknown {
  return {
    index: s.index,
    slots: [...s.slots].map(([k, v]) => [k, [...v.ops], [...v.traces]]),
    traces: [...s.traces].sort((a, b) => a[0] - b[0]),
    chains: [...s.chains],
    counts: s.counts,
    end: s.end,
  };
}

describe("Timeline", () => {
  it("follows the tail while appending, then steps back and forth", () => {
    const events = churn(4);
    const t = new Timeline();
    t.reset({ source: "run" });
    t.append(events.slice(0, 10));
    expect(t.cursor).toBe(9);
    t.append(events.slice(10));
    expect(t.cursor).toBe(events.length - 1);
    t.seek(2); // just before the first JFORL patch
    expect(t.state.slots.get(proto.key)?.ops[4]).toBe("FORL");
    t.step(1);
    expect(t.state.slots.get(proto.key)?.ops[4]).toBe("JFORL");
    expect(t.state.slots.get(proto.key)?.traces[4]).toBe(1);
    expect(t.follow).toBe(false);
    t.append(numbered([{ type: "output", ours: true, stream: "stdout", text: "x" }]));
    expect(t.cursor).toBe(3); // not following: stays put
  });

  it("keeps snapshots frozen while the cursor moves on", () => {
    const t = new Timeline();
    t.reset({ source: "run" });
    t.append(churn(2));
    t.seek(3);
    const at3 = t.state;
    const ops3 = [...(at3.slots.get(proto.key)?.ops ?? [])];
    t.seek(7);
    t.seek(2);
    expect([...(at3.slots.get(proto.key)?.ops ?? [])]).toEqual(ops3);
  });

  it("gives the replayed state at any cursor, in any seek order, across keyframes", () => {
    const events = churn(200); // ~1800 events: several keyframes
    expect(events.length).toBeGreaterThan(4 * KEYFRAME_EVERY);
    const t = new Timeline();
    t.reset({ source: "import" });
    t.append(events);
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let k = 0; k < 60; k++) {
      const i = Math.floor(rand() * events.length);
      t.seek(i);
      expect(plain(t.state)).toEqual(plain(replay(events, i)));
      expect(plain(t.stateAt(Math.max(-1, i - 5)))).toEqual(plain(replay(events, Math.max(-1, i - 5))));
    }
  });

  it("tracks registry states, generations and chains", () => {
    const t = new Timeline();
    t.reset({ source: "run" });
    const events = churn(3);
    t.append(events);
    const stop1 = events.findIndex((e) => e.type === "trace-stop");
    t.seek(stop1);
    expect(t.state.traces.get(1)).toMatchObject({ state: "live", generation: 1, linktype: "loop" });
    expect(t.state.chains.get(proto.key)).toEqual([1]);
    t.seek(stop1 + 2); // trace-flush
    expect(t.state.traces.get(1)?.state).toBe("flushed");
    expect(t.state.chains.get(proto.key)).toEqual([]);
    t.seek(events.length - 1);
    // Only the GC frees a flushed trace's number: 1 and 2 stay allocated, 3 was freed.
    expect(t.state.traces.get(1)).toMatchObject({ state: "flushed", generation: 1, flushes: 1 });
    expect(t.state.traces.get(3)).toMatchObject({ state: "free", generation: 1 });
    expect(t.state.end?.status).toBe("ok");
  });

  it("jumps between notable events and slices the console at the cursor", () => {
    const t = new Timeline();
    t.reset({ source: "run" });
    const events = churn(3);
    t.append(events);
    t.seek(0);
    const f1 = t.findJump("flush", 1);
    expect(f1 !== null && events[f1].type).toBe("trace-flush");
    t.seek(f1 ?? 0);
    expect(t.consoleText()).toBe("round 0\n");
    expect(t.findJump("flush", -1)).toBe(null);
    t.seek(-5);
    expect(t.cursor).toBe(0); // the cursor rests on an event
    t.seek(events.length - 1);
    expect(t.consoleText()).toBe("round 0\nround 1\nround 2\n");
    expect(t.outputTail(1000).outputs.map((o) => o.text)).toEqual(["round 0\n", "round 1\n", "round 2\n"]);
    expect(t.outputTail(10)).toMatchObject({ cut: true, outputs: [{ text: "round 1\n" }, { text: "round 2\n" }] });
    t.seek(1);
    expect(t.consoleText()).toBe("");
    expect(t.outputTail(1000)).toEqual({ outputs: [], cut: false });
  });

  it("seeks to the replayed state in a 100k-event log", () => {
    const events = churn(12_000);
    expect(events.length).toBeGreaterThan(100_000);
    const t = new Timeline();
    t.reset({ source: "import" });
    t.append(events); // follows the tail: folds everything once, making keyframes
    for (const i of [events.length - 1, 3, 77_777, 50_001, 12]) {
      t.seek(i);
      expect(plain(t.state)).toEqual(plain(replay(events, i)));
    }
  });
});
