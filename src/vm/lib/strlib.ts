// The string library's pure core (LuaJIT's lib_string.c, and lj_strfmt.c for
// string.format): functions over binary strings that take already-checked JS
// arguments and return JS values; the VM does the Lua calling convention.
import { formatNumber, formatPrintf, parseFormat, type FormatSpec, type FormatToken } from "../../util/numfmt.ts";
import { luaTypeOf, type LuaValue } from "../value.ts";
import {
  LuaStringError, acquireState, badReplacement, compilePattern, doMatch, firstFilter, getCapture, getCaptures,
  releaseState, skipTo, type MatchState, type Pattern,
} from "./lpattern.ts";

export { LuaStringError, type LuaStringErrorKind } from "./lpattern.ts";

/** A capture: a substring, or a position (1-based) for "()". */
export type Capture = string | number;

/** LuaJIT's longest string (LJ_MAX_STR); longer results are "not enough memory". */
export const LJ_MAX_STR = 0x7fffff00;
/** At most this many results from string.byte (LUAI_MAXCSTACK). */
const MAX_BYTE_RESULTS = 8000;

const memoryError = (): LuaStringError => new LuaStringError("not enough memory", "memory");

/**
 * lj_num2int: C's (int32_t) cast on x64, i.e. truncation, with NaN and
 * anything out of range becoming INT32_MIN. LuaJIT applies it to every
 * integer argument of the string functions (lj_lib_checkint/optint).
 */
export function num2int(n: number): number {
  return n >= -2147483648 && n < 2147483648 ? Math.trunc(n) : -2147483648;
}

// -- Simple functions -------------------------------------------------------------

export function len(s: string): number {
  return s.length;
}

/** string.sub with the index rules of LuaJIT's fast path (vm_x64.dasc): j defaults to -1. */
export function sub(s: string, i: number, j = -1): string {
  const n = s.length;
  let start = num2int(i), stop = num2int(j);
  if (stop < 0) stop += n + 1;
  else if (stop > n) stop = n;
  if (start <= 0) {
    start = start === 0 ? 1 : start + n + 1;
    if (start <= 0) start = 1;
  }
  return start > stop ? "" : s.slice(start - 1, stop);
}

/** string.byte: the codes of s[i..j]; j defaults to i. */
export function byte(s: string, i = 1, j?: number): number[] {
  const n = s.length;
  let start = num2int(i);
  let stop = j === undefined ? start : num2int(j);
  if (stop < 0) stop += n + 1;
  if (start < 0) start += n + 1;
  if (start <= 0) start = 1;
  if (stop > n) stop = n;
  if (start > stop) return [];
  const count = stop - start + 1;
  if (count > MAX_BYTE_RESULTS) throw new LuaStringError("string slice too long");
  const out = new Array<number>(count);
  for (let k = 0; k < count; k++) out[k] = s.charCodeAt(start - 1 + k);
  return out;
}

/** string.char: one byte per code; anything outside 0..255 is "bad argument #k (invalid value)". */
export function char(codes: readonly number[]): string {
  const n = codes.length;
  const buf = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const c = num2int(codes[k]);
    if (c < 0 || c > 255) throw new LuaStringError("invalid value", "arg", k + 1);
    buf[k] = c;
  }
  return bytesToString(buf, n);
}

const CHUNK = 8192;

/** The first n bytes as a binary string, converted in slices to stay under engines' argument limits. */
function bytesToString(bytes: Uint8Array, n: number): string {
  // apply() takes any array-like, typed arrays included.
  if (n <= CHUNK) return String.fromCharCode.apply(null, bytes.subarray(0, n) as unknown as number[]);
  const parts: string[] = [];
  for (let k = 0; k < n; k += CHUNK) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(k, Math.min(k + CHUNK, n)) as unknown as number[]));
  }
  return parts.join("");
}

const bufferPool: Uint8Array[] = [];

/**
 * A string builder for gsub: short pieces are copied into an 8 KB byte
 * buffer and long ones kept as slices, since joining hundreds of thousands
 * of tiny strings costs several times more than copying their bytes.
 */
class StrBuf {
  private readonly bytes: Uint8Array = bufferPool.pop() ?? new Uint8Array(CHUNK);
  private n = 0;
  private readonly parts: string[] = [];

  add(s: string): void {
    this.addRange(s, 0, s.length);
  }

