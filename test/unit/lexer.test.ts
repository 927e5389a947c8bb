// Lexer, number scanner and message tests. Every expected message and value
// below was produced by LuaJIT 2.1 (loadstring(src, "@x.lua"), tonumber(s),
// `return <literal>`), both the target commit e0551670 and Debian's 2.1 beta3.
import { describe, expect, it } from "vitest";
import { ERRMSG, formatMessage } from "../../src/lang/errmsg.ts";
import { LuaSyntaxError } from "../../src/lang/errors.ts";
import { Lexer } from "../../src/lang/lexer.ts";
import { FMT_I64, FMT_IMAG, FMT_U64, OPT_LEXER, scanNumber, scanResult, strscan } from "../../src/lang/strscan.ts";
import { TK, TK_OFS, tokenToString } from "../../src/lang/tokens.ts";

/** Tokens of src as "text" or "text value", up to and including <eof>. */
function tokens(src: string): string[] {
  const lx = new Lexer(src, "@x.lua");
  const out: string[] = [];
  do {
    lx.next();
    const t = tokenToString(lx.tok);
    const valued = lx.tok === TK.name || lx.tok === TK.string || lx.tok === TK.number;
    out.push(valued ? `${t} ${String(lx.tokval)}` : t);
  } while (lx.tok !== TK.eof);
  return out;
}

/** The message of the LuaSyntaxError that fn throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LuaSyntaxError);
    return (e as Error).message;
  }
  throw new Error("nothing thrown");
}

/** "OK" if src lexes to the end, else the LuaSyntaxError message. */
function lexAll(src: string): string {
  try {
    const lx = new Lexer(src, "@x.lua");
    do lx.next(); while (lx.tok !== TK.eof);
    return "OK";
  } catch (e) {
    expect(e).toBeInstanceOf(LuaSyntaxError);
    return (e as Error).message;
  }
}

describe("tokens", () => {
  it("numbers tokens as TKDEF does", () => {
    expect(TK_OFS).toBe(256);
    expect(TK.and).toBe(257);
    expect(TK.while).toBe(278);
    expect(TK.concat).toBe(279);
    expect(TK.label).toBe(285);
    expect(TK.number).toBe(286);
    expect(TK.name).toBe(287);
    expect(TK.string).toBe(288);
    expect(TK.eof).toBe(289);
  });

  it("names tokens as lj_lex_token2str does", () => {
    expect(tokenToString(TK.function)).toBe("function");
    expect(tokenToString(TK.dots)).toBe("...");
    expect(tokenToString(TK.ne)).toBe("~=");
    expect(tokenToString(TK.eof)).toBe("<eof>");
    expect(tokenToString(TK.name)).toBe("<name>");
    expect(tokenToString(0x3d)).toBe("=");
    expect(tokenToString(1)).toBe("char(1)");
    expect(tokenToString(127)).toBe("char(127)");
    expect(tokenToString(0xe9)).toBe("\xe9");
  });
});

describe("formatMessage", () => {
  it("fills %s, %d, %x and %%", () => {
    expect(formatMessage(ERRMSG.XMATCH, "end", "for", 1)).toBe("'end' expected (to close 'for' at line 1)");
    expect(formatMessage(ERRMSG.XLIMF, 3, 200, "local variables")).toBe("function at line 3 has more than 200 local variables");
    expect(formatMessage(ERRMSG.BUFFER_BADDEC, 10)).toBe("cannot deserialize tag 0x0a");
    expect(formatMessage("100%%")).toBe("100%");
  });

  it("stops %s at a NUL, as C strings do", () => {
    expect(formatMessage(ERRMSG.XNEAR, "m", "'a\0b")).toBe("m near ''a'");
  });
});

