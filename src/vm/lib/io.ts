// The io library (lib_io.c), kept small: io.write/read/lines over the VM's
// stdout and stdin, the stdin/stdout/stderr file objects, and read-only files
// through VMOptions.readFile. DIVERGENCE: no writable files, popen, tmpfile or
// seek (see docs/divergences.md).
import { ERRMSG } from "../../lang/errmsg.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { argError, argTypeError, runtimeError } from "../errors.ts";
import { NativeFunction } from "../func.ts";
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import type { LuaObject, LuaValue } from "../value.ts";
import { arg, checkAny, checkInt, checkString, register, ret, ret1 } from "./api.ts";

/** Input read on demand from a source of pieces (see VMOptions.stdin). */
class InputBuffer {
  private buf = "";
  private pos = 0;
  private source: (() => string | null) | null;

  constructor(source: (() => string | null) | null) {
    this.source = source;
  }

  /** Pull pieces until `n` bytes are buffered past pos or the source ends. */
  private want(n: number): void {
    while (this.source !== null && this.buf.length - this.pos < n) {
      const piece = this.source();
      if (piece === null) { this.source = null; break; }
      this.buf = this.buf.slice(this.pos) + piece;
      this.pos = 0;
    }
  }

  private drain(): void {
    this.want(Infinity);
  }

  atEnd(): boolean {
    this.want(1);
    return this.pos >= this.buf.length;
  }

  /** A line with or without its newline; null at end of input. */
  line(keepNewline: boolean): string | null {
    for (;;) {
      const nl = this.buf.indexOf("\n", this.pos);
      if (nl >= 0) {
        const s = this.buf.slice(this.pos, keepNewline ? nl + 1 : nl);
        this.pos = nl + 1;
        return s;
      }
      if (this.source === null) break;
      this.want(this.buf.length - this.pos + 1);
    }
    if (this.pos >= this.buf.length) return null;
    const s = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return s;
  }

  all(): string {
    this.drain();
    const s = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return s;
  }

  /** Up to n bytes; null at end of input. */
  bytes(n: number): string | null {
    this.want(n);
    if (this.pos >= this.buf.length) return null;
    const s = this.buf.slice(this.pos, this.pos + n);
    this.pos += s.length;
    return s;
  }

  /**
   * fscanf("%lf"): skip white space, then the longest prefix that strtod
   * accepts (decimal, hex, inf, nan); null if there is none.
   */
  number(): number | null {
    this.drain();
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.buf);
    if (m === null) {
      SPACE.lastIndex = this.pos;
      if (SPACE.exec(this.buf)) this.pos = SPACE.lastIndex;
      return null;
    }
    this.pos = NUMBER.lastIndex;
    const text = m[1];
    if (/^[+-]?0x/i.test(text)) return hexFloat(text);
    if (/nan/i.test(text)) return NaN;
    if (/inf/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
    return Number(text);
  }
}

const SPACE = /[ \t\n\v\f\r]*/y;
const NUMBER = /[ \t\n\v\f\r]*([+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]))/y;

function hexFloat(text: string): number {
  const m = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(text)!;
  const digits = m[2] + (m[3] ?? "");
  let x = 0;
  for (let k = 0; k < digits.length; k++) x = x * 16 + parseInt(digits[k], 16);
  x *= 2 ** (Number(m[4] ?? 0) - 4 * (m[3]?.length ?? 0));
  return m[1] === "-" ? -x : x;
}

const ERRNO: Record<string, number> = { "Permission denied": 13, "Is a directory": 21, "Not a directory": 20 };

/** errno for a "name: reason" message (ENOENT unless the reason says otherwise). */
function errnoOf(msg: string): number {
  return ERRNO[msg.slice(msg.lastIndexOf(": ") + 2)] ?? 2;
}

/** A FILE* userdata. Standard files cannot be closed; files from io.open are read-only. */
class LuaFile implements LuaObject {
  readonly luaType = "userdata";
  closed = false;

