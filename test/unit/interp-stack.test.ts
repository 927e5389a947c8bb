// The interpreter gives the main thread's stack a fresh copy at each tick
// slice (see sliceEnd in src/vm/interp.ts). These programs run across many
// slices with open upvalues, natives that call back into Lua, and
// coroutines, and must see one consistent stack throughout.
import { describe, expect, it } from "vitest";
import { createState, load, runMain } from "../../src/vm/runtime.ts";

function run(src: string): { out: string; renewed: boolean } {
  let out = "";
  const S = createState({ stdout: (s) => { out += s; } });
  const before = S.main.stack;
  const r = runMain(S, load(S, src, "=test"));
  expect(r.status).toBe("ok");
  return { out, renewed: S.main.stack !== before };
}

describe("main stack renewal", () => {
  it("keeps open upvalues shared with the frame that owns them", () => {
    const { out, renewed } = run(`
      local n, fs = 0, {}
      local function bump() n = n + 1 end
      local function get() return n end
      for i = 1, 100000 do
        bump()
        if i % 25000 == 0 then fs[#fs + 1] = get() + n end
      end
      print(n, table.concat(fs, " "))
    `);
    expect(out).toBe("100000\t50000 100000 150000 200000\n");
    expect(renewed).toBe(true);
  });

  it("leaves the stack alone while a native below holds it", () => {
    const { out } = run(`
      local t = {}
      for i = 1, 40 do t[i] = (i * 7919) % 41 end
      local calls = 0
      table.sort(t, function(a, b)
        for _ = 1, 2000 do calls = calls + 1 end
        return a < b
      end)
      local ok = true
      for i = 2, 40 do ok = ok and t[i - 1] <= t[i] end
      local s = select(2, pcall(function()
        local x = 0
        for i = 1, 50000 do x = x + i * 0.5 end
        return x
      end))
      print(ok, calls > 0, s)
    `);
    expect(out).toBe("true\ttrue\t625012500\n");
  });

  it("keeps values across coroutine switches", () => {
    const { out } = run(`
      local co = coroutine.wrap(function()
        local acc = 0.25
        for i = 1, 60000 do
          acc = acc + i
          if i % 20000 == 0 then coroutine.yield(acc) end
        end
        return acc
      end)
      local r, y = {}, 0.5
      for _ = 1, 3 do
        for i = 1, 30000 do y = y + i end
        r[#r + 1] = co()
      end
      print(table.concat(r, " "), y)
    `);
    expect(out).toBe("200010000.25 800020000.25 1800030000.25\t1350045000.5\n");
  });
});
