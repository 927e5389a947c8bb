// A command line that reproduces a run with a real LuaJIT: `luajit -O… -jv
// -e '…'`, the program quoted for a POSIX shell (single quotes keep every
// byte, newlines included; a single quote itself becomes '\'').

/** Words that need no quoting in any POSIX shell. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(s: string): string {
  if (PLAIN.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * `luajit -Ohotloop=1 -jv -e '…'` for a program and its -O arguments (in the
 * order jit.opt.start gets them). With -e, LuaJIT names the chunk
 * "(command line)", so -jv shows `(command line):4` where the explorer shows `NAME.lua:4`.
 */
export function reproLine(source: string, jitOpts: readonly string[]): string {
  const code = source.replace(/\s+$/, "");
  return ["luajit", ...jitOpts.map((a) => shellQuote(`-O${a}`)), "-jv", "-e", shellQuote(code)].join(" ");
}
