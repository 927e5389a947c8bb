// Program output up to the cursor (stdout, and stderr in red), like the
// terminal a luajit run would print to; later output is counted, not shown.
import { useEffect, useMemo, useRef } from "react";
import { useTimeline } from "./context.ts";

/** The console keeps the last this many characters on screen. */
const SHOW_CHARS = 200_000;

export function ConsoleView() {
  const timeline = useTimeline();
  const total = timeline.state.counts.outputs;
  // What is shown changes only with the number of outputs up to the cursor (or with a new log).
  const { outputs, cut } = useMemo(() => timeline.outputTail(SHOW_CHARS), [timeline, timeline.events, total]);
  const later = timeline.outputTotal - total;
  const end = timeline.state.end;
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = pre.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [outputs]);
  const chars = outputs.reduce((n, o) => n + o.text.length, 0);
  // Only the end of the first shown piece, if the pieces hold more than the console keeps.
  const skip = Math.max(0, chars - SHOW_CHARS);
  return (
    <section className="panel console" aria-label="Console">
      <header className="panel-head">
        <h2>Console</h2>
        <span className="panel-sub">
          {total} output event{total === 1 ? "" : "s"} up to the cursor{later > 0 ? ` · ${later} after it` : ""}
          {end && <> · exit {end.exitCode} ({end.status})</>}
          {timeline.meta.source === "import" && timeline.outputTotal === 0 && <> · captured logs carry no program output</>}
        </span>
      </header>
      <pre ref={pre} className="console-text" data-testid="console" tabIndex={0} aria-label="Program output">
        {cut && <span className="muted">…{"\n"}</span>}
        {outputs.map((o, i) => <span key={i} className={o.stream}>{i === 0 && skip ? o.text.slice(skip) : o.text}</span>)}
      </pre>
    </section>
  );
}
