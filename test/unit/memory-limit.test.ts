// The memory ceiling (src/vm/gc.ts, src/vm/heapsize.ts): a program whose live
// data passes VMOptions.memoryLimit ends with LuaJIT's "not enough memory"
// (lj_err_mem: no position, no message handler), which pcall catches; garbage
// does not count, however much was allocated in all.
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { liveBytes } from "../../src/vm/heapsize.ts";
import { createState, load, runMain } from "../../src/vm/runtime.ts";
import { DEFAULT_MEMORY_LIMIT } from "../../src/vm/state.ts";
import { LuaTable } from "../../src/vm/table.ts";
import { runLua } from "../support/runlua.ts";

/** 4 MB: small enough for the runaway programs to end at once. */
const small = { memoryLimit: 4 << 20 };

describe("memory ceiling", () => {
  it.each([
    ["an array part", "local t = {} for i = 1, 1e9 do t[i] = i end"],
    ["a table of tables", "local t = {} while true do t[#t + 1] = {} end"],
    ["a hash part with string keys", "local t = {} local i = 0 while true do i = i + 1 t['k' .. i] = i end"],
    ["long strings", "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end"],
    ["closures", "local t = {} while true do t[#t + 1] = function() return t end end"],
    ["coroutines", "local t = {} while true do t[#t + 1] = coroutine.create(print) end"],
  ])("%s that grows forever ends in 'not enough memory', caught by pcall", (_, body) => {
    expect(runLua(`print(pcall(function() ${body} end))`, small)).toBe("false\tnot enough memory\n");
  });

  it("counts the coroutine that coroutine.wrap's function keeps", () => {
    // Each wrapped coroutine counts its stack, so the table stays small.
    expect(runLua(`
      local n = 0
      print(pcall(function() local t = {} while true do t[#t + 1] = coroutine.wrap(print) n = #t end end))
      print(n < 20000)
    `, small)).toBe("false\tnot enough memory\ntrue\n");
  });

  it("calls no xpcall handler for it", () => {
    expect(runLua(`
      print(xpcall(function() local t = {} for i = 1, 1e9 do t[i] = i end end,
        function(m) print("handler", m) return "H" end))
    `, small)).toBe("false\tnot enough memory\n");
  });

  it("checks a big string before it is built", () => {
    expect(runLua(`print(pcall(string.rep, "x", 5e6)) print(pcall(string.rep, "x", 2e6, "yy"))`, small))
      .toBe("false\tnot enough memory\nfalse\tnot enough memory\n");
    expect(runLua(`print(#string.rep("x", 1e6))`, small)).toBe("1000000\n");
  });

  it("turns the JS engine's string length limit into 'not enough memory'", () => {
    expect(runLua(`print(pcall(function() local s = "x" while true do s = s .. s end end))`, { memoryLimit: Infinity }))
      .toBe("false\tnot enough memory\n");
  });

  it("does not count garbage: a program goes on after the error, and may allocate many times the ceiling", () => {
    expect(runLua(`
      local function fill() local t = {} for i = 1, 1e9 do t[i] = i end end
      for k = 1, 3 do print(pcall(fill)) end
      local n = 0
      for k = 1, 40 do
        local t = {}
        for i = 1, 20000 do t[i] = {i} end
        n = n + #t
      end
      print(n)
    `, small)).toBe("false\tnot enough memory\n".repeat(3) + "800000\n");
  });

  it("is reported uncaught as luajit does: the message alone, status 1", () => {
    let stderr = "";
    const io: CliIO = {
      stdout: () => {},
      stderr: (s) => { stderr += s; },
      readFile: () => { throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); },
      readStdin: () => "",
      writeFile: () => {},
      stdinIsTTY: () => false,
    };
    // The CLI's default ceiling.
    const status = runCli(["-e", "local t = {} while true do t[#t + 1] = {} end"], io);
    expect({ status, stderr }).toEqual({ status: 1, stderr: "ljscope: not enough memory\n" });
  });

  it("has a default", () => {
    expect(createState().memoryLimit).toBe(DEFAULT_MEMORY_LIMIT);
    expect(createState({ memoryLimit: 1 << 20 }).memoryLimit).toBe(1 << 20);
  });

  it("counts what is reachable, once", () => {
    const S = createState();
    const base = liveBytes(S);
    const t = new LuaTable();
    for (let i = 1; i <= 1000; i++) t.setInt(i, "a string of more than forty bytes, the same each time");
    const u = new LuaTable();
    u.setStr("self", u);
    u.setStr("t", t);
    S.setGlobal("u", u);
    const withU = liveBytes(S);
    // The array part (1024 slots + 1), two tables, the string once, u's hash part and the globals' growth.
    expect(withU - base).toBeGreaterThan(1025 * 8 + 2 * 64);
    expect(withU - base).toBeLessThan(1025 * 8 + 2 * 64 + 1000);
    S.setGlobal("u", undefined);
    expect(liveBytes(S)).toBeLessThanOrEqual(withU - 1025 * 8);
    const r = runMain(S, load(S, "local x = {} for i = 1, 100 do x[i] = i end", "=x"));
    expect(r.status).toBe("ok");
  });
});
