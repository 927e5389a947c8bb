// Byte classes for the lexer and number scanner, as lj_char.h defines them:
// ASCII only, and every byte >= 0x80 counts as an identifier character.

export const CH_DIGIT = 1;
export const CH_XDIGIT = 2;
export const CH_SPACE = 4;
export const CH_IDENT = 8;

/** Class bits for each byte 0..255. */
export const CHAR_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  const mark = (from: number, to: number, bits: number): void => {
    for (let c = from; c <= to; c++) t[c] |= bits;
  };
  mark(0x30, 0x39, CH_DIGIT | CH_XDIGIT | CH_IDENT); // 0-9
  mark(0x41, 0x46, CH_XDIGIT); // A-F
  mark(0x61, 0x66, CH_XDIGIT); // a-f
  mark(0x41, 0x5a, CH_IDENT); // A-Z
  mark(0x61, 0x7a, CH_IDENT); // a-z
  mark(0x5f, 0x5f, CH_IDENT); // _
  mark(0x80, 0xff, CH_IDENT);
  mark(0x09, 0x0d, CH_SPACE); // \t \n \v \f \r
  mark(0x20, 0x20, CH_SPACE);
  return t;
})();

// Callers pass bytes 0..255; anything else (EOF as -1) has no class.
export const isDigit = (c: number): boolean => (c >= 0x30 && c <= 0x39);
export const isXDigit = (c: number): boolean => (CHAR_CLASS[c & 0xff] & CH_XDIGIT) !== 0 && c >= 0;
export const isSpace = (c: number): boolean => (CHAR_CLASS[c & 0xff] & CH_SPACE) !== 0 && c >= 0;
export const isIdent = (c: number): boolean => (CHAR_CLASS[c & 0xff] & CH_IDENT) !== 0 && c >= 0;
