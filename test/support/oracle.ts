// Where the oracle corpus lives (../shared/oracle, beside the repo; see its
// README.md) and how tests find it: missing in CI is an error, not a skip.
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, resolve } from "node:path";

/** The repository root (this file is test/support/oracle.ts). */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** The oracle's case folder; LJSCOPE_ORACLE_CASES overrides the default ../shared/oracle/cases. */
export const oracleCases = resolve(repoRoot, process.env.LJSCOPE_ORACLE_CASES ?? "../shared/oracle/cases");

/**
 * Names (without .lua) of the oracle cases, sorted. Throws when the corpus is
 * missing and we run in CI (CI=true) or LJSCOPE_REQUIRE_ORACLE=1; elsewhere
 * returns null so that the caller can skip with a visible reason.
 */
export function oracleCaseNames(): string[] | null {
  if (!existsSync(oracleCases)) {
    const required = !!process.env.CI || process.env.LJSCOPE_REQUIRE_ORACLE === "1";
    if (required) throw new Error(`oracle corpus not found at ${oracleCases} (expected ../shared/oracle/cases beside the repo)`);
    return null;
  }
  const names = readdirSync(oracleCases).filter((f) => f.endsWith(".lua")).map((f) => f.slice(0, -4)).sort();
  if (names.length === 0) throw new Error(`oracle corpus at ${oracleCases} has no .lua cases`);
  return names;
}

export const casePath = (name: string, ext: string): string => join(oracleCases, name + ext);
