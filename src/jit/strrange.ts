// The range guards of string.sub and string.byte (recff_string_range and
// recff_string_start in lj_ffrecord.c). The recorder specialises the call to
// which way each comparison of start, end and the string's length went, and
// guards every one of them; all those guards share one snapshot, so the trace
// exits through the same exit whichever fails. A call therefore stays on
// trace exactly while its "case" — the outcome of every comparison — is the
// one recorded. string.rep with a separator is specialised the same way, to
// whether its count is above 1 (recff_string_rep).
import { scanNumber } from "../lang/strscan.ts";
import type { LuaValue } from "../vm/value.ts";

/**
 * Flags of a recorded call: string.sub (else string.byte); start and end are
 * one value (the 1-char case); how many arguments after the string were passed.
 */
export const RANGE_SUB = 1;
export const RANGE_SAME = 2;
export const RANGE_ARG1 = 4;
export const RANGE_ARG2 = 8;
/** Not a range: string.rep(s, n, sep)'s guard on n > 1 (s, n and sep in the argument slots). */
export const RANGE_REP = 16;

/** argv2int: the integer a number argument is narrowed to (NaN for anything else). */
function toInt(v: LuaValue): number {
  return typeof v === "number" ? Math.trunc(v) | 0 : NaN;
}

/**
 * The case of string.sub(s, start, end) / string.byte(s, start, end) with
 * these values, as a number (-1: not a string call the recorder compiles).
 * Equal numbers mean the recorded guards all hold.
 */
export function rangeCase(flags: number, s: LuaValue, arg1: LuaValue, arg2: LuaValue): number {
  if ((flags & RANGE_REP) !== 0) return repCase(arg1);
  if (typeof s !== "string") return -1;
  const a1 = (flags & RANGE_ARG1) !== 0 ? arg1 : undefined;
  const a2 = (flags & RANGE_ARG2) !== 0 ? arg2 : undefined;
  const len = s.length;
  const sub = (flags & RANGE_SUB) !== 0;
  let start: number;
  let end: number;
  if (sub) {
    start = toInt(a1);
    end = a2 === undefined ? -1 : toInt(a2);
  } else {
    start = a1 === undefined ? 1 : toInt(a1);
    end = a1 !== undefined && a2 !== undefined ? toInt(a2) : start;
  }
  if (Number.isNaN(start) || Number.isNaN(end)) return -1;
  let code: number;
  if (end < 0) {
    code = 1;
    end = end + len + 1;
  } else if (end <= len) {
    // The common 1-char case: one unsigned check of start - 1 against the length.
    if ((flags & RANGE_SAME) !== 0 && start !== 0) return ((start - 1) >>> 0) < len ? 2 : 3;
    code = 4;
  } else {
    code = 5;
    end = len;
  }
  if (start < 0) {
    start += len;
    code = code * 8 + (start < 0 ? 1 : 2);
    if (start < 0) start = 0;
  } else if (start === 0) {
    code = code * 8 + 3;
  } else {
    start--;
    code = code * 8 + 4;
  }
  if (sub) return code * 2 + (start <= end ? 0 : 1);
  // string.byte: a non-empty range is specialised to its length.
  return start < end ? (code * 2 + 1) * 1024 + Math.min(end - start, 1023) : code * 2;
}

/**
 * The results a recorded string.byte(s, arg1, arg2) returns beyond none or
 * one (nargs: the arguments passed after s): the length of a range longer
 * than one character (from 1023 on, 1023), else 0.
 */
export function byteResults(s: LuaValue, arg1: LuaValue, arg2: LuaValue, nargs: number): number {
  const code = rangeCase((nargs > 0 ? RANGE_ARG1 : 0) | (nargs > 1 ? RANGE_ARG2 : 0), s, arg1, arg2);
  return code >= 1024 ? code & 1023 : 0;
}

/** string.rep's count as argv2int reads it (a numeric string too, by Lua's own scan), or NaN. */
function repCount(v: LuaValue): number {
  return toInt(typeof v === "string" ? scanNumber(v, false) : v);
}

/** With a separator, string.rep guards whether its count is above 1: 1 if so, 0 if not, -1 for no number. */
export function repCase(count: LuaValue): number {
  const n = repCount(count);
  return Number.isNaN(n) ? -1 : n > 1 ? 1 : 0;
}
