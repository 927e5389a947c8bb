// The top bar: examples, the LuaJIT build and -O options, Run/Stop, the
// compare view, import and export, the capture script, permalink, theme and help.
import { useRef, useState } from "react";
import { invalidOptArgs, optArgs } from "../../engine/jitargs.ts";
import { BUILDS, isBuildName } from "../../engine/protocol.ts";
import { EXAMPLES, exampleByFile } from "../examples/index.ts";
import { ExportMenu } from "./ExportMenu.tsx";
import { IntField } from "./IntField.tsx";
import { BUILD_LABEL } from "./settings.ts";
import type { AppState, AppStore } from "./store.ts";

export function Toolbar({ store, state, comparing }: { store: AppStore; state: AppState; comparing: boolean }) {
  const file = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const s = state.settings;
  const running = state.status === "running";
  const bad = invalidOptArgs(optArgs(s.opts));
  const example = exampleByFile(state.fileName);

  return (
    <header className="toolbar">
      <h1 className="logo">ljscope</h1>
      <label className="field">
        <span>example</span>
        <select
          aria-label="Examples"
          value={example && example.source === state.source ? example.file : ""}
          onChange={(e) => { const ex = exampleByFile(e.target.value); if (ex) store.loadExample(ex); }}
        >
          <option value="" disabled>your program</option>
          {EXAMPLES.map((ex) => <option key={ex.file} value={ex.file} title={ex.blurb}>{ex.title}</option>)}
        </select>
      </label>
      <label className="field">
        <span>build</span>
        <select data-testid="build-select" aria-label="LuaJIT build" value={s.build}
          title="fixed: v2.1 with the flush fix (85c3f2fb); prefix-assert / prefix-release: its parent, with and without LuaJIT's assertions"
          onChange={(e) => { if (isBuildName(e.target.value)) store.setSettings({ build: e.target.value }); }}>
          {BUILDS.map((b) => <option key={b} value={b}>{BUILD_LABEL[b]}</option>)}
        </select>
      </label>
      <label className="field narrow">
        <span>hotloop</span>
        <IntField data-testid="opt-hotloop" aria-label="hotloop (-Ohotloop)" min={0} max={65535} value={s.hotloop} onChange={(v) => store.setSettings({ hotloop: v })} />
      </label>
      <label className="field">
        <span>-O</span>
        <input
          aria-label="Other -O options"
          aria-invalid={bad.length > 0}
          title={bad.length ? `jit.opt.start would reject: ${bad.join(", ")}` : "more -O options, e.g. maxtrace=4,hotexit=2"}
          placeholder="maxtrace=4,hotexit=2"
          value={s.opts}
          spellCheck={false}
          onChange={(e) => store.setSettings({ opts: e.target.value })}
        />
      </label>
      <label className="field narrow">
        <span>budget&nbsp;M</span>
        <IntField aria-label="Instruction budget (millions of ticks)" min={1} value={s.budgetM} onChange={(v) => store.setSettings({ budgetM: Math.max(1, v) })} />
      </label>
      <div className="actions">
        <button className="primary" data-testid="run" onClick={() => store.run()} title="Run (Ctrl+Enter)">▶ Run</button>
        <button data-testid="stop" onClick={() => store.stop()} disabled={!running} title="Stop the run (the log so far stays)">■ Stop</button>
        <button data-testid="compare-open" aria-pressed={comparing} onClick={() => (comparing ? store.compare.close() : store.openCompare())}
          title="Run the program under two builds or two sets of options and line up the two event logs">⇆ Compare</button>
        <span className={`status status-${state.status}`} role="status" aria-live="polite">
          {state.status === "running" ? "running…" : state.status === "stopped" ? "stopped" : state.status === "imported" ? "imported log" : state.status === "done" ? "done" : ""}
        </span>
      </div>
      <div className="actions right">
        <input ref={file} type="file" multiple accept=".jsonl,.json,.txt,.lua" hidden data-testid="import-input"
          onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ""; if (f.length) void store.importFiles(f); }} />
        <button onClick={() => file.current?.click()} title="Open an event log captured from LuaJIT (.jsonl), optionally with its .lua program">Import…</button>
        <ExportMenu store={store} state={state} />
        <a className="button" href="capture.lua" download title="Lua script that records a LuaJIT run's trace events in this format">capture.lua</a>
        <button
          onClick={async () => { await navigator.clipboard?.writeText(await store.permalink()).catch(() => {}); setCopied(true); setTimeout(() => setCopied(false), 1500); }}
          title="Copy a link to this program, its options and the cursor"
        >{copied ? "copied" : "Link"}</button>
        <button aria-label={state.theme === "dark" ? "Switch to light theme" : "Switch to dark theme"} onClick={() => store.setTheme(state.theme === "dark" ? "light" : "dark")}>
          {state.theme === "dark" ? "☀" : "☾"}
        </button>
        <button aria-label="Help (?)" onClick={() => store.setHelp(true)}>?</button>
      </div>
    </header>
  );
}
