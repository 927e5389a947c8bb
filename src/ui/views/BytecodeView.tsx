// The bytecode view: every instruction of every prototype as a slot, as it is
// at the cursor. Patched slots are tinted, J-ops show the trace they enter
// (an arrow to its registry cell), stale references are marked in red.
import { memo, useEffect, useMemo, useRef, useState } from "react";
import type { ProtoInfo, ProtoKey } from "../../engine/events.ts";
import { protoRows, protoTitle, type SlotRow } from "../layout/bcrows.ts";
import { traceColour } from "../layout/palette.ts";
import { findHazards, type Hazard } from "../model/hazards.ts";
import type { SlotArrays, SlotNote } from "../model/state.ts";
import { eventSlot } from "../model/where.ts";
import { useSelection, useTimeline } from "./context.ts";

/** Above this many rows, prototypes without patched slots start collapsed. */
const COLLAPSE_ABOVE = 1500;

const HAZARD_TEXT: Record<Hazard["kind"], (h: Hazard) => string> = {
  "stale-jop": (h) => `Stale: this J-op names trace ${h.trace}, which is not a live trace starting here`,
  "stale-twin": (h) => `Trace ${h.trace} (flushed, still allocated) started here; the slot now belongs to trace ${h.other}. Flushing ${h.trace} again hits LuaJIT issue #1345 in pre-fix builds.`,
  "orphan": (h) => `Trace ${h.trace} is live but its start instruction was reverted: nothing enters it any more`,
};

export function BytecodeView() {
  const timeline = useTimeline();
  const [sel, broker] = useSelection();
  const state = timeline.state;
  const current = timeline.current;
  const focus = eventSlot(current);
  const hazards = useMemo(() => findHazards(state), [state]);
  const byProto = useMemo(() => {
    const m = new Map<ProtoKey, Hazard[]>();
    for (const h of hazards) m.set(h.proto, [...(m.get(h.proto) ?? []), h]);
    return m;
  }, [hazards]);
  const notesByProto = useMemo(() => {
    const m = new Map<ProtoKey, { sig: string; notes: Map<number, SlotNote> }>();
    for (const [k, n] of state.notes) {
      const [proto, pc] = k.split("\0");
      let entry = m.get(proto);
      if (!entry) m.set(proto, (entry = { sig: "", notes: new Map() }));
      entry.notes.set(Number(pc), n);
      entry.sig += `${pc}:${n.hot}:${n.penalty ?? ""},`;
    }
    return m;
  }, [state.notes]);
  const totalRows = state.protos.reduce((n, p) => n + p.ops.length, 0);
  const [toggled, setToggled] = useState<ReadonlySet<ProtoKey>>(new Set());
  useEffect(() => setToggled(new Set()), [state.protos]);

  const patchedCount = useMemo(() => {
    let n = 0;
    for (const p of state.protos) {
      const s = state.slots.get(p.key);
      if (s) p.ops.forEach((op, pc) => { if (op && s.ops[pc] !== op) n++; });
    }
    return n;
  }, [state]);

  return (
    <section className="panel bytecode-view" aria-label="Bytecode">
      <header className="panel-head">
        <h2>Bytecode</h2>
        <span className="panel-sub">
          {state.protos.length} prototype{state.protos.length === 1 ? "" : "s"} · {patchedCount} patched
          {hazards.length > 0 && <> · <span className="bad">{hazards.length} stale</span></>}
        </span>
      </header>
      <div className="panel-body">
        {state.protos.length === 0 && <p className="empty">Run a program (or import a log) to see its bytecode.</p>}
        {state.protos.map((info) => {
          const slots = state.slots.get(info.key);
          const interesting = info.firstline === 0 || hasPatch(info, slots);
          const collapsedByDefault = totalRows > COLLAPSE_ABOVE && !interesting;
          const collapsed = collapsedByDefault !== toggled.has(info.key);
          return (
            <ProtoBlock
              key={info.key}
              info={info}
              slots={slots}
              notes={notesByProto.get(info.key)?.notes ?? NO_NOTES}
              noteSig={notesByProto.get(info.key)?.sig ?? ""}
              collapsed={collapsed && focus?.proto !== info.key}
              onToggle={() => setToggled((t) => { const n = new Set(t); if (n.has(info.key)) n.delete(info.key); else n.add(info.key); return n; })}
              focusPc={focus?.proto === info.key ? focus.pc : -1}
              change={current?.type === "bc" && current.proto === info.key ? current.why : ""}
              selectedPc={sel.slot?.proto === info.key ? sel.slot.pc : -1}
              selectedTrace={sel.trace ?? 0}
              hazards={byProto.get(info.key) ?? NO_HAZARDS}
              hazardSig={(byProto.get(info.key) ?? []).map((h) => `${h.kind}${h.pc}:${h.trace}`).join()}
              onSelect={(row) => broker.select({ slot: { proto: info.key, pc: row.pc }, line: row.line || null, trace: row.trace || null })}
              onTrace={(tr) => broker.select({ trace: tr })}
            />
          );
        })}
      </div>
    </section>
  );
}

