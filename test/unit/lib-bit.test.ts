// The bit library through the compiler and VM (src/vm/lib/bit.ts): fixture
// programs checked against LuaJIT, then the number conversion on its own.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { num2bit } from "../../src/vm/lib/bit.ts";
import { fixtureTests } from "../support/libfixtures.ts";

describe("bit library", () => {
  fixtureTests("bit");

  it("num2bit is ToInt32 for integers below 2^51", () => {
    fc.assert(fc.property(fc.integer({ min: -(2 ** 51), max: 2 ** 51 }), (n) => num2bit(n) === (n | 0)));
  });

  it("num2bit rounds halves to even", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2 ** 32 + 0.5].map(num2bit)).toEqual([0, 2, 2, 0, -2, 0]);
  });
});
