// Stack tracebacks in LuaJIT's format (luaL_traceback in lj_debug.c): used by
// debug.traceback and by the CLI's report of an uncaught error (luajit.c).
import { shortSrc } from "../../bc/proto.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { callValue1 } from "../call.ts";
import { LuaClosure, type LuaFunction } from "../func.ts";
import { metaLookup } from "../meta.ts";
import type { LuaThread } from "../thread.ts";
import type { LuaValue } from "../value.ts";
import { C_ENTRY, levelLine, levelName, stackLevels, type StackLevel } from "./frames.ts";

/** Levels shown before and after the "..." of a long traceback (TRACEBACK_LEVELS1/2). */
const LEVELS1 = 12;
const LEVELS2 = 10;

/** source, short_src, linedefined and what of a function (lua_getinfo "S"). */
export function functionSource(fn: LuaFunction): { source: string; shortSrc: string; linedefined: number; lastlinedefined: number; what: string } {
  if (!(fn instanceof LuaClosure)) return { source: "=[C]", shortSrc: "[C]", linedefined: -1, lastlinedefined: -1, what: "C" };
  const pt = fn.proto;
  return {
    source: pt.chunkname,
    shortSrc: shortSrc(pt.chunkname, pt.firstline),
    linedefined: pt.firstline,
    lastlinedefined: pt.firstline + pt.numline,
    what: pt.firstline !== 0 || pt.numline === 0 ? "Lua" : "main",
  };
}

/** One "\n\t..." line of a traceback. */
function levelText(L: LuaThread, lvl: StackLevel): string {
  const fn = lvl.fn;
  const src = functionSource(fn);
  const named = levelName(L, lvl);
  // Library functions are LuaJIT fast functions: unnamed ones show their builtin number.
  let s = fn !== C_ENTRY && !(fn instanceof LuaClosure) && named === null
    ? `\n\t[builtin#${L.state.builtinId(fn)}]:`
    : `\n\t${src.shortSrc}:`;
  const line = levelLine(L, lvl);
  if (line > 0) s += `${line}:`;
  if (named !== null) s += ` in function '${named.name}'`;
  else if (src.what === "main") s += " in main chunk";
  else if (src.what === "C") s += ` at ${L.state.addressOf(fn)}`;
  else s += ` in function <${src.shortSrc}:${src.linedefined}>`;
  return s;
}

/**
 * "msg\nstack traceback:\n\t..." from `level` on (levels as stackLevels gives
 * them, for thread L). msg undefined: no message line.
 */
export function traceback(L: LuaThread, levels: readonly StackLevel[], msg: string | undefined, level: number): string {
  let out = msg !== undefined ? msg.split("\0", 1)[0] + "\n" : "";
  out += "stack traceback:";
  const n = levels.length;
  let lim = LEVELS1;
  let lvl = level;
  while (lvl >= 0 && lvl < n) {
    const cur = lvl++;
    if (lvl > lim) {
      // Long stacks: the first levels, "...", and the last LEVELS2 levels.
      if (lvl + LEVELS2 < n) {
        out += "\n\t...";
        lvl = n - LEVELS2;
      } else {
        lvl--;
      }
      lim = Infinity;
      continue;
    }
    out += levelText(L, levels[cur]);
  }
  return out;
}

/**
 * The traceback luajit's error handler would make where an error was raised
 * and not caught ("stack traceback:\n\t..."). Call before unwinding L.
 */
export function uncaughtTraceback(L: LuaThread): string {
  // Level 0 is the handler itself (a C function), as in luajit.c's docall.
  const levels = [{ fn: C_ENTRY, depth: -1, callerDepth: -1 }, ...stackLevels(L, null)];
  return traceback(L, levels, undefined, 1);
}

/**
 * What luajit prints after "luajit: " for an uncaught error value (luajit.c's
 * traceback handler and report()), or null for a nil error, which prints nothing.
 */
export function uncaughtReport(L: LuaThread, value: LuaValue, stack: string): string | null {
  if (value === undefined) return null;
  let msg: LuaValue = value;
  if (typeof msg !== "string" && typeof msg !== "number") {
    // A non-string error object: its __tostring result, if that is a string.
    const mo = metaLookup(L, msg, "__tostring");
    try {
      msg = mo === undefined ? undefined : callValue1(L, mo, msg);
    } catch {
      msg = undefined;
    }
    if (typeof msg !== "string" && typeof msg !== "number") return "(error object is not a string)";
  }
  const text = typeof msg === "number" ? formatNumber(msg) : msg;
  return stack === "" ? text.split("\0", 1)[0] : `${text.split("\0", 1)[0]}\n${stack}`;
}
