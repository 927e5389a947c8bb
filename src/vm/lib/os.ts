// The os library (lib_os.c): clock, time, date, difftime, getenv, exit and a
// C-locale-only setlocale. DIVERGENCE: no execute, remove, rename or tmpname
// (there is no file system or shell in the browser); see docs/divergences.md.
import { ERRMSG, formatMessage } from "../../lang/errmsg.ts";
import { LuaExit, argError, argTypeError, runtimeError } from "../errors.ts";
import { index, toNumber } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { arg, checkNumber, checkString, optInt, optNumber, register, ret1 } from "./api.ts";
import { gmtime, localtime, mktime, strftime } from "./ostime.ts";

/** (time_t) of a double: truncation; NaN and out of range give INT64_MIN, as on x64. */
function toTimeT(x: number): number {
  return x > -9223372036854775808 && x < 9223372036854775808 ? Math.trunc(x) : -9223372036854775808;
}

const now = (): number => Math.floor(Date.now() / 1000);

function date(L: LuaThread, base: number, nargs: number): number {
  let fmt = arg(L, base, nargs, 1) === undefined ? "%c" : checkString(L, base, nargs, 1);
  const t = arg(L, base, nargs, 2) === undefined ? now() : toTimeT(checkNumber(L, base, nargs, 2));
  let tm;
  if (fmt.charCodeAt(0) === 33) {  // '!': UTC
    fmt = fmt.slice(1);
    tm = gmtime(t);
  } else {
    tm = localtime(t);
  }
  if (tm === null) return ret1(L, base, undefined);
  if (fmt === "*t") {
    const r = LuaTable.newAH(0, 9);
    r.setStr("sec", tm.sec);
    r.setStr("min", tm.min);
    r.setStr("hour", tm.hour);
    r.setStr("day", tm.mday);
    r.setStr("month", tm.mon + 1);
    r.setStr("year", tm.year);
    r.setStr("wday", tm.wday + 1);
    r.setStr("yday", tm.yday + 1);
    if (tm.isdst >= 0) r.setStr("isdst", tm.isdst > 0);
    return ret1(L, base, r);
  }
  // strftime stops at a NUL in the format.
  const nul = fmt.indexOf("\0");
  return ret1(L, base, strftime(nul < 0 ? fmt : fmt.slice(0, nul), tm));
}

/** A date table field as an int (lua_tointeger keeps the low 32 bits); d < 0 means required. */
function dateField(L: LuaThread, t: LuaTable, key: string, d: number): number {
  const n = toNumber(index(L, t, key, -1));
  if (n === undefined) {
    if (d < 0) runtimeError(L, formatMessage(ERRMSG.OSDATEF, key));
    return d;
  }
  return Number(BigInt.asIntN(32, BigInt(toTimeT(n))));
}

function time(L: LuaThread, base: number, nargs: number): number {
  const v = arg(L, base, nargs, 1);
  if (v === undefined) return ret1(L, base, now());
  if (!(v instanceof LuaTable)) return argTypeError(L, 1, "table", v, true);
  const sec = dateField(L, v, "sec", 0);
  const min = dateField(L, v, "min", 0);
  const hour = dateField(L, v, "hour", 12);
  const day = dateField(L, v, "day", -1);
  const month = dateField(L, v, "month", -1) - 1;
  const year = dateField(L, v, "year", -1);
  const dst = index(L, v, "isdst", -1);
  const isdst = dst === undefined ? -1 : dst === false ? 0 : 1;
  const t = mktime(year, month, day, hour, min, sec, isdst);
  return ret1(L, base, t === -1 ? undefined : t);
}

function exit(L: LuaThread, base: number, nargs: number): number {
  const v = arg(L, base, nargs, 1);
  const status = typeof v === "boolean" ? (v ? 0 : 1) : optInt(L, base, nargs, 1, 0);
  throw new LuaExit(status);
}

const LOCALE_CATEGORIES = ["ctype", "numeric", "time", "collate", "monetary", "\xff", "all"];

/** Only the C locale exists here: asking for it (or querying) gives "C", anything else nil. */
function setlocale(L: LuaThread, base: number, nargs: number): number {
  const name = arg(L, base, nargs, 1) === undefined ? undefined : checkString(L, base, nargs, 1);
  const cat = arg(L, base, nargs, 2);
  if (cat !== undefined) {
    const c = checkString(L, base, nargs, 2);
    if (!LOCALE_CATEGORIES.includes(c)) argError(L, 2, formatMessage(ERRMSG.INVOPTM, c));
  }
  const ok = name === undefined || name === "" || name === "C" || name === "POSIX";
  return ret1(L, base, ok ? "C" : undefined);
}

export function openOs(S: LuaState): void {
  const lib = new LuaTable();
  const start = performance.now();
  register(lib, "os", {
    // DIVERGENCE: wall time since the state was made stands in for CPU time.
    clock: (L, base) => ret1(L, base, (performance.now() - start) / 1000),
    time,
    date,
    difftime: (L, base, nargs) =>
      ret1(L, base, toTimeT(checkNumber(L, base, nargs, 1)) - toTimeT(optNumber(L, base, nargs, 2, 0))),
    getenv: (L, base, nargs) => ret1(L, base, S.options.getenv?.(checkString(L, base, nargs, 1))),
    exit,
    setlocale,
  });
  S.globals.setStr("os", lib);
}
