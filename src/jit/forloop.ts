// rec_for_iter's reading of a numeric for loop's state, shared by the recorder's
// decisions (sim.ts) and the IR model's snapshots (irmodel.ts).

import { forStepUp } from "../util/arith.ts";

/** Loop events: "enterlo" is entering with at most two iterations left. */
export type LoopEv = "enter" | "enterlo" | "leave";

/** Does the loop go on at this index (with few iterations left: "enterlo") or end? */
export function forEvent(idx: number, stop: number, step: number): LoopEv {
  if (forStepUp(step)) return idx <= stop ? (idx + 2 * step > stop ? "enterlo" : "enter") : "leave";
  return stop <= idx ? (idx + 2 * step < stop ? "enterlo" : "enter") : "leave";
}
