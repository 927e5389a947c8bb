// The one place where a run meets the JIT simulation (src/jit): hooks on the
// state (S.jit, S.onGC) for the chosen build, emitting events to a sink.
import type { Proto } from "../bc/proto.ts";
import { JitSim } from "../jit/sim.ts";
import type { LuaState } from "../vm/state.ts";
import type { BuildName } from "./protocol.ts";
import type { EventInput, ProtoKey } from "./events.ts";

/** Where the simulation sends its events (the worker's batcher numbers them). */
export type EventSink = (e: EventInput) => void;

/** Whether runs produce trace events (the explorer says so when they do not). */
export const SIMULATION_AVAILABLE = true;

/**
 * Install the JIT simulation on a fresh state for `build`, emitting to `sink`.
 * Called after the -O arguments were applied to S.jitConfig and before the
 * main chunk runs; `keys` name the prototypes in events.
 */
export function attachSimulator(S: LuaState, build: BuildName, sink: EventSink, keys: ReadonlyMap<Proto, ProtoKey>): JitSim {
  const sim = new JitSim(S, { build, emit: sink });
  sim.registerProtos(keys);
  sim.attach();
  S.onGC = (kind) => { if (kind === "full") sim.collect(); };
  return sim;
}
