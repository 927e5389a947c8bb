// The run options as the explorer's fields hold them (build, hotloop, other
// -O arguments, budget), and the jit.opt.start arguments they stand for.
import { argsLine, optArgs, paramAfter, withoutParam } from "../../engine/jitargs.ts";
import { DEFAULT_BUDGET, DEFAULT_MAX_EVENTS, DEFAULT_MAX_OUTPUT, type BuildName, type RunOptions } from "../../engine/protocol.ts";

export interface RunSettings {
  build: BuildName;
  hotloop: number;
  /** Other -O arguments, e.g. "maxtrace=4,hotexit=2". */
  opts: string;
  /** Instruction budget in millions of ticks. */
  budgetM: number;
}

/** How the build selectors name the builds (the LuaJIT commit each one is). */
export const BUILD_LABEL: Record<BuildName, string> = {
  "fixed": "fixed · e0551670",
  "prefix-assert": "prefix-assert · eee16efa",
  "prefix-release": "prefix-release · eee16efa",
};

export const DEFAULT_SETTINGS: RunSettings = { build: "fixed", hotloop: 56, opts: "", budgetM: DEFAULT_BUDGET / 1e6 };

/** The option fields a program's `-- luajit-args:` line stands for (no line: luajit's defaults). */
export function settingsFromArgs(source: string, base: RunSettings): RunSettings {
  const args = optArgs(argsLine(source) ?? "");
  return { ...base, hotloop: paramAfter(args, "hotloop"), opts: withoutParam(args, "hotloop").join(",") };
}

/** The -O arguments a run gets, in order (jit.opt.start applies them one by one; the hotloop field comes last). */
export function jitOptsOf(s: RunSettings): string[] {
  return [...optArgs(s.opts), `hotloop=${s.hotloop}`];
}

/** What the engine worker gets for a run with these fields. */
export function runOptionsOf(s: RunSettings): RunOptions {
  return {
    build: s.build, jitOpts: jitOptsOf(s), budget: Math.max(1, Math.round(s.budgetM * 1e6)),
    maxEvents: DEFAULT_MAX_EVENTS, maxOutput: DEFAULT_MAX_OUTPUT,
  };
}
