// Helpers for tests of the explorer's model: read event-log fixtures and turn
// them into our events the way the explorer's import does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkProgram } from "../../src/engine/runner.ts";
import {
  buildFromFileName, convertOracleLines, listingMatches, logChunkname, parseOracleLog, partialProtos,
} from "../../src/engine/oraclelog.ts";
import type { EngineEvent } from "../../src/engine/events.ts";
import { repoRoot } from "./oracle.ts";

export const eventFixtures = join(repoRoot, "test", "fixtures", "events");

/** Import a captured log; with `source`, the listing comes from compiling it (as the explorer does). */
export function importLog(text: string, fileName: string, source?: string): { events: EngineEvent[]; full: boolean; lineEnds: number[] } {
  const parsed = parseOracleLog(text);
  const chunk = logChunkname(parsed) ?? "main.lua";
  const checked = source !== undefined ? checkProgram(source, chunk) : null;
  const full = !!checked?.protos && listingMatches(parsed, checked.protos);
  const protos = full && checked?.protos ? checked.protos : partialProtos(parsed);
  return { ...convertOracleLines(parsed, protos, buildFromFileName(fileName)), full };
}

export function readFixture(name: string): string {
  return readFileSync(join(eventFixtures, name), "utf8");
}
