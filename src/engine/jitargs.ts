// JIT options as people write them: the `-- luajit-args: -Ohotloop=1` first
// line of the oracle's programs and our examples, and the -O field of the
// explorer. Both become jit.opt.start arguments (luajit.c's -O handling).
import { applyJitOpt, JIT_F_ON, JIT_OPT_FLAGS, JIT_PARAM_DEFAULTS, JIT_PARAMDEF, type JitParamName } from "../vm/jitparams.ts";

const ARGS_LINE = /^--\s*luajit-args:(.*)$/;

/** The text after `-- luajit-args:` on the first line, or null if there is no such line. */
export function argsLine(source: string): string | null {
  const first = source.split("\n", 1)[0].replace(/\r$/, "");
  const m = ARGS_LINE.exec(first);
  return m ? m[1].trim() : null;
}

/**
 * The -O arguments in a command line or option field: "-Ohotloop=1 -O3",
 * "-Ohotloop=1,maxtrace=4" or just "hotloop=1, maxtrace=4". Other luajit
 * options (-jv, -joff) are ignored here.
 */
export function optArgs(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/\s+/)) {
    if (word === "") continue;
    if (word.startsWith("-O")) out.push(...word.slice(2).split(","));
    else if (!word.startsWith("-") || isOptFlag(word.slice(1).split(",")[0])) out.push(...word.split(","));
  }
  return out.filter((a) => a !== "");
}

/** An optimisation flag's name: "-loop" in the option field turns it off (as -O-loop does). */
const isOptFlag = (name: string): boolean => (JIT_OPT_FLAGS as readonly string[]).includes(name);

/** Arguments jit.opt.start would reject ("unknown or malformed optimization flag"). */
export function invalidOptArgs(args: readonly string[]): string[] {
  const scratch = { flags: JIT_F_ON, params: JIT_PARAM_DEFAULTS.slice() };
  return args.filter((a) => !applyJitOpt(scratch, a));
}

/** The value a parameter ends up with after applying `args` (its default if none sets it). */
export function paramAfter(args: readonly string[], name: JitParamName): number {
  const config = { flags: JIT_F_ON, params: JIT_PARAM_DEFAULTS.slice() };
  for (const a of args) applyJitOpt(config, a);
  return config.params[JIT_PARAMDEF.findIndex(([n]) => n === name)];
}

/** `args` without any setting of `name` (so that a field of the explorer can own it). */
export function withoutParam(args: readonly string[], name: JitParamName): string[] {
  return args.filter((a) => !a.startsWith(name + "="));
}

export function defaultParam(name: JitParamName): number {
  return JIT_PARAM_DEFAULTS[JIT_PARAMDEF.findIndex(([n]) => n === name)];
}
