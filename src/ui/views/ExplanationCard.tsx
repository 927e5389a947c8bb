// The explanation card: what LuaJIT did at the event under the cursor, in
// which function of its source, and why it matters.
import { useMemo } from "react";
import { explain, sourceUrl } from "../model/explain.ts";
import { RichText } from "./RichText.tsx";
import { useTimeline } from "./context.ts";

export function ExplanationCard() {
  const timeline = useTimeline();
  const e = timeline.current;
  const cursor = timeline.cursor;
  const build = timeline.meta.build;
  const x = useMemo(
    () => (e ? explain(e, timeline.stateAt(cursor - 1), timeline.state, build) : null),
    // The log is append-only: the event at an index never changes, the state at the cursor does.
    [e, cursor, build, timeline.state],
  );
  return (
    <section className={`panel explain tone-${x?.tone ?? "info"}`} aria-label="Explanation of the current event">
      <header className="panel-head">
        <h2>{x ? x.title : "Explanation"}</h2>
        {e && <span className="panel-sub">event {cursor + 1} of {timeline.length} · <code>{e.type}</code>{"ours" in e ? " (ours)" : " (LuaJIT vmevent)"}</span>}
      </header>
      <div className="panel-body">
        {!x && <p className="muted">Step through the timeline: each event is explained here.</p>}
        {x?.body.map((para, i) => <p key={i}><RichText text={para} /></p>)}
        {x?.source && (
          <p className="source-ref">
            LuaJIT source:{" "}
            <a href={sourceUrl(x.source, build)} target="_blank" rel="noreferrer">
              {x.source.file} · <code>{x.source.symbol}</code>
            </a>
            {build && <span className="muted small"> ({build === "fixed" ? "fixed build, e0551670" : `${build} build, eee16efa`})</span>}
          </p>
        )}
      </div>
    </section>
  );
}
