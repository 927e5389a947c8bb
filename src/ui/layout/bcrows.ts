// Rows of the bytecode view: the -bl text of each instruction split into
// columns, with the op and operands it has *now* (patched ops show their
// trace number instead of the jump/base operand LuaJIT overwrote).
import type { ProtoInfo } from "../../engine/events.ts";
import type { SlotArrays } from "../model/state.ts";

export interface SlotRow {
  pc: number;
  /** "0013" */
  pcText: string;
  /** A jump lands here ("=>" in -bl). */
  target: boolean;
  op: string;
  /** The op the compiler produced. */
  origOp: string;
  /** Operand columns as -bl prints them (for J-ops: A only; the trace number is separate). */
  operands: string;
  /** The "; ..." comment (constants, names). */
  comment: string;
  line: number;
  /** Trace number in D (J-ops), else 0. */
  trace: number;
  /** The instruction differs from what the compiler produced. */
  patched: boolean;
  /** Where a jump goes (pc), if the original instruction jumps. */
  jumpTo: number | null;
}

const TRACE_D = new Set(["JFORL", "JITERL", "JLOOP", "JFUNCF", "JFUNCV"]);

/** Columns of an -bl line: "PPPP => NAME   AAA rest ; comment". */
export function splitListingLine(text: string): { target: boolean; a: string; rest: string; comment: string } {
  const target = text.slice(5, 7) === "=>";
  const a = text.slice(15, 18).trim();
  const tail = text.slice(19);
  const semi = tail.indexOf("  ; ");
  return {
    target, a,
    rest: (semi < 0 ? tail : tail.slice(0, semi)).trim(),
    comment: semi < 0 ? "" : tail.slice(semi + 4),
  };
}

/** The row for instruction pc, or null where the listing does not know it (imported logs without source). */
export function slotRow(info: ProtoInfo, slots: SlotArrays | undefined, pc: number): SlotRow | null {
  const origOp = info.ops[pc];
  if (!origOp) return null;
  const op = slots?.ops[pc] ?? origOp;
  const trace = TRACE_D.has(op) ? slots?.traces[pc] ?? 0 : 0;
  const cols = splitListingLine(info.text[pc] ?? "");
  const jump = /=> (\d{4})$/.exec(cols.rest);
  // JFORL's D is the trace now; JLOOP patched from ITERN/RET* has new operands too.
  // (A of a JLOOP that replaced an ITERN or RET is a snapshot size we do not know: left blank.)
  const keepsA = /^(FORL|ITERL|LOOP|FUNCF|FUNCV)$/.test(origOp);
  const operands = trace ? (keepsA ? cols.a : "") : [cols.a, cols.rest].filter((s) => s !== "").join(" ");
  return {
    pc, pcText: String(pc).padStart(4, "0"), target: cols.target, op, origOp, operands, comment: cols.comment,
    line: info.lines[pc] ?? 0, trace, patched: op !== origOp, jumpTo: jump ? Number(jump[1]) : null,
  };
}

/** All rows of a prototype (unknown positions skipped). */
export function protoRows(info: ProtoInfo, slots: SlotArrays | undefined): SlotRow[] {
  const rows: SlotRow[] = [];
  for (let pc = 0; pc < info.ops.length; pc++) {
    const r = slotRow(info, slots, pc);
    if (r) rows.push(r);
  }
  return rows;
}

/** A heading for a prototype: "main chunk" or "function at line N", and its key. */
export function protoTitle(info: ProtoInfo): string {
  return info.firstline === 0 ? `main chunk` : `function at line ${info.firstline}`;
}
