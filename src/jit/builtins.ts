// Which builtins the recorder can record, and which end a trace (the
// LJLIB_REC annotations of lib_*.c and recff_nyi in lj_ffrecord.c).

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
