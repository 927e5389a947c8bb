// Lexical analyzer for Lua source held as a binary string (lj_lex.c): tokens,
// one token of lookahead, line counting and LuaJIT's lexer error messages.
import { shortSrc } from "../bc/proto.ts";
import { CH_IDENT, CHAR_CLASS, isDigit, isSpace, isXDigit } from "./chars.ts";
import { ERRMSG, formatMessage } from "./errmsg.ts";
import { LuaSyntaxError } from "./errors.ts";
import { FMT_ERROR, FMT_NUM, OPT_LEXER, scanResult, strscan } from "./strscan.ts";
import { RESERVED_WORDS, TK, tokenToString } from "./tokens.ts";

const TK_NAME = TK.name;
const TK_STRING = TK.string;
const TK_NUMBER = TK.number;
const TK_EOF = TK.eof;

/** LJ_MAX_LINE: line numbers must stay below this. */
const MAX_LINE = 0x7fffff00;

// DIVERGENCE: LuaJIT (built with FFI) turns 1LL, 1ULL and 1i into cdata
// constants. ljscope has no FFI, and treating them as plain numbers would
// silently change their meaning, so they are rejected with this message.
const CDATA_LITERAL = "cdata number literals (LL, ULL, i) are not supported";

/** Value of a token: the string for names and strings, the number for numbers. */
export type TokenValue = string | number | undefined;

const isEol = (c: number): boolean => c === 10 || c === 13;

function hexVal(c: number): number {
  return c > 0x39 ? (c & 15) + 9 : c & 15;
}

export class Lexer {
  /** Current token: a byte value for single-char tokens, else a TK value. */
  tok = 0;
  /** Value of tok: string for names, reserved words and strings, number for numbers. */
  tokval: TokenValue = undefined;
  /** Token scanned by peek(), or TK.eof when there is none. */
  lookahead = TK_EOF;
  lookaheadval: TokenValue = undefined;
  /** Line of the scanning position (ahead of tok after peek() or a multi-line token). */
  linenumber = 1;
  /** Line where the previous token ended: linenumber as it was when next() was called. */
  lastline = 1;
  /** Raw chunk name ("@x.lua", "=stdin" or the source text). */
  readonly chunkname: string;
  /** The chunk starts with ESC: LuaJIT would load it as bytecode, not parse it. */
  readonly isBytecode: boolean = false;

  private readonly src: string;
  private readonly end: number;
  /** Index of the current character. */
  private pos = 0;
  /** Value of the token last scanned, before next()/peek() file it. */
  private val: TokenValue = undefined;
  // LuaJIT's save buffer, which "near '...'" quotes: either text, or (for
  // numbers, to avoid a slice per literal) the source range bufFrom..bufTo.
  private bufText = "";
  private bufFrom = -1;
  private bufTo = 0;

  /**
   * Set up as lj_lex_setup: skip a UTF-8 BOM and a first line starting with
   * '#'. `source` must be a binary string (char codes 0..255).
   */
  constructor(source: string, chunkname: string) {
    this.src = source;
    this.end = source.length;
    this.chunkname = chunkname;
    let header = false;
    if (source.charCodeAt(0) === 0xef && source.charCodeAt(1) === 0xbb && source.charCodeAt(2) === 0xbf) {
      this.pos = 3;
      header = true;
    }
    if (source.charCodeAt(this.pos) === 0x23) {
      do {
        if (++this.pos >= this.end) return;
      } while (!isEol(source.charCodeAt(this.pos)));
      this.newline();
      header = true;
    }
    if (source.charCodeAt(this.pos) === 0x1b) {
      // Bytecode behind a BOM or '#' line is refused, without a location.
      if (header) throw new LuaSyntaxError(ERRMSG.BCBAD);
      this.isBytecode = true;
    }
  }

  /** Advance to the next token (lj_lex_next). */
  next(): void {
    this.lastline = this.linenumber;
    if (this.lookahead === TK_EOF) {
      this.tok = this.scan();
      this.tokval = this.val;
    } else {
      this.tok = this.lookahead;
      this.tokval = this.lookaheadval;
      this.lookahead = TK_EOF;
    }
  }

