// Number and printf-style formatting with LuaJIT's exact output
// (lj_strfmt_num.c for %a %e %f %g, lj_strfmt.c for the rest; tostring is %.14g).
// Digits come from the exact decimal value of the double; ties round away from zero.
import { doubleBits, exactDecimal, roundDecimal, type Decimal } from "./decimal.ts";
import { parseSpec, type FormatSpec } from "./fmtspec.ts";

export { parseFormat, parseSpec, type Conversion, type FormatSpec, type FormatToken } from "./fmtspec.ts";

/** tostring(n) for a number, i.e. "%.14g" (integers print without ".0"). */
export function formatNumber(n: number): string {
  // Integers below 1e14 have at most 14 digits, so %.14g prints them exactly.
  if (Number.isInteger(n) && n < 1e14 && n > -1e14) return n === 0 && 1 / n < 0 ? "-0" : String(n);
  return formatFloat(G14, n);
}

const G14: FormatSpec = {
  conv: "g", left: false, plus: false, zero: false, space: false, alt: false, width: 0, precision: 14,
};

/**
 * Format one value with one conversion, as string.format does: `spec` is a
 * FormatSpec or its text ("%5.2f"). Numeric conversions take a number, %s a
 * string or number, %q a string, %p an address (0 prints NULL).
 */
export function formatPrintf(spec: FormatSpec | string, value: number | string): string {
  const s = typeof spec === "string" ? parseSpec(spec) : spec;
  switch (s.conv) {
    case "s": {
      const str = expectString(value);
      return pad(s, "", s.precision >= 0 ? str.slice(0, s.precision) : str, false);
    }
    case "q": return quoteString(expectString(value));
    case "c": return pad(s, "", String.fromCharCode(toInt32(expectNumber(value)) & 255), false);
    case "d": case "i": return formatInteger(s, toInt64(expectNumber(value)));
    case "u": case "x": case "X": case "o": return formatInteger(s, toUint64(expectNumber(value)));
    case "p": return formatPointer(expectNumber(value));
    default: return formatFloat(s, expectNumber(value));
  }
}

function expectNumber(v: number | string): number {
  if (typeof v !== "number") throw new TypeError("number expected for a numeric conversion");
  return v;
}

function expectString(v: number | string): string {
  return typeof v === "number" ? formatNumber(v) : v;
}

/** Space padding to the width, left or right; zeros go between sign and digits. */
function pad(s: FormatSpec, prefix: string, body: string, zeroOk: boolean): string {
  const fill = s.width - prefix.length - body.length;
  if (fill <= 0) return prefix + body;
  if (s.left) return prefix + body + " ".repeat(fill);
  if (zeroOk && s.zero) return prefix + "0".repeat(fill) + body;
  return " ".repeat(fill) + prefix + body;
}

// -- Integers ---------------------------------------------------------------

const TWO63 = 2 ** 63;
const INT64_MIN = -(1n << 63n);

/** C's (int64_t)n on x64: truncation, and INT64_MIN when out of range or NaN. */
function toInt64(n: number): bigint {
  return n >= -TWO63 && n < TWO63 ? BigInt(Math.trunc(n)) : INT64_MIN;
}

/** lj_strfmt_putfnum_uint: values from 2^63 up wrap through int64 first. */
function toUint64(n: number): bigint {
  return BigInt.asUintN(64, toInt64(n >= TWO63 ? n - 2 ** 64 : n));
}

/** C's (int32_t)n on x64 (used by %c): INT32_MIN when out of range. */
function toInt32(n: number): number {
  const t = Math.trunc(n);
  return t >= -(2 ** 31) && t < 2 ** 31 ? t : -(2 ** 31);
}

/** lj_strfmt_putfxint: %d %i (signed) and %u %x %X %o (unsigned) with flags. */
function formatInteger(s: FormatSpec, k: bigint): string {
  const signed = s.conv === "d" || s.conv === "i";
  let prefix = "";
  if (signed) {
    if (k < 0n) { prefix = "-"; k = -k; }
    else if (s.plus) prefix = "+";
    else if (s.space) prefix = " ";
  }
  let digits: string;
  if (k === 0n) {
    digits = s.precision !== 0 || (s.conv === "o" && s.alt) ? "0" : "";
  } else if (s.conv === "x" || s.conv === "X") {
    digits = k.toString(16);
    if (s.conv === "X") digits = digits.toUpperCase();
    if (s.alt) prefix = s.conv === "X" ? "0X" : "0x";
  } else if (s.conv === "o") {
    digits = (s.alt ? "0" : "") + k.toString(8);
  } else {
    digits = k.toString();
  }
  if (s.precision > digits.length) digits = "0".repeat(s.precision - digits.length) + digits;
  // A precision turns off zero padding.
  return pad(s, prefix, digits, s.precision < 0);
}

/** %p (lj_strfmt_wptr): NULL, or 0x and 8 hex digits, more for addresses above 4 GB. */
function formatPointer(addr: number): string {
  if (addr === 0) return "NULL";
  const hi = Math.floor(addr / 2 ** 32);
  const hexLen = hi ? 8 + 2 + 2 * ((31 - Math.clz32(hi)) >> 3) : 8;
  return "0x" + addr.toString(16).padStart(hexLen, "0").slice(-hexLen);
}

// -- Strings ----------------------------------------------------------------