  addRange(s: string, from: number, to: number): void {
    if (to - from >= 256) {
      this.flush();
      this.parts.push(s.slice(from, to));
      return;
    }
    const b = this.bytes;
    let n = this.n;
    for (let k = from; k < to; k++) {
      if (n === CHUNK) { this.n = n; this.flush(); n = 0; }
      b[n++] = s.charCodeAt(k);
    }
    this.n = n;
  }

  private flush(): void {
    if (this.n > 0) this.parts.push(bytesToString(this.bytes, this.n));
    this.n = 0;
  }

  /** The result; the builder must not be used afterwards. */
  finish(): string {
    this.flush();
    if (bufferPool.length < 4) bufferPool.push(this.bytes);
    const parts = this.parts;
    return parts.length === 1 ? parts[0] : parts.join("");
  }
}

/** string.rep(s, n [, sep]); results beyond LuaJIT's (or the JS engine's) string limit are a memory error. */
export function rep(s: string, n: number, sep?: string): string {
  const count = num2int(n);
  if (count <= 0) return "";
  if (sep !== undefined && count > 1) {
    // LuaJIT writes s, then (sep .. s) count-1 times; both limits apply.
    const unit = sep.length + s.length;
    if ((count - 1) * unit > LJ_MAX_STR || s.length + (count - 1) * unit > LJ_MAX_STR) throw memoryError();
    return repeatOrFail(s, sep + s, count - 1);
  }
  if (s.length === 0) return "";
  if (count * s.length > LJ_MAX_STR) throw memoryError();
  return repeatOrFail("", s, count);
}

function repeatOrFail(head: string, unit: string, count: number): string {
  try {
    return head + unit.repeat(count);
  } catch (e) {
    // Beyond the engine's maximum string length (smaller than LuaJIT's): not enough memory.
    if (e instanceof RangeError) throw memoryError();
    throw e;
  }
}

/** string.reverse. */
export function reverse(s: string): string {
  const n = s.length;
  if (n < 2) return s;
  const bytes = new Uint8Array(n);
  for (let k = 0, m = n - 1; k < n; k++, m--) bytes[k] = s.charCodeAt(m);
  return bytesToString(bytes, n);
}

// C-locale case mapping touches ASCII letters only (lj_char_toupper); JS's
// toUpperCase would also map bytes like 0xE0 or turn 0xDF into "SS".
const NON_ASCII = /[\x80-\xff]/;

export function upper(s: string): string {
  return NON_ASCII.test(s) ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s.toUpperCase();
}

export function lower(s: string): string {
  return NON_ASCII.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s.toLowerCase();
}

// -- find / match ---------------------------------------------------------------

/** Start offset (0-based) for find/match from the init argument (str_find_aux, Lua 5.1 rules). */
function startOffset(n: number, init: number | undefined): number {
  let start = init === undefined ? 1 : num2int(init);
  if (start < 0) start += n;
  else start--;
  if (start < 0) start = 0;
  return start > n ? n : start;
}

/**
 * Tries the pattern at `start` and, unless it is anchored with '^', at each
 * later position (the end included); returns the match end (the start is
 * left in searchStart, the captures in ms), or -1.
 */
function search(ms: MatchState, pat: Pattern, start: number): number {
  const anchor = pat.bytes[0] === 94;
  const p = anchor ? 1 : 0;
  const filter = anchor ? null : firstFilter(pat, p);
  const end = ms.end;
  for (let s = start; ; s++) {
    if (filter !== null) s = skipTo(ms.src, s, end, filter);
    ms.level = 0;
    ms.depth = 0;
    const e = doMatch(ms, s, p);
    if (e >= 0) {
      searchStart = s;
      return e;
    }
    if (s >= end || anchor) return -1;
  }
}

/** Where the last successful search() matched (saves allocating a pair). */
let searchStart = 0;

/**
 * string.find: [start, end, ...captures] (1-based, inclusive), or null when
 * there is no match. A plain search is used when `plain` is truthy or the
 * pattern has no special characters.
 */
export function find(s: string, pattern: string, init?: number, plain = false): Capture[] | null {
  const start = startOffset(s.length, init);
  const pat = plain ? null : compilePattern(pattern);
  if (pat === null || !pat.special) {
    const q = s.indexOf(pattern, start);
    return q < 0 ? null : [q + 1, q + pattern.length];
  }
  const ms = acquireState(s, pat);
  const e = search(ms, pat, start);
  if (e < 0) { releaseState(ms); return null; }
  const b = searchStart;
  const n = ms.level;
  const out = new Array<Capture>(n + 2);
  out[0] = b + 1;
  out[1] = e;
  for (let i = 0; i < n; i++) out[i + 2] = getCapture(ms, i, b, e);
  releaseState(ms);
  return out;
}