describe("token stream", () => {
  it("scans a statement", () => {
    expect(tokens("local x = 1")).toEqual(["local", "<name> x", "=", "<number> 1", "<eof>"]);
  });

  it("scans every operator, with != and // not being tokens", () => {
    expect(tokens(".. ... == >= <= ~= :: = < > ~ : . , ; ( ) [ ] { } + - * / % ^ # != //")).toEqual([
      "..", "...", "==", ">=", "<=", "~=", "::", "=", "<", ">", "~", ":", ".", ",", ";", "(", ")", "[", "]",
      "{", "}", "+", "-", "*", "/", "%", "^", "#", "!", "=", "/", "/", "<eof>",
    ]);
  });

  it("gives reserved words their tokens and their text as value", () => {
    const lx = new Lexer("goto while gotox _G", "@x.lua");
    lx.next();
    expect([lx.tok, lx.tokval]).toEqual([TK.goto, "goto"]);
    lx.next();
    expect([lx.tok, lx.tokval]).toEqual([TK.while, "while"]);
    lx.next();
    expect([lx.tok, lx.tokval]).toEqual([TK.name, "gotox"]);
    lx.next();
    expect([lx.tok, lx.tokval]).toEqual([TK.name, "_G"]);
  });

  it("accepts bytes >= 0x80 in identifiers", () => {
    expect(tokens("caf\xc3\xa9 = \xff")).toEqual(["<name> caf\xc3\xa9", "=", "<name> \xff", "<eof>"]);
  });

  it("skips comments", () => {
    expect(tokens("a -- x\nb --[[ y\n ]] c --[==[ ]] ]==] d --[=x\ne")).toEqual([
      "<name> a", "<name> b", "<name> c", "<name> d", "<name> e", "<eof>",
    ]);
  });

  it("splits numbers from what follows as LuaJIT does", () => {
    expect(tokens("1 .. 2")).toEqual(["<number> 1", "..", "<number> 2", "<eof>"]);
    expect(tokens("0x1e+1")).toEqual(["<number> 30", "+", "<number> 1", "<eof>"]);
    expect(tokens("1-2")).toEqual(["<number> 1", "-", "<number> 2", "<eof>"]);
    expect(tokens("a.b.5")).toEqual(["<name> a", ".", "<name> b", "<number> 0.5", "<eof>"]);
  });

  it("treats a NUL byte as single-char token 0", () => {
    const lx = new Lexer("\0", "@x.lua");
    lx.next();
    expect(lx.tok).toBe(0);
  });
});

describe("strings", () => {
  const str = (src: string): unknown => {
    const lx = new Lexer(src, "@x.lua");
    lx.next();
    expect(lx.tok).toBe(TK.string);
    return lx.tokval;
  };

  it("decodes escapes", () => {
    expect(str(String.raw`"\a\b\f\n\r\t\v\\\"\'"`)).toBe("\x07\b\f\n\r\t\v\\\"'");
    expect(str(String.raw`'\65\066\0067\255\0'`)).toBe("AB\x067\xff\0");
    expect(str(String.raw`"\x41\xfF\x0a"`)).toBe("A\xff\n");
    expect(str(String.raw`"\u{41}\u{7FF}\u{20AC}\u{10FFFF}\u{0000000041}"`))
      .toBe("A\xdf\xbf\xe2\x82\xac\xf4\x8f\xbf\xbfA");
  });

  it("handles \\z and backslash-newline", () => {
    expect(str('"a\\z  \n\t  b"')).toBe("ab");
    expect(str('"a\\\nb\\\r\nc\\\n\rd"')).toBe("a\nb\nc\nd");
  });

  it("reads long strings: levels, first newline dropped, line breaks normalized", () => {
    expect(str("[[abc]]")).toBe("abc");
    expect(str("[==[a]]b]=]c]==]")).toBe("a]]b]=]c");
    expect(str("[[\nabc]]")).toBe("abc");
    expect(str("[[\r\nabc]]")).toBe("abc");
    expect(str("[[\n\nabc]]")).toBe("\nabc");
    expect(str("[[a\r\nb\n\rc\rd\ne]]")).toBe("a\nb\nc\nd\ne");
    expect(str("[[a\\n]]")).toBe("a\\n");
  });
});

