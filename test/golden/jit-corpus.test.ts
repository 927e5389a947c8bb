// The simulation against real LuaJIT on every program we have its output
// for: the oracle's cases (fixed build, -jv) and our own differential corpus
// (test/fixtures/jit-diff, made by its regen.sh from a LuaJIT built at the
// oracle's fixed commit: NAME.jv and NAME.events.jsonl, each where real
// LuaJIT gives the same in every run). Every program must match, except the
// known divergences listed here and explained in docs/divergences.md — and
// those must still differ, so that the list (and the docs) cannot go stale.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventsOf, jsonLines, jvOf } from "../support/jv.ts";
import { oracleCaseNames, oracleCases, repoRoot } from "../support/oracle.ts";

const diffDir = join(repoRoot, "test/fixtures/jit-diff");

/**
 * Programs whose -jv output still differs from LuaJIT's, with the reason
 * (docs/divergences.md); each must still differ, so the list cannot go stale.
 * Empty: every program here matches.
 */
const KNOWN_DIVERGENCES: Record<string, string> = {};


const oracle = oracleCaseNames();
const cases: { id: string; dir: string; name: string; want: string }[] = [];
for (const name of oracle ?? []) {
  cases.push({ id: `oracle/${name}`, dir: oracleCases, name, want: join(oracleCases, `${name}.jv.fixed`) });
}
const diffNames = readdirSync(diffDir).filter((f) => f.endsWith(".lua")).map((f) => f.slice(0, -4)).sort();
for (const name of diffNames) {
  if (existsSync(join(diffDir, `${name}.jv`))) cases.push({ id: `jit-diff/${name}`, dir: diffDir, name, want: join(diffDir, `${name}.jv`) });
}
const eventCases = diffNames.filter((name) => existsSync(join(diffDir, `${name}.events.jsonl`)));

describe("-jv of the simulation equals real LuaJIT's", () => {
  it("has both corpora", () => {
    expect(cases.filter((c) => c.id.startsWith("jit-diff/")).length).toBeGreaterThanOrEqual(70);
    if (oracle !== null) expect(cases.filter((c) => c.id.startsWith("oracle/")).length).toBe(oracle.length);
  });
  for (const c of cases) {
    const known = KNOWN_DIVERGENCES[c.id];
    it(known ? `${c.id} (known divergence: ${known})` : c.id, () => {
      const got = jvOf(c.dir, c.name);
      const want = readFileSync(c.want, "latin1");
      if (known) expect(got).not.toBe(want);
      else expect(got).toBe(want);
    });
  }
});

describe("event logs of the simulation equal real LuaJIT's", () => {
  it("has most of the differential corpus, and every program there has an expected output", () => {
    expect(eventCases.length).toBeGreaterThanOrEqual(100);
    for (const name of diffNames) expect(cases.some((c) => c.id === `jit-diff/${name}`) || eventCases.includes(name), name).toBe(true);
  });
  for (const name of eventCases) {
    it(`jit-diff/${name}`, () => {
      expect(eventsOf(diffDir, name)).toEqual(jsonLines(readFileSync(join(diffDir, `${name}.events.jsonl`), "latin1")));
    });
  }
});
