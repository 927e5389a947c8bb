// String -> number conversion with LuaJIT's grammar and rounding (lj_strscan.c),
// for number literals in source and for tonumber() / string coercion.
import { CH_DIGIT, CH_XDIGIT, CHAR_CLASS, isDigit, isSpace } from "./chars.ts";

/** Result formats (StrScanFmt). INT and U32 never come out: we always convert to double. */
export const FMT_ERROR = 0;
export const FMT_NUM = 1;
export const FMT_IMAG = 2;
export const FMT_INT = 3;
export const FMT_U32 = 4;
export const FMT_I64 = 5;
export const FMT_U64 = 6;

/** Accept the FFI literal suffixes: i (imaginary), LL (int64_t), ULL (uint64_t). */
export const OPT_IMAG = 0x04;
export const OPT_LL = 0x08;
/** Options the lexer uses in LuaJIT's default (FFI-enabled, non-DUALNUM) build. */
export const OPT_LEXER = OPT_IMAG | OPT_LL;
/** Options of tonumber() and arithmetic coercion (lj_strscan_num). */
export const OPT_TONUMBER = 0;

/** Exponent digits beyond this make the number malformed. */
const MAXEXP = 1 << 20;
const TWO64 = 1n << 64n;

/**
 * Value of the last successful strscan(), kept here so the lexer's hot path
 * allocates nothing: `num` for NUM (or the imaginary part for IMAG), `u64`
 * for I64/U64 (two's complement bits).
 */
export const scanResult = { num: 0, u64: 0n };

/** Byte at i, or 0 past the end, like reading a NUL-terminated C buffer. */
function byteAt(s: string, i: number, end: number): number {
  return i < end ? s.charCodeAt(i) : 0;
}

function lower(s: string, i: number, end: number): number {
  return byteAt(s, i, end) | 0x20;
}

/**
 * Scan s[start, end) as a number. Returns FMT_NUM, FMT_IMAG, FMT_I64, FMT_U64
 * or FMT_ERROR; the value goes to scanResult. Leading and trailing whitespace
 * and a sign are accepted as lj_strscan_scan does (the lexer never passes them).
 */
