// The worker's run, in Node: compile + run with streamed batches, LuaJIT's
// messages for syntax and runtime errors, the instruction budget, the memory ceiling, and the
// -O arguments of `-- luajit-args:` lines.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.ts";
import { argsLine, invalidOptArgs, optArgs, paramAfter, withoutParam } from "../../src/engine/jitargs.ts";
import { DEFAULT_MAX_OUTPUT, type RunOptions, type WorkerReply } from "../../src/engine/protocol.ts";
import { checkProgram, runProgram } from "../../src/engine/runner.ts";

const options = (o: Partial<RunOptions> = {}): RunOptions => ({
  build: "fixed", jitOpts: [], budget: 5_000_000, maxEvents: 10_000, maxOutput: DEFAULT_MAX_OUTPUT, ...o,
});

function run(source: string, o: Partial<RunOptions> = {}): { replies: WorkerReply[]; events: EngineEvent[] } {
  const replies: WorkerReply[] = [];
  runProgram(7, source, "main.lua", options(o), (r) => replies.push(r));
  const events = replies.flatMap((r) => (r.kind === "events" ? r.events : []));
  return { replies, events };
}

const output = (events: EngineEvent[], stream = "stdout"): string =>
  events.map((e) => (e.type === "output" && e.stream === stream ? e.text : "")).join("");

describe("runProgram", () => {
  it("streams compiled, output and end, numbered in order, and says done", () => {
    const { replies, events } = run('print("héllo", 1 + 2)\nlocal function f() return 1 end\nprint(#arg, arg[0])');
    expect(replies.every((r) => r.id === 7)).toBe(true);
    expect(replies.at(-1)?.kind).toBe("done");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: "compiled" });
    const compiled = events[0].type === "compiled" ? events[0].protos : [];
    expect(compiled.map((p) => p.key)).toEqual(["main.lua:0", "main.lua:2"]);
    expect(compiled[0].text[1]).toMatch(/^0001 {4}GGET/);
    expect(output(events)).toBe("héllo\t3\n0\tmain.lua\n");
    expect(events.at(-1)).toMatchObject({ type: "end", status: "ok", exitCode: 0 });
  });

  it("reports a syntax error with LuaJIT's message and line", () => {
    const { replies, events } = run("for i = 1, 3 do\n  print(i)\n");
    expect(replies.find((r) => r.kind === "syntax-error")).toMatchObject({ error: { message: "main.lua:3: 'end' expected (to close 'for' at line 1) near '<eof>'", line: 3 } });
    expect(output(events, "stderr")).toBe("luajit: main.lua:3: 'end' expected (to close 'for' at line 1) near '<eof>'\n");
    expect(events.at(-1)).toMatchObject({ type: "end", status: "error", exitCode: 1 });
  });

  it("reports an uncaught error as luajit does", () => {
    const { events } = run("local t = nil\nprint(t.x)");
    expect(output(events, "stderr")).toMatch(/^luajit: main\.lua:2: attempt to index local 't' \(a nil value\)\nstack traceback:/);
    expect(events.at(-1)).toMatchObject({ type: "end", status: "error" });
  });

  it("ends `while true do end` with the instruction budget", () => {
    const { events } = run("print('before')\nwhile true do end", { budget: 200_000 });
    expect(output(events)).toBe("before\n");
    expect(output(events, "stderr")).toBe("ljscope: instruction budget exhausted\n");
    expect(events.at(-1)).toMatchObject({ type: "end", status: "halted", error: "instruction budget exhausted" });
  });

  it("ends a runaway table with luajit's 'not enough memory' at the memory ceiling", () => {
    const { events } = run("local t = {}\nwhile true do t[#t + 1] = {} end", { memoryLimit: 4 << 20 });
    expect(output(events, "stderr")).toBe("luajit: not enough memory\n");
    expect(events.at(-1)).toMatchObject({ type: "end", status: "error", error: "not enough memory", exitCode: 1 });
  });

  it("sends long runs in several batches, merging consecutive output", () => {
    const { replies, events } = run("for i = 1, 3000 do io.write(i, ' ') end", { maxEvents: 100_000 });
    expect(events.at(-1)?.type).toBe("end");
    expect(output(events).startsWith("1 2 3 ")).toBe(true);
    expect(events.filter((e) => e.type === "output").length).toBeLessThan(20);
    expect(replies.filter((r) => r.kind === "events").length).toBeGreaterThanOrEqual(1);
  });

  it("stops at the event limit and still ends the log", () => {
    const { events } = run("for i = 1, 100000 do print(i) io.stderr:write('e') end", { maxEvents: 50, budget: 1e9 });
    expect(events.length).toBe(52); // the limit, then the halt message and the end
    expect(output(events, "stderr")).toMatch(/ljscope: event log limit reached \(50 events\)\n$/);
    expect(events.at(-1)).toMatchObject({ type: "end", status: "halted", error: "event log limit reached (50 events)" });
  });

  it("caps the output it keeps", () => {
    const { events } = run("for i = 1, 1000 do print(string.rep('x', 100)) end", { maxOutput: 1000 });
    expect(output(events).length).toBeLessThanOrEqual(1000);
    expect(output(events, "stderr")).toMatch(/output beyond 1000 characters is not kept/);
  });

  it("applies -O arguments to the JIT parameters the program sees", () => {
    const { events } = run("print(jit.status())", { jitOpts: ["hotloop=1"] });
    expect(output(events)).toMatch(/^true\t/);
  });
});

describe("checkProgram", () => {
  it("lists the prototypes or gives the syntax error", () => {
    expect(checkProgram("local x = 1", "a.lua")).toMatchObject({ error: null, protos: [{ key: "a.lua:0" }] });
    expect(checkProgram("x = = 1", "a.lua")).toEqual({ protos: null, error: { message: "a.lua:1: unexpected symbol near '='", line: 1 } });
  });
});

describe("JIT arguments", () => {
  it("reads the luajit-args line and -O fields", () => {
    expect(argsLine("-- luajit-args: -Ohotloop=1\nfor i=1,2 do end")).toBe("-Ohotloop=1");
    expect(argsLine("-- luajit-args:\nx=1")).toBe("");
    expect(argsLine("print(1)")).toBe(null);
    expect(optArgs("-Ohotloop=1,maxtrace=4 -jv -O3")).toEqual(["hotloop=1", "maxtrace=4", "3"]);
    expect(optArgs("hotexit=2, tryside=1")).toEqual(["hotexit=2", "tryside=1"]);
    expect(optArgs("-loop, hotloop=1 -jv -lfoo")).toEqual(["-loop", "hotloop=1"]); // the field shows -O-loop as -loop
    expect(invalidOptArgs(["hotloop=1", "bogus", "maxtrace=x"])).toEqual(["bogus", "maxtrace=x"]);
    expect(paramAfter(["hotloop=1", "hotloop=5"], "hotloop")).toBe(5);
    expect(paramAfter([], "maxtrace")).toBe(1000);
    expect(withoutParam(["hotloop=1", "maxtrace=4"], "hotloop")).toEqual(["maxtrace=4"]);
  });
});
