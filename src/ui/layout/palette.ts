// Trace colours: the Okabe-Ito palette (distinguishable with the common
// colour-vision deficiencies), cycled by trace number, with a text colour of
// enough contrast for each. Views always print the number too: colour is a hint.
import type { EngineEvent } from "../../engine/events.ts";

const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"] as const;

/** Relative luminance (WCAG) of a #rrggbb colour. */
function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

export interface TraceColour {
  fill: string;
  text: string;
}

export function traceColour(tr: number): TraceColour {
  const fill = OKABE_ITO[(Math.max(1, tr) - 1) % OKABE_ITO.length];
  // Black or white, whichever contrasts more with the fill.
  const l = luminance(fill);
  return { fill, text: (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? "#000000" : "#ffffff" };
}

/** Contrast ratio of two colours (for tests of the palette). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Colour of an event's mark (timeline, compare view): its trace's colour where it has one. */
export function markStyle(e: EngineEvent): { background?: string; color?: string; borderColor?: string } {
  const tr = "tr" in e ? e.tr : e.type === "bc" ? e.trace : undefined;
  if (tr === undefined || tr === 0) return {};
  const c = traceColour(tr);
  if (e.type === "trace-start") return { borderColor: c.fill };
  return { background: c.fill, color: c.text, borderColor: c.fill };
}
