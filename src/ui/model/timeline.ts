// The timeline model every view reads: an append-only event log, a cursor,
// and keyframes (a frozen state every KEYFRAME_EVERY events) so that seeking
// anywhere in a long log replays at most that many events. No React here.
import type { BuildName } from "../../engine/protocol.ts";
import type { EngineEvent, EngineEventType, OutputEvent } from "../../engine/events.ts";
import { emptyState, StateBuilder, type ExplorerState } from "./state.ts";

export const KEYFRAME_EVERY = 256;

/** Where a log came from and how to read it. */
export interface LogMeta {
  source: "run" | "import" | "none";
  /** File name of the program or of the imported log. */
  name: string;
  build: BuildName | null;
  /** -Omaxtrace: the registry shows numbers 1..maxtrace. */
  maxtrace: number;
  /** Whether the log can contain trace events (false: our engine without the JIT simulation). */
  traced: boolean;
  /** Things the reader should know (partial listing, lines that could not be read). */
  notes: string[];
}

/** Groups of events the timeline can jump between. */
export type JumpKind = "flush" | "abort" | "violation" | "trace" | "bc";

const JUMP_OF: Partial<Record<EngineEventType, JumpKind[]>> = {
  "flush": ["flush", "trace"],
  "trace-flush": ["flush", "trace"],
  "trace-abort": ["abort", "trace"],
  "violation": ["violation"],
  "trace-start": ["trace"],
  "trace-stop": ["trace"],
  "bc": ["bc"],
};

type Listener = () => void;

export class Timeline {
  private log: EngineEvent[] = [];
  private keyframes: ExplorerState[] = [emptyState()];
  private builder = new StateBuilder();
  private view: ExplorerState = emptyState();
  private cursorIndex = -1;
  private readonly jumps = new Map<JumpKind, number[]>();
  private readonly outputIdx: number[] = [];
  private consoleCache = { count: 0, text: "" };
  private readonly listeners = new Set<Listener>();
  private _meta: LogMeta = { source: "none", name: "", build: null, maxtrace: 1000, traced: false, notes: [] };
  /** While true, the cursor moves to each new last event (a run being watched live). */
  follow = true;
  /** Bumped on every change: what React's useSyncExternalStore compares. */
  version = 0;

  get meta(): LogMeta {
    return this._meta;
  }

  get events(): readonly EngineEvent[] {
    return this.log;
  }

  get length(): number {
    return this.log.length;
  }

  /** Index of the event at the cursor (-1: the log is empty). */
  get cursor(): number {
    return this.cursorIndex;
  }

  get current(): EngineEvent | undefined {
    return this.log[this.cursorIndex];
  }

