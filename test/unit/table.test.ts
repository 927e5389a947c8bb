// LuaTable (src/vm/table.ts): layout cases recorded from real LuaJIT (#t,
// pairs order, next, maxn; test/fixtures/table), errors, hashing, template
// dups, and a property test against a Map model.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TemplateTable } from "../../src/bc/proto.ts";
import { hashKey, hashNum, strHash } from "../../src/vm/hash.ts";
import { hsizeToHbits, iterOut, LuaTable, TableError } from "../../src/vm/table.ts";
import type { LuaObject, LuaValue } from "../../src/vm/value.ts";
import { loadCases, runCase } from "./table-fixture.ts";

describe("layout matches LuaJIT (test/fixtures/table/cases.json)", () => {
  const { cases } = loadCases();
  for (const c of cases) {
    it(c.name, () => {
      expect(runCase(c), c.lua).toBe(c.out);
    });
  }
});

/**
 * Node invariants: four slots per node, the stored hash is the key's, every
 * live key is reachable from its main position and chains end.
 */
function checkStructure(t: LuaTable): void {
  const { node, hmask } = t;
  expect(t.arr.length).toBe(t.asize);
  if (hmask === 0) {
    expect(node).toEqual([undefined, undefined, -1, 0]);
    return;
  }
  expect(node.length).toBe((hmask + 1) * 4);
  expect(t.freetop % 4).toBe(0);
  for (let i = 0; i < node.length; i += 4) {
    if (node[i + 1] === undefined) continue;
    const key = node[i];
    expect(key, "live node without key").not.toBe(undefined);
    expect(node[i + 3], `stored hash of ${String(key)}`).toBe(hashKey(key) & ((1 << 26) - 1));
    // Walk from the key's main position, with a step limit against cycles.
    let n = ((node[i + 3] as number) & hmask) * 4;
    let steps = 0;
    while (n !== i && n >= 0 && steps++ <= hmask) n = node[n + 2] as number;
    expect(n, `key ${String(key)} not reachable from its main position`).toBe(i);
  }
}

function pairsOf(t: LuaTable): [LuaValue, LuaValue][] {
  const out: [LuaValue, LuaValue][] = [];
  let k: LuaValue = undefined;
  while (t.next(k)) {
    k = iterOut.key;
    out.push([k, iterOut.val]);
  }
  return out;
}

describe("errors", () => {
  it("nil and NaN keys cannot be stored, but can be read", () => {
    const t = new LuaTable();
    const code = (f: () => void) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(TableError);
        return [(e as TableError).code, (e as TableError).message];
      }
      return null;
    };
    expect(code(() => t.set(undefined, 1))).toEqual(["NILIDX", "table index is nil"]);
    expect(code(() => t.set(NaN, 1))).toEqual(["NANIDX", "table index is NaN"]);
    expect(code(() => t.set(0 / 0, undefined))).toEqual(["NANIDX", "table index is NaN"]);
    expect(t.get(undefined)).toBe(undefined);
    expect(t.get(NaN)).toBe(undefined);
    expect(t.hmask).toBe(0);
  });

  it("next with a key that is not in the table", () => {
    const t = new LuaTable();
    t.set(1.5, 1);
    expect(() => t.next(2.5)).toThrow(TableError);
    expect(() => t.next("x")).toThrow("invalid key to 'next'");
    expect(() => t.next(NaN)).toThrow("invalid key to 'next'");
    expect(t.next(1.5)).toBe(false);
  });

  it("sizes beyond LuaJIT's limits are a table overflow", () => {
    expect(() => new LuaTable(0, 27)).toThrow("table overflow");
    expect(() => new LuaTable((1 << 27) + 2, 0)).toThrow("table overflow");
  });
});

