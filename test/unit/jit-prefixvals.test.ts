// The values a side trace's replayed first steps read: the frame copy is
// stepped forward from the values the first step saw, so a step sees what
// the ones before it left, not what later steps wrote over it.
import { describe, expect, it } from "vitest";
import { bcOp } from "../../src/bc/ins.ts";
import { Op, opNames } from "../../src/bc/opcodes.ts";
import { compile } from "../../src/lang/compile.ts";
import { replayPrefix } from "../../src/jit/prefixvals.ts";
import { LuaClosure } from "../../src/vm/func.ts";
import { LuaTable } from "../../src/vm/table.ts";
import type { LuaValue } from "../../src/vm/value.ts";

const BASE = 2;

/** The main chunk's bytecodes from `first` (an opcode name) up to the end, and a closure of it. */
function stretch(source: string, first: string) {
  const pt = compile(source, "=prefix");
  const from = pt.bc.findIndex((ins) => opNames[bcOp(ins)] === first);
  const steps = [];
  for (let pc = from; pc < pt.bc.length && bcOp(pt.bc[pc]) !== Op.RET0; pc++) steps.push({ pt, pc });
  return { pt, steps, cl: new LuaClosure(pt, [], new LuaTable()) };
}

/** What each step read in slot `slot`. */
function seen(stack: LuaValue[], s: ReturnType<typeof stretch>, slot: number): { ok: boolean; values: LuaValue[] } {
  const values: LuaValue[] = [];
  const ok = replayPrefix(stack, BASE, s.cl, s.steps, (_, frame) => values.push(frame[BASE + slot]));
  return { ok, values };
}

describe("side trace prefix replay", () => {
  it("steps a slot reused by each step (key, then the value loaded with it)", () => {
    // i % 3 + 1 into slot 2, then fs[slot 2] into slot 2 again, then a call of it.
    const s = stretch("local fs, i = ...\nlocal f = fs[i % 3 + 1]\nf(i)\n", "MODVN");
    expect(s.steps.map((st) => opNames[bcOp(st.pt.bc[st.pc])]).slice(0, 3)).toEqual(["MODVN", "ADDVN", "TGETV"]);
    const fs = new LuaTable();
    const g = new LuaTable(); // any value: what TGETV loads
    fs.set(2, g);
    // The frame as the interpreter left it: slot 2 holds the loaded value, not the key.
    const stack: LuaValue[] = [undefined, undefined, fs, 4, g, g, 4];
    const { ok, values } = seen(stack, s, 2);
    expect(ok).toBe(true);
    expect(values.slice(0, 4)).toEqual([g, 1, 2, g]); // before MODVN (its value then is unknown but unread), ADDVN, TGETV, after
  });

  it("gives up when a slot read first is written by a later step", () => {
    const s = stretch("local a, b = ...\nlocal c = a + 1\na = b\nprint(c)\n", "ADDVN");
    const stack: LuaValue[] = [undefined, undefined, 7, 8, 8];
    expect(seen(stack, s, 0).ok).toBe(false);
  });

  it("gives up at a load that needs a metamethod", () => {
    const s = stretch("local t = ...\nlocal v = t.x\nprint(v)\n", "TGETS");
    const t = new LuaTable();
    t.metatable = new LuaTable();
    expect(seen([undefined, undefined, t, undefined], s, 1).ok).toBe(false);
    t.metatable = undefined;
    t.set("x", 5);
    expect(seen([undefined, undefined, t, 5], s, 1)).toEqual({ ok: true, values: [5, 5, 5, 5] });
  });

  it("takes a builtin call's results from the frame as it left them", () => {
    // local j = f(i) ; local k = j + 1 ; g(k): CALL 2 2 2 (result in slot 2), then ADDVN reads it.
    const s = stretch("local f, i = ...\nlocal j = f(i)\nlocal k = j + 1\nprint(k)\n", "MOV");
    expect(s.steps.map((st) => opNames[bcOp(st.pt.bc[st.pc])]).slice(0, 4)).toEqual(["MOV", "MOV", "CALL", "ADDVN"]);
    const f = new LuaTable(); // stands for the builtin: anything but a Lua function or nil
    // As left: f(i) returned 10 into slot 2, k = 11 in slot 3.
    const stack: LuaValue[] = [undefined, undefined, f, 4, 10, 11, 4];
    const { ok, values } = seen(stack, s, 2);
    expect(ok).toBe(true);
    expect(values.slice(0, 5)).toEqual([10, f, f, 10, 10]); // MOV f, MOV i, CALL (reads f), ADDVN reads the result
  });

  it("gives up when a later step overwrites a call's result", () => {
    const s = stretch("local f, i = ...\nlocal j = f(i)\nj = i\nprint(j)\n", "MOV");
    expect(seen([undefined, undefined, new LuaTable(), 4, 4, 4, 4], s, 2).ok).toBe(false);
  });
});
