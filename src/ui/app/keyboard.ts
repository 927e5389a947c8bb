// Global keys: space plays, arrows step, Shift+arrows jump to the previous
// or next flush/abort/violation, Home/End, "?" for help. Not while typing.
import { useEffect } from "react";
import type { AppStore } from "./store.ts";

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.closest(".monaco-editor")) return true;
  const tag = t.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || t.isContentEditable;
}

/** The nearest notable event (flush, abort or violation) in a direction. */
function jumpAny(store: AppStore, dir: 1 | -1): void {
  const t = store.timeline;
  const found = (["flush", "abort", "violation"] as const).map((k) => t.findJump(k, dir)).filter((i): i is number => i !== null);
  if (found.length) store.seek(dir > 0 ? Math.min(...found) : Math.max(...found));
}

export function useKeyboard(store: AppStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const comparing = store.compare.state.open;
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); if (comparing) store.runCompare(); else store.run(); return; }
      // The compare view has no cursor of its own: the explorer's keys wait until it is closed.
      if (comparing) return;
      if (e.defaultPrevented || typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (store.state.helpOpen) return; // the dialog handles its own keys (Esc)
      const t = store.timeline;
      switch (e.key) {
        case " ": store.togglePlay(); break;
        case "ArrowLeft": if (e.shiftKey) jumpAny(store, -1); else store.step(-1); break;
        case "ArrowRight": if (e.shiftKey) jumpAny(store, 1); else store.step(1); break;
        case "Home": store.pause(); store.seek(0); break;
        case "End": store.pause(); store.seek(t.length - 1); break;
        case "?": store.setHelp(true); break;
        default: return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [store]);
}
