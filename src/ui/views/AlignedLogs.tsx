// Two event logs side by side, one aligned row per event (model/align.ts):
// equal rows plain, differing rows marked, the first divergence flagged.
// Only the rows in sight are in the DOM, so 100k-event logs scroll freely.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { EngineEvent } from "../../engine/events.ts";
import { EVENT_GLYPH } from "../layout/glyphs.ts";
import { markStyle } from "../layout/palette.ts";
import type { AlignedRow, Alignment, RowStatus } from "../model/align.ts";
import { summarize } from "../model/explain.ts";

const ROW_H = 24;
/** Rows drawn beyond the visible ones, above and below. */
const OVERSCAN = 12;

const STATUS_MARK: Record<RowStatus, string> = { "same": "", "changed": "≠", "a-only": "A", "b-only": "B" };
const STATUS_TEXT: Record<RowStatus, string> = {
  "same": "same in both runs", "changed": "differs", "a-only": "only in run A", "b-only": "only in run B",
};

export interface AlignedLogsProps {
  a: readonly EngineEvent[];
  b: readonly EngineEvent[];
  alignment: Alignment;
  /** Show only spine rows (LuaJIT's events, ends and crashes). */
  spineOnly: boolean;
  /** Row (an index into alignment.rows) to scroll to and select; `focusToken` changes to do it again. */
  focusRow: number | null;
  focusToken: number;
  selected: number | null;
  onSelect(row: number): void;
}

function Cell({ e }: { e: EngineEvent | undefined }) {
  if (!e) return <div className="cmp-cell empty" role="cell" />;
  return (
    <div className="cmp-cell" role="cell" title={summarize(e)}>
      <span className="cmp-seq">{e.seq}</span>
      <span className={`cmp-glyph ev-${e.type}`} style={markStyle(e)}>{EVENT_GLYPH[e.type]}</span>
      <span className="cmp-text">{summarize(e)}</span>
    </div>
  );
}

export function AlignedLogs({ a, b, alignment, spineOnly, focusRow, focusToken, selected, onSelect }: AlignedLogsProps) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);
  /** Indices (into alignment.rows) of the rows listed. */
  const shown = useMemo(() => {
    const out: number[] = [];
    alignment.rows.forEach((r, i) => { if (!spineOnly || r.spine) out.push(i); });
    return out;
  }, [alignment, spineOnly]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Jump when asked to (a new token) or when the rows change: the focused row a third of the way down.
  useEffect(() => {
    const el = box.current;
    if (!el || focusRow === null) return;
    const k = shown.indexOf(focusRow);
    if (k < 0) return;
    el.scrollTop = Math.max(0, k * ROW_H - el.clientHeight / 3);
    setTop(el.scrollTop);
    el.querySelector<HTMLElement>(`[data-row="${focusRow}"]`)?.focus({ preventScroll: true });
  }, [focusToken, shown]);

  const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((top + height) / ROW_H) + OVERSCAN);
  const rows: { k: number; i: number; r: AlignedRow }[] = [];
  for (let k = first; k < last; k++) rows.push({ k, i: shown[k], r: alignment.rows[shown[k]] });

  return (
    <div className="cmp-table" role="table" aria-label="The two event logs, aligned" aria-rowcount={shown.length}>
      <div className="cmp-body" ref={box} onScroll={(e) => setTop(e.currentTarget.scrollTop)} tabIndex={-1}>
        <div className="cmp-spacer" style={{ height: shown.length * ROW_H }}>
          {rows.map(({ k, i, r }) => {
            const first = i === alignment.firstDivergence;
            return (
              <div
                key={i}
                className={`cmp-row st-${r.status}${r.spine ? " spine" : ""}${first ? " first" : ""}${selected === i ? " selected" : ""}`}
                style={{ top: k * ROW_H, height: ROW_H }}
                role="row"
                aria-rowindex={k + 1}
                aria-selected={selected === i}
                aria-label={`Row ${i + 1}: ${STATUS_TEXT[r.status]}${first ? ", first divergence" : ""}`}
                tabIndex={selected === i ? 0 : -1}
                data-testid="compare-row"
                data-row={i}
                data-status={r.status}
                data-spine={r.spine}
                {...(r.a !== null ? { "data-a-kind": a[r.a].type } : {})}
                {...(r.b !== null ? { "data-b-kind": b[r.b].type } : {})}
                {...(first ? { "data-divergence": "first" } : {})}
                onClick={() => onSelect(i)}
              >
                <Cell e={r.a !== null ? a[r.a] : undefined} />
                <div className="cmp-mark" role="cell" title={STATUS_TEXT[r.status]}>{first ? "◆" : STATUS_MARK[r.status]}</div>
                <Cell e={r.b !== null ? b[r.b] : undefined} />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