export function strscan(s: string, start: number, end: number, opt: number): number {
  let p = start;
  let neg = false;
  let c = byteAt(s, p, end);

  // Whitespace, sign, and the words inf, infinity and nan.
  if (!isDigit(c)) {
    while (isSpace(c)) c = byteAt(s, ++p, end);
    if (c === 0x2b || c === 0x2d) {
      neg = c === 0x2d;
      c = byteAt(s, ++p, end);
    }
    if (c >= 0x41) return scanSpecial(s, p, end, neg);
  }
  const numStart = p;

  let fmt = FMT_INT;
  let base = 10;
  let hasZero = false;
  let dp = -1;
  // Prefix and leading zeros (a decimal point may sit among them).
  if (c <= 0x30) {
    if (c === 0x30) {
      const x = lower(s, p + 1, end);
      if (x === 0x78) { base = 16; p += 2; }
      else if (x === 0x62) { base = 2; p += 2; }
    }
    for (;; p++) {
      c = byteAt(s, p, end);
      if (c === 0x30) hasZero = true;
      else if (c === 0x2e) {
        if (dp >= 0) return FMT_ERROR;
        dp = p;
      } else break;
    }
  }

  // Significant digits; acc is exact for up to 15 decimal digits.
  const cmask = base === 16 ? CH_XDIGIT : CH_DIGIT;
  const sp = p;
  let dig = 0;
  let acc = 0;
  for (;; p++) {
    c = byteAt(s, p, end);
    if (CHAR_CLASS[c] & cmask) {
      acc = acc * 10 + (c & 15);
      dig++;
    } else if (c === 0x2e) {
      if (dp >= 0) return FMT_ERROR;
      dp = p;
    } else break;
  }
  if (!hasZero && dig === 0) return FMT_ERROR;

  let ex = 0;
  if (dp >= 0) {
    if (base === 2) return FMT_ERROR;
    fmt = FMT_NUM;
    if (dig) {
      // Digits after the point, minus trailing zeros (which don't count).
      ex = dp - (p - 1);
      let q = p - 1;
      while (ex < 0 && byteAt(s, q--, end) === 0x30) { ex++; dig--; }
      if (ex <= -MAXEXP) return FMT_ERROR;
      if (base === 16) ex *= 4;
    }
  }

  if (base >= 10 && (c | 0x20) === (base === 16 ? 0x70 : 0x65)) {
    fmt = FMT_NUM;
    c = byteAt(s, ++p, end);
    let negx = false;
    if (c === 0x2b || c === 0x2d) {
      negx = c === 0x2d;
      c = byteAt(s, ++p, end);
    }
    if (!isDigit(c)) return FMT_ERROR;
    let xx = c & 15;
    c = byteAt(s, ++p, end);
    while (isDigit(c)) {
      xx = xx * 10 + (c & 15);
      if (xx >= MAXEXP) return FMT_ERROR;
      c = byteAt(s, ++p, end);
    }
    ex += negx ? -xx : xx;
  }
  const numEnd = p;

  // Suffixes. Without the C-parser option only i, LL, ULL and LLU exist.
  if (c !== 0) {
    if ((c | 0x20) === 0x69) {
      if (!(opt & OPT_IMAG)) return FMT_ERROR;
      p++;
      fmt = FMT_IMAG;
    } else if (fmt === FMT_INT) {
      if ((c | 0x20) === 0x75) { p++; fmt = FMT_U32; }
      if (lower(s, p, end) === 0x6c) {
        p++;
        if (lower(s, p, end) !== 0x6c) return FMT_ERROR;
        p++;
        fmt += FMT_I64 - FMT_INT;
      }
      if (lower(s, p, end) === 0x75 && (fmt === FMT_INT || fmt === FMT_I64)) { p++; fmt += FMT_U32 - FMT_INT; }
      if (fmt === FMT_U32 || (fmt >= FMT_I64 && !(opt & OPT_LL))) return FMT_ERROR;
    }
    while (isSpace(byteAt(s, p, end))) p++;
    if (byteAt(s, p, end) !== 0) return FMT_ERROR;
  }
  if (p < end) return FMT_ERROR; // an embedded NUL

  if (base === 16) return scanHex(s, sp, fmt, ex, neg, dig);
  if (base === 2) return scanBin(s, sp, fmt, neg, dig);
  if (fmt >= FMT_I64) {
    // Integer suffix: no point or exponent, so the digits are sp..numEnd.
    if (dig > 20) return FMT_ERROR;
    return setU64(BigInt(s.slice(sp, numEnd)), fmt, neg);
  }
  // Plain decimal. JS number parsing is correctly rounded, as lj_strscan is,
  // and accepts every form that got this far ("5.", ".5", "007", "1e+5").
  const v = fmt === FMT_INT && dig <= 15 ? acc : Number(s.slice(numStart, numEnd));
  scanResult.num = neg ? -v : v;
  return fmt === FMT_INT ? FMT_NUM : fmt;
}

/** "inf", "infinity" and "nan", any case, with optional trailing whitespace. */
function scanSpecial(s: string, p: number, end: number, neg: boolean): number {
  let v = NaN;
  if (lower(s, p, end) === 0x69 && lower(s, p + 1, end) === 0x6e && lower(s, p + 2, end) === 0x66) {
    v = neg ? -Infinity : Infinity;
    p += 3;
    if (lower(s, p, end) === 0x69 && lower(s, p + 1, end) === 0x6e && lower(s, p + 2, end) === 0x69 &&
        lower(s, p + 3, end) === 0x74 && lower(s, p + 4, end) === 0x79) p += 5;
  } else if (lower(s, p, end) === 0x6e && lower(s, p + 1, end) === 0x61 && lower(s, p + 2, end) === 0x6e) {
    p += 3;
  }
  while (isSpace(byteAt(s, p, end))) p++;
  if (p < end) return FMT_ERROR;
  scanResult.num = v;
  return FMT_NUM;
}

/** Store a 64-bit integer result; it must fit in 64 bits. */
function setU64(x: bigint, fmt: number, neg: boolean): number {
  if (x >= TWO64) return FMT_ERROR;
  scanResult.u64 = neg ? (TWO64 - x) % TWO64 : x;
  return fmt;
}