describe("hashing", () => {
  it("hashNum scrambles the IEEE bits like LuaJIT's hashrot (x64 variant)", () => {
    // Independent BigInt/DataView version of hashnum: lo word, hi word << 1.
    const rol = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
    const ref = (d: number) => {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, d);
      let hi = (dv.getUint32(0) << 1) >>> 0;
      let lo = dv.getUint32(4);
      lo = (lo ^ hi) >>> 0;
      hi = rol(hi, 14);
      lo = (lo - hi) >>> 0;
      hi = rol(hi, 5);
      hi = (hi ^ lo) >>> 0;
      hi = (hi - rol(lo, 13)) >>> 0;
      return hi;
    };
    for (const d of [0, 1, 2, 3, -1, 0.5, 1e300, 2 ** 53, 123456789, -7.25, Infinity, 5e-324]) {
      expect(hashNum(d) >>> 0, String(d)).toBe(ref(d));
    }
    expect(hashNum(-0)).toBe(hashNum(0));
  });

  it("-0 and 0 are one key; integer-valued doubles are integers", () => {
    const t = new LuaTable();
    t.set(-0, "a");
    t.set(0, "b");
    expect(pairsOf(t)).toEqual([[0, "b"]]);
    expect(Object.is(pairsOf(t)[0][0], 0)).toBe(true);
    const u = new LuaTable(4, 0);
    u.set(2.0, "two");
    expect(u.getInt(2)).toBe("two");
    expect(u.hmask).toBe(0);
  });

  it("booleans, tables and function-like objects are keys by identity", () => {
    const t = new LuaTable();
    const a = new LuaTable();
    const b = new LuaTable();
    const f: LuaObject & { hashId: number } = { luaType: "function", hashId: 0 };
    t.set(true, 1);
    t.set(false, 2);
    t.set(a, 3);
    t.set(b, 4);
    t.set(f, 5);
    expect([t.get(true), t.get(false), t.get(a), t.get(b), t.get(f)]).toEqual([1, 2, 3, 4, 5]);
    expect(t.get(new LuaTable())).toBe(undefined);
    expect(f.hashId).toBeGreaterThan(0);
    checkStructure(t);
  });

  it("strings: specialised getters agree with get/set, including precomputed hashes", () => {
    const t = new LuaTable();
    const long = "x".repeat(100) + "\xff\x00tail";
    for (const s of ["", "a", "ab", "hello", long, long + "!", "1"]) t.setStr(s, s.length);
    t.set(1, "one");
    expect(t.get("1")).toBe(1);
    expect(t.getInt(1)).toBe("one");
    expect(t.getStr(long)).toBe(long.length);
    expect(t.getStrH(long + "!", strHash(long + "!"))).toBe(long.length + 1);
    t.setStrH("", strHash(""), "empty");
    expect(t.get("")).toBe("empty");
    checkStructure(t);
  });
});

describe("traversal", () => {
  it("clearing fields during a traversal keeps next working (dead keys)", () => {
    const t = new LuaTable();
    for (let i = 1; i <= 20; i++) t.set(i * 1.5, i);
    t.set("s", 1);
    const seen: LuaValue[] = [];
    let k: LuaValue = undefined;
    while (t.next(k)) {
      k = iterOut.key;
      seen.push(k);
      t.set(k, undefined);
    }
    expect(seen.length).toBe(21);
    expect(pairsOf(t)).toEqual([]);
  });

  it("iterate() steps with a cursor, like ITERN", () => {
    const t = new LuaTable(4, 1);
    t.setInt(1, "a");
    t.setInt(3, "c");
    t.set(2.5, "h");
    const got: string[] = [];
    for (let c = t.iterate(0); c >= 0; c = t.iterate(c)) got.push(`${String(iterOut.key)}=${String(iterOut.val)}`);
    expect(got).toEqual(["1=a", "3=c", "2.5=h"]);
  });
});

describe("templates (TDUP)", () => {
  const tpl = (): TemplateTable => ({
    kind: "template",
    asize: 0,
    hbits: hsizeToHbits(1),
    // {a = x, [1.5] = 2, b = nil, 10, 20, [2.5] = 3} as LuaJIT's parser records it
    sets: [["a", undefined], [1.5, 2], ["b", undefined], [1, 10], [2, 20], [2.5, 3]],
    minAsize: 3,
  });

  it("dups are independent copies of one cached build", () => {
    const t1 = tpl();
    const a = LuaTable.fromTemplate(t1);
    const b = LuaTable.fromTemplate(t1);
    expect(a).not.toBe(b);
    expect(a.node).not.toBe(b.node);
    a.set(1.5, "changed");
    a.setInt(1, "changed");
    expect(b.get(1.5)).toBe(2);
    expect(b.getInt(1)).toBe(10);
    expect(Object.keys(t1)).toEqual(["kind", "asize", "hbits", "sets", "minAsize"]);
    expect(LuaTable.fromTemplate(t1).get(1.5)).toBe(2);
  });

  it("keys kept for later stores read as nil, and storing to them needs no new node", () => {
    const t = LuaTable.fromTemplate(tpl());
    expect(t.get("a")).toBe(undefined);
    expect(t.get("b")).toBe(undefined);
    expect(t.keyIndex("a")).toBeGreaterThan(0);
    const { hmask, freetop, node } = t;
    t.set("a", 7);
    t.set("b", 8);
    expect([t.hmask, t.freetop, t.node]).toEqual([hmask, freetop, node]);
    expect(t.getStr("a")).toBe(7);
    expect(t.asize).toBe(3);
    expect(t.length()).toBe(2);
    checkStructure(t);
  });

  it("minAsize grows the array part at the end (lj_tab_reasize)", () => {
    const t = LuaTable.fromTemplate({ kind: "template", asize: 2, hbits: 0, sets: [[1, 1]], minAsize: 5 });
    expect(t.asize).toBe(5);
    expect(t.length()).toBe(1);
  });

  it("clone copies layout, not the metatable", () => {
    const t = new LuaTable();
    for (let i = 0; i < 10; i++) t.set(i * 0.5, i);
    t.metatable = new LuaTable();
    const c = t.clone();
    expect(c.metatable).toBe(undefined);
    expect(pairsOf(c)).toEqual(pairsOf(t));
    expect(c.freetop).toBe(t.freetop);
  });
});