/** string.match: the captures (or the whole match), or null when there is no match. */
export function match(s: string, pattern: string, init?: number): Capture[] | null {
  const pat = compilePattern(pattern);
  const ms = acquireState(s, pat);
  const e = search(ms, pat, startOffset(s.length, init));
  const caps = e < 0 ? null : getCaptures(ms, searchStart, e, true);
  releaseState(ms);
  return caps;
}

// -- gmatch ---------------------------------------------------------------------

/**
 * The state of a string.gmatch iterator. As in LuaJIT (Lua 5.1), '^' is not
 * an anchor here but a literal character, and an empty match moves the next
 * search one byte further.
 */
export class GmatchIterator {
  private readonly src: string;
  private readonly pat: Pattern;
  private pos = 0;

  constructor(s: string, pattern: string) {
    this.src = s;
    this.pat = compilePattern(pattern);
  }

  /** The next match's captures (or whole match), or null when there are no more. */
  next(): Capture[] | null {
    const end = this.src.length;
    if (this.pos > end) return null;
    const filter = firstFilter(this.pat, 0);
    const ms = acquireState(this.src, this.pat);
    for (let src = this.pos; src <= end; src++) {
      if (filter !== null) src = skipTo(ms.src, src, end, filter);
      ms.level = 0;
      ms.depth = 0;
      const e = doMatch(ms, src, 0);
      if (e >= 0) {
        this.pos = e === src ? e + 1 : e;
        const caps = getCaptures(ms, src, e, true);
        releaseState(ms);
        return caps;
      }
    }
    releaseState(ms);
    // Searching again would fail the same way.
    this.pos = end + 1;
    return null;
  }
}

/** string.gmatch: an iterator object; call next() until it returns null. */
export function gmatch(s: string, pattern: string): GmatchIterator {
  return new GmatchIterator(s, pattern);
}

// -- gsub -----------------------------------------------------------------------

/**
 * A gsub replacement computed by the VM: called with the captures (all of
 * them for a function, only the first for a table lookup) and returning the
 * replacement; nil or false keeps the matched text, and anything but a
 * string or number is "invalid replacement value (a <type>)".
 */
export type GsubCallback = (captures: Capture[]) => LuaValue;

/** Pieces of a replacement string: text, or a capture index (-1 = whole match, %0). */
type ReplPart = string | number;

/** Splits a replacement string at its '%' escapes, as add_s reads it. */
function parseRepl(repl: string): ReplPart[] {
  const parts: ReplPart[] = [];
  let lit = "";
  let from = 0;
  for (;;) {
    const pct = repl.indexOf("%", from);
    if (pct < 0) { lit += repl.slice(from); break; }
    lit += repl.slice(from, pct);
    // A trailing '%' reads the string's terminating NUL, which is then copied.
    const c = pct + 1 < repl.length ? repl.charCodeAt(pct + 1) : 0;
    if (c < 48 || c > 57) {
      lit += String.fromCharCode(c);
    } else {
      if (lit) { parts.push(lit); lit = ""; }
      parts.push(c - 49);
    }
    from = pct + 2;
    if (from > repl.length) break;
  }
  if (lit) parts.push(lit);
  return parts;
}

/**
 * string.gsub(s, pattern, repl [, maxn]) → [result, count]. `repl` is a
 * string (or number) with %0-%9 escapes, or a callback the VM builds for a
 * function or table; for a table pass `tableLookup` so that only the first
 * capture is computed, as LuaJIT does. `maxn` is converted like LuaJIT's
 * luaL_optint (int64 truncation, then the low 32 bits).
 */
