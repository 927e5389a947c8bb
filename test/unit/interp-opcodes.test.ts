// The interpreter keeps opcode numbers as a const enum (for a jump-table
// switch); this pins it to the single source of truth, BCDEF.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BCBIAS_J } from "../../src/bc/ins.ts";
import { opNames } from "../../src/bc/opcodes.ts";

describe("interpreter opcode constants", () => {
  it("equal the opcode table", () => {
    const src = readFileSync(new URL("../../src/vm/interp.ts", import.meta.url), "utf8");
    const body = /const enum BC \{([^}]*)\}/.exec(src)?.[1] ?? "";
    const entries = [...body.matchAll(/([A-Z0-9]+) = (\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(entries).toEqual(opNames.map((n, i) => [n, i]));
  });

  it("copy the jump bias", () => {
    const src = readFileSync(new URL("../../src/vm/interp.ts", import.meta.url), "utf8");
    const body = /const enum K \{([^}]*)\}/.exec(src)?.[1] ?? "";
    expect(Number(/BCBIAS_J = (\w+)/.exec(body)?.[1])).toBe(BCBIAS_J);
  });
});
