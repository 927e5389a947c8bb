// Runs the op language of test/fixtures/table/cases.json (see gen.mjs there)
// against LuaTable, printing what the case's Lua program prints under LuaJIT.
import { readFileSync } from "node:fs";
import type { KValue, TemplateTable } from "../../src/bc/proto.ts";
import { formatNumber } from "../../src/util/numfmt.ts";
import { hsizeToHbits, iterOut, LuaTable, TableError } from "../../src/vm/table.ts";
import type { LuaValue } from "../../src/vm/value.ts";

export type FKey = number | boolean | string | { s: string } | null;
export type FVal = number | boolean | null | "i" | "x";
export type FItem = [FKey, FVal] | ["call", number];
export type FOp = [string, ...(FKey | FVal | number)[]];

export interface FixtureCase {
  name: string;
  init: { new: [number, number] } | { ctor: FItem[] };
  ops: FOp[];
  lua: string;
  out: string;
}

export function loadCases(): { luajit: string; cases: FixtureCase[] } {
  const url = new URL("../fixtures/table/cases.json", import.meta.url);
  return JSON.parse(readFileSync(url, "latin1"));
}

function key(k: FKey): LuaValue {
  switch (k) {
    case null: return undefined;
    case "-0": return -0;
    case "inf": return Infinity;
    case "-inf": return -Infinity;
    case "nan": return NaN;
  }
  return typeof k === "object" ? k.s : k;
}

/** The value of a non-constant in constructors (`local x = 7`). */
const X = 7;

function val(v: FVal): LuaValue {
  if (v === "x") return X;
  if (v === "i") throw new Error("loop variable outside a fill");
  return v === null ? undefined : v;
}

export function tostr(v: LuaValue): string {
  switch (typeof v) {
    case "undefined": return "nil";
    case "number": return formatNumber(v);
    case "string": return v;
    case "boolean": return String(v);
    default: return "table";
  }
}

/**
 * A constructor the way LuaJIT compiles it (lj_parse.c expr_table): items
 * with a constant key and (a string key or a constant value) go into a
 * template built when the first such item is seen, with the sizes known at
 * that point; the other items become stores after TNEW/TDUP, in source order,
 * and a trailing call's results are stored by TSETM.
 */
export function construct(items: FItem[]): LuaTable {
  let tpl: TemplateTable | null = null;
  let needarr = false;
  let narr = 1;
  let nhash = 0;
  const stores: [LuaValue, LuaValue][] = [];
  let call: [number, number] | null = null;
  for (const item of items) {
    if (item[0] === "call") {
      needarr = true;
      call = [narr++, item[1] as number];
      continue;
    }
    const [k, v] = item as [FKey, FVal];
    let kv: KValue;
    if (k === null) {
      kv = narr++;
      needarr = true;
    } else {
      kv = key(k) as KValue;
      if (kv === 0) needarr = true;
      else nhash++;
    }
    const isConst = v !== "x";
    if (typeof kv === "string" || isConst) {
      tpl ??= { kind: "template", asize: needarr ? narr : 0, hbits: hsizeToHbits(nhash), sets: [], minAsize: 0 };
      let tv: KValue | undefined = isConst ? (v as KValue) : undefined;
      if (tv === null && typeof kv === "string") tv = undefined;
      tpl.sets.push([kv, tv]);
    }
    if (!isConst) stores.push([kv as LuaValue, X]);
  }
  let t: LuaTable;
  if (tpl) {
    if (needarr) tpl.minAsize = narr;
    t = LuaTable.fromTemplate(tpl);
  } else {
    const asize = needarr ? Math.min(Math.max(narr, 3), 0x7ff) : 0;
    t = LuaTable.fromTNEW(asize | (hsizeToHbits(nhash) << 11));
  }
  for (const [k, v] of stores) t.set(k, v);
  if (call) {
    const [idx, n] = call;
    if (n > 0) {
      if (idx + n > t.asize) t.reasize(idx + n);
      for (let j = 0; j < n; j++) t.setInt(idx + j, j + 1);
    }
  }
  return t;
}

function pairsLine(t: LuaTable, sorted: boolean): string {
  const parts: string[] = [];
  let k: LuaValue = undefined;
  while (t.next(k)) {
    k = iterOut.key;
    parts.push(tostr(k) + "=" + tostr(iterOut.val));
  }
  if (sorted) parts.sort();
  return (sorted ? "sorted:" : "pairs:") + parts.join(" ");
}

/** What the case's Lua program prints. */
export function runCase(c: FixtureCase): string {
  const t = "new" in c.init ? LuaTable.newAH(c.init.new[0], c.init.new[1]) : construct(c.init.ctor);
  const out: string[] = [];
  for (const op of c.ops) {
    switch (op[0]) {
      case "set": t.set(key(op[1] as FKey), val(op[2] as FVal)); break;
      case "fill": {
        const [, from, to, step, v] = op as [string, number, number, number, FVal];
        for (let i = from; step > 0 ? i <= to : i >= to; i += step) t.set(i, v === "i" ? i : val(v));
        break;
      }
      case "len": out.push("#" + formatNumber(t.length())); break;
      case "pairs": out.push(pairsLine(t, false)); break;
      case "sdump": out.push(pairsLine(t, true)); break;
      case "get": out.push("get\t" + tostr(t.get(key(op[1] as FKey)))); break;
      case "nextfrom":
        try {
          out.push(t.next(key(op[1] as FKey))
            ? `next\ttrue\t${tostr(iterOut.key)}\t${tostr(iterOut.val)}`
            : "next\ttrue\tnil");
        } catch (e) {
          if (!(e instanceof TableError)) throw e;
          out.push("next\tfalse\t" + e.message);
        }
        break;
      case "maxn": out.push("maxn " + formatNumber(t.maxn())); break;
      case "append": t.set(t.length() + 1, val(op[1] as FVal)); break;
      case "clear": t.clear(); break;
      default: throw new Error(`unknown op ${op[0]}`);
    }
  }
  return out.map((line) => line + "\n").join("");
}
