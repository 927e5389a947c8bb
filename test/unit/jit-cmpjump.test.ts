// The outcome of a comparison as a running trace re-checks it (cmpjump.ts):
// the same jumps as the interpreter, and no answer where only a metamethod could give one.
import { describe, expect, it } from "vitest";
import { bcOp } from "../../src/bc/ins.ts";
import { Op } from "../../src/bc/opcodes.ts";
import { compile } from "../../src/lang/compile.ts";
import { comparisonJumps } from "../../src/jit/cmpjump.ts";
import { LuaTable } from "../../src/vm/table.ts";
import type { LuaValue } from "../../src/vm/value.ts";

const BASE = 2;

/** The first comparison of `local a, b = ...; <body>`, asked with slots a and b set. */
function jumps(body: string, a: LuaValue, b: LuaValue): boolean | undefined {
  const pt = compile(`local a, b = ...\n${body}\n`, "=cmp");
  const ins = pt.bc.find((i) => bcOp(i) >= Op.ISLT && bcOp(i) <= Op.ISNEP) as number;
  const stack: LuaValue[] = [undefined, undefined, a, b];
  return comparisonJumps(ins, pt, stack, BASE);
}

describe("comparison outcome", () => {
  it("agrees with the interpreter on numbers, NaN and strings", () => {
    // `if a < b then end` compiles to ISGE a b: it jumps (past the empty body) when a < b is false.
    expect(jumps("if a < b then end", 1, 2)).toBe(false);
    expect(jumps("if a < b then end", 3, 2)).toBe(true);
    expect(jumps("if a < b then end", NaN, 2)).toBe(true);
    expect(jumps("if a <= b then end", "abc", "abd")).toBe(false);
    expect(jumps("if a == 'x' then end", "x", 0)).toBe(false);
    expect(jumps("if a == 'x' then end", "y", 0)).toBe(true);
    expect(jumps("if a == nil then end", undefined, 0)).toBe(false);
  });

  it("gives no answer where a metamethod or an error decides", () => {
    expect(jumps("if a < b then end", 1, "2")).toBeUndefined();
    const t = new LuaTable();
    const u = new LuaTable();
    expect(jumps("if a == b then end", t, u)).toBe(true); // plain tables: raw inequality
    t.metatable = new LuaTable();
    u.metatable = t.metatable;
    expect(jumps("if a == b then end", t, u)).toBeUndefined();
    expect(jumps("if a == b then end", t, t)).toBe(false);
  });
});