describe("numbers", () => {
  const num = (src: string): unknown => {
    const lx = new Lexer(src, "@x.lua");
    lx.next();
    expect(lx.tok).toBe(TK.number);
    const v = lx.tokval;
    lx.next();
    expect(lx.tok).toBe(TK.eof);
    return v;
  };

  // Literal -> value from LuaJIT's `return <literal>`.
  const cases: [string, number][] = [
    ["0", 0], ["00012", 12], ["3", 3], ["3.", 3], [".5", 0.5], ["5.25", 5.25], ["1e+5", 100000],
    ["1E-2", 0.01], ["1e308", 1e308], ["1e309", Infinity], ["2.5e-324", 4.9406564584124654e-324],
    ["4.9406564584124654e-324", 4.9406564584124654e-324], ["0.1", 0.1],
    ["123456789012345678901234567890", 1.2345678901234568e29], ["9007199254740993", 9007199254740992],
    ["0x10", 16], ["0XfF", 255], ["0x7fffffff", 2147483647], ["0xffffffffffffffff", 1.8446744073709552e19],
    ["0x123456789abcdef0123", 5.3730036427316852e21], ["0x1p4", 16], ["0x.8", 0.5], ["0xA.8p-1", 5.25],
    ["0x1P+4", 16], ["0x1p-1074", 4.9406564584124654e-324], ["0x1p-1075", 0], ["0x3p-1076", 4.9406564584124654e-324],
    ["0x1.fffffffffffff8p1023", Infinity], ["0b101", 5], ["0B11", 3],
    ["0b1111111111111111111111111111111111111111111111111111111111111111", 1.8446744073709552e19],
    ["1e1048575", Infinity], ["0e1048575", 0], ["0.000e5", 0], ["0xep1", 28],
  ];
  it.each(cases)("%s", (src, value) => {
    expect(num(src)).toBe(value);
  });

  // tonumber(s) in LuaJIT; undefined stands for nil.
  const tonumber: [string, number | undefined][] = [
    ["10", 10], ["  0x10  ", 16], ["\t5\n", 5], ["-0", -0], ["- 1", undefined], ["+1.5", 1.5], ["1e", undefined],
    ["0x", undefined], ["inf", Infinity], ["-Infinity", -Infinity], [" nan ", NaN], ["infinit", undefined],
    ["1LL", undefined], ["1i", undefined], ["1 2", undefined], ["1\0", undefined], ["", undefined], [" ", undefined],
    [".", undefined], ["0b101", 5], ["010", 10], ["1e1048576", undefined], ["+-1", undefined], ["0x1p-2", 0.25],
    ["5u", undefined], ["0x1P+4 ", 16], ["1e+05", 100000],
  ];
  it.each(tonumber)("tonumber(%j)", (s, value) => {
    expect(scanNumber(s, false)).toBe(value);
  });

  it("recognizes the FFI literals LuaJIT accepts", () => {
    const fmt = (s: string): number => strscan(s, 0, s.length, OPT_LEXER);
    expect(fmt("1LL")).toBe(FMT_I64);
    expect(fmt("12LLU")).toBe(FMT_U64);
    expect(fmt("0x10ull")).toBe(FMT_U64);
    expect(fmt("18446744073709551615ULL")).toBe(FMT_U64);
    expect(scanResult.u64).toBe(18446744073709551615n);
    expect(fmt("1.5i")).toBe(FMT_IMAG);
    expect(scanResult.num).toBe(1.5);
  });

  // DIVERGENCE: LuaJIT makes these cdata constants; ljscope has no FFI.
  it("rejects FFI literals with a clear message", () => {
    expect(lexAll("x = 1LL")).toBe("x.lua:1: cdata number literals (LL, ULL, i) are not supported near '1LL'");
    expect(lexAll("x = 2i")).toBe("x.lua:1: cdata number literals (LL, ULL, i) are not supported near '2i'");
  });
});

