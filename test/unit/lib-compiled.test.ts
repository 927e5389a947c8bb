// Programs aimed at what compiled prototypes do differently from the
// interpreter (slots in JS locals, direct calls between compiled functions,
// bytecode patched under them), against real LuaJIT's output; and every
// library fixture run once compiled and once interpreted, which must agree.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createState, load, runMain } from "../../src/vm/runtime.ts";
import { fixtureTests, libFixtureDir } from "../support/libfixtures.ts";

describe("compiled code", () => {
  fixtureTests("compiled");
});

function run(source: string, chunkname: string, compile: boolean): string {
  let out = "";
  const S = createState({ stdout: (s) => { out += s; }, stdin: () => null, readFile: () => null, compile });
  const r = runMain(S, load(S, source, chunkname));
  return `${out}${r.status === "error" ? `error: ${r.message}` : r.status}\n`;
}

describe("compiled and interpreted runs agree", () => {
  const libs = readdirSync(join(libFixtureDir("compiled"), "..")).filter((d) => !d.includes("."));
  for (const lib of libs) {
    const dir = libFixtureDir(lib);
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".lua") && !n.includes("stdin"))) {
      it(`${lib}/${f}`, () => {
        const source = readFileSync(join(dir, f), "latin1");
        expect(run(source, "@" + f, true)).toBe(run(source, "@" + f, false));
      });
    }
  }
});