  /** Scan the token after tok without consuming it (lj_lex_lookahead). */
  peek(): number {
    if (this.lookahead !== TK_EOF) throw new Error("Lexer.peek: double lookahead");
    this.lookahead = this.scan();
    this.lookaheadval = this.val;
    return this.lookahead;
  }

  /**
   * Text of the name, string or number scanned last, as LuaJIT quotes it:
   * numbers raw, strings with their delimiters and escapes already decoded.
   * After peek() this is the lookahead token's text, as in LuaJIT.
   */
  tokenText(): string {
    return this.bufFrom >= 0 ? this.src.slice(this.bufFrom, this.bufTo) : this.bufText;
  }

  /**
   * Throw LuaJIT's syntax error (lj_lex_error) for an already formatted
   * message: "<chunk>:<line>: <msg>", plus " near '<token>'" unless tok is 0.
   */
  error(tok: number, msg: string): never {
    const line = this.linenumber;
    let full = `${shortSrc(this.chunkname, line)}:${line}: ${msg}`;
    if (tok !== 0) {
      const near = tok === TK_NAME || tok === TK_STRING || tok === TK_NUMBER ? this.tokenText() : tokenToString(tok);
      full = formatMessage(ERRMSG.XNEAR, full, near);
    }
    throw new LuaSyntaxError(full, line);
  }

  // -- Scanner -----------------------------------------------------------------

  /** Skip one line break: "\n", "\r", "\r\n" or "\n\r" each count as one. */
  private newline(): void {
    const old = this.src.charCodeAt(this.pos++);
    const c = this.src.charCodeAt(this.pos);
    if (isEol(c) && c !== old) this.pos++;
    if (++this.linenumber >= MAX_LINE) this.error(this.tok, ERRMSG.XLINES);
  }

  /** Scan one token; its value goes to this.val. */
  private scan(): number {
    const src = this.src;
    const end = this.end;
    this.val = undefined;
    this.bufText = "";
    this.bufFrom = -1;
    for (;;) {
      let pos = this.pos;
      if (pos >= end) return TK_EOF;
      const c = src.charCodeAt(pos);
      if (CHAR_CLASS[c] & CH_IDENT) {
        if (isDigit(c)) {
          this.number(pos);
          return TK_NUMBER;
        }
        return this.name();
      }
      switch (c) {
        case 10: case 13:
          this.newline();
          continue;
        case 32: case 9: case 11: case 12:
          do pos++; while (pos < end && (src.charCodeAt(pos) === 32 || src.charCodeAt(pos) === 9));
          this.pos = pos;
          continue;
        case 0x2d: // '-'
          if (src.charCodeAt(pos + 1) !== 0x2d) {
            this.pos = pos + 1;
            return c;
          }
          this.pos = pos + 2;
          if (src.charCodeAt(this.pos) === 0x5b) {
            const sep = this.skipEq();
            if (sep >= 0) {
              this.longString(sep, true);
              continue;
            }
          }
          // Short comment: up to (not including) the line break.
          pos = this.pos;
          while (pos < end && !isEol(src.charCodeAt(pos))) pos++;
          this.pos = pos;
          continue;
        case 0x5b: { // '['
          const sep = this.skipEq();
          if (sep >= 0) {
            this.longString(sep, false);
            return TK_STRING;
          }
          if (sep === -1) return c;
          this.bufText = src.slice(pos, this.pos);
          return this.error(TK_STRING, ERRMSG.XLDELIM);
        }
        case 0x3d: // '=' '=='
          return this.twoChar(pos, c, TK.eq);
        case 0x3c: // '<' '<='
          return this.twoChar(pos, c, TK.le);
        case 0x3e: // '>' '>='
          return this.twoChar(pos, c, TK.ge);
        case 0x7e: // '~' '~='
          return this.twoChar(pos, c, TK.ne);
        case 0x3a: // ':' '::'
          if (src.charCodeAt(pos + 1) === 0x3a) {
            this.pos = pos + 2;
            return TK.label;
          }
          this.pos = pos + 1;
          return c;
        case 0x22: case 0x27:
          this.string(c);
          return TK_STRING;
        case 0x2e: { // '.' '..' '...' or a number like .5
          const c1 = src.charCodeAt(pos + 1);
          if (c1 === 0x2e) {
            if (src.charCodeAt(pos + 2) === 0x2e) {
              this.pos = pos + 3;
              return TK.dots;
            }
            this.pos = pos + 2;
            return TK.concat;
          }
          if (!isDigit(c1)) {
            this.pos = pos + 1;
            return c;
          }
          this.pos = pos + 1;
          this.number(pos);
          return TK_NUMBER;
        }
        default:
          this.pos = pos + 1;
          return c;
      }
    }
  }

