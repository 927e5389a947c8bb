// Lua 5.1 pattern matching over binary strings, as LuaJIT 2.1 does it (the
// matcher in lib_string.c): same backtracking order, same recursion-depth
// limit, same errors, C-locale character classes from lj_char.c.
import { luaTypeOf, type LuaValue } from "../value.ts";

/** Where the VM reports an error: at the caller's line, as "bad argument #arg to 'f' (...)", or as a bare memory error. */
export type LuaStringErrorKind = "caller" | "arg" | "memory";

/**
 * An error raised by the string library, carrying LuaJIT's message text.
 * kind "caller" (lj_err_caller): the VM prefixes the calling Lua function's
 * position. kind "arg" (lj_err_arg): the VM wraps it as "bad argument #arg to
 * 'name' (message)", adjusting for method calls. kind "memory": the message is
 * "not enough memory" with no position, as for any out-of-memory error.
 */
export class LuaStringError extends Error {
  readonly kind: LuaStringErrorKind;
  /** 1-based argument index for kind "arg", 0 otherwise. */
  readonly arg: number;
  constructor(message: string, kind: LuaStringErrorKind = "caller", arg = 0) {
    super(message);
    this.name = "LuaStringError";
    this.kind = kind;
    this.arg = arg;
  }
}

export const MAXCAPTURES = 32;  // LUA_MAXCAPTURES
export const MAXCCALLS = 200;   // LJ_MAX_XLEVEL, the matcher's depth limit
const CAP_UNFINISHED = -1;
const CAP_POSITION = -2;

const ESC = 37;  // '%'

export const ERR_PATTERN_ENDS = "malformed pattern (ends with '%')";
export const ERR_PATTERN_BRACKET = "malformed pattern (missing ']')";
export const ERR_FRONTIER = "missing '[' after '%f' in pattern";
export const ERR_BALANCE = "unbalanced pattern";
export const ERR_TOO_COMPLEX = "pattern too complex";
export const ERR_CAPTURE_INDEX = "invalid capture index";
export const ERR_PATTERN_CAPTURE = "invalid pattern capture";
export const ERR_UNFINISHED = "unfinished capture";
export const ERR_TOO_MANY = "too many captures";

// -- Character classes --------------------------------------------------------

const CNTRL = 1, SPACE = 2, PUNCT = 4, DIGIT = 8, XDIGIT = 16, UPPER = 32, LOWER = 64;

/** lj_char_bits without the identifier bit: ASCII only, bytes 128..255 are in no class. */
export const CHAR_BITS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  const mark = (lo: number, hi: number, bit: number): void => { for (let c = lo; c <= hi; c++) t[c] |= bit; };
  mark(0, 31, CNTRL); mark(127, 127, CNTRL);
  mark(9, 13, SPACE); mark(32, 32, SPACE);
  mark(33, 47, PUNCT); mark(58, 64, PUNCT); mark(91, 96, PUNCT); mark(123, 126, PUNCT);
  mark(48, 57, DIGIT | XDIGIT);
  mark(65, 70, XDIGIT); mark(97, 102, XDIGIT);
  mark(65, 90, UPPER); mark(97, 122, LOWER);
  return t;
})();

/** Class letter (lower case) to the bits it tests; upper case letters complement. */
const CLASS_BITS: Record<string, number> = {
  a: UPPER | LOWER, c: CNTRL, d: DIGIT, g: UPPER | LOWER | DIGIT | PUNCT, l: LOWER,
  p: PUNCT, s: SPACE, u: UPPER, w: UPPER | LOWER | DIGIT, x: XDIGIT,
};

/** matchClass as a table: CLASS_MATCH[cl << 8 | c] is 1 when byte c matches "%cl". */
const CLASS_MATCH: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let cl = 0; cl < 256; cl++) {
    const lower = cl | 0x20;
    const bits = cl >= 65 && lower >= 97 && lower <= 122 ? CLASS_BITS[String.fromCharCode(lower)] ?? 0 : 0;
    for (let c = 0; c < 256; c++) {
      let m: boolean;
      if (bits) m = ((CHAR_BITS[c] & bits) !== 0) === (cl === lower);
      else if (cl === 122) m = c === 0;       // %z (deprecated in 5.2, still in LuaJIT)
      else if (cl === 90) m = c !== 0;        // %Z
      else m = cl === c;                      // %x for non-letters is the literal x
      t[cl << 8 | c] = m ? 1 : 0;
    }
  }
  return t;
})();

