// The banner for a failed LuaJIT assertion (prefix-assert builds abort with
// it) and for stale references a release build silently lives with. The
// assertion text is LuaJIT's, verbatim.
import type { ViolationEvent } from "../../engine/events.ts";
import { useTimeline } from "./context.ts";

export function AssertionBanner({ onSeek }: { onSeek(index: number): void }) {
  const timeline = useTimeline();
  const indices = timeline.jumpIndices("violation");
  if (indices.length === 0) return null;
  const fatalAt = indices.find((i) => (timeline.events[i] as ViolationEvent).fatal);
  const cursor = timeline.cursor;
  if (fatalAt !== undefined) {
    const v = timeline.events[fatalAt] as ViolationEvent;
    const reached = cursor >= fatalAt;
    return (
      <div className={`banner assertion${reached ? " reached" : ""}`} role="alert">
        <span className="banner-label">{reached ? "LuaJIT aborted:" : "This run ends in an assertion failure:"}</span>
        <code data-testid="assertion">{v.message}</code>
        {v.proto !== undefined && <span className="muted small">at <code>{v.proto}</code> pc {v.pc}</span>}
        {!reached && <button onClick={() => onSeek(fatalAt)}>Go to it</button>}
      </div>
    );
  }
  const upto = indices.filter((i) => i <= cursor);
  const shown = upto.length ? upto[upto.length - 1] : indices[0];
  const v = timeline.events[shown] as ViolationEvent;
  return (
    <div className="banner violation" role="status" data-testid="violation-banner">
      <span className="banner-label">{indices.length} stale reference{indices.length === 1 ? "" : "s"} (no assertion in this build):</span>
      <code>{v.message}</code>
      {cursor < shown && <button onClick={() => onSeek(shown)}>Go to it</button>}
    </div>
  );
}
