// require and package.* (src/vm/lib/package.ts) through bin/ljscope, and the
// CLI's report of uncaught errors (src/cli/run.ts, src/vm/lib/traceback.ts).
// Expected outputs come from LuaJIT e0551670: test/fixtures/require/regen.sh
// and test/fixtures/uncaught/regen.sh record them.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LUA_CPATH_DEFAULT, LUA_PATH_DEFAULT, expandPath } from "../../src/vm/lib/package.ts";
import { repoRoot } from "../support/oracle.ts";
import { runLua } from "../support/runlua.ts";

const bin = join(repoRoot, "bin", "ljscope");

/** Run bin/ljscope in cwd with LUA_PATH set and LUA_CPATH unset. */
function ljscope(args: string[], cwd: string, luaPath?: string) {
  const env = { ...process.env };
  delete env.LUA_CPATH;
  if (luaPath === undefined) delete env.LUA_PATH;
  else env.LUA_PATH = luaPath;
  const r = spawnSync(bin, args, { cwd, env, encoding: "latin1" });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("require through the CLI", () => {
  const tmp = mkdtempSync(join(tmpdir(), "ljscope-require-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("loads modules from a folder of them as luajit does", () => {
    cpSync(join(repoRoot, "test/fixtures/require"), tmp, { recursive: true });
    const r = ljscope(["main.lua"], tmp, "./?.lua");
    expect(`${r.stdout}exit: ${r.status}\n`).toBe(readFileSync(join(tmp, "main.out"), "latin1"));
  });

  it("takes package.path from LUA_PATH, ';;' standing for the default, unless -E", () => {
    const r = ljscope(["-e", "print(package.path) print(package.cpath)"], tmp, "/x/?.lua;;");
    expect(r.stdout).toBe(`/x/?.lua;${LUA_PATH_DEFAULT};\n${LUA_CPATH_DEFAULT}\n`);
    expect(ljscope(["-E", "-e", "print(package.path)"], tmp, "/x/?.lua").stdout).toBe(`${LUA_PATH_DEFAULT}\n`);
    expect(ljscope(["-e", "print(package.path)"], tmp).stdout).toBe(`${LUA_PATH_DEFAULT}\n`);
  });
});

describe("package paths", () => {
  it("expand ';;' as setpath does", () => {
    expect(expandPath(undefined, "D")).toBe("D");
    expect(expandPath("a;;b;;c", "D")).toBe("a;D;b;D;c");
    expect(expandPath("", "D")).toBe("");
    expect(expandPath(";;", "D")).toBe(";D;");
  });

  it("list the default C paths in the not-found message", () => {
    expect(runLua("print(pcall(require, 'nosuch.mod'))")).toBe([
      "false\tmodule 'nosuch.mod' not found:",
      "\tno field package.preload['nosuch.mod']",
      "\tno file './nosuch/mod.lua'",
      "\tno file '/usr/local/share/luajit-2.1/nosuch/mod.lua'",
      "\tno file '/usr/local/share/lua/5.1/nosuch/mod.lua'",
      "\tno file '/usr/local/share/lua/5.1/nosuch/mod/init.lua'",
      "\tno file './nosuch/mod.so'",
      "\tno file '/usr/local/lib/lua/5.1/nosuch/mod.so'",
      "\tno file '/usr/local/lib/lua/5.1/loadall.so'",
      "\tno file './nosuch.so'",
      "\tno file '/usr/local/lib/lua/5.1/nosuch.so'",
      "\tno file '/usr/local/lib/lua/5.1/loadall.so'",
      "",
    ].join("\n"));
  });
});

describe("uncaught errors", () => {
  const dir = join(repoRoot, "test/fixtures/uncaught");
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".lua")).sort()) {
    const name = f.slice(0, -4);
    it(`${name}.lua: stderr and exit status as luajit's`, () => {
      const r = ljscope([f], dir);
      const stderr = r.stderr.replace(/0x[0-9a-f]+/g, "ADDR");
      expect(`${stderr}exit: ${r.status}\n`).toBe(readFileSync(join(dir, name + ".err"), "latin1"));
    });
  }
});
