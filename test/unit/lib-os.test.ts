// The os library through the compiler and VM (src/vm/lib/os.ts, ostime.ts):
// fixture programs checked against LuaJIT (recorded with TZ=UTC), then
// strftime and calendar arithmetic on their own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daysFromCivil, gmtime, strftime } from "../../src/vm/lib/ostime.ts";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

describe("os library", () => {
  const savedTz = process.env.TZ;
  beforeAll(() => { process.env.TZ = "UTC"; });
  afterAll(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  fixtureTests("os");

  it("getenv asks VMOptions.getenv and is nil without it", () => {
    expect(runLua(`print(os.getenv("HOME"))`, { getenv: (k) => (k === "HOME" ? "/home/lua" : undefined) })).toBe("/home/lua\n");
    expect(runLua(`print(os.getenv("HOME"))`)).toBe("nil\n");
  });

  it("os.exit ends the run with its status", () => {
    expect(runLua(`print(1) os.exit(false) print(2)`)).toBe("1\nexit: 1\n");
    expect(runLua(`os.exit(true)`)).toBe("exit: 0\n");
  });

  it("days from civil dates round-trip through gmtime", () => {
    for (const [y, m, d] of [[1970, 1, 1], [2000, 2, 29], [1600, 3, 1], [-1, 12, 31], [275760, 9, 13]]) {
      const tm = gmtime(daysFromCivil(y, m, d) * 86400)!;
      expect([tm.year, tm.mon + 1, tm.mday]).toEqual([y, m, d]);
    }
  });

  it("strftime copies unknown conversions", () => {
    expect(strftime("%Q%", gmtime(0)!)).toBe("%Q%");
  });
});
