// Layout of the timeline: which track each event goes on, the window of
// events the detail lanes show, and per-pixel densities for the overview of
// a long log. Pure functions; the view draws what they compute.
import type { EngineEvent, EngineEventType } from "../../engine/events.ts";

export type TrackId = "trace" | "bytecode" | "flush" | "exits" | "output" | "program";

export const TRACKS: readonly { id: TrackId; label: string }[] = [
  { id: "program", label: "program" },
  { id: "trace", label: "traces" },
  { id: "bytecode", label: "bytecode" },
  { id: "flush", label: "flushes" },
  { id: "exits", label: "counters" },
  { id: "output", label: "output" },
];

const TRACK_OF: Record<EngineEventType, TrackId> = {
  "compiled": "program", "end": "program", "violation": "program",
  "trace-start": "trace", "trace-stop": "trace", "trace-abort": "trace",
  "bc": "bytecode",
  "flush": "flush", "trace-flush": "flush",
  "hot": "exits", "penalty": "exits", "exit": "exits",
  "output": "output",
};

export function trackOf(type: EngineEventType): TrackId {
  return TRACK_OF[type];
}

export const trackIndex = (id: TrackId): number => TRACKS.findIndex((t) => t.id === id);

/** A window [lo, hi] (inclusive event indices). */
export type Window = readonly [number, number];

/**
 * The detail window: the whole log if it is short, else `span` events,
 * moved as little as possible to keep the cursor inside.
 */
export function fitWindow(length: number, cursor: number, prev: Window | null, span: number): Window {
  if (length <= 0) return [0, 0];
  const last = length - 1;
  if (length <= span) return [0, last];
  let [lo, hi] = prev ?? [Math.max(0, cursor - span / 2), Math.max(0, cursor - span / 2) + span - 1];
  const width = Math.max(8, Math.min(hi - lo + 1, length));
  lo = Math.round(lo);
  hi = lo + width - 1;
  const c = Math.max(0, cursor);
  if (c < lo) { lo = c; hi = lo + width - 1; }
  if (c > hi) { hi = c; lo = hi - width + 1; }
  if (hi > last) { hi = last; lo = Math.max(0, hi - width + 1); }
  if (lo < 0) { lo = 0; hi = Math.min(last, width - 1); }
  return [lo, hi];
}

/** For each track, how many events fall in each of `columns` equal slices of the log. */
export function densities(events: readonly EngineEvent[], columns: number): number[][] {
  const out = TRACKS.map(() => new Array<number>(columns).fill(0));
  const n = events.length;
  if (n === 0 || columns <= 0) return out;
  for (let i = 0; i < n; i++) {
    const col = Math.min(columns - 1, Math.floor((i / n) * columns));
    out[trackIndex(trackOf(events[i].type))][col]++;
  }
  return out;
}
