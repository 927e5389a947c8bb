// The timeline: every event on its track (traces, bytecode, flushes,
// counters, output, program), a cursor to step, play or scrub, jumps to the
// next flush/abort/violation, and an overview of the whole log above the lanes.
import { memo, useDeferredValue, useEffect, useLayoutEffect, useRef, useState } from "react";
import { scaleLinear } from "d3";
import type { EngineEvent } from "../../engine/events.ts";
import { EVENT_GLYPH } from "../layout/glyphs.ts";
import { markStyle } from "../layout/palette.ts";
import { densities, fitWindow, trackIndex, trackOf, TRACKS, type Window } from "../layout/timelineTracks.ts";
import { summarize } from "../model/explain.ts";
import type { JumpKind } from "../model/timeline.ts";
import { useTimeline } from "./context.ts";
import { createLaneZoom, MAX_SPAN, type LaneZoom } from "./laneZoom.ts";

const ROW_H = 22;
/** Events shown in the lanes by default (fewer: all of them). */
const DEFAULT_SPAN = 300;

export interface TimelineActions {
  seek(index: number): void;
  step(delta: number): void;
  jump(kind: JumpKind, dir: 1 | -1): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
}


export function TimelineView({ actions, playing, speed }: { actions: TimelineActions; playing: boolean; speed: number }) {
  const timeline = useTimeline();
  const n = timeline.length;
  const cursor = timeline.cursor;
  const events = timeline.events;
  const area = useRef<HTMLDivElement>(null);
  const zoomRef = useRef<LaneZoom | null>(null);
  const [width, setWidth] = useState(600);
  const [win, setWin] = useState<Window>([0, 0]);

  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(100, el.clientWidth)));
    ro.observe(el);
    setWidth(Math.max(100, el.clientWidth));
    zoomRef.current = createLaneZoom(el, (w) => setWin(w));
    return () => { ro.disconnect(); zoomRef.current?.destroy(); zoomRef.current = null; };
  }, []);

  // Keep the cursor inside the window (a short log shows whole).
  useEffect(() => {
    setWin((prev) => {
      const span = Math.min(MAX_SPAN, Math.max(prev[1] - prev[0] + 1, DEFAULT_SPAN));
      return fitWindow(n, cursor, n <= span ? null : prev[1] > 0 ? prev : null, n <= span ? n : span);
    });
  }, [n, cursor]);

  useEffect(() => {
    zoomRef.current?.update(n, width, win);
  }, [n, width, win]);

  const lo = Math.min(win[0], Math.max(0, n - 1));
  const hi = Math.min(win[1], n - 1);
  // The lanes (hundreds of buttons) follow at a lower priority than the rest:
  // while the overview is dragged, React may skip their updates and catch up after.
  const laneLo = useDeferredValue(lo), laneHi = useDeferredValue(hi), laneCursor = useDeferredValue(cursor);

  const jumpable = (kind: JumpKind): [boolean, boolean] => [timeline.findJump(kind, -1) !== null, timeline.findJump(kind, 1) !== null];

  return (
    <section className="panel timeline" aria-label="Timeline">
      <header className="panel-head timeline-controls">
        <div className="group" role="group" aria-label="Step">
          <button onClick={() => actions.seek(0)} disabled={cursor <= 0} title="First event (Home)" aria-label="First event">⇤</button>
          <button data-testid="step-back" onClick={() => actions.step(-1)} aria-disabled={cursor <= 0} title="Step back (←)" aria-label="Step back">◀</button>
          <button className="play" onClick={actions.togglePlay} disabled={n === 0} title="Play / pause (space)" aria-label={playing ? "Pause" : "Play"} aria-pressed={playing}>{playing ? "❚❚" : "▶"}</button>
          <button data-testid="step-forward" onClick={() => actions.step(1)} aria-disabled={cursor >= n - 1} title="Step forward (→)" aria-label="Step forward">▶|</button>
          <button onClick={() => actions.seek(n - 1)} disabled={cursor >= n - 1} title="Last event (End)" aria-label="Last event">⇥</button>
        </div>
        <span className="position" aria-live="off">
          event <b>{n === 0 ? 0 : cursor + 1}</b> / {n}
          {cursor >= 0 && <span className="muted"> · seq {events[cursor]?.seq}</span>}
        </span>
        <div className="group jumps" role="group" aria-label="Jump to">
          {(["flush", "abort", "violation"] as const).map((kind) => {
            const [back, fwd] = jumpable(kind);
            return (
              <span key={kind} className="jump">
                <button onClick={() => actions.jump(kind, -1)} disabled={!back} aria-label={`Previous ${kind}`} title={`Previous ${kind} (Shift+←: any)`}>◀</button>
                <span className="jump-label">{kind}</span>
                <button onClick={() => actions.jump(kind, 1)} disabled={!fwd} aria-label={`Next ${kind}`} title={`Next ${kind} (Shift+→: any)`}>▶</button>
              </span>
            );
          })}
        </div>
        <label className="speed">
          speed
          <select value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value))} aria-label="Playback speed (events per second)">
            {[1, 2, 4, 10, 30, 100].map((s) => <option key={s} value={s}>{s}/s</option>)}
          </select>
        </label>
      </header>
      <Overview events={events} cursor={cursor} win={[lo, hi]} width={width} onSeek={actions.seek} step={actions.step} />
      <div className="lanes">
        <div className="lane-labels" aria-hidden>
          {TRACKS.map((t) => <div key={t.id} style={{ height: ROW_H }}>{t.label}</div>)}
        </div>
        <div
          className="lane-area"
          ref={area}
          style={{ height: TRACKS.length * ROW_H }}
          role="listbox"
          aria-label="Events (wheel to zoom, drag to pan)"
          aria-activedescendant={laneCursor >= 0 ? `ev-${laneCursor}` : undefined}
        >
          {TRACKS.map((t, i) => <div key={t.id} className="lane-row" style={{ top: i * ROW_H, height: ROW_H }} />)}
          <LaneMarks events={events} n={n} lo={laneLo} hi={laneHi} cursor={laneCursor} width={width} onSeek={actions.seek} />
        </div>
      </div>
    </section>
  );
}

