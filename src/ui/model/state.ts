// The explorer's picture of LuaJIT at one point of an event log: bytecode
// slots per prototype, the trace registry (numbers, states, generations),
// each prototype's chain of root traces (pt->trace / nextroot in lj_trace.c).
// `applyEvent` folds one event in; Timeline keeps keyframes of these.
import type {
  EndEvent, EngineEvent, LinkType, ProtoInfo, ProtoKey, TraceOrigin, ViolationEvent,
} from "../../engine/events.ts";

/**
 * free: the number can be handed out; recording: between trace-start and its
 * stop/abort; live: compiled and reachable; flushed: flushed by
 * jit.flush(n)/jit.flush(func) but still allocated until a GC frees it.
 */
export type TraceState = "free" | "recording" | "live" | "flushed";

export interface TraceRecord {
  readonly tr: number;
  readonly state: TraceState;
  /** How many traces have had this number so far (trace-start events, aborted attempts included). */
  readonly generation: number;
  /** seq of the trace-start of this generation (orders traces by age, e.g. in the trace tree). */
  readonly started: number;
  readonly origin?: TraceOrigin;
  readonly linktype?: LinkType;
  readonly link?: number;
  readonly stopfunc?: string;
  /** Reason of the last abort of a trace with this number. */
  readonly abortReason?: string;
  /** Side exits taken from this trace (exit events). */
  readonly exits: number;
  /** Times this trace was flushed while it was still allocated (more than one is issue #1345's pattern). */
  readonly flushes: number;
  /** Set when jit.flush() / lj_trace_flushall freed the number (its unpatches may still follow). */
  readonly flushedAll?: boolean;
  /** seq of the last event that changed this record. */
  readonly since: number;
}

/** The current op of every instruction of one prototype, and the trace number of J-ops (0: none). */
export interface SlotArrays {
  readonly ops: readonly string[];
  readonly traces: readonly number[];
}

/** Hot-counter and penalty notes of one slot (ours: LuaJIT reports neither). */
export interface SlotNote {
  readonly hot: number;
  readonly penalty?: number;
}

export interface Counts {
  starts: number;
  stops: number;
  aborts: number;
  flushes: number;
  bc: number;
  exits: number;
  violations: number;
  outputs: number;
}

export interface ExplorerState {
  /** Index of the last event folded in (-1: none). */
  readonly index: number;
  readonly protos: readonly ProtoInfo[];
  readonly slots: ReadonlyMap<ProtoKey, SlotArrays>;
  /** Keyed by slotKey(proto, pc). */
  readonly notes: ReadonlyMap<string, SlotNote>;
  readonly traces: ReadonlyMap<number, TraceRecord>;
  /** Root traces of each prototype, newest first (pt->trace, then nextroot). */
  readonly chains: ReadonlyMap<ProtoKey, readonly number[]>;
  /** Highest trace number handed out so far. */
  readonly maxTraceSeen: number;
  readonly recording: number;
  readonly counts: Readonly<Counts>;
  readonly lastViolation: ViolationEvent | null;
  readonly end: EndEvent | null;
}

export const slotKey = (proto: ProtoKey, pc: number): string => `${proto}\0${pc}`;

export function emptyState(): ExplorerState {
  return {
    index: -1, protos: [], slots: new Map(), notes: new Map(), traces: new Map(), chains: new Map(),
    maxTraceSeen: 0, recording: 0,
    counts: { starts: 0, stops: 0, aborts: 0, flushes: 0, bc: 0, exits: 0, violations: 0, outputs: 0 },
    lastViolation: null, end: null,
  };
}

/** A mutable working copy: the maps are new, slot arrays are shared until written (see StateBuilder). */
type Mutable = {
  -readonly [K in keyof ExplorerState]: ExplorerState[K] extends ReadonlyMap<infer A, infer B> ? Map<A, B>
    : K extends "counts" ? Counts : ExplorerState[K];
};

function copyState(s: ExplorerState): Mutable {
  return {
    ...s,
    slots: new Map(s.slots), notes: new Map(s.notes), traces: new Map(s.traces), chains: new Map(s.chains),
    counts: { ...s.counts },
  };
}

/**
 * Folds events into a working state. Slot arrays are copied on first write
 * after a snapshot, so snapshots (keyframes, what views render) stay frozen
 * while the builder moves on.
 */
export class StateBuilder {
  private s: Mutable;
  private owned = new Set<ProtoKey>();

  constructor(from: ExplorerState = emptyState()) {
    this.s = copyState(from);
  }

  get index(): number {
    return this.s.index;
  }

  /** A frozen copy of the current state. */
  snapshot(): ExplorerState {
    const snap = copyState(this.s);
    this.owned.clear(); // the arrays now belong to the snapshot too
    return snap;
  }

