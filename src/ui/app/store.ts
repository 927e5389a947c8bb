// The explorer's application state and actions: the program, the run
// options, the run itself (through the engine client), imports and exports,
// playback. Views read the timeline model; this store feeds it.
import { EngineClient } from "../../engine/client.ts";
import type { EngineEvent } from "../../engine/events.ts";
import { argsLine, paramAfter } from "../../engine/jitargs.ts";
import { jvText } from "../../engine/jv.ts";
import { eventsToJsonl, parseEventsJsonl } from "../../engine/logfile.ts";
import {
  buildFromFileName, convertOracleLog, isOracleLog, listingMatches, logChunkname, parseOracleLog, partialProtos,
} from "../../engine/oraclelog.ts";
import type { RunOptions, SyntaxErrorInfo } from "../../engine/protocol.ts";
import { SIMULATION_AVAILABLE } from "../../engine/simulator.ts";
import { DEFAULT_EXAMPLE, type Example } from "../examples/index.ts";
import { SelectionBroker } from "../model/selection.ts";
import { Timeline, type JumpKind } from "../model/timeline.ts";
import { CompareStore, type Side } from "./compare.ts";
import { decodePermalink, encodePermalink, sanitizeName } from "./permalink.ts";
import { reproLine } from "./repro.ts";
import { DEFAULT_SETTINGS, jitOptsOf, runOptionsOf, settingsFromArgs, type RunSettings } from "./settings.ts";

export type RunStatus = "idle" | "running" | "done" | "stopped" | "imported";
export type Theme = "light" | "dark";

export interface AppState {
  source: string;
  /** The program's file name: its chunk name, as in `luajit NAME.lua`. */
  fileName: string;
  settings: RunSettings;
  status: RunStatus;
  syntaxError: SyntaxErrorInfo | null;
  /**
   * The user changed an option field: from then on the fields are theirs,
   * and editing the program's `-- luajit-args:` line no longer resets them.
   */
  settingsTouched: boolean;
  playing: boolean;
  /** Playback speed in events per second. */
  speed: number;
  theme: Theme;
  helpOpen: boolean;
  /** A note for the user (import problems, errors of ours), shown until dismissed. */
  notice: string | null;
}

export { settingsFromArgs, type RunSettings };

export class AppStore {
  readonly timeline = new Timeline();
  readonly selection = new SelectionBroker();
  readonly compare: CompareStore;
  private readonly client: EngineClient;
  private st: AppState;
  private readonly listeners = new Set<() => void>();
  private pending: EngineEvent[] = [];
  private flushScheduled = false;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private linkTimer: ReturnType<typeof setTimeout> | undefined;
  private playTimer: ReturnType<typeof setInterval> | undefined;
  /** Cursor to restore once the run started by a permalink has ended. */
  private cursorAfterRun: number | null = null;
  /** What the current log was run from: the permalink describes this, not later edits. */
  private ran: { source: string; fileName: string; settings: RunSettings } | null = null;
  /** The program the log's listing comes from, if the log has a full one (-bl export). */
  private listed: { source: string; chunkname: string } | null = null;
  private initialized = false;

  constructor(client = new EngineClient(), compareClient?: () => EngineClient) {
    this.client = client;
    this.compare = new CompareStore(compareClient);
    this.st = {
      source: DEFAULT_EXAMPLE.source, fileName: DEFAULT_EXAMPLE.file,
      settings: settingsFromArgs(DEFAULT_EXAMPLE.source, DEFAULT_SETTINGS),
      status: "idle", syntaxError: null, settingsTouched: false, playing: false, speed: 4, theme: initialTheme(), helpOpen: false, notice: null,
    };
    this.timeline.subscribe(() => this.scheduleLink());
  }

  get state(): AppState {
    return this.st;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): AppState => this.st;

