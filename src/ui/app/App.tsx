// The explorer: toolbar, editor, bytecode, trace registry, trace tree and
// explanation, timeline and console, all reading one timeline model (views/context.ts).
import { useEffect, useMemo, useSyncExternalStore } from "react";
import { EditorPane } from "../editor/EditorPane.tsx";
import { exampleByFile } from "../examples/index.ts";
import { eventLine } from "../model/where.ts";
import { AssertionBanner } from "../views/AssertionBanner.tsx";
import { BytecodeView } from "../views/BytecodeView.tsx";
import { ConsoleView } from "../views/ConsoleView.tsx";
import { ModelContext, useSelection, useTimeline } from "../views/context.ts";
import { ExplanationCard } from "../views/ExplanationCard.tsx";
import { HelpDialog } from "../views/HelpDialog.tsx";
import { LiveRegion } from "../views/LiveRegion.tsx";
import { Splitter } from "../views/Splitter.tsx";
import { TimelineView, type TimelineActions } from "../views/TimelineView.tsx";
import { TraceRegistry } from "../views/TraceRegistry.tsx";
import { TraceTreeView } from "../views/TraceTreeView.tsx";
import { ComparePanel } from "./ComparePanel.tsx";
import { useKeyboard } from "./keyboard.ts";
import { usePaneSizes } from "./layoutPrefs.ts";
import type { AppStore } from "./store.ts";
import { Toolbar } from "./Toolbar.tsx";

export function App({ store }: { store: AppStore }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const comparing = useSyncExternalStore(store.compare.subscribe, () => store.compare.state.open);
  const model = useMemo(() => ({ timeline: store.timeline, selection: store.selection }), [store]);
  const [sizes, setSizes] = usePaneSizes();
  useKeyboard(store);
  useEffect(() => {
    // For `npm run measure`: the first commit (toolbar and editor text on the page).
    performance.mark("ljscope:app-mounted");
    void store.init();
  }, [store]);
  const actions: TimelineActions = useMemo(() => ({
    seek: (i) => { store.pause(); store.seek(i); },
    step: (d) => store.step(d),
    jump: (k, d) => store.jump(k, d),
    togglePlay: () => store.togglePlay(),
    setSpeed: (s) => store.setSpeed(s),
  }), [store]);

  return (
    <ModelContext.Provider value={model}>
      <div
        className={`app${comparing ? " comparing" : ""}`}
        data-testid="app"
        onDragOver={(e) => { if (e.dataTransfer.types.includes("Files")) e.preventDefault(); }}
        onDrop={(e) => { e.preventDefault(); const f = [...e.dataTransfer.files]; if (f.length) void store.importFiles(f); }}
      >
        <Toolbar store={store} state={state} comparing={comparing} />
        <AssertionBanner onSeek={actions.seek} />
        <Notices store={store} notice={state.notice} />
        {/* The explorer stays mounted underneath (the editor keeps its state). */}
        {comparing && <ComparePanel store={store} />}
        <main className="workspace" style={{ gridTemplateColumns: `${sizes.editor}px 6px ${sizes.bytecode}px 6px minmax(260px, 1fr)` }}>
          <EditorPanel store={store} />
          <Splitter orientation="vertical" label="Resize editor" value={sizes.editor} min={220} max={1400} onChange={(v) => setSizes({ editor: v })} />
          <BytecodeView />
          <Splitter orientation="vertical" label="Resize bytecode" value={sizes.bytecode} min={240} max={1400} onChange={(v) => setSizes({ bytecode: v })} />
          <div className="side">
            <TraceRegistry />
            <TraceTreeView />
            <ExplanationCard />
          </div>
        </main>
        <Splitter orientation="horizontal" label="Resize timeline" value={sizes.bottom} min={150} max={900} direction={-1} onChange={(v) => setSizes({ bottom: v })} />
        <div className="bottom" style={{ height: sizes.bottom, gridTemplateColumns: `minmax(300px, 1fr) 6px ${sizes.console}px` }}>
          <TimelineView actions={actions} playing={state.playing} speed={state.speed} />
          <Splitter orientation="vertical" label="Resize console" value={sizes.console} min={200} max={1200} direction={-1} onChange={(v) => setSizes({ console: v })} />
          <ConsoleView />
        </div>
        <LiveRegion playing={state.playing} />
        <HelpDialog open={state.helpOpen} onClose={() => store.setHelp(false)} />
      </div>
    </ModelContext.Provider>
  );
}

/** The editor with its file name and the source line of the current event. */
function EditorPanel({ store }: { store: AppStore }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const timeline = useTimeline();
  const [sel] = useSelection();
  const line = eventLine(timeline.current, timeline.state);
  const ex = exampleByFile(state.fileName);
  const example = ex && ex.source === state.source ? ex : null;
  return (
    <section className="panel editor-panel" aria-label="Editor">
      <header className="panel-head">
        <h2>Program</h2>
        <input className="filename" aria-label="File name (chunk name)" value={state.fileName} spellCheck={false}
          onChange={(e) => store.setFileName(e.target.value)} />
        {state.syntaxError ? <span className="bad small">syntax error</span> : <span className="muted small">Ctrl+Enter runs</span>}
      </header>
      {example && <p className="blurb"><b>{example.title}.</b> {example.blurb}</p>}
      <EditorPane
        value={state.source}
        onChange={(v) => store.setSource(v)}
        onRun={() => store.run()}
        syntaxError={state.syntaxError}
        eventLine={line}
        selectedLine={sel.line}
        theme={state.theme}
      />
    </section>
  );
}

function Notices({ store, notice }: { store: AppStore; notice: string | null }) {
  const timeline = useTimeline();
  const notes = timeline.meta.notes;
  if (!notice && notes.length === 0 && timeline.meta.source !== "import") return null;
  return (
    <div className="notices">
      {timeline.meta.source === "import" && (
        <div className="notice info" role="status" data-testid="import-notice" data-file={timeline.meta.name}>
          Imported <code>{timeline.meta.name}</code>{timeline.meta.build ? <> (build <b>{timeline.meta.build}</b>)</> : " (build unknown: name the file *.fixed.jsonl, *.prefix-assert.jsonl or *.prefix-release.jsonl)"}.
          Events LuaJIT does not report (bytecode patches, flushes of one trace, GC frees) are inferred from its bytecode and trace lists.
        </div>
      )}
      {notes.map((n, i) => <div key={i} className="notice warn" role="status">{n}</div>)}
      {notice && <div className="notice warn" role="alert">{notice} <button onClick={() => store.dismissNotice()}>dismiss</button></div>}
    </div>
  );
}
