// Recording a return out of the trace's first frame into a frame the
// recorder cannot return to (lj_record_ret): a function tail-called by a
// metamethod returns into the metamethod's continuation frame.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { repoRoot } from "../support/oracle.ts";

function jv(file: string): string[] {
  let stderr = "";
  const dir = join(repoRoot, "test/fixtures/jit-compiled");
  const io: CliIO = {
    stdout: () => {},
    stderr: (s) => { stderr += s; },
    readFile: (p) => readFileSync(join(dir, p), "latin1"),
    readStdin: () => "",
    writeFile: () => {},
    stdinIsTTY: () => false,
  };
  expect(runCli(["-jv", file], io)).toBe(0);
  return stderr.split("\n");
}

describe("a return the recorder cannot follow", () => {
  it("aborts with NYI: return to lower frame at the instruction that called the metamethod", () => {
    // Real LuaJIT (v2.1, 10 runs): its later lines vary with hot-counter collisions, the first does not.
    expect(jv("mm_tailret.lua")[0]).toBe("[TRACE --- mm_tailret.lua:5 -- NYI: return to lower frame at mm_tailret.lua:11]");
  });
});