export function gsub(
  s: string, pattern: string, repl: string | number | GsubCallback, maxn?: number, tableLookup = false,
): [string, number] {
  const end = s.length;
  const maxS = maxn === undefined ? end + 1 : maxn >= -(2 ** 63) && maxn < 2 ** 63 ? maxn | 0 : 0;
  const pat = compilePattern(pattern);
  const anchor = pat.bytes[0] === 94;
  const p = anchor ? 1 : 0;
  const filter = anchor ? null : firstFilter(pat, p);
  let parts: ReplPart[] | null = null;
  let constant: string | null = null;
  let callback: GsubCallback | null = null;
  if (typeof repl === "function") {
    callback = repl;
  } else {
    parts = parseRepl(typeof repl === "number" ? formatNumber(repl) : repl);
    if (parts.length === 0) constant = "";
    else if (parts.length === 1 && typeof parts[0] === "string") constant = parts[0];
  }

  const ms = acquireState(s, pat);
  let out: StrBuf | null = null;  // created at the first match
  let copyFrom = 0;  // start of unmatched text not yet copied to out
  let src = 0;
  let n = 0;
  while (n < maxS) {
    if (filter !== null) src = skipTo(s, src, end, filter);
    ms.level = 0;
    ms.depth = 0;
    const e = doMatch(ms, src, p);
    if (e >= 0) {
      n++;
      out ??= new StrBuf();
      if (src > copyFrom) out.addRange(s, copyFrom, src);
      if (constant !== null) {
        out.add(constant);
      } else if (parts !== null) {
        for (let k = 0; k < parts.length; k++) {
          const part = parts[k];
          if (typeof part === "string") out.add(part);
          else if (part < 0) out.addRange(s, src, e);
          else {
            const c = getCapture(ms, part, src, e);
            out.add(typeof c === "number" ? formatNumber(c) : c);
          }
        }
      } else {
        const caps = tableLookup ? [getCapture(ms, 0, src, e)] : getCaptures(ms, src, e, true);
        const v = callback!(caps);
        if (v === undefined || v === false) out.addRange(s, src, e);
        else if (typeof v === "string") out.add(v);
        else if (typeof v === "number") out.add(formatNumber(v));
        else throw badReplacement(v);
      }
      copyFrom = src;
      if (e > src) {
        src = copyFrom = e;
        if (anchor) break;
        continue;
      }
    }
    if (src >= end || anchor) break;
    src++;  // the byte at src stays; it is copied later with its neighbours
  }
  releaseState(ms);
  if (out === null) return [s, 0];
  out.addRange(s, copyFrom, end);
  return [out.finish(), n];
}

// -- format -----------------------------------------------------------------------

/** VM services string.format needs beyond tostring. */
export interface FormatHooks {
  /**
   * String to number as the VM's tonumber does (lj_strscan); used when a
   * numeric conversion gets a string. Returns undefined for non-numbers.
   */
  tonumber?: (s: string) => number | undefined;
  /**
   * The address %p prints (lj_obj_ptr): 0 prints "NULL", as LuaJIT does for
   * nil, booleans and numbers. Without this hook every value prints "NULL".
   */
  pointer?: (v: LuaValue) => number;
}

const formatCache = new Map<string, FormatToken[]>();

function formatTokens(fmt: string): FormatToken[] {
  let tokens = formatCache.get(fmt);
  if (!tokens) {
    tokens = parseFormat(fmt);
    if (fmt.length <= 1024) {
      if (formatCache.size >= 256) formatCache.clear();
      formatCache.set(fmt, tokens);
    }
  }
  return tokens;
}

const isPlain = (sp: FormatSpec): boolean =>
  sp.width === 0 && sp.precision < 0 && !sp.left && !sp.plus && !sp.zero && !sp.space && !sp.alt;

/**
 * string.format(fmt, ...args), `args` being the arguments after fmt.
 * `tostringFn` renders every non-string argument of %s and %q, numbers
 * included (LuaJIT looks up __tostring for them too): it should call a
 * __tostring metamethod if there is one and, if that returns a non-string,
 * render the result without metamethods (LuaJIT calls __tostring once, then
 * uses lj_strfmt_obj); without a metamethod, numbers print as formatNumber.
 * Errors, in argument order: an unknown conversion is a caller error
 * "invalid option '%y' to 'format'"; a missing argument is "bad argument #k
 * (value expected)"; a non-number for a numeric conversion is "bad argument
 * #k (number expected, got <type>)". LuaJIT 2.1 has no "repeated flags" or
 * "no integer representation" errors: flags may repeat, %d truncates, %x of a
 * negative number is its 64-bit two's complement, and a third width or
 * precision digit makes the option invalid ("%123d" → '%123').
 */
