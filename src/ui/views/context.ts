// How views reach the one timeline model and the selection: a React context
// the app provides, and hooks that re-render a view when either changes.
import { createContext, useContext, useSyncExternalStore } from "react";
import type { SelectionBroker, Selection } from "../model/selection.ts";
import type { Timeline } from "../model/timeline.ts";

export interface Model {
  timeline: Timeline;
  selection: SelectionBroker;
}

export const ModelContext = createContext<Model | null>(null);

export function useModel(): Model {
  const m = useContext(ModelContext);
  if (!m) throw new Error("ljscope: views need a ModelContext provider");
  return m;
}

/** The timeline, re-rendering on every change (its `version`). */
export function useTimeline(): Timeline {
  const { timeline } = useModel();
  useSyncExternalStore((fn) => timeline.subscribe(fn), () => timeline.version);
  return timeline;
}

export function useSelection(): [Selection, SelectionBroker] {
  const { selection } = useModel();
  const sel = useSyncExternalStore((fn) => selection.subscribe(fn), () => selection.get());
  return [sel, selection];
}
