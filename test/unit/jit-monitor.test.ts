// The invariant monitor reports the flush bug's stale references in every
// build: the pre-fix builds' stale unpatch, and in prefix-release the newer
// trace that silently lost its bytecode; the fixed build has none.
import { describe, expect, it } from "vitest";
import { runCliIn } from "../support/cli.ts";

const SEED = "for _ = 1, 3 do jit.flush(1) for _ = 1, 4 do end end\n";

function violations(build: string): string[] {
  const { stderr } = runCliIn(".", [`--build=${build}`, "-Ohotloop=1", "seed.lua"], {
    readFile: () => SEED,
    getenv: (n) => (n === "LJSCOPE_DEBUG_EVENTS" ? "1" : undefined),
  });
  return stderr.split("\n").filter((l) => l.includes('"type":"violation"')).map((l) => (JSON.parse(l) as { message: string }).message);
}

describe("invariant monitor", () => {
  it("finds nothing wrong in the fixed build", () => {
    expect(violations("fixed")).toEqual([]);
  });
  it("reports the stale unpatch and the trace that lost its bytecode in prefix-release", () => {
    const v = violations("prefix-release");
    expect(v[0]).toBe("LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace");
    expect(v).toContain("trace 3 is live, but its start instruction at seed.lua:0 pc 13 is FORL again: its bytecode was reverted");
  });
  it("stops at the assertion in prefix-assert", () => {
    expect(violations("prefix-assert")).toEqual(["LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace"]);
  });
});
