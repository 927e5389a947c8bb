// The command line: option parsing as luajit.c/bcsave.lua do it, messages and
// exit codes (in-process, with a stand-in compiler), and bin/ljscope itself
// (spawned: bundling, byte-exact stdout, errors, concurrent rebuilds).
import { spawnSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { insAD } from "../../src/bc/ins.ts";
import { Op } from "../../src/bc/opcodes.ts";
import type { Proto } from "../../src/bc/proto.ts";
import { LuaSyntaxError } from "../../src/lang/errors.ts";
import { parseArgs, type CliOptions } from "../../src/cli/args.ts";
import { parseBcArgs } from "../../src/cli/bytecode.ts";
import type { CliIO } from "../../src/cli/io.ts";
import { runCli } from "../../src/cli/main.ts";
import { repoRoot } from "../support/oracle.ts";

// A stand-in compiler, so that these tests check the CLI and not the front end:
// "x=(" is a syntax error, anything else one KSTR of the source's length.
vi.mock("../../src/lang/compile.ts", () => ({
  compile(source: string, chunkname: string): Proto {
    if (source === "x=(") throw new LuaSyntaxError(`${chunkname.replace(/^[@=]/, "")}:1: unexpected symbol near '<eof>'`);
    const bc = Uint32Array.from([insAD(Op.FUNCF, 2, 0), insAD(Op.KSTR, 0, 0), insAD(Op.RET0, 0, 1)]);
    return {
      kind: "proto", chunkname, firstline: 0, numline: 1, numparams: 0, framesize: 2, flags: 0, bc,
      lineinfo: new Int32Array(3), knum: [], kgc: [`${source.length} bytes \xff`], uv: [], uvnames: [], varinfo: [],  closures: 0,
    };
  },
}));

function fakeIO(files: Record<string, string> = {}, stdin = "") {
  const out = { stdout: "", stderr: "", written: {} as Record<string, string> };
  const io: CliIO = {
    stdout: (s) => { out.stdout += s; },
    stderr: (s) => { out.stderr += s; },
    readFile: (path) => {
      if (path in files) return files[path];
      throw Object.assign(new Error("nope"), { code: path.endsWith("/") ? "EISDIR" : "ENOENT" });
    },
    readStdin: () => stdin,
    writeFile: (path, s) => { out.written[path] = s; },
    stdinIsTTY: () => false,
  };
  return { io, out };
}

function run(argv: string[], files?: Record<string, string>, stdin?: string) {
  const { io, out } = fakeIO(files, stdin);
  const status = runCli(argv, io);
  return { status, ...out };
}

const options = (argv: string[]): CliOptions => {
  const r = parseArgs(argv);
  if (!r.ok) throw new Error("parse failed");
  return r.options;
};

describe("parseArgs (luajit.c collectargs)", () => {
  it("keeps -e/-j/-O in order, with our options anywhere before the script", () => {
    const o = options(["--build=prefix-assert", "-Ohotloop=1,-fold", "-jv", "-j", "off", "-e", "x=1",
      "--events=log.jsonl", "-O3", "f.lua", "a", "-v"]);
    expect(o.build).toBe("prefix-assert");
    expect(o.events).toBe("log.jsonl");
    expect(o.actions).toEqual([
      { kind: "opt", args: ["hotloop=1", "-fold"] },
      { kind: "jit", name: "v", args: [] },
      { kind: "jit", name: "off", args: [] },
      { kind: "exec", chunk: "x=1" },
      { kind: "opt", args: ["3"] },
    ]);
    expect(o.script).toEqual({ name: "f.lua", fromStdin: false, args: ["a", "-v"] });
    expect(options(["-jv=out.txt,x"]).actions).toEqual([{ kind: "jit", name: "v", args: ["out.txt", "x"] }]);
    expect(options(["-O"]).actions).toEqual([{ kind: "opt", args: [] }]);
  });

  it("handles -, -- and -b like luajit", () => {
    expect(options(["-"]).script).toEqual({ name: "-", fromStdin: true, args: [] });
    expect(options(["--", "-"]).script).toEqual({ name: "-", fromStdin: false, args: [] });
    expect(options(["-O3", "-bl", "x.lua", "out"]).actions[1]).toEqual({ kind: "bytecode", args: ["-bl", "x.lua", "out"] });
    for (const bad of [["-x"], ["-vx"], ["-e"], ["-e", "1", "-bl", "x"], ["-v", "-bl", "x"], ["--x"]]) {
      expect(parseArgs(bad), bad.join(" ")).toEqual({ ok: false, usage: true });
    }
    expect(parseArgs(["--build=debian"])).toMatchObject({ ok: false, usage: false });
  });

  it("parses -b options like bcsave.lua", () => {
    expect(parseBcArgs(["-bl", "x.lua"])).toMatchObject({ list: true, inputs: ["x.lua"] });
    expect(parseBcArgs(["-b", "-l", "-g", "x.lua", "-"])).toMatchObject({ list: true, inputs: ["x.lua", "-"] });
    expect(parseBcArgs(["-bl", "-e", "return 1"])).toMatchObject({ list: true, string: true, inputs: ["return 1"] });
    expect(parseBcArgs(["-blF", "name.lua", "x.lua"])).toMatchObject({ filename: "name.lua", inputs: ["x.lua"] });
    expect(parseBcArgs(["-bl", "x.lua", "-e", "y"])).toBeNull(); // -e must come first
    expect(parseBcArgs(["-bFl", "n", "x"])).toBeNull(); // a value option must end its group
    expect(parseBcArgs(["-bq", "x"])).toBeNull();
  });
});

describe("runCli", () => {
  it("lists bytecode of a file, as bytes, with chunk name @FILE", () => {
    const r = run(["-bl", "dir/t.lua"], { "dir/t.lua": "return" });
    expect(r).toMatchObject({ status: 0, stderr: "" });
    expect(r.stdout).toBe('-- BYTECODE -- t.lua:0-1\n0001    KSTR     0   0      ; "6 bytes \xff"\n0002    RET0     0   1\n\n');
  });

  it("lists -e chunks, stdin and -F names, and writes to an output file", () => {
    expect(run(["-bl", "-e", "ab"]).stdout).toContain('-- BYTECODE -- "ab":0-1');
    expect(run(["-bl", "-"], {}, "abc").stdout).toContain("-- BYTECODE -- stdin:0-1");
    expect(run(["-blF", "other/name.lua", "t.lua"], { "t.lua": "" }).stdout).toContain("-- BYTECODE -- name.lua:0-1");
    const r = run(["-bl", "t.lua", "out.txt"], { "t.lua": "" });
    expect(r.stdout).toBe("");
    expect(r.written["out.txt"]).toContain("-- BYTECODE -- t.lua:0-1");
  });

  it("reports load and syntax errors as luajit does, with our program name", () => {
    expect(run(["-bl", "nofile.lua"])).toMatchObject({ status: 1, stdout: "", stderr: "ljscope: cannot open nofile.lua: No such file or directory\n" });
    expect(run(["-bl", "d/"])).toMatchObject({ status: 1, stderr: "ljscope: cannot read d/: Is a directory\n" });
    expect(run(["-bl", "x.lua"], { "x.lua": "x=(" })).toMatchObject({ status: 1, stderr: "ljscope: x.lua:1: unexpected symbol near '<eof>'\n" });
    expect(run(["x.lua"], { "x.lua": "x=(" })).toMatchObject({ status: 1, stderr: "ljscope: x.lua:1: unexpected symbol near '<eof>'\n" });
    expect(run(["-e", "x=("])).toMatchObject({ status: 1, stderr: "ljscope: (command line):1: unexpected symbol near '<eof>'\n" });
    expect(run(["nofile.lua"])).toMatchObject({ status: 1, stderr: "ljscope: cannot open nofile.lua: No such file or directory\n" });
  });

  it("prints usage for bad options and bcsave's usage for bad -b options", () => {
    expect(run(["-x"])).toMatchObject({ status: 1, stdout: "" });
    expect(run(["-x"]).stderr).toMatch(/^usage: ljscope \[options\]\.\.\. \[script \[args\]\.\.\.\]\./);
    expect(run(["-bl"]).stderr).toMatch(/^Save or list LuaJIT bytecode/);
    expect(run(["-bl", "a", "b", "c"]).status).toBe(1);
    expect(run(["-b", "x.lua", "x.out"])).toMatchObject({ status: 1, stderr: "ljscope: saving bytecode is not supported, only listing it (-bl)\n" });
  });

  it("prints the simulated build's version", () => {
    expect(run(["-v"])).toMatchObject({ status: 0, stdout: "LuaJIT 2.1.1741558142 -- Copyright (C) 2005-2025 Mike Pall. https://luajit.org/\n" });
    expect(run(["--build=prefix-release", "-v"]).stdout).toMatch(/^LuaJIT 2\.1\.1741552097 /);
  });

  it("checks -j command names", () => {
    expect(run(["-jfoo", "-e", ""])).toMatchObject({ status: 1, stderr: "ljscope: unknown luaJIT command or jit.* modules not installed\n" });
    expect(run(["-jdump", "-e", ""])).toMatchObject({ status: 1, stderr: "ljscope: -jdump is not supported\n" });
  });
});

describe("bin/ljscope", () => {
  const bin = join(repoRoot, "bin", "ljscope");
  const tmp = mkdtempSync(join(tmpdir(), "ljscope-cli-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  writeFileSync(join(tmp, "broken.lua"), "x = (\n");

  it("runs the bundled CLI and reports errors like luajit", { timeout: 60000 }, () => {
    const r = spawnSync(bin, ["-bl", "nofile.lua"], { cwd: tmp, encoding: "latin1" });
    expect(r.stderr).toBe("ljscope: cannot open nofile.lua: No such file or directory\n");
    expect(r.status).toBe(1);
    const v = spawnSync(bin, ["-v"], { cwd: tmp, encoding: "latin1" });
    expect(v.stdout).toMatch(/^LuaJIT 2\.1\.1741558142 /);
    expect(v.status).toBe(0);
    const s = spawnSync(bin, ["-bl", "broken.lua"], { cwd: tmp, encoding: "latin1" });
    expect(s.stderr).toMatch(/^ljscope: broken\.lua:2: .* near '<eof>'\n$/);
    expect(s.status).toBe(1);
  });

  it("survives concurrent runs that all rebuild the bundle", { timeout: 120000 }, async () => {
    rmSync(join(repoRoot, "build", "ljscope-cli.mjs"), { force: true });
    const runs = Array.from({ length: 4 }, () => new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(bin, ["-v"], { cwd: tmp });
      let out = "";
      child.stdout.on("data", (d: Buffer) => { out += d.toString("latin1"); });
      child.on("close", (code) => done({ code, out }));
    }));
    for (const r of await Promise.all(runs)) {
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^LuaJIT 2\.1\./);
    }
  });
});
