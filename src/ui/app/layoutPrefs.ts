// Pane sizes the user dragged to, kept in localStorage between visits.
import { useEffect, useState } from "react";

export interface PaneSizes {
  editor: number;
  bytecode: number;
  bottom: number;
  console: number;
}

const KEY = "ljscope.panes";

function defaults(): PaneSizes {
  const w = typeof window !== "undefined" ? window.innerWidth : 1400;
  const h = typeof window !== "undefined" ? window.innerHeight : 900;
  return { editor: Math.round(w * 0.3), bytecode: Math.round(w * 0.34), bottom: Math.round(Math.max(230, h * 0.27)), console: Math.round(w * 0.3) };
}

export function usePaneSizes(): [PaneSizes, (patch: Partial<PaneSizes>) => void] {
  const [sizes, setSizes] = useState<PaneSizes>(() => {
    try {
      return { ...defaults(), ...(JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<PaneSizes>) };
    } catch {
      return defaults();
    }
  });
  useEffect(() => {
    try { localStorage.setItem(KEY, JSON.stringify(sizes)); } catch { /* private mode */ }
  }, [sizes]);
  return [sizes, (patch) => setSizes((s) => ({ ...s, ...patch }))];
}
