// The base library's loading, environment and GC functions (src/vm/lib/load.ts,
// fenv.ts, gclib.ts): fixture programs in test/fixtures/libs/load checked
// against LuaJIT (regenerate with test/fixtures/libs/regen.sh LUAJIT load),
// then what only the embedding can see: readFile errors, stdin, S.onGC.
import { describe, expect, it } from "vitest";
import { createState, load, runMain } from "../../src/vm/runtime.ts";
import type { VMOptions } from "../../src/vm/state.ts";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

const files = (table: Record<string, string>): VMOptions["readFile"] => (path) => {
  if (path === "dir") return { reason: "Is a directory", failed: "read" };
  if (path === "secret.lua") return { reason: "Permission denied", failed: "open" };
  return table[path] ?? null;
};

describe("load, loadfile, dofile, getfenv/setfenv, collectgarbage", () => {
  fixtureTests("load");

  it("loadfile and dofile read through VMOptions.readFile with luaL_loadfile's messages", () => {
    const readFile = files({
      "good.lua": 'print("mod", ...) return 7, 8',
      "bad.lua": "return 1+",
      "err.lua": 'error("in dofile")',
      "sb.lua": "#!/usr/bin/lua\nreturn 'shebang'",
    });
    // Expected output recorded from LuaJIT e0551670 with the same files on disk.
    expect(runLua(`
      print(loadfile("nope.lua"))
      print(loadfile("bad.lua"))
      print(loadfile("good.lua")(1, 2))
      print(loadfile("sb.lua")())
      print(loadfile("dir"))
      print(loadfile("secret.lua"))
      print(loadfile("good.lua", "b"))
      loadfile("good.lua", "t", {print = function(...) print("E", ...) end})()
      print(dofile("good.lua"))
      print(select("#", dofile("good.lua")))
      print(pcall(dofile, "nope.lua"))
      print(pcall(dofile, "bad.lua"))
      print(pcall(dofile, "dir"))
      print(pcall(dofile, "err.lua"))
    `, { readFile })).toBe([
      "nil\tcannot open nope.lua: No such file or directory",
      "nil\tbad.lua:1: unexpected symbol near '<eof>'",
      "mod\t1\t2", "7\t8",
      "shebang",
      "nil\tcannot read dir: Is a directory",
      "nil\tcannot open secret.lua: Permission denied",
      "nil\tattempt to load chunk with wrong mode",
      "E\tmod",
      "mod", "7\t8",
      "mod", "2",
      "false\tcannot open nope.lua: No such file or directory",
      "false\tbad.lua:1: unexpected symbol near '<eof>'",
      "false\tcannot read dir: Is a directory",
      "false\terr.lua:1: in dofile",
      "",
    ].join("\n"));
  });

  it("loadfile() and dofile() without a name read standard input as =stdin", () => {
    let stdin: string | null = "print('stdin chunk', ...) return 3\n";
    const opts: VMOptions = { stdin: () => { const s = stdin; stdin = null; return s; } };
    expect(runLua("print(dofile())", opts)).toBe("stdin chunk\n3\n");
    stdin = "x=\n";
    expect(runLua("print(loadfile())", opts)).toBe("nil\tstdin:2: unexpected symbol near '<eof>'\n");
  });

  it("a reader error at the top level of the main thread gets luajit's traceback appended", () => {
    // LuaJIT's parser inherits the error function, which the standalone luajit sets to its traceback.
    const out = runLua("print(load(function() return {} end))");
    expect(out).toMatch(/^nil\ttest:1: reader function must return a string\nstack traceback:\n\t\[C\]: in function 'load'\n\ttest:1: in main chunk\n\t\[C\]: at 0x[0-9a-f]+\n$/);
  });

  it("an endless reader ends in 'not enough memory'", () => {
    expect(runLua("print(load(function() return '5555555555555555' end))")).toBe("nil\tnot enough memory\n");
  });

  it("collectgarbage tells S.onGC about full collections and finished steps", () => {
    const S = createState({ stdout: () => {} });
    const seen: string[] = [];
    S.onGC = (kind) => seen.push(kind);
    const r = runMain(S, load(S, `
      collectgarbage()
      collectgarbage("collect")
      collectgarbage("step", 0)
      collectgarbage("step", 1e6)
      collectgarbage("count")
    `, "=gc"));
    expect(r.status).toBe("ok");
    expect(seen).toEqual(["full", "full", "step"]);
  });

  it("twelve small steps finish a cycle of a fresh heap, as in LuaJIT", () => {
    expect(runLua(`local n = 0 repeat n = n + 1 until collectgarbage("step") print(n)`)).toBe("12\n");
  });
});
