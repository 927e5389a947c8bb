// Which builtins the recorder can record, and which end a trace (the
// LJLIB_REC annotations of lib_*.c, and recff_nyi/recff_nyiu in lj_ffrecord.c
// for the calls of recorded builtins that the recorder leaves to the interpreter).
import { scanNumber } from "../lang/strscan.ts";
import type { LuaValue } from "../vm/value.ts";

/** Builtins with a recorder (LJLIB_REC) in LuaJIT 2.1: a trace continues across them. */
const RECORDED = new Set([
  "assert", "type", "next", "pairs", "ipairs_aux", "ipairs", "getmetatable", "setmetatable", "getfenv",
  "rawget", "rawset", "rawequal", "rawlen", "select", "tonumber", "tostring", "pcall", "xpcall",
  "math.abs", "math.floor", "math.ceil", "math.sqrt", "math.log10", "math.exp", "math.sin", "math.cos",
  "math.tan", "math.asin", "math.acos", "math.atan", "math.sinh", "math.cosh", "math.tanh", "math.log",
  "math.atan2", "math.pow", "math.ldexp", "math.min", "math.max", "math.random",
  "string.byte", "string.char", "string.sub", "string.rep", "string.reverse", "string.lower",
  "string.upper", "string.find", "string.format",
  "table.insert", "table.concat", "table.new", "table.clear",
  "bit.tobit", "bit.bnot", "bit.bswap", "bit.lshift", "bit.rshift", "bit.arshift", "bit.rol", "bit.ror",
  "bit.band", "bit.bor", "bit.bxor", "bit.tohex",
  "io.write", "io.flush",
]);

/**
 * Recorded builtins whose recorder emits a call with side effects (CALLS: an
 * IRCALL with the S flag, as math.random's lj_prng_u64d): CSE never merges
 * it, and lj_ir_call asks for a snapshot after it.
 */
const SIDE_EFFECT_CALLS = new Set(["math.random", "table.clear"]);

export function recordsSideEffectCall(name: string): boolean {
  return SIDE_EFFECT_CALLS.has(name);
}

/** Builtins recff_nyi never stitches across: the trace stops with link "return" instead. */
const NEVER_STITCHED = new Set(["error", "debug.sethook", "jit.flush"]);

export type BuiltinPolicy = "record" | "stitch" | "return";

/**
 * What recording a call of this builtin does. (unpack() is compiled only by
 * v2.1 commits of 2026, after all three simulated builds: the oracle shows it
 * stitched in every build.)
 */
export function builtinPolicy(name: string): BuiltinPolicy {
  if (RECORDED.has(name)) return "record";
  if (NEVER_STITCHED.has(name)) return "return";
  return "stitch";
}