/** %q: quotes, backslash escapes, and control chars as decimal escapes. */
function quoteString(str: string): string {
  let out = '"';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c === 34 || c === 92 || c === 10) {
      out += "\\" + str[i];
    } else if (c < 32 || c === 127) {
      // Three digits only when the next char is a digit, which would otherwise merge.
      const next = i + 1 < str.length ? str.charCodeAt(i + 1) : 0;
      out += "\\" + (next >= 48 && next <= 57 ? String(c).padStart(3, "0") : String(c));
    } else {
      out += str[i];
    }
  }
  return out + '"';
}

// -- Floating point ---------------------------------------------------------

/** %a %A %e %E %f %F %g %G of one number (lj_strfmt_wfnum). */
export function formatFloat(s: FormatSpec, x: number): string {
  const upper = s.conv === "A" || s.conv === "E" || s.conv === "F" || s.conv === "G";
  const neg = doubleBits(x).sign;
  if (!Number.isFinite(x)) {
    // NaN never shows a sign, only the space flag; zero padding is ignored.
    const prefix = Number.isNaN(x) ? (s.space ? " " : "") : neg ? "-" : s.plus ? "+" : s.space ? " " : "";
    const word = Number.isNaN(x) ? "nan" : "inf";
    return pad(s, prefix, upper ? word.toUpperCase() : word, false);
  }
  const prefix = neg ? "-" : s.plus ? "+" : s.space ? " " : "";
  let body: string;
  switch (s.conv) {
    case "a": case "A": return formatHexFloat(s, x, prefix, upper);
    case "e": case "E": body = eStyle(exactDecimal(x), s.precision < 0 ? 6 : s.precision, s.alt); break;
    case "f": case "F": body = fStyle(exactDecimal(x), s.precision < 0 ? 6 : s.precision, s.alt); break;
    default: body = gStyle(exactDecimal(x), s.precision < 0 ? 6 : s.precision || 1, s.alt); break;
  }
  return pad(s, prefix, upper ? body.toUpperCase() : body, true);
}

/** Mantissa d.ddd (prec digits after the point) and exponent e+XX of a decimal. */
function eStyle(d: Decimal, prec: number, alt: boolean): string {
  const r = roundDecimal(d, prec + 1);
  const digits = (r.digits || "0").padEnd(prec + 1, "0");
  const x = r.digits ? r.exp - 1 : 0;
  const ax = Math.abs(x);
  const frac = prec > 0 || alt ? "." + digits.slice(1) : "";
  return digits[0] + frac + "e" + (x < 0 ? "-" : "+") + (ax < 10 ? "0" : "") + ax;
}

/** Integer part and exactly prec fraction digits. */
function fStyle(d: Decimal, prec: number, alt: boolean): string {
  const r = roundDecimal(d, d.exp + prec);
  const { digits, exp } = r;
  const int = exp > 0 ? digits.slice(0, exp).padEnd(exp, "0") : "0";
  if (prec === 0 && !alt) return int;
  const frac = exp >= 0 ? digits.slice(exp) : "0".repeat(-exp) + digits;
  return int + "." + frac.padEnd(prec, "0");
}

/** %g: %e or %f style by the exponent after rounding, trailing zeros dropped unless '#'. */
function gStyle(d: Decimal, p: number, alt: boolean): string {
  const r = roundDecimal(d, p);
  const x = r.digits ? r.exp - 1 : 0;
  const body = p > x && x >= -4 ? fStyle(r, p - 1 - x, alt) : eStyle(r, p - 1, alt);
  return alt ? body : stripFraction(body);
}

function stripFraction(body: string): string {
  const dot = body.indexOf(".");
  if (dot < 0) return body;
  const e = body.indexOf("e");
  const end = e < 0 ? body.length : e;
  let i = end;
  while (body.charCodeAt(i - 1) === 48) i--;
  if (i - 1 === dot) i--;
  return body.slice(0, i) + body.slice(end);
}

/** %a: LuaJIT normalises subnormals to 0x1.xxxp-10xx and rounds half up in hex. */
function formatHexFloat(s: FormatSpec, x: number, prefix: string, upper: boolean): string {
  const { biased, frac } = doubleBits(x);
  let mant = frac;
  let e = 0;
  if (biased) {
    mant |= 1n << 52n;
    e = biased - 1023;
  } else if (mant) {
    const shift = 53 - mant.toString(2).length;
    mant <<= BigInt(shift);
    e = -1022 - shift;
  }
  let prec = s.precision;
  if (prec < 0) {
    // Shortest exact: drop trailing zero nibbles of the 52-bit fraction.
    const f = mant & ((1n << 52n) - 1n);
    prec = f ? 13 - Math.floor(trailingZeros(f) / 4) : 0;
  } else if (prec < 13) {
    mant += 1n << BigInt(51 - prec * 4);
  }
  const lead = String(Number(mant >> 52n));
  let fracDigits = "";
  if (prec > 0) {
    fracDigits = prec < 13
      ? (mant >> BigInt(52 - prec * 4) & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, "0")
      : (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, "0").padEnd(prec, "0");
  }
  let body = lead + (prec > 0 || s.alt ? "." + fracDigits : "") + "p" + (e < 0 ? "-" : "+") + Math.abs(e);
  let head = prefix + "0x";
  if (upper) { body = body.toUpperCase(); head = head.toUpperCase(); }
  return pad(s, head, body, true);
}

function trailingZeros(v: bigint): number {
  let n = 0;
  while ((v & 1n) === 0n) { v >>= 1n; n++; }
  return n;
}
