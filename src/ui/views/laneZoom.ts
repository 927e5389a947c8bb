// d3-zoom on the timeline's lanes, wrapped in a small create/update/destroy
// object (as xyflow wraps it): React owns the DOM, d3 turns wheel and drag
// into a window of events, and the view can move that window itself.
import { scaleLinear, select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from "d3";
import type { Window } from "../layout/timelineTracks.ts";

/** The lanes never show more events than this at once (each one is a button). */
export const MAX_SPAN = 1000;
/** ...nor fewer. */
export const MIN_SPAN = 8;

export interface LaneZoom {
  /** Tell the zoom the current log length, lane width and window (moves without reporting back). */
  update(length: number, width: number, win: Window): void;
  destroy(): void;
}

export function createLaneZoom(el: HTMLElement, onWindow: (w: Window) => void): LaneZoom {
  let length = 1, width = 1;
  const behavior: ZoomBehavior = zoom()
    // Double clicks and right clicks are for the buttons and the browser.
    .filter((e) => e.type !== "dblclick" && !(e instanceof MouseEvent && e.button !== 0))
    .on("zoom", (e: D3ZoomEvent) => {
      if (!e.sourceEvent) return; // our own update()
      const base = scaleLinear().domain([0, length]).range([0, width]);
      const [d0, d1] = e.transform.rescaleX(base).domain();
      const lo = Math.max(0, Math.floor(d0));
      const hi = Math.min(length - 1, Math.max(lo, Math.ceil(d1) - 1));
      onWindow([lo, hi]);
    });
  const sel = select(el);
  sel.call(behavior);
  return {
    update(len, w, win) {
      length = Math.max(1, len);
      width = Math.max(1, w);
      const span = Math.max(1, win[1] - win[0] + 1);
      const k = length / span;
      behavior
        .scaleExtent([Math.max(1, length / MAX_SPAN), Math.max(1, length / MIN_SPAN)])
        .extent([[0, 0], [width, 1]])
        .translateExtent([[0, 0], [width, 1]]);
      behavior.transform(sel, zoomIdentity.translate((-k * win[0] * width) / length, 0).scale(k));
    },
    destroy() {
      sel.on(".zoom", null);
    },
  };
}
