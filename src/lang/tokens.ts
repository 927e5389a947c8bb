// Lexer tokens (TKDEF in lj_lex.h) and their display names (lj_lex_token2str).
// Single-character tokens are their byte value; the rest count up from TK_OFS.

/** [key, display text] in TKDEF order: reserved words first, then symbols and classes. */
const TOKEN_TABLE = [
  ["and", "and"], ["break", "break"], ["do", "do"], ["else", "else"], ["elseif", "elseif"],
  ["end", "end"], ["false", "false"], ["for", "for"], ["function", "function"], ["goto", "goto"],
  ["if", "if"], ["in", "in"], ["local", "local"], ["nil", "nil"], ["not", "not"], ["or", "or"],
  ["repeat", "repeat"], ["return", "return"], ["then", "then"], ["true", "true"],
  ["until", "until"], ["while", "while"],
  ["concat", ".."], ["dots", "..."], ["eq", "=="], ["ge", ">="], ["le", "<="], ["ne", "~="],
  ["label", "::"], ["number", "<number>"], ["name", "<name>"], ["string", "<string>"],
  ["eof", "<eof>"],
] as const;

export type TokenKey = (typeof TOKEN_TABLE)[number][0];

/** Multi-character tokens start above this; everything at or below is a byte. */
export const TK_OFS = 256;

/** Token numbers by key: TK.and === 257, ..., TK.eof === 289. */
export const TK: { readonly [K in TokenKey]: number } = Object.freeze(
  Object.fromEntries(TOKEN_TABLE.map(([key], i) => [key, TK_OFS + 1 + i])) as { [K in TokenKey]: number },
);

/** Number of reserved words; they are the first entries of the table. */
export const TK_RESERVED = TK.while - TK_OFS;

/** Reserved word -> token number, for the identifier scanner. */
export const RESERVED_WORDS: ReadonlyMap<string, number> = new Map(
  TOKEN_TABLE.slice(0, TK_RESERVED).map(([key], i) => [key as string, TK_OFS + 1 + i]),
);

/** Control characters (C iscntrl: 0..31 and 127) print as char(N). */
function isCntrl(c: number): boolean {
  return c < 32 || c === 127;
}

/** The text LuaJIT shows for a token in messages such as "'=' expected". */
export function tokenToString(tok: number): string {
  if (tok > TK_OFS) return TOKEN_TABLE[tok - TK_OFS - 1][1];
  if (!isCntrl(tok)) return String.fromCharCode(tok);
  return `char(${tok})`;
}
