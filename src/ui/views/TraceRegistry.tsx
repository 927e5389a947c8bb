// The trace registry: one cell per trace number with its state (live,
// recording, flushed but still allocated, free) and how often the number was
// used; each prototype's chain of root traces; details of the selected trace.
import { useMemo, type CSSProperties } from "react";
import { traceColour } from "../layout/palette.ts";
import { linkText } from "../model/explain.ts";
import { findHazards } from "../model/hazards.ts";
import type { ExplorerState, TraceRecord, TraceState } from "../model/state.ts";
import { useSelection, useTimeline } from "./context.ts";

const STATE_LABEL: Record<TraceState, string> = { live: "live", recording: "recording", flushed: "flushed", free: "free" };
/** data-state values (flushed traces keep their number until a GC frees them). */
const DATA_STATE: Record<TraceState, string> = { live: "live", recording: "recording", flushed: "flushed-but-allocated", free: "free" };

/** Numbers shown: all of 1..maxtrace when few, else those used so far and a few free ones. */
export function shownNumbers(s: ExplorerState, maxtrace: number): number[] {
  const upto = Math.min(Math.max(1, maxtrace), Math.max(8, s.maxTraceSeen + 2));
  return Array.from({ length: upto }, (_, i) => i + 1);
}

export function TraceRegistry() {
  const timeline = useTimeline();
  const [sel, broker] = useSelection();
  const s = timeline.state;
  const maxtrace = timeline.meta.maxtrace;
  const numbers = shownNumbers(s, maxtrace);
  const hazards = useMemo(() => findHazards(s), [s]);
  const counts = { live: 0, recording: 0, flushed: 0 };
  for (const r of s.traces.values()) if (r.state !== "free") counts[r.state]++;
  const selected = sel.trace !== null ? s.traces.get(sel.trace) : undefined;
  const chains = [...s.chains].filter(([, c]) => c.length > 0);

  return (
    <section className="panel registry" aria-label="Trace registry">
      <header className="panel-head">
        <h2>Traces</h2>
        <span className="panel-sub">
          {counts.live} live · {counts.recording} recording · {counts.flushed} flushed · numbers 1..{maxtrace}
        </span>
      </header>
      <div className="panel-body">
        {!timeline.meta.traced && timeline.meta.source === "run" && (
          <p className="hint">
            Trace events come from the JIT simulation, which is not part of this build yet: runs show
            bytecode and output only. <strong>Import a log</strong> captured from real LuaJIT to see traces.
          </p>
        )}
        <ol className="cells" aria-label="Trace numbers">
          {numbers.map((tr) => {
            const rec = s.traces.get(tr);
            const state: TraceState = rec?.state ?? "free";
            const c = traceColour(tr);
            const staleHere = hazards.some((h) => h.trace === tr);
            return (
              <li key={tr}>
                <button
                  className={`cell ${state}${sel.trace === tr ? " selected" : ""}${staleHere ? " hazard" : ""}`}
                  data-testid="trace-cell"
                  data-traceno={tr}
                  data-state={DATA_STATE[state]}
                  data-generation={rec?.generation ?? 0}
                  style={{ "--tc": c.fill, "--tc-text": c.text } as CSSProperties}
                  aria-pressed={sel.trace === tr}
                  aria-label={`Trace ${tr}: ${STATE_LABEL[state]}${rec ? `, number used ${rec.generation} time${rec.generation === 1 ? "" : "s"}` : ""}${staleHere ? ", stale reference" : ""}`}
                  onClick={() => broker.select(sel.trace === tr ? {} : { trace: tr, line: lineOf(rec) })}
                >
                  <span className="no">{tr}</span>
                  <span className="st">{state === "recording" ? "rec" : STATE_LABEL[state]}</span>
                  {rec && rec.generation > 1 && <span className="gen" title="times this number was handed out">×{rec.generation}</span>}
                </button>
              </li>
            );
          })}
          {maxtrace > numbers.length && <li className="more muted" aria-hidden>… {maxtrace}</li>}
        </ol>
        {selected ? <TraceDetail rec={selected} /> : <p className="muted small">Select a trace number (or a J-op's → link) for details.</p>}
        <h3>Root trace chains</h3>
        {chains.length === 0 ? <p className="muted small">No prototype has root traces.</p> : (
          <ul className="chains">
            {chains.map(([proto, chain]) => (
              <li key={proto}>
                <code>{proto}</code>{" "}
                <span className="muted small">pt-&gt;trace</span>{" "}
                {chain.map((tr, i) => (
                  <span key={tr}>
                    {i > 0 && <span className="muted small"> → nextroot </span>}
                    <button className="chip" style={{ background: traceColour(tr).fill, color: traceColour(tr).text }} onClick={() => broker.select({ trace: tr })}>{tr}</button>
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
        {hazards.length > 0 && (
          <>
            <h3 className="bad">Stale references</h3>
            <ul className="hazards">
              {hazards.map((h, i) => (
                <li key={i}>
                  {h.kind === "stale-twin" && <>Trace <b>{h.trace}</b> is flushed but still allocated, and its start slot <code>{h.proto}</code> pc {h.pc} now holds trace <b>{h.other}</b>'s J-op: <code>jit.flush({h.trace})</code> would unpatch it in pre-fix builds (issue #1345).</>}
                  {h.kind === "orphan" && <>Trace <b>{h.trace}</b> is live, but its start slot <code>{h.proto}</code> pc {h.pc} was reverted: nothing enters it.</>}
                  {h.kind === "stale-jop" && <>The J-op at <code>{h.proto}</code> pc {h.pc} names trace <b>{h.trace}</b>, which is not live there.</>}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

function lineOf(rec: TraceRecord | undefined): number | null {
  const m = rec?.origin ? /:(\d+)$/.exec(rec.origin.loc) : null;
  return m ? Number(m[1]) : null;
}

function TraceDetail({ rec }: { rec: TraceRecord }) {
  const o = rec.origin;
  return (
    <dl className="trace-detail" aria-label={`Trace ${rec.tr} details`}>
      <dt>trace</dt><dd><b>{rec.tr}</b> · {rec.state}{rec.generation > 1 ? ` · number used ${rec.generation}×` : ""}</dd>
      {o && <><dt>kind</dt><dd>{o.kind}{o.kind === "side" ? ` of trace ${o.parent}, exit ${o.exit}` : o.kind === "stitch" ? ` after trace ${o.parent}` : ""}</dd></>}
      {o && <><dt>starts</dt><dd><code>{o.loc}</code> (pc {o.pc} of <code>{o.func}</code>)</dd></>}
      {rec.linktype && <><dt>link</dt><dd>{linkText(rec.linktype, rec.link ?? 0, rec.tr)}</dd></>}
      {rec.stopfunc && <><dt>stopped in</dt><dd><code>{rec.stopfunc}</code></dd></>}
      {rec.abortReason && <><dt>last abort</dt><dd>{rec.abortReason}</dd></>}
      {rec.flushes > 0 && <><dt>flushed</dt><dd>{rec.flushes}×{rec.flushes > 1 ? " (flushed again while stale)" : ""}</dd></>}
      {rec.exits > 0 && <><dt>exits</dt><dd>{rec.exits}</dd></>}
    </dl>
  );
}
