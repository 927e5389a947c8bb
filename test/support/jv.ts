// The CLI's -jv output (stderr) for DIR/NAME.lua, run with the program's own
// "-- luajit-args:" line, as LuaJIT was run for the expected output.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CliIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";

function argsOf(src: string): string[] {
  const m = /^--\s*luajit-args:(.*)$/m.exec(src.split("\n", 1)[0]);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

export function jvOf(dir: string, name: string): string {
  const src = readFileSync(join(dir, `${name}.lua`), "latin1");
  let stderr = "";
  const io: CliIO = {
    stdout: () => {},
    stderr: (s) => { stderr += s; },
    readFile: (p) => readFileSync(join(dir, p), "latin1"),
    readStdin: () => "",
    writeFile: () => {},
    stdinIsTTY: () => false,
  };
  runCli([...argsOf(src), "-jv", `${name}.lua`], io);
  return stderr;
}
