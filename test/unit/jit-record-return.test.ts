// Recording a return out of the trace's first frame into a frame the
// recorder cannot return to (lj_record_ret): a function tail-called by a
// metamethod returns into the metamethod's continuation frame.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jvOf } from "../support/jv.ts";
import { repoRoot } from "../support/oracle.ts";

describe("a return the recorder cannot follow", () => {
  it("aborts with NYI: return to lower frame at the instruction that called the metamethod", () => {
    // Real LuaJIT (v2.1, 10 runs): its later lines vary with hot-counter collisions, the first does not.
    const lines = jvOf(join(repoRoot, "test/fixtures/jit-compiled"), "mm_tailret").split("\n");
    expect(lines[0]).toBe("[TRACE --- mm_tailret.lua:5 -- NYI: return to lower frame at mm_tailret.lua:11]");
  });
});
