// LuaJIT's stack size (src/vm/stacksize.ts): grown when a frame does not
// fit, shrunk by a collection. The sizes are those a LuaJIT 2.1 build
// printed from resizestack for the same programs (luajit FILE, no -j). What
// the growths do to hot counting is checked against LuaJIT by
// test/fixtures/jit-diff/stack_growth_hotcount.
import { describe, expect, it } from "vitest";
import { createState, load, runMain } from "../../src/vm/runtime.ts";

const RECURSE = "local function f(n) if n == 0 then return 0 end return f(n - 1) + 1 end\n";

function stackSizeAfter(src: string): number {
  const S = createState({ stdout: () => {} });
  expect(runMain(S, load(S, RECURSE + src, "=test")).status).toBe("ok");
  return S.main.stackSize;
}

describe("LuaJIT stack size", () => {
  it("starts at 48 slots", () => {
    expect(stackSizeAfter("")).toBe(48);
  });

  it("grows by doubling at least as frames pass its end", () => {
    expect(stackSizeAfter("f(40)")).toBe(219); // 48 -> 105 -> 219
  });

  it("is halved by a collection while mostly unused, down to about its start", () => {
    expect(stackSizeAfter("f(40) collectgarbage()")).toBe(118);
    expect(stackSizeAfter("f(40) collectgarbage() collectgarbage() collectgarbage()")).toBe(68);
  });

  it("grows again after shrinking", () => {
    expect(stackSizeAfter("f(40) collectgarbage() collectgarbage() collectgarbage() f(40)")).toBe(299); // 68 -> 145 -> 299
  });
});