  constructor(
    readonly metatable: LuaTable,
    readonly std: boolean,
    readonly input: InputBuffer | null,
    readonly output: ((s: string) => void) | null,
  ) {}
}

// -- Reading and writing ---------------------------------------------------------------

/** io_file_read: formats from stack[base+start..]; results replace them from base on. */
function readFormats(L: LuaThread, f: LuaFile, base: number, nargs: number, start: number): number {
  const inp = f.input;
  const count = nargs - start;
  if (count <= 0) {
    return ret1(L, base, inp?.line(false) ?? undefined);
  }
  const results: LuaValue[] = [];
  let ok = true;
  for (let n = start; n < nargs && ok; n++) {
    const fmt = L.stack[base + n];
    let v: LuaValue;
    if (typeof fmt === "string") {
      const c = fmt.charCodeAt(0) === 42 ? fmt[1] : fmt[0];  // optional '*'
      if (c === "n") v = inp?.number() ?? undefined;
      else if (c === "l" || c === "L") v = inp?.line(c === "L") ?? undefined;
      else if (c === "a") v = inp?.all() ?? "";
      else return argError(L, n + 1, ERRMSG.INVFMT);
      ok = v !== undefined;
    } else if (typeof fmt === "number") {
      const len = checkInt(L, base, nargs, n + 1);
      if (len > 0) {
        v = inp?.bytes(len) ?? undefined;
        ok = v !== undefined;
      } else {
        v = "";
        ok = inp !== null && !inp.atEnd();
      }
    } else {
      return argError(L, n + 1, ERRMSG.INVOPT);
    }
    results.push(v);
  }
  if (!ok) results[results.length - 1] = undefined;
  return ret(L, base, ...results);
}

/** io_file_write: strings and numbers (%.14g) from stack[base+start..]; returns true. */
function writeValues(L: LuaThread, f: LuaFile, base: number, nargs: number, start: number): number {
  let out = "";
  for (let i = start; i < nargs; i++) {
    const v = L.stack[base + i];
    if (typeof v === "string") out += v;
    else if (typeof v === "number") out += formatNumber(v);
    else {
      // Arguments before the bad one have been written already.
      if (f.output !== null && out !== "") f.output(out);
      argTypeError(L, i + 1, "string", v, true);
    }
  }
  if (f.output === null) return ret(L, base, undefined, "Bad file descriptor", 9);
  if (out !== "") f.output(out);
  return ret1(L, base, true);
}

/** io_tofile: argument 1 must be an open file. */
function toFile(L: LuaThread, base: number, nargs: number): LuaFile {
  const v = arg(L, base, nargs, 1);
  if (!(v instanceof LuaFile)) return argTypeError(L, 1, "FILE*", v, nargs >= 1);
  if (v.closed) runtimeError(L, ERRMSG.IOCLFL);
  return v;
}

function closeFile(L: LuaThread, base: number, f: LuaFile): number {
  if (f.std) return ret(L, base, undefined, "cannot close standard file");
  f.closed = true;
  return ret1(L, base, true);
}

/** The iterator io.lines and file:lines return: reads with the saved formats until nil. */
function linesIterator(f: LuaFile, formats: readonly LuaValue[], closeAtEnd: boolean): NativeFunction {
  return new NativeFunction("lines_iter", (L, base) => {
    if (f.closed) runtimeError(L, ERRMSG.IOCLFL);
    L.ensureStack(base + formats.length + 1);
    for (let i = 0; i < formats.length; i++) L.stack[base + i] = formats[i];
    const n = readFormats(L, f, base, formats.length, 0);
    if (L.stack[base] === undefined && closeAtEnd) {
      f.closed = true;
      return 0;
    }
    return n;
  });
}