  private set(patch: Partial<AppState>): void {
    this.st = { ...this.st, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** First load: a permalink in the hash, else the seed example; then run it. */
  async init(): Promise<void> {
    if (this.initialized) return;
    this.initialized = true;
    applyTheme(this.st.theme);
    const link = location.hash.length > 1 ? await decodePermalink(location.hash) : null;
    if (link) {
      this.set({
        source: link.code, fileName: link.name, settingsTouched: true,
        settings: { ...this.st.settings, build: link.build, hotloop: link.hotloop, opts: link.opts },
      });
      this.cursorAfterRun = link.cursor;
    }
    this.run();
  }

  // -- Program and options -------------------------------------------------------

  setSource(source: string): void {
    const argsChanged = argsLine(source) !== argsLine(this.st.source);
    const settings = argsChanged && !this.st.settingsTouched ? settingsFromArgs(source, this.st.settings) : this.st.settings;
    this.set({ source, settings });
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => void this.check(), 250);
  }

  setFileName(name: string): void {
    this.set({ fileName: sanitizeName(name) });
  }

  /** An option field changed (by the user). */
  setSettings(patch: Partial<RunSettings>): void {
    this.set({ settings: { ...this.st.settings, ...patch }, settingsTouched: true });
  }

  loadExample(ex: Example): void {
    this.set({ source: ex.source, fileName: ex.file, syntaxError: null, settingsTouched: false, settings: settingsFromArgs(ex.source, this.st.settings) });
    this.run();
  }

  private async check(): Promise<void> {
    const r = await this.client.check(this.st.source, this.st.fileName);
    if (r) this.set({ syntaxError: r.error });
  }

  // -- Running ---------------------------------------------------------------------

  runOptions(): RunOptions {
    return runOptionsOf(this.st.settings);
  }

  run(): void {
    this.pause();
    const options = this.runOptions();
    this.ran = { source: this.st.source, fileName: this.st.fileName, settings: this.st.settings };
    this.listed = { source: this.st.source, chunkname: this.st.fileName };
    this.pending = [];
    this.timeline.reset({
      source: "run", name: this.st.fileName, build: options.build,
      maxtrace: paramAfter(options.jitOpts, "maxtrace"), traced: SIMULATION_AVAILABLE,
    });
    this.selection.clear();
    this.set({ status: "running", notice: null });
    this.client.run(this.st.source, this.st.fileName, options, {
      events: (events) => this.queue(events),
      syntaxError: (error) => this.set({ syntaxError: error }),
      done: () => {
        this.flushPending();
        if (performance.getEntriesByName("ljscope:first-run-done").length === 0) performance.mark("ljscope:first-run-done");
        this.set({ status: "done" });
        this.restoreCursor();
      },
      failed: (message) => {
        this.flushPending();
        this.set({ status: "done", notice: `The engine failed: ${message}` });
      },
    });
    this.scheduleLink();
  }

  /** Stop the run: the worker is terminated; the log so far stays browsable. */
  stop(): void {
    if (!this.client.stop()) return;
    this.flushPending();
    const seq = this.timeline.length + 1;
    this.timeline.append([
      { seq, type: "output", ours: true, stream: "stderr", text: "ljscope: stopped\n" },
      { seq: seq + 1, type: "end", ours: true, status: "halted", error: "stopped", exitCode: 130 },
    ]);
    this.set({ status: "stopped" });
  }

  /** Events arrive in batches; the timeline takes them once per frame. */
  private queue(events: EngineEvent[]): void {
    for (const e of events) this.pending.push(e);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    requestAnimationFrame(() => this.flushPending());
  }

  private flushPending(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.timeline.append(batch);
  }

  private restoreCursor(): void {
    if (this.cursorAfterRun === null) return;
    this.timeline.seek(this.cursorAfterRun);
    this.cursorAfterRun = null;
  }

  // -- Import and export -------------------------------------------------------------

  /** Open files: a .lua program goes into the editor; an event log (captured or ours) into the timeline. */
  async importFiles(files: readonly File[]): Promise<void> {
    const lua = files.find((f) => /\.lua$/i.test(f.name));
    const logs = files.filter((f) => f !== lua);
    if (lua) {
      const source = await lua.text();
      this.set({ source, fileName: sanitizeName(lua.name), syntaxError: null, settingsTouched: false, settings: settingsFromArgs(source, this.st.settings) });
    }
    const log = logs[0];
    if (!log) {
      if (lua) this.run();
      return;
    }
    await this.importLogText(await log.text(), log.name);
  }

  async importLogText(text: string, fileName: string): Promise<void> {
    this.pause();
    this.client.stop();
    const notes: string[] = [];
    let events: EngineEvent[];
    const build = buildFromFileName(fileName);
    if (isOracleLog(text)) {
      const parsed = parseOracleLog(text);
      notes.push(...parsed.problems);
      const chunk = logChunkname(parsed) ?? this.st.fileName;
      const checked = await this.client.check(this.st.source, chunk);
      const full = !!checked?.protos && listingMatches(parsed, checked.protos);
      if (!full) notes.push(`The program in the editor is not the one this log was captured from, so the bytecode view shows only the instructions the log lists. Open ${chunk} together with the log for the full listing.`);
      events = convertOracleLog(parsed, full && checked?.protos ? checked.protos : partialProtos(parsed), build);
      this.listed = full ? { source: this.st.source, chunkname: chunk } : null;
    } else {
      const parsed = parseEventsJsonl(text);
      notes.push(...parsed.problems);
      events = parsed.events;
      this.listed = null; // our own logs do not say which program they ran
    }
    this.timeline.reset({ source: "import", name: fileName, build, maxtrace: 1000, traced: true, notes });
    this.timeline.append(events);
    this.selection.clear();
    this.set({ status: "imported", notice: null, ...(build ? { settings: { ...this.st.settings, build } } : {}) });
  }

  /** File names of exports: the program's or the log's name without its extension. */
  private exportBase(): string {
    return this.timeline.meta.name.replace(/\.(lua|jsonl)$/i, "") || "ljscope";
  }

  /** The current log as our JSON-lines file. */
  exportLog(): { name: string; text: string } {
    return { name: `${this.exportBase()}.ljscope.jsonl`, text: eventsToJsonl(this.timeline.events) };
  }

  /** What `luajit -jv` prints on stderr for the current log. */
  exportJv(): { name: string; text: string } {
    return { name: `${this.exportBase()}.jv.${this.timeline.meta.build ?? "unknown"}.txt`, text: jvText(this.timeline.events) };
  }

  /** Whether the log's program is known, so that its -bl listing can be made. */
  get canList(): boolean {
    return this.listed !== null;
  }

  /** `luajit -bl` of the log's program (compiled again in the worker); null, with a notice, if it does not compile. */
  async exportListing(): Promise<{ name: string; text: string } | null> {
    if (!this.listed) return null;
    const r = await this.client.list(this.listed.source, this.listed.chunkname);
    if (r.listing === null) {
      this.set({ notice: r.error ? `No listing: ${r.error.message}` : "No listing: the engine failed." });
      return null;
    }
    return { name: `${this.listed.chunkname.replace(/\.lua$/i, "")}.bl.txt`, text: r.listing };
  }

  /** A command line that runs the program in the editor with its -O options under a real luajit. */
  reproLine(): string {
    return reproLine(this.st.source, jitOptsOf(this.st.settings));
  }

  // -- Compare ---------------------------------------------------------------------

  /** Open the compare view for the program in the editor (A: its options, B: another build). */
  openCompare(): void {
    this.pause();
    this.compare.open(this.st.settings, this.st.source, this.st.fileName);
  }

  runCompare(): void {
    this.compare.run(this.st.source, this.st.fileName);
  }

  /** Show one of the compared runs in the explorer, at one of its events. */
  showComparedRun(side: Side, index: number): void {
    const c = this.compare.state;
    if (!c.ran) return;
    const settings = c.ran[side];
    this.pause();
    this.client.stop();
    this.ran = { source: c.ran.source, fileName: c.ran.fileName, settings };
    this.listed = { source: c.ran.source, chunkname: c.ran.fileName };
    this.timeline.reset({
      source: "run", name: c.ran.fileName, build: settings.build,
      maxtrace: paramAfter(jitOptsOf(settings), "maxtrace"), traced: SIMULATION_AVAILABLE,
    });
    this.timeline.append(c.logs[side]);
    this.timeline.seek(index);
    this.selection.clear();
    this.compare.close();
    this.set({ source: c.ran.source, fileName: c.ran.fileName, settings, settingsTouched: true, status: "done", notice: null });
  }

  // -- Cursor and playback ------------------------------------------------------------

  seek(index: number): void {
    this.timeline.seek(index);
  }

  step(delta: number): void {
    this.pause();
    this.timeline.step(delta);
  }

  jump(kind: JumpKind, dir: 1 | -1): void {
    const i = this.timeline.findJump(kind, dir);
    if (i !== null) {
      this.pause();
      this.timeline.seek(i);
    }
  }

  togglePlay(): void {
    if (this.st.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.timeline.length === 0) return;
    if (this.timeline.cursor >= this.timeline.length - 1) this.timeline.seek(0);
    clearInterval(this.playTimer);
    this.playTimer = setInterval(() => {
      if (this.timeline.cursor >= this.timeline.length - 1) return this.pause();
      this.timeline.seek(this.timeline.cursor + 1);
    }, 1000 / this.st.speed);
    this.set({ playing: true });
  }

  pause(): void {
    clearInterval(this.playTimer);
    this.playTimer = undefined;
    if (this.st.playing) this.set({ playing: false });
  }

  setSpeed(speed: number): void {
    this.set({ speed });
    if (this.st.playing) this.play();
  }

  // -- Chrome -----------------------------------------------------------------------------

  setTheme(theme: Theme): void {
    applyTheme(theme);
    try { localStorage.setItem("ljscope.theme", theme); } catch { /* private mode */ }
    this.set({ theme });
  }

  setHelp(open: boolean): void {
    this.set({ helpOpen: open });
  }

  dismissNotice(): void {
    this.set({ notice: null });
  }

  /** Keep the URL hash a permalink of what is shown (runs only; imports are files). */
  private scheduleLink(): void {
    clearTimeout(this.linkTimer);
    this.linkTimer = setTimeout(() => void this.writeLink(), 300);
  }

  async permalink(): Promise<string> {
    const t = this.timeline;
    const r = this.ran ?? { source: this.st.source, fileName: this.st.fileName, settings: this.st.settings };
    const hash = await encodePermalink({
      code: r.source, name: r.fileName, build: r.settings.build, hotloop: r.settings.hotloop,
      opts: r.settings.opts, cursor: t.follow || t.cursor >= t.length - 1 ? null : t.cursor,
    });
    return `${location.origin}${location.pathname}#${hash}`;
  }

  private async writeLink(): Promise<void> {
    if (typeof location === "undefined" || this.timeline.meta.source !== "run" || this.cursorAfterRun !== null) return;
    const url = await this.permalink();
    if (url !== location.href) history.replaceState(null, "", url);
  }

  dispose(): void {
    this.pause();
    clearTimeout(this.checkTimer);
    clearTimeout(this.linkTimer);
    this.client.dispose();
    this.compare.dispose();
  }
}

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem("ljscope.theme");
    if (saved === "light" || saved === "dark") return saved;
  } catch { /* no storage */ }
  return typeof matchMedia !== "undefined" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}
