// Loading code (lib_base.c's load/loadstring/loadfile/dofile over lj_load.c):
// text chunks are compiled by src/lang; binary (bytecode) chunks are refused.
import { namesFrameReaders } from "../jsgen/observe.ts";
import { compile } from "../../lang/compile.ts";
import { ERRMSG } from "../../lang/errmsg.ts";
import { LuaSyntaxError } from "../../lang/errors.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { callAtIdx, callWithArg } from "../call.ts";
import { LuaError, LuaHalt, runtimeError } from "../errors.ts";
import { LuaClosure } from "../func.ts";
import { closeUpvals } from "../interp.ts";
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import { FrameKind, type LuaThread } from "../thread.ts";
import type { LuaValue } from "../value.ts";
import { arg, checkFunction, checkString, register, ret, ret1 } from "./api.ts";
import { threadEnv } from "./fenv.ts";
import { stackLevels } from "./frames.ts";
import { traceback } from "./traceback.ts";

/**
 * DIVERGENCE: a reader's pieces beyond 16 MB are "not enough memory" (LuaJIT's
 * buffers end at 2 GB), which keeps an endless reader from exhausting the JS heap.
 */
const MAX_SOURCE = 1 << 24;

/** A C string: Lua strings passed as char* end at their first NUL. */
const cstr = (s: string): string => s.split("\0", 1)[0];

/** True if the chunk is bytecode: ESC after an optional UTF-8 BOM and #! line (lj_lex_setup). */
function isBinaryChunk(source: string): { binary: boolean; header: boolean } {
  let i = 0;
  let header = false;
  if (source.startsWith("\xef\xbb\xbf")) { i = 3; header = true; }
  if (source[i] === "#") {
    while (i < source.length && source[i] !== "\n" && source[i] !== "\r") i++;
    if (i >= source.length) return { binary: false, header: true };
    i += source[i] === "\r" && source[i + 1] === "\n" ? 2 : 1;
    header = true;
  }
  return { binary: source[i] === "\x1b", header };
}

/**
 * lua_loadx: compile a chunk into a closure over the thread's environment,
 * or return the error message (nil, msg in load's results).
 */
export function loadChunk(L: LuaThread, source: string, chunkname: string, mode: string | undefined): LuaClosure | string {
  const { binary, header } = isBinaryChunk(source);
  if (binary && header) return ERRMSG.BCBAD;
  if (mode !== undefined && !cstr(mode).includes(binary ? "b" : "t")) return ERRMSG.XMODE;
  if (binary) {
    // DIVERGENCE: no bytecode reader, so string.dump output cannot be loaded back.
    const name = chunkname[0] === "\x1b" ? "(binary)" : chunkname[0] === "@" || chunkname[0] === "=" ? chunkname.slice(1) : chunkname;
    return `${name}: ${ERRMSG.BCFMT}`;
  }
  try {
    const pt = compile(source, chunkname);
    if (namesFrameReaders(pt)) L.state.compile = false;
    return new LuaClosure(pt, [], threadEnv(L));
  } catch (e) {
    if (e instanceof LuaSyntaxError) return e.message;
    throw e;
  }
}

/**
 * luaL_loadfilex: load a file (stdin if name is undefined) through
 * VMOptions.readFile, with luaL_loadfile's "cannot open/read" messages.
 */
export function loadFile(L: LuaThread, name: string | undefined, mode: string | undefined): LuaClosure | string {
  const S = L.state;
  if (name === undefined) {
    // DIVERGENCE: standard input comes from VMOptions.stdin, read to its end.
    let source = "";
    for (let piece = S.options.stdin?.() ?? null; piece !== null; piece = S.options.stdin?.() ?? null) source += piece;
    return loadChunk(L, source, "=stdin", mode);
  }
  const content = S.options.readFile?.(name) ?? null;
  if (content === null) return `cannot open ${name}: No such file or directory`;
  if (typeof content !== "string") return `cannot ${content.failed} ${name}: ${content.reason}`;
  return loadChunk(L, content, "@" + name, mode);
}

/** load_aux: the closure (with env if a table was given), or nil and the message. */
function loadResult(L: LuaThread, base: number, result: LuaClosure | string, env: LuaValue): number {
  if (typeof result === "string") return ret(L, base, undefined, result);
  if (env instanceof LuaTable) result.env = env;
  return ret1(L, base, result);
}

/** Optional string argument that stays undefined when nil (lj_lib_optstr). */
function optStr(L: LuaThread, base: number, nargs: number, i: number): string | undefined {
  return arg(L, base, nargs, i) === undefined ? undefined : checkString(L, base, nargs, i);
}

/**
 * The value a runtime error inside a reader function becomes: LuaJIT's parser
 * inherits the error function, so xpcall's handler runs, and at the top level
 * of the main thread luajit's traceback handler appends a traceback.
 */