/**
 * The events of the lanes' window, one button each on its track, and the
 * cursor line. `n` is the log's length: the log grows in place, so its
 * array alone does not tell a memo that events were added.
 */
const LaneMarks = memo(function LaneMarks({ events, n, lo, hi, cursor, width, onSeek }: {
  events: readonly EngineEvent[]; n: number; lo: number; hi: number; cursor: number; width: number; onSeek(i: number): void;
}) {
  const span = Math.max(1, hi - lo + 1);
  const step = width / span;
  const markW = Math.max(4, Math.min(18, step - 2));
  const x = (i: number): number => (i - lo) * step + (step - markW) / 2;
  const visible = n === 0 ? [] : events.slice(lo, hi + 1);
  return (
    <>
      {visible.map((e, k) => {
        const i = lo + k;
        const current = i === cursor;
        const label = `${i + 1}. ${summarize(e)}`;
        return (
          <button
            key={i}
            id={`ev-${i}`}
            role="option"
            aria-selected={current}
            className={`ev ev-${e.type}${current ? " current" : ""}${e.type === "violation" && e.fatal ? " fatal" : ""}`}
            data-testid="timeline-event"
            data-seq={e.seq}
            data-kind={e.type}
            tabIndex={current ? 0 : -1}
            style={{ left: x(i), top: trackIndex(trackOf(e.type)) * ROW_H + 3, width: markW, height: ROW_H - 6, ...markStyle(e) }}
            title={label}
            aria-label={label}
            onClick={() => onSeek(i)}
          >
            {markW >= 12 ? EVENT_GLYPH[e.type] : ""}
          </button>
        );
      })}
      {cursor >= lo && cursor <= hi && n > 0 && <div className="cursor-line" style={{ left: x(cursor) + markW / 2 }} aria-hidden />}
    </>
  );
});

