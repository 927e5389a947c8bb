// Narrates the event at the cursor to screen readers (polite, and at most
// once a second while playing, so that it does not flood).
import { useEffect, useRef, useState } from "react";
import { summarize } from "../model/explain.ts";
import { useTimeline } from "./context.ts";

export function LiveRegion({ playing }: { playing: boolean }) {
  const timeline = useTimeline();
  const e = timeline.current;
  const text = e ? `Event ${timeline.cursor + 1} of ${timeline.length}: ${summarize(e)}` : "";
  const [spoken, setSpoken] = useState("");
  const last = useRef(0);
  useEffect(() => {
    const wait = playing ? Math.max(0, 1000 - (Date.now() - last.current)) : 150;
    const t = setTimeout(() => { last.current = Date.now(); setSpoken(text); }, wait);
    return () => clearTimeout(t);
  }, [text, playing]);
  return <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="narration">{spoken}</div>;
}
