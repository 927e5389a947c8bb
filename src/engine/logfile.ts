// Our own event log as a file: one EngineEvent per line (JSON lines), so a
// run can be saved, shared and opened again in the explorer.
import type { EngineEvent, EngineEventType } from "./events.ts";

const TYPES: ReadonlySet<EngineEventType> = new Set<EngineEventType>([
  "trace-start", "trace-stop", "trace-abort", "flush", "compiled", "bc", "hot", "penalty",
  "trace-flush", "exit", "violation", "output", "end",
]);

export function eventsToJsonl(events: readonly EngineEvent[]): string {
  return events.map((e) => JSON.stringify(e)).join("\n") + (events.length ? "\n" : "");
}

/** Parse a saved log; lines that are not events are reported, not fatal. */
export function parseEventsJsonl(text: string): { events: EngineEvent[]; problems: string[] } {
  const events: EngineEvent[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      const e = JSON.parse(raw) as EngineEvent;
      if (typeof e === "object" && e !== null && TYPES.has(e.type)) events.push({ ...e, seq: events.length + 1 });
      else problems.push(`line ${i + 1}: not an ljscope event`);
    } catch {
      problems.push(`line ${i + 1}: not JSON`);
    }
  });
  return { events, problems };
}
