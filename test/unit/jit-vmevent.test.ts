// Programs that attach their own "trace" vmevent handler (jit.attach): the
// handler's arguments, its errors, what it may not do (start traces, see
// events while it runs), and -jv losing its own handler to it. Each runs
// under `ljscope ARGS -jv NAME.lua` and must print what real LuaJIT printed
// (test/fixtures/vmevent/regen.sh): NAME.out is stdout and the exit status,
// NAME.err stderr.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { luajitArgs, runCliIn } from "../support/cli.ts";
import { repoRoot } from "../support/oracle.ts";

const dir = join(repoRoot, "test/fixtures/vmevent");

function run(name: string): { out: string; err: string } {
  const args = luajitArgs(readFileSync(join(dir, `${name}.lua`), "latin1"));
  const { status, stdout, stderr } = runCliIn(dir, [...args, "-jv", `${name}.lua`]);
  return { out: `${stdout}exit: ${status}\n`, err: stderr.replaceAll("ljscope:", "luajit:") };
}

describe("jit.attach handlers for trace events", () => {
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".lua")).sort()) {
    const name = f.slice(0, -4);
    it(`${name}.lua prints what LuaJIT prints`, () => {
      const { out, err } = run(name);
      expect(out).toBe(readFileSync(join(dir, `${name}.out`), "latin1"));
      expect(err).toBe(readFileSync(join(dir, `${name}.err`), "latin1"));
    });
  }
});
