// The string library core (src/vm/lib/strlib.ts, lpattern.ts) against LuaJIT:
// replays test/fixtures/strlib/cases.jsonl (recorded by gen.lua with the
// target build), then hand-written checks for stack safety, re-entrancy and speed.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatNumber, formatPrintf } from "../../src/util/numfmt.ts";
import type { LuaObject, LuaValue } from "../../src/vm/value.ts";
import * as S from "../../src/vm/lib/strlib.ts";
import { LuaStringError, type Capture } from "../../src/vm/lib/strlib.ts";

// -- Fixture decoding ---------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Case {
  f: string;
  args: Json[];
  ok: boolean;
  res?: Json[];
  err?: string;
  pos?: boolean;
}

interface TsObject extends LuaObject { text: string }
interface FnMarker extends LuaObject { fn: string }
interface TableMarker extends LuaObject { entries: [LuaValue, LuaValue][] }

function decode(v: Json): LuaValue {
  if (v === null) return undefined;
  if (typeof v !== "object") return v;
  if (Array.isArray(v)) throw new Error("unexpected array");
  if ("n" in v) {
    const t = v.n as string;
    return t === "inf" ? Infinity : t === "-inf" ? -Infinity : t === "nan" || t === "-nan" ? NaN : Number(t);
  }
  if ("rep" in v) {
    const [c, n] = v.rep as [string, number];
    return c.repeat(n);
  }
  if ("ts" in v) return { luaType: "table", text: v.ts } as TsObject;
  if ("fn" in v) return { luaType: "function", fn: v.fn } as FnMarker;
  if ("t" in v) {
    const entries = (v.t as [Json, Json][]).map(([k, x]) => [decode(k), decode(x)] as [LuaValue, LuaValue]);
    return { luaType: "table", entries } as TableMarker;
  }
  throw new Error(`cannot decode ${JSON.stringify(v)}`);
}

// LJSCOPE_STRLIB_CASES replays another file written by gen.lua (see its header).
const casesFile = process.env.LJSCOPE_STRLIB_CASES ?? new URL("../fixtures/strlib/cases.jsonl", import.meta.url);
const cases: Case[] = readFileSync(casesFile, "latin1")
  .split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Case);

// -- What the VM would do -----------------------------------------------------

const tostr = (c: Capture | LuaValue): string => {
  if (typeof c === "string") return c;
  if (typeof c === "number") return formatNumber(c);
  if (c === undefined) return "nil";
  if (typeof c === "boolean") return String(c);
  if ("text" in c) return (c as TsObject).text;
  throw new Error("no tostring for this object in the tests");
};

/** The gen.lua CALLBACKS, as the VM would call Lua functions. */
const CALLBACKS: Record<string, (caps: Capture[]) => LuaValue> = {
  cat: (caps) => caps.map(tostr).join("|"),
  nil: () => undefined,
  false: () => false,
  upper: (caps) => S.upper(tostr(caps[0])),
  num: () => 42.5,
  table: () => ({ luaType: "table" }) as LuaObject,
  true: () => true,
  count: (caps) => caps.length,
};

function lookup(t: TableMarker, key: Capture): LuaValue {
  for (const [k, v] of t.entries) if (k === key) return v;
  return undefined;
}

const str = (v: LuaValue): string => v as string;
const num = (v: LuaValue): number | undefined => v as number | undefined;
const nil = (r: Capture[] | null): LuaValue[] => r ?? [undefined];

function call(f: string, a: LuaValue[]): LuaValue[] | LuaValue[][] {
  switch (f) {
    case "len": return [S.len(str(a[0]))];
    case "upper": return [S.upper(str(a[0]))];
    case "lower": return [S.lower(str(a[0]))];
    case "reverse": return [S.reverse(str(a[0]))];
    case "sub": return [S.sub(str(a[0]), num(a[1])!, num(a[2]))];
    case "byte": return S.byte(str(a[0]), num(a[1]), num(a[2]));
    case "char": return [S.char(a as number[])];
    case "rep": return [S.rep(str(a[0]), num(a[1])!, a[2] as string | undefined)];
    case "find": return nil(S.find(str(a[0]), str(a[1]), num(a[2]), a[3] !== undefined && a[3] !== false));
    case "match": return nil(S.match(str(a[0]), str(a[1]), num(a[2])));
    case "gmatch": {
      const it = S.gmatch(str(a[0]), str(a[1]));
      const all: LuaValue[][] = [];
      for (let r = it.next(); r !== null; r = it.next()) all.push(r);
      return all;
    }
    case "gsub": {
      const r = a[2];
      if (typeof r === "string" || typeof r === "number") return S.gsub(str(a[0]), str(a[1]), r, num(a[3]));
      if ((r as LuaObject).luaType === "function") return S.gsub(str(a[0]), str(a[1]), CALLBACKS[(r as FnMarker).fn], num(a[3]));
      return S.gsub(str(a[0]), str(a[1]), (caps) => lookup(r as TableMarker, caps[0]), num(a[3]), true);
    }
    case "format": return [S.format(str(a[0]), a.slice(1), tostr)];
    default: throw new Error(`unknown function ${f}`);
  }
}

