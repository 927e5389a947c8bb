// The table library through the compiler and VM (src/vm/lib/table.ts):
// fixture programs checked against LuaJIT, then hand-written edge cases.
import { describe, expect, it } from "vitest";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

describe("table library", () => {
  fixtureTests("table");

  it("sort calls a comparator that yields an error position from inside it", () => {
    expect(runLua(`print(pcall(table.sort, {3, 2, 1}, function(a, b) return a.x < b end))`))
      .toBe("false\ttest:1: attempt to index local 'a' (a number value)\n");
  });

  it("sort without a comparator reports bad comparisons without a position (raised in C)", () => {
    expect(runLua(`local t = {2, 1, false} local ok, e = pcall(function() table.sort(t) end) print(e)`))
      .toBe("attempt to compare boolean with number\n");
  });

  it("sorts a large array in place", () => {
    expect(runLua(`local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 20011 end table.sort(t)
      local ok = true for i = 2, #t do if t[i-1] > t[i] then ok = false end end print(ok, #t)`)).toBe("true\t20000\n");
  });
});
