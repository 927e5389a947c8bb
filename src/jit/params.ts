// JIT parameters as one table (JIT_PARAMDEF in lj_jit.h): names, defaults,
// and the -O / jit.opt.start parsing with LuaJIT's rules (lib_jit.c).

/** [name, default] in LuaJIT's order. */
export const JIT_PARAMDEF = [
  ["maxtrace", 1000],   // max. number of traces in the cache
  ["maxrecord", 4000],  // max. number of recorded IR instructions
  ["maxirconst", 500],  // max. number of IR constants of a trace
  ["maxside", 100],     // max. number of side traces of a root trace
  ["maxsnap", 500],     // max. number of snapshots for a trace
  ["minstitch", 0],     // min. number of IR instructions for a stitched trace
  ["hotloop", 56],      // iterations to detect a hot loop or call
  ["hotexit", 10],      // taken exits to start a side trace
  ["tryside", 4],       // attempts to compile a side trace
  ["instunroll", 4],    // max. unroll for unstable loops
  ["loopunroll", 15],   // max. unroll for loop ops in side traces
  ["callunroll", 3],    // max. unroll for recursive calls
  ["recunroll", 2],     // min. unroll for true recursion
  ["sizemcode", 64],    // size of each machine code area (KB; x64 default)
  ["maxmcode", 512],    // max. total size of all machine code areas (KB)
] as const;

export type JitParamName = (typeof JIT_PARAMDEF)[number][0];
export type JitParams = Record<JitParamName, number>;

export function defaultParams(): JitParams {
  return Object.fromEntries(JIT_PARAMDEF.map(([n, v]) => [n, v])) as JitParams;
}

/** Optimisation flags set by -O0..-O3 (JIT_F_OPT_*), in LuaJIT's order. */
export const JIT_OPTFLAGS = ["fold", "cse", "dce", "fwd", "dse", "narrow", "loop", "abc", "sink", "fuse"] as const;
export type JitOptFlag = (typeof JIT_OPTFLAGS)[number];

/** Flags each level turns on (lj_jit.h: JIT_F_OPT_0..3). */
const LEVELS: Record<number, readonly JitOptFlag[]> = {
  0: [],
  1: ["fold", "cse", "dce"],
  2: ["fold", "cse", "dce", "narrow", "loop"],
  3: JIT_OPTFLAGS,
};

export interface JitOptions {
  params: JitParams;
  flags: Set<JitOptFlag>;
}

export function defaultOptions(): JitOptions {
  return { params: defaultParams(), flags: new Set(LEVELS[3]) };
}

/**
 * Apply one jit.opt.start argument ("hotloop=10", "-fold", "+loop", "nofold", "3";
 * a digit above 3 means 3). Parameter values are plain digits, "" counting as 0.
 * Returns false for an unknown option (LuaJIT: "unknown or malformed optimization flag").
 */
export function applyOption(o: JitOptions, arg: string): boolean {
  if (/^[0-9]$/.test(arg)) {
    o.flags = new Set(LEVELS[Math.min(3, Number(arg))]);
    return true;
  }
  const eq = arg.indexOf("=");
  if (eq >= 0) {
    const name = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    const known = JIT_PARAMDEF.find(([n]) => n === name);
    if (!known || !/^[0-9]*$/.test(value)) return false;
    o.params[name as JitParamName] = value === "" ? 0 : Number(value) | 0;
    return true;
  }
  let name = arg;
  let on = true;
  if (name.startsWith("+")) name = name.slice(1);
  else if (name.startsWith("-")) { name = name.slice(1); on = false; }
  else if (name.startsWith("no")) { name = name.slice(name[2] === "-" ? 3 : 2); on = false; }
  if (!(JIT_OPTFLAGS as readonly string[]).includes(name)) return false;
  if (on) o.flags.add(name as JitOptFlag);
  else o.flags.delete(name as JitOptFlag);
  return true;
}
