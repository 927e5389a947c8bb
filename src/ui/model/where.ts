// Where an event happens: the bytecode slot it is about and its source line,
// so that the bytecode view and the editor can point at it.
import type { EngineEvent, ProtoKey } from "../../engine/events.ts";
import type { ExplorerState } from "./state.ts";

export function eventSlot(e: EngineEvent | undefined): { proto: ProtoKey; pc: number } | null {
  if (!e) return null;
  switch (e.type) {
    case "bc": case "hot": case "penalty": return { proto: e.proto, pc: e.pc };
    case "trace-start": case "trace-stop": return { proto: e.func, pc: e.pc };
    case "trace-abort": return { proto: e.abortFunc, pc: e.abortPc };
    case "violation": return e.proto !== undefined && e.pc !== undefined ? { proto: e.proto, pc: e.pc } : null;
    default: return null;
  }
}

/** The source line of an event (1-based), if it has one. */
export function eventLine(e: EngineEvent | undefined, s: ExplorerState): number | null {
  if (!e) return null;
  if (e.type === "trace-start" || e.type === "trace-stop") return lineOfLoc(e.loc);
  if (e.type === "trace-abort") return lineOfLoc(e.abortLoc);
  const slot = eventSlot(e);
  if (!slot) return null;
  const line = s.protos.find((p) => p.key === slot.proto)?.lines[slot.pc];
  return line && line > 0 ? line : null;
}

function lineOfLoc(loc: string): number | null {
  const m = /:(\d+)$/.exec(loc);
  return m && Number(m[1]) > 0 ? Number(m[1]) : null;
}
