// string.sub/byte stay on trace while every comparison of start, end and the
// length goes the way it went when the call was recorded (recff_string_range).
import { describe, expect, it } from "vitest";
import { RANGE_ARG1, RANGE_ARG2, RANGE_SAME, RANGE_SUB, rangeCase } from "../../src/jit/strrange.ts";

const SUB2 = RANGE_SUB | RANGE_ARG1 | RANGE_ARG2;
const sub = (s: string, i: number, j: number) => rangeCase(SUB2, s, i, j);

describe("string range guards", () => {
  it("keeps one case for ranges inside the string", () => {
    expect(sub("abcdefgh", 2, 4)).toBe(sub("abcdefgh", 3, 8));
  });
  it("changes case when the end passes the length, or start and end cross", () => {
    expect(sub("abcdefgh", 2, 9)).not.toBe(sub("abcdefgh", 2, 8));
    expect(sub("abcdefgh", 5, 3)).not.toBe(sub("abcdefgh", 3, 5));
  });
  it("tells negative starts that stay inside from those that reach past the front", () => {
    const sub1 = (s: string, i: number) => rangeCase(RANGE_SUB | RANGE_ARG1, s, i, "stale");
    expect(sub1("abcdefgh", -3)).toBe(sub1("abcdefgh", -8));
    expect(sub1("abcdefgh", -9)).not.toBe(sub1("abcdefgh", -8));
    // An end not passed is -1, whatever the stack slot after the start holds.
    expect(sub1("abcdefgh", 2)).toBe(rangeCase(RANGE_SUB | RANGE_ARG1, "abcdefgh", 2, undefined));
  });
  it("checks only the position of a 1-char range", () => {
    const one = (i: number) => rangeCase(RANGE_SUB | RANGE_SAME | RANGE_ARG1 | RANGE_ARG2, "abc", i, i);
    expect(one(1)).toBe(one(3));
    expect(one(4)).not.toBe(one(3));
  });
  it("specialises string.byte to the number of bytes", () => {
    const bytes = (i: number, j: number) => rangeCase(RANGE_ARG1 | RANGE_ARG2, "abcdef", i, j);
    expect(bytes(1, 2)).toBe(bytes(3, 4));
    expect(bytes(1, 3)).not.toBe(bytes(1, 2));
  });
  it("is no case for a non-string", () => {
    expect(rangeCase(SUB2, 42, 1, 2)).toBe(-1);
  });
});
