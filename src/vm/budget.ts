// The instruction budget and the Stop hook: a runaway program ends with
// LuaHalt instead of hanging its caller. Ticks are spent at loop back-edges
// and calls, which every non-terminating program keeps passing; each slice
// also checks the memory ceiling for allocations charged without a check.
import { LuaHalt } from "./errors.ts";
import { checkMeter } from "./gc.ts";
import type { LuaThread } from "./thread.ts";

/** Ticks handed out at a time; shouldStop is polled once per slice. */
export const TICK_SLICE = 1 << 14;

/** Called when the current slice of ticks is used up; also checks the memory ceiling. */
export function budgetExhausted(L: LuaThread): void {
  checkMeter();
  const S = L.state;
  if (S.budgetLeft <= 0) throw new LuaHalt("budget", "instruction budget exhausted");
  if (S.options.shouldStop?.()) throw new LuaHalt("cancelled", "stopped");
  const slice = Math.min(TICK_SLICE, S.budgetLeft);
  S.budgetLeft -= slice;
  S.ticks = slice;
}