/** Pattern-matching characters (lj_str_haspattern): string.find with one of them searches a pattern. */
const PATTERN_CHARS = /[\^$*+?.([%-]/;

/** An argument among a CALLM's multiple results, not known when the call is recorded here. */
export const UNKNOWN_ARG: unique symbol = Symbol("unknown argument");

/**
 * Is this call of a recorded builtin a variant its recorder does not compile
 * (recff_nyiu, which is recff_nyi in 2.1: the trace stitches across it)?
 * args: the argument values; nargs: how many were passed (-1: unknown).
 * hasTostring: args[0] has a __tostring metamethod (a metacall is recorded).
 */
export function unrecordedVariant(name: string, args: readonly (LuaValue | typeof UNKNOWN_ARG)[], nargs: number, hasTostring: boolean): boolean {
  // Without the values that decide it, the call counts as compiled.
  if (args.includes(UNKNOWN_ARG) && name !== "string.format") return false;
  const [a0, a1, , a3] = args as LuaValue[];
  switch (name) {
    case "string.find":
      // Only a plain search, or a pattern without special characters, is compiled.
      return typeof a1 === "string" && !(nargs > 3 && a3 !== undefined && a3 !== false) && PATTERN_CHARS.test(a1);
    case "string.format":
      return typeof a0 === "string" && formatRecording(a0, args.slice(1)) === "nyi";
    case "tostring":
      return typeof a0 === "object" && !hasTostring;
    case "tonumber":
      // Only base 10, and only a string that converts (else an inverted STRTO would be needed).
      if (nargs > 1 && a1 !== undefined) return a1 !== 10;
      return typeof a0 === "string" && scanNumber(a0, false) === undefined;
    case "getfenv":
      return a0 !== 0;
    case "table.insert":
      return nargs === 3;
    default:
      return false;
  }
}

/** recff_format compiles at most this many format elements (literal runs count too). */
const MAX_FORMAT_ELEMENTS = 100;

/**
 * What recff_format makes of this format, element by element as
 * lj_strfmt_parse splits it (a literal run ends at a directive, or after
 * the first '%' of a '%%'): "nyi" at %s of a non-string, %p or a bad
 * directive (it gives up and the trace stitches); "long" at the element
 * past the limit ("trace too long"); "ok" otherwise.
 */
export function formatRecording(fmt: string, args: readonly (LuaValue | typeof UNKNOWN_ARG)[]): "ok" | "nyi" | "long" {
  let arg = 0;
  let elements = 0;
  for (let i = 0; i < fmt.length;) {
    if (fmt[i] === "%" && fmt[i + 1] !== "%") {
      i++;
      while (i < fmt.length && "-+ #0".includes(fmt[i])) i++;
      while (i < fmt.length && /[0-9.]/.test(fmt[i])) i++;
      const conv = fmt[i++];
      const v = args[arg++];
      if (conv === "s" || conv === "q") {
        if (typeof v !== "string" && v !== UNKNOWN_ARG) return "nyi";
      } else if (!conv || !"diouxXaAeEfFgGc".includes(conv)) {
        return "nyi";
      }
    } else {
      while (i < fmt.length && fmt[i] !== "%") i++;
      if (fmt[i] === "%" && fmt[i + 1] === "%") i += 2;
    }
    if (++elements > MAX_FORMAT_ELEMENTS) return "long";
  }
  return "ok";
}

/**
 * How recorders convert their arguments, position by position (lj_ir_tostr,
 * lj_ir_tonum and lj_opt_narrow_*, argv2int): "s" a string or number, "n" a
 * number or string, "i" a number or a string that reads as one; "?" before
 * one: only when the argument is not nil; "*" after one: every argument from
 * there on. Any other value aborts the trace with "bad argument type"
 * (LJ_TRERR_BADTYPE) before the builtin runs.
 */
const ARG_CONVERSIONS: Readonly<Record<string, string>> = {
  "string.byte": "s ?i ?i", "string.sub": "s i ?i", "string.rep": "s n ?s", "string.reverse": "s",
  "string.lower": "s", "string.upper": "s", "string.find": "s s ?i", "string.char": "n*", "string.format": "s",
  "math.abs": "n", "math.floor": "n", "math.ceil": "n", "math.sqrt": "n", "math.log10": "n", "math.exp": "n",
  "math.sin": "n", "math.cos": "n", "math.tan": "n", "math.asin": "n", "math.acos": "n", "math.atan": "n",
  "math.sinh": "n", "math.cosh": "n", "math.tanh": "n", "math.log": "n ?n", "math.atan2": "n n",
  "math.pow": "n n", "math.ldexp": "n n", "math.min": "n*", "math.max": "n*", "math.random": "?n ?n",
  "bit.tobit": "n", "bit.bnot": "n", "bit.bswap": "n", "bit.lshift": "n n", "bit.rshift": "n n",
  "bit.arshift": "n n", "bit.rol": "n n", "bit.ror": "n n", "bit.band": "n*", "bit.bor": "n*", "bit.bxor": "n*",
  "bit.tohex": "n ?n", "io.write": "s*",
};

/** Would the recorder of builtin `name` reject one of these arguments (nargs of them; -1: not known)? */
export function badArgType(name: string, args: readonly (LuaValue | typeof UNKNOWN_ARG)[], nargs: number): boolean {
  const spec = ARG_CONVERSIONS[name];
  if (spec === undefined) return false;
  const kinds = spec.split(" ");
  const rest = kinds[kinds.length - 1].endsWith("*") ? (kinds.pop() as string).slice(0, -1) : "";
  const count = rest !== "" ? Math.max(kinds.length, nargs >= 0 ? nargs : args.length) : kinds.length;
  for (let i = 0; i < count; i++) {
    let kind = i < kinds.length ? kinds[i] : rest;
    const v = args[i];
    if (v === UNKNOWN_ARG) continue;
    if (kind.startsWith("?")) {
      if (v === undefined) continue;
      kind = kind.slice(1);
    }
    const ok = kind === "i" ? typeof v === "number" || (typeof v === "string" && scanNumber(v, false) !== undefined)
      : typeof v === "number" || typeof v === "string";
    if (!ok) return true;
  }
  return false;
}
