// Aligning two event logs for the compare view: the edit script (minimal, and
// a valid script even past its edit limit), and the seed under two builds,
// where the runs diverge at prefix-release's 4th trace and at prefix-assert's crash.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../src/engine/events.ts";
import { DEFAULT_MAX_OUTPUT, type BuildName, type WorkerReply } from "../../src/engine/protocol.ts";
import { runProgram } from "../../src/engine/runner.ts";
import { alignLogs } from "../../src/ui/model/align.ts";
import { diff, type DiffOp } from "../../src/ui/model/diff.ts";

/** Apply an edit script's "same" and "ins" steps: must give b; "same" and "del" must give a. */
function check(a: string[], b: string[], ops: DiffOp[]): void {
  expect(ops.filter((o) => o.op !== "ins").map((o) => a[(o as { a: number }).a])).toEqual(a);
  expect(ops.filter((o) => o.op !== "del").map((o) => b[(o as { b: number }).b])).toEqual(b);
  for (const o of ops) if (o.op === "same") expect(a[o.a]).toBe(b[o.b]);
}

/** Length of a longest common subsequence, by dynamic programming. */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
    t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
  }
  return t[a.length][b.length];
}

describe("diff", () => {
  it("finds a shortest edit script", () => {
    const a = [..."ABCABBA"], b = [..."CBABAC"];
    const ops = diff(a, b);
    check(a, b, ops);
    expect(ops.filter((o) => o.op === "same")).toHaveLength(4);
  });

  it("keeps as many equal elements as a longest common subsequence (property)", () => {
    const seq = fc.array(fc.constantFrom("a", "b", "c", "d"), { maxLength: 30 });
    fc.assert(fc.property(seq, seq, (a, b) => {
      const ops = diff(a, b);
      check(a, b, ops);
      expect(ops.filter((o) => o.op === "same")).toHaveLength(lcs(a, b));
    }), { numRuns: 300 });
  });

  it("is still a valid script when the edit limit is reached", () => {
    const a = Array.from({ length: 300 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 250 }, (_, i) => `b${i}`);
    const ops = diff(["x", ...a, "y"], ["x", ...b, "y"], 10);
    check(["x", ...a, "y"], ["x", ...b, "y"], ops);
    expect(ops[0]).toEqual({ op: "same", a: 0, b: 0 });
    expect(ops.at(-1)).toEqual({ op: "same", a: 301, b: 251 });
  });
});

const SEED = "for _ = 1, 3 do\n  jit.flush(1)\n  for _ = 1, 4 do end\nend\n";

function seedRun(build: BuildName, hotloop = 1): EngineEvent[] {
  const replies: WorkerReply[] = [];
  runProgram(1, SEED, "seed.lua", { build, jitOpts: [`hotloop=${hotloop}`], budget: 1e7, maxEvents: 10_000, maxOutput: DEFAULT_MAX_OUTPUT }, (r) => replies.push(r));
  return replies.flatMap((r) => (r.kind === "events" ? r.events : []));
}

describe("alignLogs on the seed", () => {
  it("finds nothing to tell apart in two runs of one build", () => {
    const a = seedRun("fixed");
    const al = alignLogs(a, seedRun("fixed"));
    expect(al.firstDivergence).toBe(null);
    expect(al.firstDifference).toBe(null);
    expect(al.rows.map((r) => [r.a, r.b])).toEqual(a.map((_, i) => [i, i]));
  });

  it("fixed vs prefix-release: diverges where prefix-release compiles a 4th trace", () => {
    const a = seedRun("fixed"), b = seedRun("prefix-release");
    const al = alignLogs(a, b);
    const row = al.rows[al.firstDivergence as number];
    expect(row.status).toBe("b-only");
    expect(row.a).toBe(null);
    expect(b[row.b as number]).toMatchObject({ type: "trace-start", tr: 4 });
    // Earlier, in ljscope's own events: the silent revert that LuaJIT does not report.
    expect(b[al.rows[al.firstDifference as number].b as number]).toMatchObject({ type: "violation", fatal: false });
    // Every event of both logs is on exactly one row, in order.
    expect(al.rows.flatMap((r) => (r.a === null ? [] : [r.a]))).toEqual(a.map((_, i) => i));
    expect(al.rows.flatMap((r) => (r.b === null ? [] : [r.b]))).toEqual(b.map((_, i) => i));
    // Both runs end normally: their ends share a row.
    expect(al.rows.at(-1)).toMatchObject({ status: "same", spine: true });
  });

  it("fixed vs prefix-assert: diverges at the crash, and the two ends share a row", () => {
    const a = seedRun("fixed"), b = seedRun("prefix-assert");
    const al = alignLogs(a, b);
    const row = al.rows[al.firstDivergence as number];
    expect(b[row.b as number]).toMatchObject({ type: "violation", fatal: true });
    const last = al.rows.at(-1);
    expect(last?.status).toBe("changed");
    expect(a[last?.a as number]).toMatchObject({ type: "end", status: "ok" });
    expect(b[last?.b as number]).toMatchObject({ type: "end", status: "crash", exitCode: 134 });
    // All three traces before it are the same in both runs.
    const before = al.rows.slice(0, al.firstDivergence as number).filter((r) => r.spine);
    expect(before.map((r) => r.status)).toEqual(Array(6).fill("same"));
  });

  it("hotloop=1 vs hotloop=56: the default never gets hot in 4 iterations, so the first start is the divergence", () => {
    const a = seedRun("fixed", 1), b = seedRun("fixed", 56);
    const al = alignLogs(a, b);
    const row = al.rows[al.firstDivergence as number];
    expect(row.status).toBe("a-only");
    expect(a[row.a as number]).toMatchObject({ type: "trace-start", tr: 1 });
  });
});
