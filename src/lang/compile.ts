// Entry point of the front end: Lua source -> main-chunk prototype (lj_parse.c's lj_parse).
import type { Proto } from "../bc/proto.ts";

/**
 * Compile a chunk. `source` is a binary string (one char per byte);
 * `chunkname` is raw, as LuaJIT keeps it ("@file.lua", "=stdin", or source text).
 * Throws LuaSyntaxError (src/lang/errors.ts) with LuaJIT's exact message.
 */
export function compile(source: string, chunkname: string): Proto {
  void source; void chunkname;
  throw new Error("compile: not implemented yet");
}