function readerError(L: LuaThread, value: LuaValue): LuaValue {
  // load called from native code: most likely pcall(load, ...), whose handler is none.
  if (L.nativeFromJs) return value;
  for (let d = L.depth; d >= 1; d--) {
    const ci = L.frames[d];
    if (ci.kind === FrameKind.XPCALL) {
      try {
        return callWithArg(L, ci.handler, value);
      } catch (e) {
        if (e instanceof LuaHalt || !(e instanceof LuaError)) throw e;
        return ERRMSG.ERRERR;
      }
    }
    if (ci.kind === FrameKind.PCALL) return value;
  }
  if (L !== L.state.main || (typeof value !== "string" && typeof value !== "number")) return value;
  const msg = typeof value === "number" ? formatNumber(value) : value;
  return traceback(L, stackLevels(L, null), msg, 0);
}

/** All pieces of a reader function, concatenated (reader_func); a string means the load failed. */
function readAll(L: LuaThread, reader: LuaValue, mode: string | undefined): { source: string } | { error: LuaValue } {
  // Pieces are joined in batches, so that many small ones stay cheap.
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (;;) {
    const fidx = L.top;
    const depth = L.depth;
    let piece: LuaValue;
    try {
      L.ensureStack(fidx + 3);
      L.stack[fidx] = reader;
      L.stack[fidx + 1] = undefined;
      piece = callAtIdx(L, fidx, 0) > 0 ? L.stack[fidx] : undefined;
      if (piece !== undefined && typeof piece !== "string" && typeof piece !== "number") runtimeError(L, ERRMSG.RDRSTR);
    } catch (e) {
      if (e instanceof LuaHalt || !(e instanceof LuaError)) throw e;
      const value = readerError(L, e.value);
      closeUpvals(L, fidx);
      L.depth = depth;
      L.top = fidx;
      return { error: value };
    }
    if (piece === undefined || piece === "") break;
    const s = typeof piece === "number" ? formatNumber(piece) : piece;
    size += s.length;
    if (size > MAX_SOURCE) return { error: ERRMSG.ERRMEM };
    // LuaJIT checks the mode on the first byte, before reading on (an endless reader included).
    if (size === s.length && mode !== undefined && s[0] !== "\xef" && s[0] !== "#" && !cstr(mode).includes(s[0] === "\x1b" ? "b" : "t")) {
      return { error: ERRMSG.XMODE };
    }
    parts.push(s);
    if (parts.length >= 4096) {
      chunks.push(parts.join(""));
      parts = [];
    }
  }
  chunks.push(parts.join(""));
  return { source: chunks.join("") };
}

/** load(chunk [, chunkname [, mode [, env]]]): chunk is a string or a reader function. */
function load(L: LuaThread, base: number, nargs: number): number {
  const name = optStr(L, base, nargs, 2);
  const mode = optStr(L, base, nargs, 3);
  const env = arg(L, base, nargs, 4);
  const chunk = arg(L, base, nargs, 1);
  if (typeof chunk === "string" || typeof chunk === "number") {
    const s = checkString(L, base, nargs, 1);
    return loadResult(L, base, loadChunk(L, s, cstr(name ?? s), mode), env);
  }
  const reader = checkFunction(L, base, nargs, 1);
  const r = readAll(L, reader, mode);
  if ("error" in r) return ret(L, base, undefined, r.error);
  return loadResult(L, base, loadChunk(L, r.source, name === undefined ? "=(load)" : cstr(name), mode), env);
}

function loadfile(L: LuaThread, base: number, nargs: number): number {
  const name = optStr(L, base, nargs, 1);
  const mode = optStr(L, base, nargs, 2);
  return loadResult(L, base, loadFile(L, name === undefined ? undefined : cstr(name), mode), arg(L, base, nargs, 3));
}

/** dofile([name]): run a file's chunk and return all its results; load errors are raised as they are. */
function dofile(L: LuaThread, base: number, nargs: number): number {
  const name = optStr(L, base, nargs, 1);
  const fn = loadFile(L, name === undefined ? undefined : cstr(name), undefined);
  if (typeof fn === "string") throw new LuaError(fn);
  const fidx = base + 1;
  L.ensureStack(fidx + 3);
  L.stack[fidx] = fn;
  L.stack[fidx + 1] = undefined;
  L.top = fidx + 2;
  const n = callAtIdx(L, fidx, 0);
  L.ensureStack(base + n + 1);
  for (let i = 0; i < n; i++) L.stack[base + i] = L.stack[fidx + i];
  return n;
}

export function openLoad(S: LuaState): void {
  register(S.globals, "", { loadfile, load, loadstring: load, dofile });
}
