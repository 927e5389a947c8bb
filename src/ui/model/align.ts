// Two event logs of one program side by side (two builds, or two sets of -O
// options): LuaJIT's own events (trace start/stop/abort, flush) and the end
// of the run form the spine, which is aligned first; the events between two
// matching spine events are aligned with each other. The first spine row
// that differs is where the runs diverge.
import type { EngineEvent, EngineEventType } from "../../engine/events.ts";
import { diff, type DiffOp } from "./diff.ts";

/**
 * same: equal events; changed: events of one type that differ (a trace
 * stopping with another link, a run ending otherwise); a-only / b-only:
 * an event one run has and the other has not.
 */
export type RowStatus = "same" | "changed" | "a-only" | "b-only";

export interface AlignedRow {
  /** Index into the first log, or null. */
  a: number | null;
  b: number | null;
  status: RowStatus;
  /** The row holds a spine event (LuaJIT's own, the end, or a crash). */
  spine: boolean;
}

export interface Alignment {
  rows: AlignedRow[];
  /** Row of the first spine difference: where the runs diverge as LuaJIT would show it. */
  firstDivergence: number | null;
  /** Row of the first difference of any kind (can come earlier, in events only ljscope sees). */
  firstDifference: number | null;
}

/** LuaJIT's vmevents, the end of the run, and a crash (a failed assertion stops a prefix-assert LuaJIT). */
export function isSpine(e: EngineEvent): boolean {
  switch (e.type) {
    case "trace-start": case "trace-stop": case "trace-abort": case "flush": case "end":
      return true;
    case "violation":
      return e.fatal;
    default:
      return false;
  }
}

/** What makes two events equal: everything but their sequence number. */
export function eventKey(e: EngineEvent): string {
  const { seq: _seq, ...rest } = e;
  return JSON.stringify(rest);
}

export function alignLogs(a: readonly EngineEvent[], b: readonly EngineEvent[]): Alignment {
  const keysA = a.map(eventKey), keysB = b.map(eventKey);
  const spineA = spineOf(a), spineB = spineOf(b);
  const anchors = diff(spineA.map((i) => keysA[i]), spineB.map((j) => keysB[j]))
    .filter((o): o is Extract<DiffOp, { op: "same" }> => o.op === "same")
    .map((o) => [spineA[o.a], spineB[o.b]] as const);

  const rows: AlignedRow[] = [];
  let pa = 0, pb = 0;
  const segment = (endA: number, endB: number): void => {
    const ops = diff(keysA.slice(pa, endA), keysB.slice(pb, endB));
    pairGaps(ops, pa, pb, a, b, rows);
  };
  for (const [ia, ib] of anchors) {
    segment(ia, ib);
    rows.push({ a: ia, b: ib, status: "same", spine: true });
    pa = ia + 1;
    pb = ib + 1;
  }
  segment(a.length, b.length);

  let firstDivergence: number | null = null, firstDifference: number | null = null;
  for (let r = 0; r < rows.length; r++) {
    if (rows[r].status === "same") continue;
    firstDifference ??= r;
    if (rows[r].spine) { firstDivergence = r; break; }
  }
  return { rows, firstDivergence, firstDifference };
}

function spineOf(events: readonly EngineEvent[]): number[] {
  const out: number[] = [];
  events.forEach((e, i) => { if (isSpine(e)) out.push(i); });
  return out;
}

/**
 * Turn a segment's edit script into rows. Between two equal events, what one
 * run has and the other has not is paired where the types agree ("changed"),
 * so that e.g. two different ends of a run share a row.
 */
function pairGaps(ops: DiffOp[], offA: number, offB: number, a: readonly EngineEvent[], b: readonly EngineEvent[], rows: AlignedRow[]): void {
  const row = (ia: number | null, ib: number | null, status: RowStatus): void => {
    const spine = (ia !== null && isSpine(a[ia])) || (ib !== null && isSpine(b[ib]));
    rows.push({ a: ia, b: ib, status, spine });
  };
  let k = 0;
  while (k < ops.length) {
    const o = ops[k];
    if (o.op === "same") { row(offA + o.a, offB + o.b, "same"); k++; continue; }
    const dels: number[] = [], ins: number[] = [];
    for (; k < ops.length && ops[k].op !== "same"; k++) {
      const g = ops[k];
      if (g.op === "del") dels.push(offA + g.a);
      else if (g.op === "ins") ins.push(offB + g.b);
    }
    // How many of each type the second run still has in this gap.
    const left = new Map<EngineEventType, number>();
    for (const j of ins) left.set(b[j].type, (left.get(b[j].type) ?? 0) + 1);
    let p = 0, q = 0;
    while (p < dels.length || q < ins.length) {
      if (p < dels.length && q < ins.length && a[dels[p]].type === b[ins[q]].type) {
        left.set(b[ins[q]].type, (left.get(b[ins[q]].type) ?? 1) - 1);
        row(dels[p++], ins[q++], "changed");
      } else if (q < ins.length && (p >= dels.length || (left.get(a[dels[p]].type) ?? 0) > 0)) {
        // The first run's next event has a partner further on: the second run's events come first.
        left.set(b[ins[q]].type, (left.get(b[ins[q]].type) ?? 1) - 1);
        row(null, ins[q++], "b-only");
      } else {
        row(dels[p++], null, "a-only");
      }
    }
  }
}
