// The simulation against real LuaJIT on every program we have its -jv output
// for: the oracle's cases (fixed build) and our own differential corpus
// (test/fixtures/jit-diff, made by its regen.sh from a LuaJIT built at the
// oracle's fixed commit). Every program must match, except the known
// divergences listed here and explained in docs/divergences.md — and those
// must still differ, so that the list (and the docs) cannot go stale.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jvOf } from "../support/jv.ts";
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
for (const f of readdirSync(diffDir).filter((f) => f.endsWith(".lua")).sort()) {
  const name = f.slice(0, -4);
  cases.push({ id: `jit-diff/${name}`, dir: diffDir, name, want: join(diffDir, `${name}.jv`) });
}

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
