// Entry point of the front end: Lua source -> main-chunk prototype (lj_parse in lj_parse.c).
import type { Proto } from "../bc/proto.ts";
import { Lexer } from "./lexer.ts";
import { Parser } from "./parser.ts";

/**
 * Compile a chunk. `source` is a binary string (one char per byte);
 * `chunkname` is raw, as LuaJIT keeps it ("@file.lua", "=stdin", or source text).
 * Throws LuaSyntaxError (src/lang/errors.ts) with LuaJIT's exact message.
 */
export function compile(source: string, chunkname: string): Proto {
  const lex = new Lexer(source, chunkname);
  return new Parser(lex, chunkname).parseMain();
}
