// What the user points at, shared by all views (Turbolizer's selection broker
// in small): a trace number, a bytecode slot, a source line. Views highlight
// what is selected and set it; none talks to another directly.
import type { ProtoKey } from "../../engine/events.ts";

export interface Selection {
  trace: number | null;
  slot: { proto: ProtoKey; pc: number } | null;
  /** A source line (from a slot or a trace start), for the editor. */
  line: number | null;
}

const NONE: Selection = { trace: null, slot: null, line: null };

export class SelectionBroker {
  private current: Selection = NONE;
  private readonly listeners = new Set<() => void>();

  get(): Selection {
    return this.current;
  }

  /** Replace the selection (fields not given are cleared). */
  select(sel: Partial<Selection>): void {
    const next = { ...NONE, ...sel };
    const c = this.current;
    if (c.trace === next.trace && c.line === next.line && c.slot?.proto === next.slot?.proto && c.slot?.pc === next.slot?.pc) return;
    this.current = next;
    for (const fn of this.listeners) fn();
  }

  clear(): void {
    this.select({});
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
