// Fast-function ids (lj_ffdef.h, FF_assert = 2 onwards): LuaJIT numbers its
// library functions in the order buildvm reads their LJLIB_CF/LJLIB_ASM
// definitions from lib_base.c, lib_math.c, lib_bit.c, lib_string.c,
// lib_table.c, lib_io.c, lib_os.c, lib_debug.c, lib_jit.c; tostring shows a
// fast function as "function: builtin#<id>". File methods are named here as
// registered (bare), the iterator closures by the names ljscope gives them.
const FF_ORDER = [
  // lib_base.c (with coroutine)
  "assert", "type", "next", "pairs", "ipairs_aux", "ipairs", "getmetatable", "setmetatable", "getfenv",
  "setfenv", "rawget", "rawset", "rawequal", "unpack", "select", "tonumber", "tostring", "error", "pcall",
  "xpcall", "loadfile", "load", "loadstring", "dofile", "gcinfo", "collectgarbage", "newproxy", "print",
  "coroutine.status", "coroutine.running", "coroutine.isyieldable", "coroutine.create", "coroutine.yield",
  "coroutine.resume", "coroutine.wrap_aux", "coroutine.wrap",
  // lib_math.c
  "math.abs", "math.floor", "math.ceil", "math.sqrt", "math.log10", "math.exp", "math.sin", "math.cos",
  "math.tan", "math.asin", "math.acos", "math.atan", "math.sinh", "math.cosh", "math.tanh", "math.frexp",
  "math.modf", "math.log", "math.atan2", "math.pow", "math.fmod", "math.ldexp", "math.min", "math.max",
  "math.random", "math.randomseed",
  // lib_bit.c
  "bit.tobit", "bit.bnot", "bit.bswap", "bit.lshift", "bit.rshift", "bit.arshift", "bit.rol", "bit.ror",
  "bit.band", "bit.bor", "bit.bxor", "bit.tohex",
  // lib_string.c
  "string.byte", "string.char", "string.sub", "string.rep", "string.reverse", "string.lower", "string.upper",
  "string.dump", "string.find", "string.match", "string.gmatch_aux", "string.gmatch", "string.gsub",
  "string.format",
  // lib_table.c
  "table.maxn", "table.insert", "table.concat", "table.sort", "table.new", "table.clear",
  // lib_io.c: file methods, then io
  "close", "read", "write", "flush", "seek", "setvbuf", "lines", "__gc", "__tostring",
  "io.open", "io.popen", "io.tmpfile", "io.close", "io.read", "io.write", "io.flush", "io.input", "io.output",
  "io.lines", "io.type",
  // lib_os.c
  "os.execute", "os.remove", "os.rename", "os.tmpname", "os.getenv", "os.exit", "os.clock", "os.date",
  "os.time", "os.difftime", "os.setlocale",
  // lib_debug.c
  "debug.getregistry", "debug.getmetatable", "debug.setmetatable", "debug.getfenv", "debug.setfenv",
  "debug.getinfo", "debug.getlocal", "debug.setlocal", "debug.getupvalue", "debug.setupvalue",
  "debug.upvalueid", "debug.upvaluejoin", "debug.sethook", "debug.gethook", "debug.debug", "debug.traceback",
  // lib_jit.c
  "jit.on", "jit.off", "jit.flush", "jit.status", "jit.security", "jit.attach",
  "jit.util.funcinfo", "jit.util.funcbc", "jit.util.funck", "jit.util.funcuvname", "jit.util.traceinfo",
  "jit.util.traceir", "jit.util.tracek", "jit.util.tracesnap", "jit.util.tracemc", "jit.util.traceexitstub",
  "jit.util.ircalladdr", "jit.opt.start", "jit.profile.start", "jit.profile.stop", "jit.profile.dumpstack",
] as const;

const FFIDS = new Map<string, number>(FF_ORDER.map((name, i) => [name, i + 2]));

/** The fast-function id of the builtin of this name, or 0 (a plain C function, shown by address). */
export function ffid(name: string): number {
  return FFIDS.get(name) ?? 0;
}

/** The builtins from `first` to `last` in fast-function order (the library tables name them in that order). */
export function ffRange(first: (typeof FF_ORDER)[number], last: (typeof FF_ORDER)[number]): string[] {
  return FF_ORDER.slice(FF_ORDER.indexOf(first), FF_ORDER.indexOf(last) + 1);
}
