// "stack overflow" at LuaJIT's depth: frames take LuaJIT's slots (pcall's
// own two, xpcall's three, luajit.c's six below the main chunk), each call
// checks the limit as FUNCF/FUNCV/VARG and C functions do, and the error's
// position, handler and uncaught report follow lj_state_growstack.
// test/fixtures/stack/regen.sh records the expected output (luajit -joff).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliIn } from "../support/cli.ts";
import { repoRoot } from "../support/oracle.ts";
import { runLua } from "../support/runlua.ts";

const dir = join(repoRoot, "test/fixtures/stack");

/** stdout, stderr and exit status of `ljscope NAME.lua`, as regen.sh records them. */
function runScript(name: string, argv: string[] = []): string {
  const { status, stdout, stderr } = runCliIn(dir, [name, ...argv]);
  return `${stdout}${stderr.replace(/0x[0-9a-f]+/g, "ADDR")}exit: ${status}\n`;
}

describe("stack overflow", () => {
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".lua")).sort()) {
    const name = f.slice(0, -4);
    it(`${name}.lua: depth, message and report as luajit's`, () => {
      expect(runScript(f)).toBe(readFileSync(join(dir, name + ".out"), "latin1"));
    });
  }

  it("script arguments sit in the main chunk's vararg frame, one slot each", () => {
    // luajit locals_1.lua a b c: the main chunk's base is three slots higher than without
    // arguments, which costs this 2-slot recursion one level of the 32741.
    expect(runScript("locals_1.lua", ["a", "b", "c"])).toBe("false\tstack overflow\n32739\nexit: 0\n");
  });

  it("an error in xpcall's handler after an overflow needs room for the handler, too", () => {
    // With 100 locals the dummy frame leaves the message well below the limit: the handler
    // runs, fails, and that is an error in error handling. With a 2-slot frame the handler's
    // own error finds no room above the limit: the handler is aborted with "stack overflow".
    const locals = Array.from({ length: 100 }, (_, i) => `a${i}`).join(", ");
    expect(runLua(`
      local function f() local ${locals} f() end
      print(xpcall(f, function(m) error("again") end))
      local function g() g() end
      print(xpcall(g, function(m) error("again") end))
    `)).toBe("false\terror in error handling\nfalse\tstack overflow\n");
  });
});
