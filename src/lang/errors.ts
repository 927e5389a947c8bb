// The compile-time error the front end throws (LUA_ERRSYNTAX raised by
// lj_err_lex in lj_err.c); its message is LuaJIT's, byte for byte.

export class LuaSyntaxError extends Error {
  /** Source line the message refers to, when it has a location prefix. */
  readonly line: number | undefined;

  /** `message` is complete, e.g. "x.lua:3: 'end' expected (to close 'for' at line 1) near '<eof>'". */
  constructor(message: string, line?: number) {
    super(message);
    this.name = "LuaSyntaxError";
    this.line = line;
  }
}
