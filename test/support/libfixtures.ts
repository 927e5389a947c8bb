// Runs the Lua programs of test/fixtures/libs/LIB through the compiler and VM
// and compares their output with what LuaJIT printed (NAME.out, recorded by
// test/fixtures/libs/regen.sh): stdout, then "exit: N".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createState, load, runMain } from "../../src/vm/runtime.ts";
import { repoRoot } from "./oracle.ts";

export const libFixtureDir = (lib: string): string => join(repoRoot, "test/fixtures/libs", lib);

/** Output of one fixture program as regen.sh records it. */
export function runFixture(dir: string, name: string): string {
  const source = readFileSync(join(dir, name + ".lua"), "latin1");
  const stdinPath = join(dir, name + ".stdin");
  let stdin: string | null = existsSync(stdinPath) ? readFileSync(stdinPath, "latin1") : null;
  let out = "";
  const S = createState({
    stdout: (s) => { out += s; },
    stdin: () => { const s = stdin; stdin = null; return s; },
    getenv: (k) => (k === "LJSCOPE_SURELY_NOT_SET" ? undefined : process.env[k]),
    readFile: () => null,
  });
  const r = runMain(S, load(S, source, "@" + name + ".lua"));
  const code = r.status === "ok" ? 0 : r.status === "exit" ? r.code & 0xff : 1;
  return `${out}exit: ${code}\n`;
}

/** One test per NAME.lua in the library's fixture folder. */
export function fixtureTests(lib: string): void {
  const dir = libFixtureDir(lib);
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".lua")).sort()) {
    const name = f.slice(0, -4);
    it(`${lib}/${name}.lua prints what LuaJIT prints`, () => {
      expect(runFixture(dir, name)).toBe(readFileSync(join(dir, name + ".out"), "latin1"));
    });
  }
}