export function openIo(S: LuaState): void {
  const methods = new LuaTable();
  const stdin = new LuaFile(methods, true, new InputBuffer(S.options.stdin ?? null), null);
  const stdout = new LuaFile(methods, true, null, (s) => S.stdout(s));
  const stderr = new LuaFile(methods, true, null, (s) => S.stderr(s));
  let input = stdin;
  let output = stdout;

  /** Open a file for reading through VMOptions.readFile, or say why not ("name: reason"). */
  const openRead = (name: string): LuaFile | string => {
    const text = S.options.readFile?.(name) ?? null;
    if (text === null) return `${name}: No such file or directory`;
    if (typeof text !== "string") return `${name}: ${text.reason}`;
    let once = false;
    return new LuaFile(methods, false, new InputBuffer(() => (once ? null : ((once = true), text))), null);
  };

  register(methods, "", {
    close: (L, base, nargs) => closeFile(L, base, nargs > 0 ? toFile(L, base, nargs) : output),
    read: (L, base, nargs) => readFormats(L, toFile(L, base, nargs), base, nargs, 1),
    write: (L, base, nargs) => writeValues(L, toFile(L, base, nargs), base, nargs, 1),
    flush: (L, base, nargs) => { toFile(L, base, nargs); return ret1(L, base, true); },
    lines: (L, base, nargs) => {
      const f = toFile(L, base, nargs);
      return ret1(L, base, linesIterator(f, L.stack.slice(base + 1, base + nargs), false));
    },
    setvbuf: (L, base, nargs) => { toFile(L, base, nargs); return ret1(L, base, true); },
    __tostring: (L, base, nargs) => {
      const v = arg(L, base, nargs, 1);
      if (!(v instanceof LuaFile)) return argTypeError(L, 1, "FILE*", v, nargs >= 1);
      return ret1(L, base, v.closed ? "file (closed)" : `file (${S.addressOf(v)})`);
    },
  });
  methods.setStr("__index", methods);

  const lib = new LuaTable();
  register(lib, "io", {
    write: (L, base, nargs) => writeValues(L, output, base, nargs, 0),
    read: (L, base, nargs) => readFormats(L, input, base, nargs, 0),
    lines: (L, base, nargs) => {
      const name = arg(L, base, nargs, 1);
      const formats = L.stack.slice(base + 1, base + nargs);
      if (name === undefined) return ret1(L, base, linesIterator(input, formats, false));
      const f = openRead(checkString(L, base, nargs, 1));
      if (typeof f === "string") return argError(L, 1, f);
      return ret1(L, base, linesIterator(f, formats, true));
    },
    open: (L, base, nargs) => {
      const name = checkString(L, base, nargs, 1);
      const mode = arg(L, base, nargs, 2) === undefined ? "r" : checkString(L, base, nargs, 2);
      if (!/^r/.test(mode) || mode.includes("+")) return ret(L, base, undefined, `${name}: Read-only file system`, 30);
      const f = openRead(name);
      return typeof f === "string" ? ret(L, base, undefined, f, errnoOf(f)) : ret1(L, base, f);
    },
    close: (L, base, nargs) => closeFile(L, base, nargs > 0 ? toFile(L, base, nargs) : output),
    flush: (L, base) => ret1(L, base, true),
    type: (L, base, nargs) => {
      const v = checkAny(L, base, nargs, 1);
      return ret1(L, base, v instanceof LuaFile ? (v.closed ? "closed file" : "file") : undefined);
    },
    input: (L, base, nargs) => {
      const v = arg(L, base, nargs, 1);
      if (v instanceof LuaFile) input = toFile(L, base, nargs);
      else if (v !== undefined) {
        const f = openRead(checkString(L, base, nargs, 1));
        if (typeof f === "string") return argError(L, 1, f);
        input = f;
      }
      return ret1(L, base, input);
    },
    output: (L, base, nargs) => {
      const v = arg(L, base, nargs, 1);
      if (v instanceof LuaFile) output = toFile(L, base, nargs);
      else if (v !== undefined) return argError(L, 1, `${checkString(L, base, nargs, 1)}: Read-only file system`);
      return ret1(L, base, output);
    },
  });
  lib.setStr("stdin", stdin);
  lib.setStr("stdout", stdout);
  lib.setStr("stderr", stderr);
  S.globals.setStr("io", lib);
}