  /** c alone, or `two` when '=' follows. */
  private twoChar(pos: number, c: number, two: number): number {
    if (this.src.charCodeAt(pos + 1) === 0x3d) {
      this.pos = pos + 2;
      return two;
    }
    this.pos = pos + 1;
    return c;
  }

  /** Identifier or reserved word; both carry their text as value. */
  private name(): number {
    const src = this.src;
    const start = this.pos;
    let pos = start + 1;
    while (pos < this.end && CHAR_CLASS[src.charCodeAt(pos)] & CH_IDENT) pos++;
    this.pos = pos;
    const s = src.slice(start, pos);
    this.val = s;
    this.bufText = s;
    return RESERVED_WORDS.get(s) ?? TK_NAME;
  }

  /**
   * Number literal starting at `start` (the current char is a digit). Like
   * LuaJIT, take the longest run of identifier chars, dots, and signs right
   * after an exponent letter, then let strscan decide if it is well formed.
   */
  private number(start: number): void {
    const src = this.src;
    const end = this.end;
    let pos = this.pos;
    let prev = src.charCodeAt(pos);
    let expLetter = 0x65; // 'e'
    if (prev === 0x30) {
      pos++;
      if ((src.charCodeAt(pos) | 0x20) === 0x78) expLetter = 0x70; // 0x... uses 'p'
    }
    while (pos < end) {
      const c = src.charCodeAt(pos);
      if (!(CHAR_CLASS[c] & CH_IDENT) && c !== 0x2e &&
          !((c === 0x2d || c === 0x2b) && (prev | 0x20) === expLetter)) break;
      prev = c;
      pos++;
    }
    this.pos = pos;
    this.bufFrom = start;
    this.bufTo = pos;
    const fmt = strscan(src, start, pos, OPT_LEXER);
    if (fmt === FMT_NUM) {
      this.val = scanResult.num;
      return;
    }
    this.error(TK_NUMBER, fmt === FMT_ERROR ? ERRMSG.XNUMBER : CDATA_LITERAL);
  }

  /**
   * At '[' or ']': skip it and any '='s. Returns the count of '='s when the
   * same bracket follows (left as the current char), else -count-1.
   */
  private skipEq(): number {
    const src = this.src;
    const bracket = src.charCodeAt(this.pos);
    let pos = this.pos + 1;
    while (src.charCodeAt(pos) === 0x3d) pos++;
    const count = pos - this.pos - 1;
    this.pos = pos;
    return src.charCodeAt(pos) === bracket ? count : -count - 1;
  }

  /** Long string or comment body; the current char is the second '['. */
  private longString(sep: number, comment: boolean): void {
    const src = this.src;
    const end = this.end;
    this.pos++;
    if (isEol(src.charCodeAt(this.pos))) this.newline(); // a first line break is dropped
    let pos = this.pos;
    let run = pos; // start of the text not yet copied to out
    let out = "";
    for (;;) {
      if (pos >= end) {
        this.pos = pos;
        this.error(TK_EOF, comment ? ERRMSG.XLCOM : ERRMSG.XLSTR);
      }
      const c = src.charCodeAt(pos);
      if (c === 0x5d) { // ']'
        let q = pos + 1;
        while (src.charCodeAt(q) === 0x3d) q++;
        if (q - pos - 1 === sep && src.charCodeAt(q) === 0x5d) {
          if (!comment) out += src.slice(run, pos);
          this.pos = q + 1;
          break;
        }
        pos = q; // the '='s are content; the char after them is looked at again
      } else if (isEol(c)) {
        if (!comment) out += src.slice(run, pos) + "\n"; // any line break becomes "\n"
        this.pos = pos;
        this.newline();
        pos = run = this.pos;
      } else {
        pos++;
      }
    }
    if (!comment) {
      const eqs = "=".repeat(sep);
      this.val = out;
      this.bufText = "[" + eqs + "[" + out + "]" + eqs + "]";
    }
  }