/** LuaJIT's message as pcall shows it after "w:N: " is stripped, and whether it had a position. */
function luaMessage(f: string, e: unknown): { err: string; pos: boolean } {
  if (!(e instanceof LuaStringError)) throw e;
  if (e.kind === "arg") return { err: `bad argument #${e.arg} to '${f}' (${e.message})`, pos: true };
  return { err: e.message, pos: e.kind === "caller" };
}

function runCase(c: Case): Partial<Case> {
  const args = c.args.map(decode);
  try {
    return { ok: true, res: call(c.f, args) as Json[] };
  } catch (e) {
    return { ok: false, ...luaMessage(c.f, e) };
  }
}

function expected(c: Case): Partial<Case> {
  if (!c.ok) return { ok: false, err: c.err, pos: c.pos };
  const res = c.f === "gmatch" ? (c.res as Json[][]).map((r) => r.map(decode)) : c.res!.map(decode);
  return { ok: true, res: res as Json[] };
}

describe("LuaJIT fixture (test/fixtures/strlib/cases.jsonl)", () => {
  const byFunction = new Map<string, Case[]>();
  for (const c of cases) {
    const list = byFunction.get(c.f) ?? [];
    list.push(c);
    byFunction.set(c.f, list);
  }

  it("has cases for every function", () => {
    expect([...byFunction.keys()].sort()).toEqual(
      ["byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "rep", "reverse", "sub", "upper"]);
    expect(cases.length).toBeGreaterThan(7000);
  });

  for (const [f, list] of byFunction) {
    it(`${f}: ${list.length} cases match LuaJIT`, () => {
      const failures: unknown[] = [];
      for (const c of list) {
        const got = runCase(c);
        const want = expected(c);
        try {
          expect(got).toEqual(want);
        } catch {
          failures.push({ args: c.args, want, got });
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});

// -- Hand-written checks ------------------------------------------------------

describe("error kinds", () => {
  const kindOf = (fn: () => unknown): [string, number, string] => {
    try { fn(); } catch (e) {
      if (e instanceof LuaStringError) return [e.kind, e.arg, e.message];
      throw e;
    }
    throw new Error("no error");
  };

  it("pattern errors are caller errors, char/format argument errors carry the index", () => {
    expect(kindOf(() => S.find("a", "%"))).toEqual(["caller", 0, "malformed pattern (ends with '%')"]);
    expect(kindOf(() => S.gsub("a", "(", "%2"))).toEqual(["caller", 0, "invalid capture index"]);
    expect(kindOf(() => S.char([65, 66, 300]))).toEqual(["arg", 3, "invalid value"]);
    expect(kindOf(() => S.format("%d %d", [1], tostr))).toEqual(["arg", 3, "value expected"]);
    expect(kindOf(() => S.format("%s %d", ["x", { luaType: "table" } as LuaObject], tostr))).toEqual(["arg", 3, "number expected, got table"]);
    expect(kindOf(() => S.format("%y", [], tostr))).toEqual(["caller", 0, "invalid option '%y' to 'format'"]);
    expect(kindOf(() => S.rep("xx", 2 ** 30 + 5))).toEqual(["memory", 0, "not enough memory"]);
    expect(kindOf(() => S.gsub("a", "a", () => ({ luaType: "table" }) as LuaObject)))
      .toEqual(["caller", 0, "invalid replacement value (a table)"]);
  });
});

describe("long subjects", () => {
  const big = "x".repeat(100_000);

  // Compares lengths and flags, not the strings, to keep failure output readable.
  const same = (r: Capture[] | null, n: number): boolean => r !== null && r.length === n && r.every((c) => c === big);

  it("runs (.-) and .* over 100k bytes without deep JS recursion", () => {
    const f = S.find(big, "(.-)$")!;
    expect([f[0], f[1], f[2] === big]).toEqual([1, 100_000, true]);
    expect(same(S.match(big, "((((.-))))$"), 4)).toBe(true);
    expect(same(S.match(big, "^(.*)$"), 1)).toBe(true);
    expect(same(S.match(big + "y", "^(.-)y"), 1)).toBe(true);
    expect(same(S.match(big, "^x-$"), 1)).toBe(true);
    expect(S.gsub(big, ".-$", "")).toEqual(["", 2]);
    const [r, n] = S.gsub(big, ".-", "");
    expect([r === big, n]).toEqual([true, 100_001]);
    const [r2, n2] = S.gsub(big, "(x)x", "%1");
    expect([r2.length, n2]).toEqual([50_000, 50_000]);
  });

  it("still reports 'pattern too complex' at LuaJIT's depth", () => {
    const s = "a".repeat(300);
    expect(S.find(s, "a?".repeat(199))).toEqual([1, 199]);
    expect(() => S.find(s, "a?".repeat(200))).toThrow("pattern too complex");
  });

  it("handles a 1 MB gsub exactly", () => {
    const text = "hello world ".repeat(100_000);  // 1.2 MB
    const [r1, n1] = S.gsub(text, "o", "0");
    const [r2, n2] = S.gsub(text, "(%w+) (%w+)", "%2 %1");
    const [r3, n3] = S.gsub(text, "%w+", (caps) => (caps[0] as string).length);
    expect([n1, n2, n3]).toEqual([200_000, 100_000, 200_000]);
    expect(r1).toBe("hell0 w0rld ".repeat(100_000));
    expect(r2).toBe("world hello ".repeat(100_000));
    expect(r3).toBe("5 5 ".repeat(100_000));
  });

  it("plain find, byte-wise reverse and rep of large strings", () => {
    const s = "ab".repeat(500_000) + "needle";
    expect(S.find(s, "needle")).toEqual([1_000_001, 1_000_006]);
    expect(S.find(s, "n.edle")).toEqual([1_000_001, 1_000_006]);
    expect(S.reverse(s).slice(0, 8)).toBe("eldeenba");
    expect(S.rep("ab", 3, "--")).toBe("ab--ab--ab");
    expect(S.len(S.rep("xyz", 1_000_000))).toBe(3_000_000);
  });
});

describe("iterators and callbacks", () => {
  it("gmatch keeps returning null at the end", () => {
    const it = S.gmatch("a1b2", "%a(%d)");
    expect([it.next(), it.next(), it.next(), it.next()]).toEqual([["1"], ["2"], null, null]);
  });

  it("gsub callbacks may re-enter the matcher", () => {
    const [r, n] = S.gsub("a-b c-d", "(%w)-(%w)", (caps) =>
      S.gsub(`${caps[0] as string}${caps[1] as string}`, "%w", (c) => S.upper(c[0] as string))[0]);
    expect([r, n]).toEqual(["AB CD", 2]);
    const outer = S.gmatch("x1 y2", "(%a)(%d)");
    const first = outer.next();
    expect(S.match("zz9", "(%a+)(%d)")).toEqual(["zz", "9"]);
    expect([first, outer.next(), outer.next()]).toEqual([["x", "1"], ["y", "2"], null]);
  });

  it("a table replacement only computes the first capture", () => {
    const seen: Capture[][] = [];
    expect(S.gsub("abc", "(a)(b", (caps) => { seen.push(caps); return "T"; }, undefined, true)).toEqual(["Tc", 1]);
    expect(seen).toEqual([["a"]]);
    expect(() => S.gsub("abc", "(a)(b", () => "T")).toThrow("unfinished capture");
  });
});

describe("format hooks and helpers", () => {
  it("uses the VM's tonumber and pointer hooks", () => {
    const hooks = { tonumber: (s: string) => (s === "ten" ? 10 : undefined), pointer: () => 0x7f12345678 };
    expect(S.format("%d|%p|%p", ["ten", {} as LuaObject, undefined], tostr, hooks)).toBe("10|0x7f12345678|0x7f12345678");
    expect(S.format("%d %x %g", ["0x10", " 12 ", "1e2"], tostr)).toBe("16 c 100");
  });

  it("%f and %q fast paths agree with the general formatter (numfmt)", () => {
    const spec = fc.record({
      flags: fc.subarray(["-", "+", " ", "0"]), width: fc.option(fc.integer({ min: 0, max: 30 })),
      prec: fc.option(fc.integer({ min: 0, max: 25 })),
    }).map(({ flags, width, prec }) => `%${flags.join("")}${width ?? ""}${prec === null ? "" : "." + prec}f`);
    const value = fc.oneof(fc.double(), fc.double({ min: -1e6, max: 1e6 }), fc.integer().map((i) => i / 8),
      fc.constantFrom(0, -0, 0.5, -0.5, 2.5, 0.125, 1e20, 9.999999999999999e20, 1e21, -1e21));
    fc.assert(fc.property(spec, value, (sp, x) => {
      expect(S.format(sp, [x], tostr)).toBe(formatPrintf(sp, x));
    }), { numRuns: 3000 });
    const bytes = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)) });
    fc.assert(fc.property(bytes, (str) => {
      expect(S.format("%q", [str], tostr)).toBe(formatPrintf("%q", str));
    }), { numRuns: 2000 });
  });

  it("num2int truncates like a C cast on x64", () => {
    expect([2.7, -2.7, 2 ** 31, -(2 ** 31), NaN, Infinity, 2 ** 31 - 0.5].map(S.num2int))
      .toEqual([2, -2, -(2 ** 31), -(2 ** 31), -(2 ** 31), -(2 ** 31), 2 ** 31 - 1]);
  });
});
