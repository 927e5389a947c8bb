// Running programs through the CLI in-process, with the real compiler and VM.
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.ts";
import type { CliIO } from "../../src/cli/io.ts";

function run(argv: string[], files: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      return files[p];
    },
    readStdin: () => "",
    writeFile: () => {},
    stdinIsTTY: () => false,
  };
  const status = runCli(argv, io);
  return { status, stdout, stderr };
}

describe("ljscope FILE.lua", () => {
  it("runs a program with its arguments", () => {
    expect(run(["-Ohotloop=1", "t.lua", "a", "b"], { "t.lua": "print(arg[0], arg[1], arg[2], select('#', ...))" }))
      .toMatchObject({ status: 0, stdout: "t.lua\ta\tb\t2\n", stderr: "" });
  });

  it("reports an uncaught error with status 1", () => {
    const r = run(["t.lua"], { "t.lua": "local x = nil\nprint(x.y)" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ljscope: t\.lua:2: attempt to index local 'x' \(a nil value\)\n/);
  });
});
