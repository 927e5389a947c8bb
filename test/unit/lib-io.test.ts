// The io library through the compiler and VM (src/vm/lib/io.ts): fixture
// programs (with NAME.stdin as input) checked against LuaJIT, then input
// arriving in pieces and read-only files.
import { describe, expect, it } from "vitest";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

describe("io library", () => {
  fixtureTests("io");

  it("reads stdin that arrives in pieces", () => {
    const pieces = ["ab", "c\nde", "f\n12", "3 x"];
    const stdin = (): string | null => pieces.shift() ?? null;
    expect(runLua(`print(io.read("*l"), io.read("*L"), io.read("*n"), io.read("*a"))`, { stdin }))
      .toBe("abc\tdef\n\t123\t x\n");
  });

  it("opens files for reading through VMOptions.readFile, and no others", () => {
    const readFile = (p: string): string | null => (p === "data.txt" ? "x\ny\n" : null);
    expect(runLua(`local f = io.open("data.txt") print(f:read("*a")) print(io.open("nope"))
      print(io.open("data.txt", "w"))`, { readFile }))
      .toBe("x\ny\n\nnil\tnope: No such file or directory\t2\nnil\tdata.txt: Read-only file system\t30\n");
  });
});
