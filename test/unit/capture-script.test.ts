// public/capture.lua, the script the explorer offers for download, run with
// the local luajit: its logs equal the oracle's, line for line, for cases
// where that luajit (Debian's 2022 v2.1) behaves like the recorded builds.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { casePath, oracleCaseNames, oracleCases, repoRoot } from "../support/oracle.ts";

const capture = join(repoRoot, "public", "capture.lua");
const luajit = spawnSync("luajit", ["-v"]).status === 0 ? "luajit" : null;
const names = oracleCaseNames();

/** Debian's luajit predates the flush fix: in the flush-bug cases it behaves like prefix-release. */
const CASES: [string, "fixed" | "prefix-release"][] = [
  ["loop_for_int", "fixed"], ["loop_while", "fixed"], ["iter_ipairs", "fixed"], ["jit_flush_all", "fixed"],
  ["jit_flush_gc_reuse", "fixed"], ["side_branch_flip", "fixed"], ["stitch_print", "fixed"], ["opt_maxtrace", "fixed"],
  ["seed_flush_twice", "prefix-release"], ["flushbug_iter_in_func", "prefix-release"],
];

function run(name: string, out: string): void {
  const args = readFileSync(casePath(name, ".lua"), "utf8").split("\n", 1)[0].replace(/^-- luajit-args:/, "").trim();
  execFileSync("luajit", [...(args ? args.split(/\s+/) : []), capture, `${name}.lua`, out], { cwd: oracleCases, stdio: "pipe" });
}

/** A fresh folder for one test, removed when the file's tests are done. */
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "ljscope-capture-"));
  dirs.push(dir);
  return dir;
}

describe("public/capture.lua", () => {
  it.skipIf(!luajit || !names)("writes the oracle's event logs", () => {
    const dir = tempDir();
    for (const [name, build] of CASES) {
      const out = join(dir, `${name}.jsonl`);
      run(name, out);
      expect(readFileSync(out, "utf8"), `${name} (${build})`).toBe(readFileSync(casePath(name, `.events.${build}.jsonl`), "utf8"));
    }
  });

  it.skipIf(!luajit)("names a library function written in Lua as the oracle's capture does, like ljscope's own log", () => {
    // table.foreachi is Lua code inside LuaJIT: not one of the program's prototypes, it is
    // keyed by its source ("[string]:-1") and listed before them (its first line is -1).
    const dir = tempDir();
    const src = "local t = {1, 2, 3}\nlocal s = 0\nlocal function add(_, v) s = s + v end\nfor i = 1, 300 do table.foreachi(t, add) end\nprint(s)\n";
    writeFileSync(join(dir, "p.lua"), src);
    execFileSync("luajit", [capture, "p.lua", "real.jsonl"], { cwd: dir, stdio: "pipe" });
    execFileSync(join(repoRoot, "bin", "ljscope"), ["--events=ours.jsonl", "p.lua"], { cwd: dir, stdio: "pipe" });
    // How each log names it, at its first event there: which traces come first depends on
    // LuaJIT's hot-counter collisions (the temporary folder moves the program's memory).
    const naming = (file: string): unknown => {
      const lines = readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
      const e = lines.find((l) => l.loc === "builtin:foreachi");
      return e && { event: e.event, func: e.func, protos: Object.keys(e.bc) };
    };
    const real = naming("real.jsonl");
    expect(real).toEqual({ event: "start", func: "[string]:-1", protos: ["[string]:-1", "p.lua:0", "p.lua:3"] });
    expect(naming("ours.jsonl")).toEqual(real);
  });

  it.skipIf(!luajit)("ends the log with the program's error and exit status", () => {
    const dir = tempDir();
    const prog = join(dir, "p.lua");
    execFileSync("sh", ["-c", `printf 'for i = 1, 100 do end\\nerror("boom")\\n' > ${prog}`]);
    const r = spawnSync("luajit", [capture, "p.lua", "p.jsonl"], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("luajit: p.lua:2: boom\n");
    const lines = readFileSync(join(dir, "p.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.event)).toEqual(["start", "stop", "end"]);
    expect(lines[2]).toMatchObject({ status: "error", error: "p.lua:2: boom", bc: { "p.lua:0": [[0, "FUNCV"], [4, "JFORI"], [5, "JFORL", 1]] } });
  });
});
