// JIT engine flags and parameters as data (JIT_F_* and JIT_PARAMDEF in
// lj_jit.h, x64 target): jit.status(), jit.opt.start() and -O read these,
// and the JIT simulator takes its thresholds (hotloop, maxside...) from them.

export const JIT_F_ON = 0x00000001;
/** First CPU feature bit; features follow in JIT_F_CPUSTRING order. */
export const JIT_F_CPU = 0x00000010;
/** First optimisation flag bit; flags follow in JIT_F_OPTSTRING order. */
export const JIT_F_OPT = 0x00010000;
export const JIT_F_OPT_MASK = 0x0fff0000;

/** x86/x64 CPU feature names (JIT_F_CPUSTRING). */
export const JIT_CPU_FEATURES = ["SSE3", "SSE4.1", "BMI2"] as const;

/**
 * DIVERGENCE: LuaJIT detects these with cpuid; we report what any recent
 * x86-64 machine has (the target build prints all three on ours).
 */
export const JIT_F_CPU_DEFAULT = 0b111 * JIT_F_CPU;

/** Optimisation flag names for -O and jit.opt.start (JIT_F_OPTSTRING). */
export const JIT_OPT_FLAGS = ["fold", "cse", "dce", "fwd", "dse", "narrow", "loop", "abc", "sink", "fuse", "fma"] as const;

const optBit = (name: (typeof JIT_OPT_FLAGS)[number]): number => JIT_F_OPT << JIT_OPT_FLAGS.indexOf(name);
const optBits = (...names: (typeof JIT_OPT_FLAGS)[number][]): number => names.reduce((m, n) => m | optBit(n), 0);

/** -O0 .. -O3 (JIT_F_OPT_0..3); -O3 is the default and leaves fma off. */
export const JIT_F_OPT_LEVELS = [
  0,
  optBits("fold", "cse", "dce"),
  optBits("fold", "cse", "dce", "narrow", "loop"),
  optBits("fold", "cse", "dce", "narrow", "loop", "fwd", "dse", "abc", "sink", "fuse"),
] as const;
export const JIT_F_OPT_DEFAULT = JIT_F_OPT_LEVELS[3];
/** The loop optimisation (lj_opt_loop): a loop's body copied after the loop's first round. */
export const JIT_F_OPT_LOOP = optBit("loop");

/** JIT_PARAMDEF: name and default value, in LuaJIT's order (the index is JIT_P_name). */
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
  ["sizemcode", 64],    // size of each machine code area in KB (x64)
  ["maxmcode", 512],    // max. total size of all machine code areas in KB
] as const;

/** LJ_MAX_JSLOTS: the stack slots a trace's frames may span, counted from below its first frame (lj_def.h). */
export const MAX_JSLOTS = 250;

export type JitParamName = (typeof JIT_PARAMDEF)[number][0];

export const JIT_PARAM_DEFAULTS: readonly number[] = JIT_PARAMDEF.map(([, v]) => v);

/** Index of a parameter in JitConfig.params (JIT_P_name). */
export function jitParamIndex(name: JitParamName): number {
  return JIT_PARAMDEF.findIndex(([n]) => n === name);
}

/**
 * Apply one -O / jit.opt.start argument: a level "0".."9", a flag ("fold",
 * "+fold", "-fold", "nofold", "no-fold") or "param=digits" (jitopt_level,
 * jitopt_flag, jitopt_param in lib_jit.c). False if it is none of these.
 */
export function applyJitOpt(config: { flags: number; params: number[] }, arg: string): boolean {
  const str = arg.split("\0", 1)[0]; // C string semantics
  const c0 = str.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57 && str.length === 1) {
    config.flags = (config.flags & ~JIT_F_OPT_MASK) | JIT_F_OPT_LEVELS[Math.min(c0 - 48, 3)];
    return true;
  }
  let name = str;
  let set = true;
  if (name[0] === "+") name = name.slice(1);
  else if (name[0] === "-") { name = name.slice(1); set = false; }
  else if (name.startsWith("no")) { name = name.slice(name[2] === "-" ? 3 : 2); set = false; }
  const flag = (JIT_OPT_FLAGS as readonly string[]).indexOf(name);
  if (flag >= 0) {
    if (set) config.flags |= JIT_F_OPT << flag;
    else config.flags &= ~(JIT_F_OPT << flag);
    return true;
  }
  const eq = str.indexOf("=");
  const param = eq < 0 ? -1 : JIT_PARAMDEF.findIndex(([n]) => n === str.slice(0, eq));
  if (param < 0 || !/^[0-9]*$/.test(str.slice(eq + 1))) return false;
  let n = 0;
  for (const d of str.slice(eq + 1)) n = (n * 10 + (d.charCodeAt(0) - 48)) | 0; // int32_t arithmetic
  config.params[param] = n;
  return true;
}
