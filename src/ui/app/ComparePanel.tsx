// The compare view: the program in the editor run under two builds or two
// sets of -O options, the event logs side by side (views/AlignedLogs.tsx),
// the first divergence named and jumped to; either run opens in the explorer.
import { useEffect, useState, useSyncExternalStore } from "react";
import type { EngineEvent } from "../../engine/events.ts";
import { invalidOptArgs, optArgs } from "../../engine/jitargs.ts";
import { BUILDS, isBuildName } from "../../engine/protocol.ts";
import type { Alignment } from "../model/align.ts";
import { summarize } from "../model/explain.ts";
import { AlignedLogs } from "../views/AlignedLogs.tsx";
import type { CompareState, Side } from "./compare.ts";
import { IntField } from "./IntField.tsx";
import { BUILD_LABEL, jitOptsOf, type RunSettings } from "./settings.ts";
import type { AppStore } from "./store.ts";

function SideFields({ side, s, onChange }: { side: Side; s: RunSettings; onChange(p: Partial<RunSettings>): void }) {
  const bad = invalidOptArgs(optArgs(s.opts));
  const name = side.toUpperCase();
  return (
    <fieldset className="cmp-side" aria-label={`Run ${name}`}>
      <legend>{name}</legend>
      <label className="field">
        <span>build</span>
        <select data-testid={`compare-build-${side}`} aria-label={`Build of run ${name}`} value={s.build}
          onChange={(e) => { if (isBuildName(e.target.value)) onChange({ build: e.target.value }); }}>
          {BUILDS.map((b) => <option key={b} value={b}>{BUILD_LABEL[b]}</option>)}
        </select>
      </label>
      <label className="field narrow">
        <span>hotloop</span>
        <IntField data-testid={`compare-hotloop-${side}`} aria-label={`hotloop of run ${name}`} min={0} max={65535} value={s.hotloop} onChange={(v) => onChange({ hotloop: v })} />
      </label>
      <label className="field">
        <span>-O</span>
        <input data-testid={`compare-opts-${side}`} aria-label={`Other -O options of run ${name}`} aria-invalid={bad.length > 0}
          placeholder="maxtrace=4" value={s.opts} spellCheck={false} onChange={(e) => onChange({ opts: e.target.value })} />
      </label>
    </fieldset>
  );
}

/** "fixed, -Ohotloop=1: 21 events, exit 0" */
function runLabel(s: RunSettings, log: readonly EngineEvent[]): string {
  const end = log.at(-1);
  const outcome = end?.type === "end" ? (end.status === "crash" ? `crash (exit ${end.exitCode})` : `exit ${end.exitCode}`) : "";
  return `${s.build}, ${jitOptsOf(s).map((a) => `-O${a}`).join(" ")}: ${log.length} events${outcome ? `, ${outcome}` : ""}`;
}

function Divergence({ c, al, onShow }: { c: CompareState; al: Alignment; onShow(row: number): void }) {
  const r = al.firstDivergence;
  const describe = (row: number): string => {
    const x = al.rows[row];
    const ea = x.a !== null ? c.logs.a[x.a] : undefined, eb = x.b !== null ? c.logs.b[x.b] : undefined;
    if (ea && eb) return `A: ${summarize(ea)} · B: ${summarize(eb)}`;
    return ea ? `only A: ${summarize(ea)}` : eb ? `only B: ${summarize(eb)}` : "";
  };
  const row = r !== null ? al.rows[r] : null;
  return (
    <div className={`cmp-divergence${r !== null ? " found" : ""}`} data-testid="compare-divergence" role="status"
      {...(row ? { "data-row": r, ...(row.a !== null ? { "data-a-kind": c.logs.a[row.a].type } : {}), ...(row.b !== null ? { "data-b-kind": c.logs.b[row.b].type } : {}) } : {})}>
      {r !== null ? (
        <>
          <b>◆ First divergence</b> at row {r + 1}: {describe(r)}{" "}
          <button data-testid="compare-jump" onClick={() => onShow(r)}>Show</button>
        </>
      ) : (
        <b>LuaJIT's events are the same in both runs.</b>
      )}
      {al.firstDifference !== null && al.firstDifference !== r && (
        <span className="muted">
          {" "}{r !== null && al.firstDifference < r ? "Before it, in" : "In"} events only ljscope sees: row {al.firstDifference + 1}, {describe(al.firstDifference)}{" "}
          <button onClick={() => onShow(al.firstDifference as number)}>Show</button>
        </span>
      )}
    </div>
  );
}