  /** The state after the event at the cursor (frozen: views may keep it). */
  get state(): ExplorerState {
    return this.view;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Start a new log. */
  reset(meta: Partial<LogMeta> & Pick<LogMeta, "source">): void {
    this.log = [];
    this.keyframes = [emptyState()];
    this.builder = new StateBuilder();
    this.view = emptyState();
    this.cursorIndex = -1;
    this.jumps.clear();
    this.outputIdx.length = 0;
    this.consoleCache = { count: 0, text: "" };
    this.follow = true;
    this._meta = { name: "", build: null, maxtrace: 1000, traced: false, notes: [], ...meta };
    this.changed();
  }

  updateMeta(patch: Partial<LogMeta>): void {
    this._meta = { ...this._meta, ...patch };
    this.changed();
  }

  /** Append events (their seq numbers continue the log's). */
  append(events: readonly EngineEvent[]): void {
    if (events.length === 0) return;
    for (const e of events) {
      const i = this.log.length;
      this.log.push(e);
      for (const k of JUMP_OF[e.type] ?? []) {
        let list = this.jumps.get(k);
        if (!list) this.jumps.set(k, (list = []));
        list.push(i);
      }
      if (e.type === "output") this.outputIdx.push(i);
    }
    if (this.follow) this.moveTo(this.log.length - 1);
    else this.changed();
  }

  /** Move the cursor (clamped); stops following the tail unless it lands on the last event. */
  seek(index: number): void {
    this.follow = index >= this.log.length - 1;
    this.moveTo(index);
  }

  step(delta: number): void {
    this.seek(this.cursorIndex + delta);
  }

  /** Index of the next (dir 1) or previous (dir -1) event of a kind, or null. */
  findJump(kind: JumpKind, dir: 1 | -1, from = this.cursorIndex): number | null {
    const list = this.jumps.get(kind) ?? [];
    if (dir > 0) {
      const i = upperBound(list, from);
      return i < list.length ? list[i] : null;
    }
    const i = lowerBound(list, from) - 1;
    return i >= 0 ? list[i] : null;
  }

  /** Indices of all events of a kind (for markers on the timeline). */
  jumpIndices(kind: JumpKind): readonly number[] {
    return this.jumps.get(kind) ?? [];
  }

  /** The state after event `index`, computed aside (the cursor does not move). */
  stateAt(index: number): ExplorerState {
    if (index === this.cursorIndex) return this.view;
    const i = Math.max(-1, Math.min(index, this.log.length - 1));
    const k = Math.min(Math.floor((i + 1) / KEYFRAME_EVERY), this.keyframes.length - 1);
    const b = new StateBuilder(this.keyframes[k]);
    for (let j = k * KEYFRAME_EVERY; j <= i; j++) b.apply(this.log[j]);
    return b.snapshot();
  }

  /** Program output up to the cursor. */
  consoleText(): string {
    const count = upperBound(this.outputIdx, this.cursorIndex);
    const cache = this.consoleCache;
    if (count < cache.count) {
      cache.count = 0;
      cache.text = "";
    }
    if (count > cache.count) {
      const parts = [cache.text];
      for (let j = cache.count; j < count; j++) parts.push((this.log[this.outputIdx[j]] as OutputEvent).text);
      cache.text = parts.join("");
      cache.count = count;
    }
    return cache.text;
  }

  /** Output events in the whole log. */
  get outputTotal(): number {
    return this.outputIdx.length;
  }

  /**
   * The last output events up to the cursor, as many as it takes to fill
   * `maxChars` (the console colours stderr); `cut` tells if earlier ones were left out.
   */
  outputTail(maxChars: number): { outputs: OutputEvent[]; cut: boolean } {
    const count = upperBound(this.outputIdx, this.cursorIndex);
    const outputs: OutputEvent[] = [];
    let chars = 0, j = count - 1;
    for (; j >= 0 && chars < maxChars; j--) {
      const e = this.log[this.outputIdx[j]] as OutputEvent;
      outputs.push(e);
      chars += e.text.length;
    }
    return { outputs: outputs.reverse(), cut: j >= 0 || chars > maxChars };
  }

  private moveTo(index: number): void {
    // The cursor rests on an event; -1 only while the log is empty.
    const i = Math.max(this.log.length > 0 ? 0 : -1, Math.min(index, this.log.length - 1));
    const at = this.builder.index;
    if (i < at || i - at > 2 * KEYFRAME_EVERY) {
      // Restart from the nearest keyframe at or before i.
      const k = Math.min(Math.floor((i + 1) / KEYFRAME_EVERY), this.keyframes.length - 1);
      if (!(i >= at && k * KEYFRAME_EVERY - 1 <= at)) this.builder = new StateBuilder(this.keyframes[k]);
    }
    while (this.builder.index < i) {
      const j = this.builder.index + 1;
      this.builder.apply(this.log[j]);
      const k = (j + 1) / KEYFRAME_EVERY;
      if (Number.isInteger(k) && this.keyframes.length === k) this.keyframes.push(this.builder.snapshot());
    }
    this.cursorIndex = i;
    this.view = this.builder.snapshot();
    this.changed();
  }

  private changed(): void {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}

/** First position whose value is > x. */
function upperBound(list: readonly number[], x: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position whose value is >= x. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
