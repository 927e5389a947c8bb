// The editor pane: Monaco once its lazy chunk has loaded; until then a plain
// textarea with the same text, so the page is usable from the first paint.
import { lazy, Suspense, useState } from "react";
import type { SyntaxErrorInfo } from "../../engine/protocol.ts";

export interface EditorProps {
  value: string;
  onChange(value: string): void;
  onRun(): void;
  syntaxError: SyntaxErrorInfo | null;
  /** Source line of the event at the cursor, and of the selection (1-based). */
  eventLine: number | null;
  selectedLine: number | null;
  theme: "light" | "dark";
  onReady?(): void;
}

/** The textarea shown while Monaco loads, and where its caret was when Monaco arrived (null: not focused). */
let fallbackEl: HTMLTextAreaElement | null = null;
let handover: number | null = null;

const MonacoEditor = lazy(async () => {
  const m = await import("./MonacoEditor.tsx");
  // Read while the textarea is still on the page: Monaco takes the focus and caret over.
  handover = fallbackEl && document.activeElement === fallbackEl ? fallbackEl.selectionStart : null;
  return m;
});

export function EditorPane(props: EditorProps) {
  const [ready, setReady] = useState(false);
  const fallback = (
    <textarea
      ref={(el) => { fallbackEl = el; }}
      className="editor-fallback"
      aria-label="Lua program"
      spellCheck={false}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      onKeyDown={(e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); props.onRun(); } }}
    />
  );
  return (
    <div className="editor" data-testid="editor" data-ready={ready}>
      <Suspense fallback={fallback}>
        <MonacoEditor {...props} takeFocus={() => handover} onReady={() => { handover = null; performance.mark("ljscope:editor-ready"); setReady(true); props.onReady?.(); }} />
      </Suspense>
      {props.syntaxError && (
        <div className="syntax-error" role="status" data-testid="syntax-error">
          {props.syntaxError.message}
        </div>
      )}
    </div>
  );
}