export function format(
  fmt: string, args: readonly LuaValue[], tostringFn: (v: LuaValue) => string, hooks?: FormatHooks,
): string {
  if (fmt.indexOf("%") < 0) return fmt;
  const tokens = formatTokens(fmt);
  let out = "";
  let next = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (tok.kind === "literal") { out += tok.text; continue; }
    if (tok.kind === "error") throw new LuaStringError(`invalid option '${tok.text}' to 'format'`);
    const argNo = next + 2;  // the format string is argument #1
    if (next >= args.length) throw new LuaStringError("value expected", "arg", argNo);
    const v = args[next++];
    const sp = tok.spec;
    switch (sp.conv) {
      case "s": {
        const str = typeof v === "string" ? v : tostringFn(v);
        out += isPlain(sp) ? str : formatPrintf(sp, str);
        break;
      }
      case "q":
        out += quoteString(typeof v === "string" ? v : tostringFn(v));
        break;
      case "f": {
        const x = checkNumber(v, argNo, hooks);
        out += fixedFast(sp, x) ?? formatPrintf(sp, x);
        break;
      }
      case "d": case "i": {
        const x = checkNumber(v, argNo, hooks);
        out += isPlain(sp) && x > -9007199254740992 && x < 9007199254740992 ? String(Math.trunc(x)) : formatPrintf(sp, x);
        break;
      }
      case "c":
        out += formatPrintf(sp, num2int(checkNumber(v, argNo, hooks)));
        break;
      case "p":
        out += formatPrintf(sp, hooks?.pointer ? hooks.pointer(v) : 0);
        break;
      default:
        out += formatPrintf(sp, checkNumber(v, argNo, hooks));
    }
  }
  return out;
}

/**
 * %q (strfmt_putquotedlen): '"', '\\' and newline get a backslash, other
 * control bytes become decimal escapes, three digits wide when a digit
 * follows. Only the special bytes go through the callback.
 */
function quoteString(str: string): string {
  return '"' + str.replace(/["\\\x00-\x1f\x7f]/g, (c: string, i: number) => {
    const code = c.charCodeAt(0);
    if (code === 34 || code === 92 || code === 10) return "\\" + c;
    const next = str.charCodeAt(i + 1);
    if (next >= 48 && next <= 57) return code < 10 ? "\\00" + code : code < 100 ? "\\0" + code : "\\" + code;
    return "\\" + code;
  }) + '"';
}

/**
 * %f through Number.prototype.toFixed, which is exact and rounds ties away
 * from zero just like LuaJIT's lj_strfmt_num; null where toFixed cannot be
 * used (|x| >= 1e21, NaN, infinities, the '#' flag).
 */
function fixedFast(sp: FormatSpec, x: number): string | null {
  if (!(x > -1e21 && x < 1e21) || sp.alt) return null;
  const neg = x < 0 || (x === 0 && 1 / x < 0);
  const body = (neg ? -x : x).toFixed(sp.precision < 0 ? 6 : sp.precision);
  const sign = neg ? "-" : sp.plus ? "+" : sp.space ? " " : "";
  const fill = sp.width - sign.length - body.length;
  if (fill <= 0) return sign + body;
  if (sp.left) return sign + body + " ".repeat(fill);
  if (sp.zero) return sign + "0".repeat(fill) + body;
  return " ".repeat(fill) + sign + body;
}

/** lj_lib_checknum: numbers, and strings that convert to one. */
function checkNumber(v: LuaValue, argNo: number, hooks: FormatHooks | undefined): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const n = (hooks?.tonumber ?? scanNumber)(v);
    if (n !== undefined) return n;
  }
  throw new LuaStringError(`number expected, got ${luaTypeOf(v)}`, "arg", argNo);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INF_NAN = /^([+-]?)(inf(?:inity)?|nan)$/i;

/**
 * A fallback for FormatHooks.tonumber covering the common lj_strscan forms:
 * decimal, hex (with fraction and binary exponent), inf/nan, surrounding
 * whitespace. The VM should pass its own tonumber for full fidelity.
 */
export function scanNumber(str: string): number | undefined {
  const t = str.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "");
  if (DECIMAL.test(t)) return Number(t);
  const h = HEX.exec(t);
  if (h && (h[2] || h[3])) {
    const digits = h[2] + (h[3] ?? "");
    let x = 0;
    for (let k = 0; k < digits.length; k++) x = x * 16 + parseInt(digits[k], 16);
    x *= 2 ** (Number(h[4] ?? 0) - 4 * (h[3]?.length ?? 0));
    return h[1] === "-" ? -x : x;
  }
  const m = INF_NAN.exec(t);
  if (m) return m[2].toLowerCase() === "nan" ? NaN : m[1] === "-" ? -Infinity : Infinity;
  return undefined;
}