describe("lexer errors", () => {
  // [source, LuaJIT's message] for `loadstring(source, "@x.lua")`.
  const cases: [string, string][] = [
    ["x = 3x", "x.lua:1: malformed number near '3x'"],
    ["x = 3..2", "x.lua:1: malformed number near '3..2'"],
    ["x = 0x", "x.lua:1: malformed number near '0x'"],
    ["x = 1e", "x.lua:1: malformed number near '1e'"],
    ["x = 1e+", "x.lua:1: malformed number near '1e+'"],
    ["x = 0x1p", "x.lua:1: malformed number near '0x1p'"],
    ["x = 1.2.3", "x.lua:1: malformed number near '1.2.3'"],
    ["x = 0b", "x.lua:1: malformed number near '0b'"],
    ["x = 0b2", "x.lua:1: malformed number near '0b2'"],
    ["x = 1u", "x.lua:1: malformed number near '1u'"],
    ["x = 1L", "x.lua:1: malformed number near '1L'"],
    ["x = 1ul", "x.lua:1: malformed number near '1ul'"],
    ["x = 0x1g", "x.lua:1: malformed number near '0x1g'"],
    ["x = 1_000", "x.lua:1: malformed number near '1_000'"],
    ["x = 1e1048576", "x.lua:1: malformed number near '1e1048576'"],
    ["x = 1\xe9", "x.lua:1: malformed number near '1\xe9'"],
    ["x = 0xffffffffffffffffffLL", "x.lua:1: malformed number near '0xffffffffffffffffffLL'"],
    ["x = 18446744073709551616ULL", "x.lua:1: malformed number near '18446744073709551616ULL'"],
    ["x = 1.5LL", "x.lua:1: malformed number near '1.5LL'"],
    ["x = .5x", "x.lua:1: malformed number near '.5x'"],
    ["x = 1..2", "x.lua:1: malformed number near '1..2'"],
    ["x = 1e5.5", "x.lua:1: malformed number near '1e5.5'"],
    ["x = 0x.p1", "x.lua:1: malformed number near '0x.p1'"],
    ["x = 0b1.1", "x.lua:1: malformed number near '0b1.1'"],
    ["x = 0b1" + "1".repeat(64), "x.lua:1: malformed number near '0b1" + "1".repeat(64) + "'"],
    ["x = 5e-", "x.lua:1: malformed number near '5e-'"],
    ["x = 1e+5e", "x.lua:1: malformed number near '1e+5e'"],
    ["x = 9LLL", "x.lua:1: malformed number near '9LLL'"],
    ["x = 0xep1", "OK"],
    ["x = \"abc\nfoo\"", "x.lua:1: unfinished string near '\"abc'"],
    ["x = \"abc\r\"", "x.lua:1: unfinished string near '\"abc'"],
    ["x = \"abc", "x.lua:1: unfinished string near '<eof>'"],
    ["x = 'abc\\", "x.lua:1: unfinished string near '<eof>'"],
    ["x = \"a\\qb\"", "x.lua:1: invalid escape sequence near '\"a'"],
    ["x = \"a\\256\"", "x.lua:1: invalid escape sequence near '\"a'"],
    ["x = \"\\x4g\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\x4\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{110000}\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{7FFFFFFF}\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{D800}\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{DFFF}\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{}\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u41\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{41\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"a\\0b\ncd\"", "x.lua:1: unfinished string near '\"a'"],
    ["x = \"\\z\n\n  \\q\"", "x.lua:3: invalid escape sequence near '\"'"],
    ["x = \"ab\\\ncd\\\r\nef\ng\"", "x.lua:3: unfinished string near '\"ab\ncd\nef'"],
    ["x = \"\\9999\"", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = '\\x'", "x.lua:1: invalid escape sequence near '''"],
    ["x = \"\\u", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\x", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = \"\\u{", "x.lua:1: invalid escape sequence near '\"'"],
    ["x = 'a\\z", "x.lua:1: unfinished string near '<eof>'"],
    ["x = \"a\\\n", "x.lua:2: unfinished string near '<eof>'"],
    ["x = \"\u0000abc\nq\"", "x.lua:1: unfinished string near '\"'"],
    ["x = \"a\\tb\\65\\x42\n\"", "x.lua:1: unfinished string near '\"a\tbAB'"],
    ["x = [[abc", "x.lua:1: unfinished long string near '<eof>'"],
    ["x = [==[abc]=]", "x.lua:1: unfinished long string near '<eof>'"],
    ["--[[ unfinished", "x.lua:1: unfinished long comment near '<eof>'"],
    ["--[==[ a ]] ", "x.lua:1: unfinished long comment near '<eof>'"],
    ["x = [=x", "x.lua:1: invalid long string delimiter near '[='"],
    ["x = [==", "x.lua:1: invalid long string delimiter near '[=='"],
    ["x = [=[a\n\n", "x.lua:3: unfinished long string near '<eof>'"],
    ["--[=x\nx = 3x", "x.lua:2: malformed number near '3x'"],
    ["x = [[\na\r\nb]] y = 3x", "x.lua:3: malformed number near '3x'"],
    ["--[[\n\n]] x = 3x", "x.lua:3: malformed number near '3x'"],
    ["x = \"\\z\r\n\n\r\r\" y = 3x", "x.lua:4: malformed number near '3x'"],
    ["#!x\nx = 3x", "x.lua:2: malformed number near '3x'"],
    ["#!x\r\n\r\nx = 3x", "x.lua:3: malformed number near '3x'"],
    ["\xef\xbb\xbfx = 3x", "x.lua:1: malformed number near '3x'"],
    ["\r\nx=3x", "x.lua:2: malformed number near '3x'"],
    ["\n\rx=3x", "x.lua:2: malformed number near '3x'"],
    ["\n\nx=3x", "x.lua:3: malformed number near '3x'"],
    ["\r\rx=3x", "x.lua:3: malformed number near '3x'"],
    ["\r\n\r\nx=3x", "x.lua:3: malformed number near '3x'"],
    ["\n\r\nx=3x", "x.lua:3: malformed number near '3x'"],
    ["\r\n\rx=3x", "x.lua:3: malformed number near '3x'"],
    ["x = 1 -- c\r\nx = 3x", "x.lua:2: malformed number near '3x'"],
    ["x = [[\r\n\r\n]] y = 3x", "x.lua:3: malformed number near '3x'"],
  ];
  it.each(cases)("%j", (src, message) => {
    expect(lexAll(src)).toBe(message);
  });

  it("refuses bytecode after a BOM or '#' line, without a location", () => {
    for (const src of ["#!/bin\n\x1bLua", "\xef\xbb\xbf\x1bLua", "\xef\xbb\xbf#!x\n\x1b"]) {
      expect(thrown(() => new Lexer(src, "@x.lua"))).toBe("cannot load malformed bytecode");
    }
    expect(new Lexer("\x1bLJ", "@x.lua").isBytecode).toBe(true);
    expect(new Lexer("x", "@x.lua").isBytecode).toBe(false);
  });

  it("accepts a chunk that is only a '#' line", () => {
    expect(lexAll("#")).toBe("OK");
    expect(lexAll("#!only")).toBe("OK");
  });

  it("uses the short source name of the chunk", () => {
    const first = (src: string, chunk: string): string => thrown(() => new Lexer(src, chunk).next());
    expect(first("3x", "3x")).toBe("[string \"3x\"]:1: malformed number near '3x'");
    expect(first("\n3x", "=stdin")).toBe("stdin:2: malformed number near '3x'");
    const long = "-- a long first line that goes on and on and on and on\n3x";
    expect(first(long, long)).toBe("[string \"-- a long first line that goes on and on and ...\"]:2: malformed number near '3x'");
  });
});

describe("error() as the parser uses it", () => {
  // The first token is an unexpected symbol: LuaJIT's message for the whole
  // source equals lex.error(tok, "unexpected symbol") on that token.
  const cases: [string, string][] = [
    ["\"abc\" = 1", "x.lua:1: unexpected symbol near '\"abc\"'"],
    ["[==[a\nb]==] = 1", "x.lua:2: unexpected symbol near '[==[a\nb]==]'"],
    ["'a\\tb\\0c' = 1", "x.lua:1: unexpected symbol near ''a\tb'"],
    ["123", "x.lua:1: unexpected symbol near '123'"],
    ["0x1p4", "x.lua:1: unexpected symbol near '0x1p4'"],
    [".5", "x.lua:1: unexpected symbol near '.5'"],
    ["\x01", "x.lua:1: unexpected symbol near 'char(1)'"],
    ["\x7f", "x.lua:1: unexpected symbol near 'char(127)'"],
    ["\0", "x.lua:1: unexpected symbol"],
    ["!=", "x.lua:1: unexpected symbol near '!'"],
    ["//", "x.lua:1: unexpected symbol near '/'"],
    ["...", "x.lua:1: unexpected symbol near '...'"],
    ["\n\n  ~= 1", "x.lua:3: unexpected symbol near '~='"],
    ["[[\nfoo]]", "x.lua:2: unexpected symbol near '[[foo]]'"],
    ["'\\z\n\n'", "x.lua:3: unexpected symbol near ''''"],
    ["[=[]]]=]", "x.lua:1: unexpected symbol near '[=[]]]=]'"],
    ["\"a\\u{20AC}\"", "x.lua:1: unexpected symbol near '\"a\xe2\x82\xac\"'"],
  ];
  it.each(cases)("%j", (src, message) => {
    const lx = new Lexer(src, "@x.lua");
    lx.next();
    expect(thrown(() => lx.error(lx.tok, ERRMSG.XSYMBOL))).toBe(message);
  });

  it("quotes the lookahead's text after peek(), as LuaJIT's shared buffer does", () => {
    const lx = new Lexer("a 'b'", "@x.lua");
    lx.next();
    expect(lx.tokenText()).toBe("a");
    expect(lx.peek()).toBe(TK.string);
    expect(lx.tokenText()).toBe("'b'");
  });

  it("omits the near part for tok 0 and carries the line", () => {
    const lx = new Lexer("\n\nx", "@x.lua");
    lx.next();
    let err: unknown;
    try {
      lx.error(0, formatMessage(ERRMSG.XLUNDEF, "foo"));
    } catch (e) {
      err = e;
    }
    expect((err as LuaSyntaxError).message).toBe("x.lua:3: undefined label 'foo'");
    expect((err as LuaSyntaxError).line).toBe(3);
  });
});

describe("lines and lookahead", () => {
  it("sets lastline to the line before scanning, as lj_lex_next does", () => {
    const lx = new Lexer("a\n\nb [[x\ny]] c", "@x.lua");
    lx.next();
    expect([lx.tokval, lx.lastline, lx.linenumber]).toEqual(["a", 1, 1]);
    lx.next();
    expect([lx.tokval, lx.lastline, lx.linenumber]).toEqual(["b", 1, 3]);
    lx.next();
    expect([lx.tokval, lx.lastline, lx.linenumber]).toEqual(["x\ny", 3, 4]);
    lx.next();
    expect([lx.tokval, lx.lastline, lx.linenumber]).toEqual(["c", 4, 4]);
  });

  it("peek() scans ahead without consuming, advancing linenumber", () => {
    const lx = new Lexer("t\n= 1", "@x.lua");
    lx.next();
    expect(lx.lookahead).toBe(TK.eof);
    expect(lx.peek()).toBe(0x3d);
    expect([lx.tok, lx.tokval, lx.linenumber]).toEqual([TK.name, "t", 2]);
    lx.next();
    expect([lx.tok, lx.lookahead, lx.lastline]).toEqual([0x3d, TK.eof, 2]);
    lx.next();
    expect([lx.tok, lx.tokval]).toEqual([TK.number, 1]);
  });

  it("counts a shebang line", () => {
    const lx = new Lexer("#!/usr/bin/luajit\nx", "@x.lua");
    lx.next();
    expect([lx.tokval, lx.linenumber]).toEqual(["x", 2]);
  });
});