export function ComparePanel({ store }: { store: AppStore }) {
  const compare = store.compare;
  const c = useSyncExternalStore(compare.subscribe, compare.getState);
  const al = c.alignment;
  const [selected, setSelected] = useState<number | null>(null);
  const [focus, setFocus] = useState<{ row: number | null; token: number }>({ row: null, token: 0 });
  const show = (row: number): void => {
    setSelected(row);
    setFocus((f) => ({ row, token: f.token + 1 }));
  };
  // A new alignment: go to where the runs part (or where anything differs).
  useEffect(() => {
    if (!al) return;
    const row = al.firstDivergence ?? al.firstDifference;
    setSelected(row);
    setFocus((f) => ({ row, token: f.token + 1 }));
  }, [al]);
  const sel = selected !== null && al ? al.rows[selected] : null;

  return (
    <section className="panel compare" data-testid="compare" aria-label="Compare runs">
      <header className="panel-head">
        <h2>Compare runs</h2>
        <span className="panel-sub"><code>{c.ran?.fileName ?? ""}</code> under two builds or two sets of options, aligned on LuaJIT's own events (trace start, stop, abort, flush) and the end</span>
        <span className="head-actions">
          <button data-testid="compare-close" onClick={() => compare.close()}>✕ Close</button>
        </span>
      </header>
      <div className="cmp-controls">
        <SideFields side="a" s={c.a} onChange={(p) => compare.setSide("a", p)} />
        <span className="cmp-vs">vs</span>
        <SideFields side="b" s={c.b} onChange={(p) => compare.setSide("b", p)} />
        <button className="primary" data-testid="compare-run" onClick={() => store.runCompare()} disabled={c.status === "running"}>▶ Run both</button>
        <label className="cmp-filter">
          <input type="checkbox" data-testid="compare-spine-only" checked={c.spineOnly} onChange={(e) => compare.setSpineOnly(e.target.checked)} />
          LuaJIT's events only
        </label>
      </div>
      {c.error && <div className="notice warn" role="alert">{c.error}</div>}
      {c.status === "running" && <div className="cmp-divergence" role="status">Running both…</div>}
      {c.status === "done" && al && c.ran && (
        <>
          <Divergence c={c} al={al} onShow={show} />
          <div className="cmp-heads" aria-hidden>
            <div className="cmp-head">A · {runLabel(c.ran.a, c.logs.a)}</div>
            <div className="cmp-mark" />
            <div className="cmp-head">B · {runLabel(c.ran.b, c.logs.b)}</div>
          </div>
          <AlignedLogs a={c.logs.a} b={c.logs.b} alignment={al} spineOnly={c.spineOnly}
            focusRow={focus.row} focusToken={focus.token} selected={selected} onSelect={setSelected} />
          <div className="cmp-foot">
            <span className="muted small">{al.rows.length} rows · ≠ differs · A / B only in that run · ◆ first divergence</span>
            <button data-testid="compare-open-a" disabled={sel?.a == null} onClick={() => sel?.a != null && store.showComparedRun("a", sel.a)}>Open A at this event</button>
            <button data-testid="compare-open-b" disabled={sel?.b == null} onClick={() => sel?.b != null && store.showComparedRun("b", sel.b)}>Open B at this event</button>
          </div>
        </>
      )}
    </section>
  );
}