const NO_HAZARDS: Hazard[] = [];
const NO_NOTES = new Map<number, SlotNote>();

function hasPatch(info: ProtoInfo, slots: SlotArrays | undefined): boolean {
  return !!slots && info.ops.some((op, pc) => op !== "" && slots.ops[pc] !== op);
}

interface BlockProps {
  info: ProtoInfo;
  slots: SlotArrays | undefined;
  notes: ReadonlyMap<number, SlotNote>;
  noteSig: string;
  collapsed: boolean;
  onToggle(): void;
  focusPc: number;
  /** What the event at the cursor did to the focused slot ("patch", "unpatch", ...), if it is a bytecode event. */
  change: string;
  selectedPc: number;
  selectedTrace: number;
  hazards: Hazard[];
  hazardSig: string;
  onSelect(row: SlotRow): void;
  onTrace(tr: number): void;
}

const ProtoBlock = memo(function ProtoBlock(p: BlockProps) {
  const rows = useMemo(() => protoRows(p.info, p.slots), [p.info, p.slots]);
  const focusRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    focusRef.current?.scrollIntoView({ block: "nearest" });
  }, [p.focusPc]);
  const partial = p.info.ops.some((op) => op === "");
  return (
    <div className="proto" data-proto={p.info.key}>
      <button className="proto-head" aria-expanded={!p.collapsed} onClick={p.onToggle}>
        <span className="caret" aria-hidden>{p.collapsed ? "▸" : "▾"}</span>
        <code>{p.info.key}</code> <span className="muted">{protoTitle(p.info)}{partial ? " · only the slots the log lists" : ""}</span>
      </button>
      {!p.collapsed && (
        <table className="slots">
          <thead className="sr-only">
            <tr><th>pc</th><th>op</th><th>operands</th><th>trace</th><th>line</th></tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const hz = p.hazards.filter((h) => h.pc === row.pc);
              const note = p.notes.get(row.pc);
              const focused = row.pc === p.focusPc;
              const cls = [
                "slot",
                row.patched && "patched",
                row.trace && "jop",
                focused && "focused",
                row.pc === p.selectedPc && "selected",
                p.selectedTrace !== 0 && row.trace === p.selectedTrace && "trace-selected",
                hz.length > 0 && "stale",
                hz.some((h) => h.kind === "stale-jop") && "stale-jop",
              ].filter(Boolean).join(" ");
              return (
                <tr
                  key={row.pc}
                  ref={focused ? focusRef : undefined}
                  className={cls}
                  data-testid="bc-slot"
                  data-proto={p.info.key}
                  data-pc={row.pc}
                  data-op={row.op}
                  data-trace={row.trace ? row.trace : undefined}
                  data-patched={row.patched || undefined}
                  data-stale={hz.length ? hz.map((h) => h.kind).join(" ") : undefined}
                  data-change={focused && p.change ? p.change : undefined}
                  aria-current={focused ? "true" : undefined}
                  title={hz.map((h) => HAZARD_TEXT[h.kind](h)).join("\n") || (row.patched ? `Originally ${row.origOp}` : undefined)}
                  onClick={() => p.onSelect(row)}
                >
                  <td className="pc">{row.pcText}{row.target ? <span className="target" title="jump target">⇒</span> : null}</td>
                  <td className="op">{row.op}{row.patched && <span className="orig"> ({row.origOp})</span>}</td>
                  <td className="operands">
                    {row.operands}
                    {row.comment && <span className="comment"> ; {row.comment}</span>}
                  </td>
                  <td className="trace">
                    {row.trace > 0 && <TraceLink tr={row.trace} stale={hz.some((h) => h.kind === "stale-jop")} onClick={p.onTrace} />}
                    {hz.map((h, i) => <span key={i} className="hazard" aria-label={HAZARD_TEXT[h.kind](h)}>⚠ {h.kind === "stale-twin" ? `stale ${h.trace}` : h.kind === "orphan" ? `orphan ${h.trace}` : "stale"}</span>)}
                    {note && note.hot > 0 && <span className="note" title="hot counter fired">hot×{note.hot}</span>}
                    {note?.penalty !== undefined && <span className="note" title="penalty">pen {note.penalty}</span>}
                  </td>
                  <td className="line">{row.line > 0 ? row.line : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}, (a, b) =>
  a.info === b.info && a.slots === b.slots && a.collapsed === b.collapsed && a.focusPc === b.focusPc && a.change === b.change &&
  a.selectedPc === b.selectedPc && a.selectedTrace === b.selectedTrace && a.hazardSig === b.hazardSig && a.noteSig === b.noteSig);

function TraceLink({ tr, stale, onClick }: { tr: number; stale: boolean; onClick(tr: number): void }) {
  const c = traceColour(tr);
  return (
    <button
      className={`trace-link${stale ? " stale" : ""}`}
      style={{ background: c.fill, color: c.text }}
      aria-label={`enters trace ${tr}${stale ? " (stale reference)" : ""}`}
      onClick={(e) => { e.stopPropagation(); onClick(tr); }}
    >
      → {tr}
    </button>
  );
}
