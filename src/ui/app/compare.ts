// The compare view's state: one program run twice through the engine worker
// (two builds, or two sets of -O options), and the two event logs aligned
// (model/align.ts). Its own client, so that the explorer's run is untouched.
import { EngineClient } from "../../engine/client.ts";
import type { EngineEvent } from "../../engine/events.ts";
import { BUILDS } from "../../engine/protocol.ts";
import { alignLogs, type Alignment } from "../model/align.ts";
import { DEFAULT_SETTINGS, runOptionsOf, type RunSettings } from "./settings.ts";

export type Side = "a" | "b";

export interface CompareState {
  open: boolean;
  a: RunSettings;
  b: RunSettings;
  status: "idle" | "running" | "done";
  /** What was run: the program and the two option sets at the time. */
  ran: { source: string; fileName: string; a: RunSettings; b: RunSettings } | null;
  logs: { a: EngineEvent[]; b: EngineEvent[] };
  alignment: Alignment | null;
  /** Only LuaJIT's events (and ends and crashes) are listed. */
  spineOnly: boolean;
  error: string | null;
}

/** The other side's default: the same options under another build (the flush bug's pair first). */
export function otherBuild(s: RunSettings): RunSettings {
  return { ...s, build: s.build === "fixed" ? "prefix-release" : BUILDS[0] };
}

export class CompareStore {
  private st: CompareState;
  private readonly listeners = new Set<() => void>();
  private client: EngineClient | null = null;
  /** Bumped by every run and close, so that a superseded run's replies are ignored. */
  private generation = 0;

  constructor(private readonly makeClient: () => EngineClient = () => new EngineClient(), base?: RunSettings) {
    const a = base ?? DEFAULT_SETTINGS;
    this.st = { open: false, a, b: otherBuild(a), status: "idle", ran: null, logs: { a: [], b: [] }, alignment: null, spineOnly: false, error: null };
  }

  get state(): CompareState {
    return this.st;
  }

  getState = (): CompareState => this.st;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private set(patch: Partial<CompareState>): void {
    this.st = { ...this.st, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Open with side A = the explorer's options and B = the same under another build, unless already set up. */
  open(current: RunSettings, source: string, fileName: string): void {
    const fresh = this.st.ran === null;
    this.set({ open: true, ...(fresh ? { a: current, b: otherBuild(current) } : {}) });
    if (fresh || this.st.ran?.source !== source || this.st.ran?.fileName !== fileName) this.run(source, fileName);
  }

  close(): void {
    this.generation++;
    this.client?.stop();
    this.set({ open: false, status: this.st.status === "running" ? "idle" : this.st.status });
  }

  setSide(side: Side, patch: Partial<RunSettings>): void {
    this.set(side === "a" ? { a: { ...this.st.a, ...patch } } : { b: { ...this.st.b, ...patch } });
  }

  setSpineOnly(on: boolean): void {
    this.set({ spineOnly: on });
  }

  /** Run the program under A, then under B (one after the other: the machine may have few cores), then align. */
  run(source: string, fileName: string): void {
    const gen = ++this.generation;
    const { a, b } = this.st;
    this.client ??= this.makeClient();
    this.set({ status: "running", error: null, alignment: null, logs: { a: [], b: [] }, ran: { source, fileName, a, b } });
    const logs: { a: EngineEvent[]; b: EngineEvent[] } = { a: [], b: [] };
    const runSide = (side: Side, next: () => void): void => {
      (this.client as EngineClient).run(source, fileName, runOptionsOf(side === "a" ? a : b), {
        events: (events) => { if (gen === this.generation) for (const e of events) logs[side].push(e); },
        done: () => { if (gen === this.generation) next(); },
        failed: (message) => {
          if (gen !== this.generation) return;
          this.set({ error: `Run ${side.toUpperCase()} failed in the engine: ${message}` });
          next();
        },
      });
    };
    runSide("a", () => runSide("b", () => {
      this.set({ status: "done", logs, alignment: alignLogs(logs.a, logs.b) });
    }));
  }

  dispose(): void {
    this.generation++;
    this.client?.dispose();
    this.client = null;
  }
}