/** Value of a hex digit character (0-9, a-f, A-F). */
function hexVal(c: number): number {
  return c > 0x39 ? (c & 15) + 9 : c & 15;
}

/** Hex mantissa of `dig` digits from sp (skipping the point), times 2^ex2. */
function scanHex(s: string, sp: number, fmt: number, ex2: number, neg: boolean, dig: number): number {
  if (fmt >= FMT_I64) {
    if (dig > 16) return FMT_ERROR;
    return setU64(BigInt("0x" + s.slice(sp, sp + dig)), fmt, neg);
  }
  let p = sp;
  let v: number;
  if (dig <= 13) {
    // At most 52 bits: exact, so the only rounding is in the final scaling.
    let x = 0;
    for (let i = 0; i < dig; i++, p++) {
      if (s.charCodeAt(p) === 0x2e) p++;
      x = x * 16 + hexVal(s.charCodeAt(p));
    }
    v = ldexp(x, ex2);
  } else {
    // Keep 16 digits; further non-zero digits only matter as a sticky bit.
    let x = 0n;
    for (let i = 0; i < dig; i++, p++) {
      if (s.charCodeAt(p) === 0x2e) p++;
      const d = hexVal(s.charCodeAt(p));
      if (i < 16) x = (x << 4n) | BigInt(d);
      else {
        if (d) x |= 1n;
        ex2 += 4;
      }
    }
    v = bigToDouble(x, ex2);
  }
  scanResult.num = neg ? -v : v;
  return fmt === FMT_INT ? FMT_NUM : fmt;
}

/** Binary mantissa: up to 64 digits, each 0 or 1. */
function scanBin(s: string, sp: number, fmt: number, neg: boolean, dig: number): number {
  if (dig > 64) return FMT_ERROR;
  let x = 0;
  for (let i = 0; i < dig; i++) {
    const c = s.charCodeAt(sp + i);
    if ((c & ~1) !== 0x30) return FMT_ERROR;
    x = x * 2 + (c & 1); // exact up to 53 digits
  }
  if (fmt >= FMT_I64) return setU64(BigInt("0b" + s.slice(sp, sp + dig)), fmt, neg);
  const v = dig <= 53 ? x : Number(BigInt("0b" + s.slice(sp, sp + dig)));
  scanResult.num = neg ? -v : v;
  return fmt === FMT_INT ? FMT_NUM : fmt;
}

/**
 * x * 2^ex2 rounded once, to nearest-even, for x < 2^64 (strscan_double):
 * a denormal result is rounded in the integer first, so that the int-to-double
 * conversion and the scaling do not round twice.
 */
function bigToDouble(x: bigint, ex2: number): number {
  if (x >> 62n) {
    x = (x >> 2n) | (x & 3n);
    ex2 += 2;
  }
  if (ex2 <= -1075 && x !== 0n) {
    const top = x.toString(2).length - 1 + ex2;
    if (top <= -1023 && top >= -1075) {
      const half = 1n << BigInt(-1075 - ex2);
      if ((x & half) && (x & (3n * half - 1n))) x += 2n * half;
      x &= ~(2n * half - 1n);
    }
  }
  return ldexp(Number(x), ex2);
}

/** n * 2^e for an integral n (|n| < 2^64); only the last multiply can round. */
function ldexp(n: number, e: number): number {
  if (e > 1023) {
    n *= 2 ** 1023;
    e = Math.min(e - 1023, 1023); // n >= 1 already overflows beyond this
  } else if (e < -1022) {
    n *= 2 ** -1022; // still normal, exact
    e += 1022;
    if (e < -1074) return n * 0; // far below the smallest denormal
  }
  return n * 2 ** e;
}

/**
 * Convert a whole string as tonumber() does (forLexer false), or a literal as
 * the lexer sees it (forLexer true). Returns undefined when malformed, and also
 * for FFI literals (1LL, 2ULL, 3i), which are cdata rather than numbers; use
 * strscan() to tell those apart.
 */
export function scanNumber(s: string, forLexer: boolean): number | undefined {
  const fmt = strscan(s, 0, s.length, forLexer ? OPT_LEXER : OPT_TONUMBER);
  return fmt === FMT_NUM ? scanResult.num : undefined;
}
