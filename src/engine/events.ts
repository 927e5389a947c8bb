// The event vocabulary, re-exported for the engine and the views (defined in src/jit/events.ts).
export * from "../jit/events.ts";