describe("resize and friends", () => {
  it("reasize keeps hash size and moves keys into the array part", () => {
    const t = new LuaTable();
    for (let i = 1; i <= 5; i++) t.set(i * 2, i);
    const hbits = t.hbits;
    t.reasize(10);
    expect(t.asize).toBe(11);
    expect(t.hbits).toBe(hbits);
    expect(pairsOf(t).map(([k]) => k)).toEqual([2, 4, 6, 8, 10]);
    checkStructure(t);
  });

  it("fromTNEW decodes TNEW's operand, with 0x7ff meaning 0x801 array slots", () => {
    const t = LuaTable.fromTNEW(5 | (3 << 11));
    expect([t.asize, t.hmask]).toEqual([5, 7]);
    expect(LuaTable.fromTNEW(0x7ff).asize).toBe(0x801);
    expect(LuaTable.fromTNEW(0).hmask).toBe(0);
  });

  it("newAH sizes like lua_createtable", () => {
    const t = LuaTable.newAH(4, 5);
    expect([t.asize, t.hmask]).toEqual([5, 7]);
    expect([LuaTable.newAH(0, 0).asize, LuaTable.newAH(0, 1).hmask]).toEqual([0, 1]);
  });

  it("clear keeps sizes", () => {
    const t = LuaTable.newAH(3, 2);
    t.setInt(1, 1);
    t.set(9.5, 1);
    t.clear();
    expect([t.asize, t.hmask, t.freetop]).toEqual([4, 1, 8]);
    expect(pairsOf(t)).toEqual([]);
  });
});

// ---- Property test: LuaTable vs a Map model ------------------------------------

const objectKeys: LuaObject[] = [new LuaTable(), new LuaTable(), { luaType: "function" }, { luaType: "userdata" }];

const keyArb: fc.Arbitrary<LuaValue> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -4, max: 70 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(-0, 0.5, Infinity, -Infinity, 2 ** 31, 2 ** 53, 1e300) },
  {
    weight: 3,
    arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }).map((a) => String.fromCharCode(...a)),
  },
  { weight: 2, arbitrary: fc.constantFrom("a", "b", "c", "x", "y", "hello", "1") },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(...objectKeys) },
);

const valArb: fc.Arbitrary<LuaValue> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom("v", true, false) },
);

type Cmd =
  | { op: "set"; k: LuaValue; v: LuaValue }
  | { op: "clearDuringTraversal"; every: number }
  | { op: "reasize"; n: number }
  | { op: "clear" };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ op: fc.constant("set" as const), k: keyArb, v: valArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clearDuringTraversal" as const), every: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("reasize" as const), n: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: "clear" as const }) },
);

function checkAgainstModel(t: LuaTable, model: Map<LuaValue, LuaValue>): void {
  for (const [k, v] of model) {
    expect(t.get(k)).toBe(v);
    if (typeof k === "number" && Number.isInteger(k)) expect(t.getInt(k)).toBe(v);
    if (typeof k === "string") expect(t.getStr(k)).toBe(v);
  }
  const live = [...model].filter(([, v]) => v !== undefined);
  const seen = new Map<LuaValue, LuaValue>();
  for (const [k, v] of pairsOf(t)) {
    expect(seen.has(k), `key ${String(k)} visited twice`).toBe(false);
    seen.set(k, v);
  }
  expect(seen.size).toBe(live.length);
  for (const [k, v] of live) expect(seen.get(k)).toBe(v);
  // #t is a border: t[n] non-nil (or n == 0) and t[n+1] nil.
  const n = t.length();
  if (n > 0) expect(t.getInt(n)).not.toBe(undefined);
  expect(t.getInt(n + 1)).toBe(undefined);
  checkStructure(t);
}

describe("property: LuaTable behaves like a Map", () => {
  it("get/set/next/length over random command sequences", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 4 }), fc.array(cmdArb, { maxLength: 120 }), (a, h, cmds) => {
        const t = new LuaTable(a, h);
        const model = new Map<LuaValue, LuaValue>();
        for (const c of cmds) {
          if (c.op === "set") {
            t.set(c.k, c.v);
            model.set(c.k, c.v);
          } else if (c.op === "clearDuringTraversal") {
            let k: LuaValue = undefined;
            let i = 0;
            while (t.next(k)) {
              k = iterOut.key;
              if (i++ % c.every === 0) {
                t.set(k, undefined);
                model.set(k, undefined);
              }
            }
          } else if (c.op === "reasize") {
            t.reasize(c.n);
          } else {
            t.clear();
            model.clear();
          }
        }
        checkAgainstModel(t, model);
      }),
      { numRuns: 400 },
    );
  });
});