/** The whole log at a glance: event density per track, markers, the lanes' window, the cursor. Drag to scrub. */
function Overview({ events, cursor, win, width, onSeek, step }: {
  events: readonly EngineEvent[]; cursor: number; win: Window; width: number; onSeek(i: number): void; step(d: number): void;
}) {
  const n = events.length;
  const x = scaleLinear().domain([0, Math.max(1, n)]).range([0, width]);
  const dragging = useRef(false);
  const seekAt = (clientX: number, el: Element): void => {
    const r = el.getBoundingClientRect();
    const i = Math.floor(x.invert(clientX - r.left - LABEL_W));
    onSeek(Math.max(0, Math.min(n - 1, i)));
  };
  const h = TRACKS.length * DENS_H;
  return (
    <svg
      className="overview"
      data-export="timeline-overview"
      width={width + LABEL_W}
      height={h + 10}
      role="slider"
      tabIndex={0}
      aria-label="Scrub through the events"
      aria-valuemin={1}
      aria-valuemax={Math.max(1, n)}
      aria-valuenow={cursor + 1}
      onKeyDown={(e) => {
        if (e.key === "ArrowLeft" || e.key === "ArrowRight") { e.preventDefault(); e.stopPropagation(); step(e.key === "ArrowLeft" ? -1 : 1); }
      }}
      onPointerDown={(e) => { dragging.current = true; e.currentTarget.setPointerCapture(e.pointerId); seekAt(e.clientX, e.currentTarget); }}
      onPointerMove={(e) => { if (dragging.current) seekAt(e.clientX, e.currentTarget); }}
      onPointerUp={() => { dragging.current = false; }}
    >
      <text x={4} y={h + 2} className="overview-label">all {n} events</text>
      <g transform={`translate(${LABEL_W},3)`}>
        <OverviewLayer events={events} n={n} width={width} />
        {n > 0 && <rect className="window" x={x(win[0])} y={-2} width={Math.max(2, x(win[1] + 1) - x(win[0]))} height={h + 4} />}
        {cursor >= 0 && <rect className="cursor" x={x(cursor)} y={-3} width={2} height={h + 6} />}
      </g>
    </svg>
  );
}

const LABEL_W = 80;
const DENS_H = 4;
const COL_W = 3;
const MARKED = new Set(["violation", "trace-abort", "flush", "trace-flush"]);

/** Densities and markers: they change with the log, not with the cursor, so they are drawn once per length. */
const OverviewLayer = memo(function OverviewLayer({ events, n, width }: { events: readonly EngineEvent[]; n: number; width: number }) {
  const cols = Math.max(1, Math.floor(width / COL_W));
  const dens = densities(events, cols);
  const max = Math.max(1, ...dens.flat());
  // One marker per column and kind, however many events share it.
  const marks = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!MARKED.has(e.type) || (e.type === "trace-flush" && e.what !== "flushroot")) continue;
    const col = Math.floor((i / n) * cols);
    marks.set(`${e.type}:${col}`, col);
  }
  const h = TRACKS.length * DENS_H;
  return (
    <g>
      {dens.map((row, t) => row.map((c, col) => c > 0 && (
        <rect key={`${t}-${col}`} x={col * COL_W} y={t * DENS_H} width={COL_W} height={DENS_H - 1} className={`dens dens-${TRACKS[t].id}`} opacity={0.25 + 0.75 * (c / max)} />
      )))}
      {[...marks].map(([k, col]) => <rect key={k} x={col * COL_W + 1} y={-3} width={1.5} height={h + 6} className={`mark mark-${k.split(":")[0]}`} />)}
    </g>
  );
}, (a, b) => a.n === b.n && a.width === b.width && a.events === b.events);
