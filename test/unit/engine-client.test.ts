// The worker client: replies to stopped or superseded requests are dropped,
// Stop terminates the run's worker, compile checks use a worker of their own.
import { describe, expect, it } from "vitest";
import { EngineClient } from "../../src/engine/client.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { DEFAULT_MAX_OUTPUT, type RunOptions, type WorkerReply, type WorkerRequest } from "../../src/engine/protocol.ts";
import { eventsToJsonl, parseEventsJsonl } from "../../src/engine/logfile.ts";

class FakeWorker {
  static all: FakeWorker[] = [];
  sent: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  constructor() { FakeWorker.all.push(this); }
  postMessage(r: WorkerRequest): void { this.sent.push(r); }
  terminate(): void { this.terminated = true; }
  reply(r: WorkerReply): void { this.onmessage?.({ data: r } as MessageEvent<WorkerReply>); }
}

const options: RunOptions = { build: "fixed", jitOpts: [], budget: 1e6, maxEvents: 100, maxOutput: DEFAULT_MAX_OUTPUT };
const end = (seq: number): EngineEvent => ({ seq, type: "end", ours: true, status: "ok", exitCode: 0 });

describe("EngineClient", () => {
  it("delivers a run's batches and drops replies of a stopped run", () => {
    FakeWorker.all = [];
    const client = new EngineClient(() => new FakeWorker() as unknown as Worker);
    const got: string[] = [];
    const handlers = (name: string) => ({ events: (e: EngineEvent[]) => got.push(`${name}:${e.length}`), done: () => got.push(`${name}:done`) });
    client.run("print(1)", "a.lua", options, handlers("a"));
    const w1 = FakeWorker.all[0];
    const id1 = w1.sent[0].id;
    w1.reply({ kind: "events", id: id1, events: [end(1)] });
    expect(client.stop()).toBe(true);
    expect(w1.terminated).toBe(true);
    w1.reply({ kind: "events", id: id1, events: [end(2)] }); // too late
    client.run("print(2)", "a.lua", options, handlers("b"));
    const w2 = FakeWorker.all[1];
    expect(w2).not.toBe(w1);
    w2.reply({ kind: "events", id: id1, events: [end(1)] }); // stale id
    w2.reply({ kind: "events", id: w2.sent[0].id, events: [end(1), end(2)] });
    w2.reply({ kind: "done", id: w2.sent[0].id });
    expect(got).toEqual(["a:1", "b:2", "b:done"]);
    expect(client.running).toBe(false);
    expect(client.stop()).toBe(false);
  });

  it("resolves superseded checks with null", async () => {
    FakeWorker.all = [];
    const client = new EngineClient(() => new FakeWorker() as unknown as Worker);
    const first = client.check("x", "a.lua");
    const second = client.check("y", "a.lua");
    const w = FakeWorker.all[0];
    expect(w.sent.map((r) => r.kind)).toEqual(["check", "check"]);
    w.reply({ kind: "checked", id: w.sent[0].id, protos: [], error: null });
    w.reply({ kind: "checked", id: w.sent[1].id, protos: null, error: { message: "a.lua:1: x", line: 1 } });
    expect(await first).toBe(null);
    expect(await second).toEqual({ protos: null, error: { message: "a.lua:1: x", line: 1 } });
  });

  it("lists on the check worker, each listing answered by its own reply, a check in between", async () => {
    FakeWorker.all = [];
    const client = new EngineClient(() => new FakeWorker() as unknown as Worker);
    const one = client.list("x", "a.lua");
    const check = client.check("x", "a.lua");
    const two = client.list("y", "b.lua");
    const w = FakeWorker.all[0];
    expect(FakeWorker.all).toHaveLength(1);
    expect(w.sent.map((r) => r.kind)).toEqual(["list", "check", "list"]);
    w.reply({ kind: "failed", id: w.sent[2].id, message: "boom" });
    w.reply({ kind: "checked", id: w.sent[1].id, protos: [], error: null });
    w.reply({ kind: "listed", id: w.sent[0].id, listing: "-- BYTECODE --\n", error: null });
    expect(await one).toEqual({ listing: "-- BYTECODE --\n", error: null });
    expect(await two).toEqual({ listing: null, error: null });
    expect(await check).toEqual({ protos: [], error: null });
  });
});

describe("saved event logs", () => {
  it("round-trip through JSON lines", () => {
    const events: EngineEvent[] = [
      { seq: 1, type: "output", ours: true, stream: "stdout", text: "a\nb" },
      end(2),
    ];
    expect(parseEventsJsonl(eventsToJsonl(events))).toEqual({ events, problems: [] });
    expect(parseEventsJsonl('{"type":"nope"}\nxx\n').problems).toEqual(["line 1: not an ljscope event", "line 2: not JSON"]);
  });
});