  apply(e: EngineEvent): void {
    const s = this.s;
    s.index++;
    switch (e.type) {
      case "compiled":
        s.protos = e.protos;
        s.slots.clear();
        this.owned.clear();
        for (const p of e.protos) s.slots.set(p.key, { ops: p.ops, traces: new Array<number>(p.ops.length).fill(0) });
        break;
      case "trace-start": {
        const prev = s.traces.get(e.tr);
        s.traces.set(e.tr, {
          tr: e.tr, state: "recording", generation: (prev?.generation ?? 0) + 1, started: e.seq,
          origin: originOf(e), exits: 0, flushes: 0, since: e.seq,
        });
        s.recording = e.tr;
        s.maxTraceSeen = Math.max(s.maxTraceSeen, e.tr);
        s.counts.starts++;
        break;
      }
      case "trace-stop": {
        const prev = s.traces.get(e.tr);
        s.traces.set(e.tr, {
          ...(prev ?? { tr: e.tr, generation: 1, started: e.seq, exits: 0, flushes: 0 }),
          state: "live", origin: originOf(e), linktype: e.linktype, link: e.link, stopfunc: e.stopfunc, since: e.seq,
        });
        if (s.recording === e.tr) s.recording = 0;
        s.counts.stops++;
        if (e.kind === "root" && !isStitchStart(s, e.func, e.pc)) {
          s.chains.set(e.func, [e.tr, ...(s.chains.get(e.func) ?? []).filter((t) => t !== e.tr)]);
        }
        // Trace stitching: the previous trace now links to this one (lj_trace.c trace_stop, BC_CALL case).
        if (e.kind === "stitch" && e.parent !== undefined) {
          const p = s.traces.get(e.parent);
          if (p) s.traces.set(e.parent, { ...p, link: e.tr, since: e.seq });
        }
        break;
      }
      case "trace-abort": {
        const prev = s.traces.get(e.tr);
        s.traces.set(e.tr, {
          ...(prev ?? { tr: e.tr, generation: 1, started: e.seq, exits: 0, flushes: 0 }),
          state: "free", origin: originOf(e), abortReason: e.reason, since: e.seq,
        });
        if (s.recording === e.tr) s.recording = 0;
        s.counts.aborts++;
        break;
      }
      case "flush":
        for (const [tr, rec] of s.traces) if (rec.state !== "free") s.traces.set(tr, { ...rec, state: "free", flushedAll: true, since: e.seq });
        s.chains.clear();
        s.recording = 0;
        s.counts.flushes++;
        break;
      case "trace-flush": {
        const rec = s.traces.get(e.tr);
        if (!rec || e.what === "ignored") break;
        if (e.what === "freed") {
          s.traces.set(e.tr, { ...rec, state: "free", since: e.seq });
        } else {
          s.traces.set(e.tr, { ...rec, state: "flushed", flushes: rec.flushes + 1, since: e.seq });
          // trace_flushroot unlinks it from its prototype's chain (if it is still there).
          const func = rec.origin?.func;
          const chain = func !== undefined ? s.chains.get(func) : undefined;
          if (func !== undefined && chain?.includes(e.tr)) s.chains.set(func, chain.filter((t) => t !== e.tr));
          // Its side traces are unreachable now too.
          for (const [tr, r] of s.traces) {
            if (r.state === "live" && r.origin?.kind === "side" && rootOf(s.traces, tr) === e.tr) s.traces.set(tr, { ...r, state: "flushed", since: e.seq });
          }
          s.counts.flushes++;
        }
        break;
      }
      case "bc": {
        const arrays = this.writable(e.proto);
        if (arrays && e.pc >= 0) {
          arrays.ops[e.pc] = e.to;
          arrays.traces[e.pc] = e.trace ?? 0;
        }
        s.counts.bc++;
        break;
      }
      case "hot": {
        const k = slotKey(e.proto, e.pc);
        const n = s.notes.get(k);
        s.notes.set(k, { ...n, hot: (n?.hot ?? 0) + 1 });
        break;
      }
      case "penalty": {
        const k = slotKey(e.proto, e.pc);
        s.notes.set(k, { hot: s.notes.get(k)?.hot ?? 0, penalty: e.value });
        break;
      }
      case "exit": {
        const rec = s.traces.get(e.tr);
        if (rec) s.traces.set(e.tr, { ...rec, exits: rec.exits + 1 });
        s.counts.exits++;
        break;
      }
      case "violation":
        s.lastViolation = e;
        s.counts.violations++;
        break;
      case "output":
        s.counts.outputs++;
        break;
      case "end":
        s.end = e;
        s.recording = 0;
        break;
    }
  }

  /** The slot arrays of a prototype, copied first if a snapshot shares them. */
  private writable(proto: ProtoKey): { ops: string[]; traces: number[] } | undefined {
    const cur = this.s.slots.get(proto);
    if (!cur) return undefined;
    if (this.owned.has(proto)) return cur as { ops: string[]; traces: number[] };
    const copy = { ops: cur.ops.slice(), traces: cur.traces.slice() };
    this.s.slots.set(proto, copy);
    this.owned.add(proto);
    return copy;
  }
}

function originOf(e: TraceOrigin): TraceOrigin {
  const o: TraceOrigin = { tr: e.tr, func: e.func, pc: e.pc, loc: e.loc, kind: e.kind };
  if (e.parent !== undefined) o.parent = e.parent;
  if (e.exit !== undefined) o.exit = e.exit;
  return o;
}

/** Root traces that start at a call (stitching) are not put in the prototype's chain. */
function isStitchStart(s: Mutable, func: ProtoKey, pc: number): boolean {
  const op = s.slots.get(func)?.ops[pc] ?? "";
  return op.startsWith("CALL") || op === "ITERC";
}

/** The root trace a side trace hangs off (following parents). */
export function rootOf(traces: ReadonlyMap<number, TraceRecord>, tr: number): number {
  let t = tr;
  for (let i = 0; i < 1000; i++) {
    const o = traces.get(t)?.origin;
    if (!o || o.kind !== "side" || o.parent === undefined) return t;
    t = o.parent;
  }
  return t;
}
