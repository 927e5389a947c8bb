// The debug library and stack levels (src/vm/lib/debug.ts, frames.ts,
// traceback.ts): fixture programs in test/fixtures/libs/debug checked against
// LuaJIT (regenerate with test/fixtures/libs/regen.sh LUAJIT debug).
import { describe, expect, it } from "vitest";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

describe("debug library", () => {
  fixtureTests("debug");

  it("getlocal sees locals, temporaries and varargs of running frames", () => {
    // Expected output recorded from LuaJIT e0551670.
    expect(runLua(`
      local function f(a, b, ...)
        local c = 3
        for i = -3, 8 do
          local name, val = debug.getlocal(1, i)
          print(i, name, val)
        end
        print((debug.getlocal(2, 1)))
      end
      f(1, 2, "va1", "va2")
      print(debug.getlocal(f, 1), debug.getlocal(f, 2), debug.getlocal(f, 3))
      print(pcall(debug.getlocal, 50, 1))
      print(debug.getlocal(0, 1))
      print(debug.getlocal(0, 2))
      local x = 10
      local function g() local y = 1; print(debug.setlocal(2, 2, 7)) end
      g()
      print(x)
    `)).toBe([
      "-3\tnil\tnil", "-2\t(*vararg)\tva2", "-1\t(*vararg)\tva1", "0\tnil\tnil",
      "1\ta\t1", "2\tb\t2", "3\tc\t3", "4\t(for index)\t4", "5\t(for limit)\t8", "6\t(for step)\t1",
      "7\ti\t7", "8\tnil\tnil",
      "f",
      "a\tb\tnil",
      "false\tbad argument #1 to '?' (level out of range)",
      "(*temporary)\t0", "(*temporary)\t2",
      "x", "7", "",
    ].join("\n"));
  });
});
