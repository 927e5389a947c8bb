// The Export menu: the event log (JSON lines), the -bl listing and the -jv
// text of the current log, the trace tree and the timeline overview as SVG
// or PNG, and a command line that reproduces the run with a real luajit.
import { useEffect, useRef, useState } from "react";
import { downloadFile } from "../views/download.ts";
import { exportableSvg, saveSvgView } from "../views/svgExport.ts";
import type { AppState, AppStore } from "./store.ts";

/** The SVG views, by their data-export name. */
const PICTURES = [
  { name: "trace-tree", label: "Trace tree" },
  { name: "timeline-overview", label: "Timeline overview" },
] as const;

export function ExportMenu({ store, state }: { store: AppStore; state: AppState }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const empty = store.timeline.length === 0;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent): void => { if (!root.current?.contains(e.target as Node)) setOpen(false); };
    const onKey = (e: KeyboardEvent): void => { if (e.key === "Escape") setOpen(false); };
    window.addEventListener("pointerdown", onDown);
    window.addEventListener("keydown", onKey);
    return () => { window.removeEventListener("pointerdown", onDown); window.removeEventListener("keydown", onKey); };
  }, [open]);

  const base = store.timeline.meta.name.replace(/\.(lua|jsonl)$/i, "") || "ljscope";
  const picture = (name: string, format: "svg" | "png"): void => {
    const svg = exportableSvg(name);
    if (svg) void saveSvgView(svg, `${base}.${name}.${store.timeline.cursor + 1}`, format);
  };
  const repro = open ? store.reproLine() : "";

  return (
    <div className="menu" ref={root}>
      <button data-testid="export-menu" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title="Save the log, listings, pictures, or a command line">
        Export ▾
      </button>
      {open && (
        <div className="menu-pop" role="dialog" aria-label="Export">
          <h3>Current log</h3>
          <div className="menu-row">
            <button data-testid="export-events" disabled={empty} onClick={() => { const f = store.exportLog(); downloadFile(f.name, f.text, "application/x-ndjson"); }}
              title="Every event, one JSON object per line (opens again with Import)">event log (.jsonl)</button>
            <button data-testid="export-jv" disabled={empty} onClick={() => { const f = store.exportJv(); downloadFile(f.name, f.text); }}
              title="What luajit -jv prints on stderr for this run">-jv text</button>
            <button data-testid="export-bl" disabled={!store.canList} onClick={async () => { const f = await store.exportListing(); if (f) downloadFile(f.name, f.text); }}
              title={store.canList ? "The bytecode listing, as luajit -bl prints it" : "The log's program is not known (open it together with the log)"}>-bl listing</button>
          </div>
          <h3>Pictures (at the cursor)</h3>
          {PICTURES.map((p) => (
            <div className="menu-row" key={p.name}>
              <span className="menu-label">{p.label}</span>
              <button data-testid={`export-${p.name}-svg`} disabled={empty} onClick={() => picture(p.name, "svg")}>SVG</button>
              <button data-testid={`export-${p.name}-png`} disabled={empty} onClick={() => picture(p.name, "png")}>PNG</button>
            </div>
          ))}
          <h3>Reproduce with LuaJIT</h3>
          <textarea data-testid="repro-line" className="repro" readOnly wrap="off" value={repro} rows={Math.min(8, repro.split("\n").length)} spellCheck={false}
            aria-label="Command line for luajit" onFocus={(e) => e.currentTarget.select()} />
          <div className="menu-row">
            <button data-testid="copy-repro" onClick={async () => { await navigator.clipboard?.writeText(repro).catch(() => {}); setCopied(true); setTimeout(() => setCopied(false), 1500); }}>
              {copied ? "copied" : "Copy"}
            </button>
            <span className="muted small">
              The program in the editor with its -O options. Build <b>{state.settings.build}</b>: run it with a luajit of that commit.
            </span>
          </div>
        </div>
      )}
    </div>
  );
}
