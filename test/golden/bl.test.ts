// Golden test for the front end: our `-bl` listing of every oracle case must
// equal real LuaJIT's (NAME.bl, printed by jit/bc.lua) byte for byte.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.ts";
import { listBytecode } from "../../src/bc/listing.ts";
import { casePath, oracleCaseNames, oracleCases } from "../support/oracle.ts";

const names = oracleCaseNames();

describe("-bl listings match LuaJIT", () => {
  if (names === null) {
    it.skip(`oracle corpus not found at ${oracleCases}: golden tests skipped`, () => {});
    return;
  }
  for (const name of names) {
    it(name, () => {
      // Binary strings (one char per byte) on both sides, as Lua sees them.
      const source = readFileSync(casePath(name, ".lua"), "latin1");
      const want = readFileSync(casePath(name, ".bl"), "latin1");
      const proto = compile(source, "@" + name + ".lua");
      expect(listBytecode(proto)).toBe(want);
    });
  }
});