  /** Quoted string; the current char is the delimiter. */
  private string(delim: number): void {
    const src = this.src;
    const end = this.end;
    const quote = String.fromCharCode(delim);
    let pos = this.pos + 1;
    let run = pos;
    let out = "";
    for (;;) {
      if (pos >= end || isEol(src.charCodeAt(pos))) {
        // The message quotes what was read so far, or '<eof>'.
        this.pos = pos;
        this.bufText = quote + out + src.slice(run, pos);
        this.error(pos >= end ? TK_EOF : TK_STRING, ERRMSG.XSTR);
      }
      const c = src.charCodeAt(pos);
      if (c === delim) break;
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += src.slice(run, pos);
      pos++; // the backslash
      const e = pos < end ? src.charCodeAt(pos) : -1;
      switch (e) {
        case 0x61: out += "\x07"; pos++; break; // \a
        case 0x62: out += "\b"; pos++; break;
        case 0x66: out += "\f"; pos++; break;
        case 0x6e: out += "\n"; pos++; break;
        case 0x72: out += "\r"; pos++; break;
        case 0x74: out += "\t"; pos++; break;
        case 0x76: out += "\v"; pos++; break;
        case 0x5c: case 0x22: case 0x27: out += String.fromCharCode(e); pos++; break;
        case 0x78: { // \xXX
          const h1 = src.charCodeAt(pos + 1);
          const h2 = src.charCodeAt(pos + 2);
          if (!isXDigit(h1) || !isXDigit(h2)) this.escapeError(pos, quote + out);
          out += String.fromCharCode(hexVal(h1) * 16 + hexVal(h2));
          pos += 3;
          break;
        }
        case 0x75: { // \u{XXX}, encoded as UTF-8
          if (src.charCodeAt(pos + 1) !== 0x7b) this.escapeError(pos, quote + out);
          let q = pos + 2;
          let cp = 0;
          do {
            const d = src.charCodeAt(q++);
            if (!isXDigit(d)) this.escapeError(q, quote + out);
            cp = cp * 16 + hexVal(d);
            if (cp >= 0x110000) this.escapeError(q, quote + out);
          } while (src.charCodeAt(q) !== 0x7d);
          if (cp >= 0xd800 && cp < 0xe000) this.escapeError(q, quote + out); // surrogates
          out += utf8(cp);
          pos = q + 1;
          break;
        }
        case 0x7a: // \z skips the following whitespace, line breaks included
          pos++;
          while (pos < end && isSpace(src.charCodeAt(pos))) {
            if (isEol(src.charCodeAt(pos))) {
              this.pos = pos;
              this.newline();
              pos = this.pos;
            } else pos++;
          }
          break;
        case 10: case 13: // backslash-newline is a "\n"
          out += "\n";
          this.pos = pos;
          this.newline();
          pos = this.pos;
          break;
        case -1: // EOF: reported as an unfinished string by the loop
          break;
        default: { // \ddd, at most three decimal digits
          if (!isDigit(e)) this.escapeError(pos, quote + out);
          let v = e - 0x30;
          pos++;
          if (isDigit(src.charCodeAt(pos))) {
            v = v * 10 + src.charCodeAt(pos++) - 0x30;
            if (isDigit(src.charCodeAt(pos))) {
              v = v * 10 + src.charCodeAt(pos) - 0x30;
              if (v > 255) this.escapeError(pos, quote + out);
              pos++;
            }
          }
          out += String.fromCharCode(v);
        }
      }
      run = pos;
    }
    out += src.slice(run, pos);
    this.pos = pos + 1;
    this.val = out;
    this.bufText = quote + out + quote;
  }

  /** "invalid escape sequence", quoting the string up to the backslash. */
  private escapeError(pos: number, text: string): never {
    this.pos = pos;
    this.bufText = text;
    return this.error(TK_STRING, ERRMSG.XESC);
  }
}

/** UTF-8 bytes of a code point below 0x110000, as a binary string. */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return String.fromCharCode(
    0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f),
  );
}
