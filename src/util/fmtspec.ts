// Parsing of printf-style format strings as string.format does it
// (lj_strfmt_parse in lj_strfmt.c): at most two digits of width and of
// precision, and only the conversions LuaJIT knows.

export type Conversion =
  | "d" | "i" | "u" | "c" | "x" | "X" | "o" | "e" | "E" | "f" | "F" | "g" | "G" | "a" | "A"
  | "q" | "s" | "p";

export interface FormatSpec {
  conv: Conversion;
  left: boolean;   // '-'
  plus: boolean;   // '+'
  zero: boolean;   // '0'
  space: boolean;  // ' '
  alt: boolean;    // '#'
  /** 0 when absent. */
  width: number;
  /** -1 when absent; "%.f" means 0. */
  precision: number;
}

export type FormatToken =
  | { kind: "literal"; text: string }
  | { kind: "spec"; spec: FormatSpec; text: string }
  /** An invalid conversion; `text` is what LuaJIT quotes in "invalid option '%s' to 'format'". */
  | { kind: "error"; text: string };

const CONVERSIONS = new Set<string>("diucxXoeEfFgGaAqsp");

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Parse the conversion that starts at fmt[start] === "%"; returns the token and the index after it. */
function parseOne(fmt: string, start: number): { token: FormatToken; end: number } {
  // Past the end reads as NUL, like the C parser running onto the terminator.
  const at = (i: number): number => (i < fmt.length ? fmt.charCodeAt(i) : 0);
  const spec: FormatSpec = {
    conv: "d", left: false, plus: false, zero: false, space: false, alt: false, width: 0, precision: -1,
  };
  let p = start + 1;
  for (;; p++) {
    const c = at(p);
    if (c === 45) spec.left = true;
    else if (c === 43) spec.plus = true;
    else if (c === 48) spec.zero = true;
    else if (c === 32) spec.space = true;
    else if (c === 35) spec.alt = true;
    else break;
  }
  if (isDigit(at(p))) {
    spec.width = at(p++) - 48;
    if (isDigit(at(p))) spec.width = spec.width * 10 + at(p++) - 48;
  }
  if (at(p) === 46) {
    p++;
    spec.precision = 0;
    if (isDigit(at(p))) {
      spec.precision = at(p++) - 48;
      if (isDigit(at(p))) spec.precision = spec.precision * 10 + at(p++) - 48;
    }
  }
  const conv = fmt.charAt(p);
  if (conv !== "" && CONVERSIONS.has(conv)) {
    spec.conv = conv as Conversion;
    return { token: { kind: "spec", spec, text: fmt.slice(start, p + 1) }, end: p + 1 };
  }
  // The quoted text includes the offending character unless it is a control char.
  const end = at(p) >= 32 ? p + 1 : p;
  return { token: { kind: "error", text: fmt.slice(start, end) }, end: fmt.length };
}

/**
 * Split a format string into literals and conversions ("%%" becomes a literal
 * "%"). An invalid conversion ends the list with an error token.
 */
export function parseFormat(fmt: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let lit = "";
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) { lit += fmt.slice(i); break; }
    lit += fmt.slice(i, pct);
    if (fmt.charAt(pct + 1) === "%") { lit += "%"; i = pct + 2; continue; }
    if (lit) { tokens.push({ kind: "literal", text: lit }); lit = ""; }
    const { token, end } = parseOne(fmt, pct);
    tokens.push(token);
    if (token.kind === "error") return tokens;
    i = end;
  }
  if (lit) tokens.push({ kind: "literal", text: lit });
  return tokens;
}

/** Parse a single conversion such as "%5.2f"; throws if it is not exactly one valid conversion. */
export function parseSpec(text: string): FormatSpec {
  const tokens = parseFormat(text);
  const t = tokens[0];
  if (tokens.length !== 1 || t.kind !== "spec") throw new Error(`bad format spec ${JSON.stringify(text)}`);
  return t.spec;
}
