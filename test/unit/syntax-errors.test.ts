// One-line syntax errors with the exact messages of LuaJIT 2.1 (e0551670),
// recorded by running `luajit -bl bad.lua` on each line.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/lang/compile.ts";
import { LuaSyntaxError } from "../../src/lang/errors.ts";

/** [source, message] — an empty message means the line compiles. */
const CASES: [string, string][] = [
  ["for i = 1, 2 do", "bad.lua:1: 'end' expected near '<eof>'"],
  ["x = = 1", "bad.lua:1: unexpected symbol near '='"],
  ["local function end", "bad.lua:1: '<name>' expected near 'end'"],
  ["f(", "bad.lua:1: unexpected symbol near '<eof>'"],
  ["a.b:c = 1", "bad.lua:1: function arguments expected near '='"],
  ["return return", "bad.lua:1: unexpected symbol near 'return'"],
  ["x = 1 +", "bad.lua:1: unexpected symbol near '<eof>'"],
  ["if x then", "bad.lua:1: 'end' expected near '<eof>'"],
  ["while true do end end", "bad.lua:1: '<eof>' expected near 'end'"],
  ["break", "bad.lua:1: no loop to break"],
  ["goto nowhere", "bad.lua:1: undefined label 'nowhere'"],
  ["::a:: ::a::", "bad.lua:1: duplicate label 'a'"],
  ["do goto l; local x; ::l:: print(x) end", "bad.lua:1: <goto l> jumps into the scope of local 'x'"],
  ["local t = {1, 2", "bad.lua:1: '}' expected near '<eof>'"],
  ["x = }", "bad.lua:1: unexpected symbol near '}'"],
  ["function f(a, b", "bad.lua:1: ')' expected near '<eof>'"],
  ["function f(a, 1) end", "bad.lua:1: <name> or '...' expected near '1'"],
  ["local x <const> = 1", "bad.lua:1: unexpected symbol near '<'"],
  ["f() = 1", "bad.lua:1: unexpected symbol near '='"],
  ["a, b() = 1, 2", "bad.lua:1: syntax error near '='"],
  ["x = 3x", "bad.lua:1: malformed number near '3x'"],
  ["x = \"abc", "bad.lua:1: unfinished string near '<eof>'"],
  ["x = [[abc", "bad.lua:1: unfinished long string near '<eof>'"],
  ["--[[ unfinished", "bad.lua:1: unfinished long comment near '<eof>'"],
  ["x = \"\\q\"", "bad.lua:1: invalid escape sequence near '\"'"],
  ["x = \"\\300\"", "bad.lua:1: invalid escape sequence near '\"'"],
  ["x = 0x", "bad.lua:1: malformed number near '0x'"],
  ["x = 1e", "bad.lua:1: malformed number near '1e'"],
  ["x = ...; function f() return ... end", "bad.lua:1: cannot use '...' outside a vararg function near '...'"],
  ["for a.b = 1, 2 do end", "bad.lua:1: '=' or 'in' expected near '.'"],
  ["for a b in c do end", "bad.lua:1: '=' or 'in' expected near 'b'"],
  ["local 1 = 2", "bad.lua:1: '<name>' expected near '1'"],
  ["x = function(...) local a = ... end + 1", ""],
  ["repeat until", "bad.lua:1: unexpected symbol near '<eof>'"],
  ["if x then else elseif y then end", "bad.lua:1: 'end' expected near 'elseif'"],
  ["return 1; x = 2", "bad.lua:1: '<eof>' expected near 'x'"],
  ["x = a..b..", "bad.lua:1: unexpected symbol near '<eof>'"],
  ["local a = {[1] = }", "bad.lua:1: unexpected symbol near '}'"],
  ["print(\"a\"", "bad.lua:1: ')' expected near '<eof>'"],
  ["(f)", "bad.lua:1: syntax error near '<eof>'"],
  ["x = y z", "bad.lua:1: '=' expected near '<eof>'"],
  ["a.b.c", "bad.lua:1: '=' expected near '<eof>'"],
  ["f{} = 1", "bad.lua:1: unexpected symbol near '='"],
  ["local function f() end end", "bad.lua:1: '<eof>' expected near 'end'"],
  ["x = #", "bad.lua:1: unexpected symbol near '<eof>'"],
  ["x = not", "bad.lua:1: unexpected symbol near '<eof>'"],
  ["local a, = 1", "bad.lua:1: '<name>' expected near '='"],
  ["return f(,)", "bad.lua:1: unexpected symbol near ','"],
  ["::1::", "bad.lua:1: '<name>' expected near '1'"],
  ["goto 1", "bad.lua:1: '=' expected near '1'"],
  ["x = {a = 1 b = 2}", "bad.lua:1: '}' expected near 'b'"],
  ["x = [==[ ]=]", "bad.lua:1: unfinished long string near '<eof>'"],
  ["x = [=", "bad.lua:1: invalid long string delimiter near '[='"],
];

describe("syntax errors read exactly as LuaJIT's", () => {
  for (const [src, message] of CASES) {
    it(src, () => {
      let got = "";
      try {
        compile(src, "@bad.lua");
      } catch (e) {
        expect(e).toBeInstanceOf(LuaSyntaxError);
        got = (e as Error).message;
      }
      expect(got).toBe(message);
    });
  }
});
