// One character per event type, for marks on the timeline and rows of the
// compare view (the colour and the text say the rest).
import type { EngineEventType } from "../../engine/events.ts";

export const EVENT_GLYPH: Record<EngineEventType, string> = {
  "compiled": "C", "end": "■", "violation": "!", "trace-start": "▸", "trace-stop": "●", "trace-abort": "✕",
  "bc": "↕", "flush": "⟲", "trace-flush": "⟲", "hot": "h", "penalty": "p", "exit": "e", "output": "›",
};
