// The string library through the compiler and VM (src/vm/lib/string.ts):
// fixture programs checked against LuaJIT, then hand-written edge cases.
import { describe, expect, it } from "vitest";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

describe("string library", () => {
  fixtureTests("string");

  it("gsub callbacks may re-enter the string library", () => {
    expect(runLua(`print((("a,b"):gsub("%a", function(c) return (c:rep(2):gsub(".", string.upper)) end)))`)).toBe("AA,BB\n");
  });

  it("gmatch iterators are independent", () => {
    expect(runLua(`local a, b = ("12"):gmatch("."), ("34"):gmatch(".") print(a(), b(), a(), b(), a())`)).toBe("1\t3\t2\t4\n");
  });
});