// -- Compiled pattern ---------------------------------------------------------

/**
 * A pattern as bytes, cut at the first NUL (the C matcher stops there) and
 * padded with zeros so that reading one or two bytes past the end yields NUL
 * as it does in C. `first` is filled lazily (see firstFilter).
 */
export interface Pattern {
  readonly bytes: Uint8Array;
  readonly length: number;
  /** lj_str_haspattern over the whole string (NULs included): does find need the matcher? */
  readonly special: boolean;
  /** undefined: not computed yet; null: no filter. Keyed by start offset 0 or 1 (after '^'). */
  first: (Uint8Array | null | undefined)[];
}

const patternCache = new Map<string, Pattern>();
const PATTERN_CACHE_MAX = 256;

/** The compiled form of a pattern string, cached (patterns in loops repeat). */
export function compilePattern(p: string): Pattern {
  let pat = patternCache.get(p);
  if (pat) return pat;
  const nul = p.indexOf("\0");
  const len = nul < 0 ? p.length : nul;
  const bytes = new Uint8Array(len + 4);
  for (let i = 0; i < len; i++) bytes[i] = p.charCodeAt(i);
  pat = { bytes, length: len, special: /[\^$*+?.([%-]/.test(p), first: [undefined, undefined] };
  if (p.length <= 1024) {
    if (patternCache.size >= PATTERN_CACHE_MAX) patternCache.clear();
    patternCache.set(p, pat);
  }
  return pat;
}

// -- Matcher ------------------------------------------------------------------

/** State of one search; reset `level` and `depth` before each start position. */
export class MatchState {
  src: string;
  end: number;
  pat: Uint8Array;
  level = 0;
  depth = 0;
  readonly capInit = new Int32Array(MAXCAPTURES);
  readonly capLen = new Int32Array(MAXCAPTURES);
  constructor(src: string, pat: Pattern) {
    this.src = src;
    this.end = src.length;
    this.pat = pat.bytes;
  }
}

// States are pooled: find/match in a loop would otherwise allocate two typed
// arrays per call. A state is taken for one call and given back at its end
// (a throw just drops it); nested calls (gsub callbacks) take their own.
const statePool: MatchState[] = [];

export function acquireState(src: string, pat: Pattern): MatchState {
  const ms = statePool.pop();
  if (ms === undefined) return new MatchState(src, pat);
  ms.src = src;
  ms.end = src.length;
  ms.pat = pat.bytes;
  return ms;
}

export function releaseState(ms: MatchState): void {
  ms.src = "";  // do not keep a large subject alive
  if (statePool.length < 8) statePool.push(ms);
}

/** Index just past the single-char class at p ('%x', '[set]' or one char). */
function classEnd(pat: Uint8Array, p: number): number {
  const c = pat[p++];
  if (c === ESC) {
    if (pat[p] === 0) throw new LuaStringError(ERR_PATTERN_ENDS);
    return p + 1;
  }
  if (c === 91) {  // '['
    if (pat[p] === 94) p++;  // '^'
    // The first char after '[' or '[^' is never the closing ']'.
    do {
      if (pat[p] === 0) throw new LuaStringError(ERR_PATTERN_BRACKET);
      if (pat[p++] === ESC && pat[p] !== 0) p++;
    } while (pat[p] !== 93);
    return p + 1;
  }
  return p;
}

/** Does byte c match the set that starts with '[' at p and ends with ']' at ec? */
function matchBracket(c: number, pat: Uint8Array, p: number, ec: number): boolean {
  let sig = true;
  if (pat[p + 1] === 94) { sig = false; p++; }
  while (++p < ec) {
    const pc = pat[p];
    if (pc === ESC) {
      p++;
      if (CLASS_MATCH[pat[p] << 8 | c]) return sig;
    } else if (pat[p + 1] === 45 && p + 2 < ec) {  // range a-z
      p += 2;
      if (pc <= c && c <= pat[p]) return sig;
    } else if (pc === c) {
      return sig;
    }
  }
  return !sig;
}

function singleMatch(c: number, pat: Uint8Array, p: number, ep: number): boolean {
  switch (pat[p]) {
    case 46: return true;  // '.'
    case ESC: return CLASS_MATCH[pat[p + 1] << 8 | c] === 1;
    case 91: return matchBracket(c, pat, p, ep - 1);
    default: return pat[p] === c;
  }
}

function matchBalance(ms: MatchState, s: number, p: number): number {
  const pat = ms.pat;
  const open = pat[p], close = pat[p + 1];
  if (open === 0 || close === 0) throw new LuaStringError(ERR_BALANCE);
  const src = ms.src, end = ms.end;
  if (s >= end || src.charCodeAt(s) !== open) return -1;
  let depth = 1;
  while (++s < end) {
    const c = src.charCodeAt(s);
    if (c === close) {
      if (--depth === 0) return s + 1;
    } else if (c === open) {
      depth++;
    }
  }
  return -1;
}

/** Greedy repetition: take as many as possible, then back off one at a time. */
function maxExpand(ms: MatchState, s: number, p: number, ep: number): number {
  const src = ms.src, pat = ms.pat;
  let i = 0;
  if (pat[p] === 46) {
    i = ms.end - s;
  } else {
    const limit = ms.end - s;
    while (i < limit && singleMatch(src.charCodeAt(s + i), pat, p, ep)) i++;
  }
  for (; i >= 0; i--) {
    const r = doMatch(ms, s + i, ep + 1);
    if (r >= 0) return r;
  }
  return -1;
}

/** Lazy repetition: try the rest first, then take one more. */
function minExpand(ms: MatchState, s: number, p: number, ep: number): number {
  const src = ms.src, pat = ms.pat, end = ms.end;
  for (;;) {
    const r = doMatch(ms, s, ep + 1);
    if (r >= 0) return r;
    if (s < end && singleMatch(src.charCodeAt(s), pat, p, ep)) s++;
    else return -1;
  }
}

function startCapture(ms: MatchState, s: number, p: number, what: number): number {
  const level = ms.level;
  if (level >= MAXCAPTURES) throw new LuaStringError(ERR_TOO_MANY);
  ms.capInit[level] = s;
  ms.capLen[level] = what;
  ms.level = level + 1;
  const r = doMatch(ms, s, p);
  if (r < 0) ms.level--;
  return r;
}

function endCapture(ms: MatchState, s: number, p: number): number {
  let l = ms.level - 1;
  while (l >= 0 && ms.capLen[l] !== CAP_UNFINISHED) l--;
  if (l < 0) throw new LuaStringError(ERR_PATTERN_CAPTURE);
  ms.capLen[l] = s - ms.capInit[l];
  const r = doMatch(ms, s, p);
  if (r < 0) ms.capLen[l] = CAP_UNFINISHED;
  return r;
}

/** Back-reference %1..%9 (digit is the char code); a position capture never matches. */
function matchBackref(ms: MatchState, s: number, digit: number): number {
  const l = digit - 49;
  if (l < 0 || l >= ms.level || ms.capLen[l] === CAP_UNFINISHED) throw new LuaStringError(ERR_CAPTURE_INDEX);
  const len = ms.capLen[l];
  if (len < 0 || ms.end - s < len) return -1;
  const src = ms.src, init = ms.capInit[l];
  for (let k = 0; k < len; k++) if (src.charCodeAt(init + k) !== src.charCodeAt(s + k)) return -1;
  return s + len;
}

/**
 * Match pattern bytes from p against the subject from s; returns the end of
 * the match or -1. Recursion happens only where LuaJIT's match() recurses
 * (captures and quantified items), so the JS stack depth stays bounded by
 * MAXCCALLS whatever the subject length.
 */
export function doMatch(ms: MatchState, s: number, p: number): number {
  if (++ms.depth > MAXCCALLS) throw new LuaStringError(ERR_TOO_COMPLEX);
  const pat = ms.pat, src = ms.src, end = ms.end;
  for (;;) {
    const c = pat[p];
    if (c === 0) break;  // end of pattern: success
    if (c === 40) {  // '('
      s = pat[p + 1] === 41 ? startCapture(ms, s, p + 2, CAP_POSITION) : startCapture(ms, s, p + 1, CAP_UNFINISHED);
      break;
    }
    if (c === 41) {  // ')'
      s = endCapture(ms, s, p + 1);
      break;
    }
    if (c === ESC) {
      const k = pat[p + 1];
      if (k === 98) {  // %b
        s = matchBalance(ms, s, p + 2);
        if (s < 0) break;
        p += 4;
        continue;
      }
      if (k === 102) {  // %f
        p += 2;
        if (pat[p] !== 91) throw new LuaStringError(ERR_FRONTIER);
        const ep = classEnd(pat, p);
        const prev = s === 0 ? 0 : src.charCodeAt(s - 1);
        const cur = s < end ? src.charCodeAt(s) : 0;
        if (matchBracket(prev, pat, p, ep - 1) || !matchBracket(cur, pat, p, ep - 1)) { s = -1; break; }
        p = ep;
        continue;
      }
      if (k >= 48 && k <= 57) {  // %0..%9
        s = matchBackref(ms, s, k);
        if (s < 0) break;
        p += 2;
        continue;
      }
      // Any other escape is a single-char item, handled below.
    } else if (c === 36 && pat[p + 1] === 0) {  // '$' at the very end
      if (s !== end) s = -1;
      break;
    }
    const ep = classEnd(pat, p);
    const m = s < end && singleMatch(src.charCodeAt(s), pat, p, ep);
    const q = pat[ep];
    if (q === 63) {  // '?'
      if (m) {
        const r = doMatch(ms, s + 1, ep + 1);
        if (r >= 0) { s = r; break; }
      }
      p = ep + 1;
      continue;
    }
    if (q === 42) { s = maxExpand(ms, s, p, ep); break; }              // '*'
    if (q === 43) { s = m ? maxExpand(ms, s + 1, p, ep) : -1; break; } // '+'
    if (q === 45) { s = minExpand(ms, s, p, ep); break; }              // '-'
    if (!m) { s = -1; break; }
    s++;
    p = ep;
  }
  ms.depth--;
  return s;
}

// -- First-char filter --------------------------------------------------------

/**
 * Bytes that can begin a match of the pattern from p, or null when any
 * position might match. Only built when skipping a non-member position is
 * invisible: the first item (after at most a few opening captures) is a
 * single-char class that must match once, so a try there would fail at once
 * without touching later pattern text (and so without raising its errors).
 */
export function firstFilter(pat: Pattern, p: number): Uint8Array | null {
  const cached = pat.first[p];
  if (cached !== undefined) return cached;
  const bytes = pat.bytes;
  let q = p;
  for (let n = 0; n < 8 && bytes[q] === 40; n++) q += bytes[q + 1] === 41 ? 2 : 1;
  let filter: Uint8Array | null = null;
  const c = bytes[q];
  const special = c === 0 || c === 40 || c === 41 || (c === 36 && bytes[q + 1] === 0) ||
    (c === ESC && (bytes[q + 1] === 98 || bytes[q + 1] === 102 || (bytes[q + 1] >= 48 && bytes[q + 1] <= 57)));
  if (!special && c !== 46) {
    // A malformed class gets no filter: the first try must raise its error.
    let ep: number;
    try { ep = classEnd(bytes, q); } catch { ep = -1; }
    const quant = ep < 0 ? 0 : bytes[ep];
    if (ep >= 0 && quant !== 63 && quant !== 42 && quant !== 45) {
      filter = new Uint8Array(256);
      for (let ch = 0; ch < 256; ch++) filter[ch] = singleMatch(ch, bytes, q, ep) ? 1 : 0;
    }
  }
  pat.first[p] = filter;
  return filter;
}

/** First index >= s (and < end) whose byte passes the filter, or end. */
export function skipTo(src: string, s: number, end: number, filter: Uint8Array): number {
  while (s < end && filter[src.charCodeAt(s)] === 0) s++;
  return s;
}

// -- Captures -----------------------------------------------------------------

/** Capture i of a match [s, e): a string, or a number for a position capture (push_onecapture). */
export function getCapture(ms: MatchState, i: number, s: number, e: number): string | number {
  if (i >= ms.level) {
    if (i === 0) return ms.src.slice(s, e);
    throw new LuaStringError(ERR_CAPTURE_INDEX);
  }
  const len = ms.capLen[i];
  if (len === CAP_UNFINISHED) throw new LuaStringError(ERR_UNFINISHED);
  const init = ms.capInit[i];
  return len === CAP_POSITION ? init + 1 : ms.src.slice(init, init + len);
}

/**
 * All captures of a match (push_captures). With `whole`, a pattern without
 * captures yields the whole match [s, e); without, it yields nothing (find).
 */
export function getCaptures(ms: MatchState, s: number, e: number, whole: boolean): (string | number)[] {
  const n = ms.level === 0 && whole ? 1 : ms.level;
  const out = new Array<string | number>(n);
  for (let i = 0; i < n; i++) out[i] = getCapture(ms, i, s, e);
  return out;
}

/** "invalid replacement value (a table)" and the like, for gsub. */
export function badReplacement(v: LuaValue): LuaStringError {
  return new LuaStringError(`invalid replacement value (a ${luaTypeOf(v)})`);
}
