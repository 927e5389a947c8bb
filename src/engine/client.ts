// The explorer's side of the worker protocol (AST Explorer's parser
// middleware is the model): one worker for runs, which Stop terminates, and
// one for compile checks while typing. Replies to superseded requests are dropped.
import type { EngineEvent, ProtoInfo } from "./events.ts";
import type { RunOptions, SyntaxErrorInfo, WorkerReply, WorkerRequest } from "./protocol.ts";

export interface RunHandlers {
  /** A batch of events, in order. */
  events(events: EngineEvent[]): void;
  syntaxError?(error: SyntaxErrorInfo): void;
  /** The run ended by itself (its `end` event came with the last batch). */
  done(): void;
  /** The engine failed (a bug); the events so far stay valid. */
  failed?(message: string): void;
}

export interface CheckResult {
  protos: ProtoInfo[] | null;
  error: SyntaxErrorInfo | null;
}

export interface ListResult {
  /** The `-bl` text, or null when the program does not compile (or the engine failed). */
  listing: string | null;
  error: SyntaxErrorInfo | null;
}

/** Makes an engine worker; tests and other hosts can pass their own. */
export type WorkerFactory = () => Worker;

export const defaultWorkerFactory: WorkerFactory = () =>
  new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "ljscope-engine" });

export class EngineClient {
  private runWorker: Worker | null = null;
  private checkWorker: Worker | null = null;
  private nextId = 1;
  private runId = 0;
  private runHandlers: RunHandlers | null = null;
  private checkId = 0;
  private checkResolve: ((r: CheckResult | null) => void) | null = null;
  /** Listings are asked for one at a time by a person, so none supersedes another. */
  private readonly lists = new Map<number, (r: ListResult) => void>();

  constructor(private readonly factory: WorkerFactory = defaultWorkerFactory) {}

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.runHandlers !== null;
  }

  /** Start a run; a run still in progress is stopped first. */
  run(source: string, chunkname: string, options: RunOptions, handlers: RunHandlers): void {
    this.stop();
    const id = this.nextId++;
    this.runId = id;
    this.runHandlers = handlers;
    this.post(this.ensureRunWorker(), { kind: "run", id, source, chunkname, options });
  }

  /** Stop the run: the worker is terminated (a run cannot be interrupted otherwise). Returns whether one was running. */
  stop(): boolean {
    if (!this.runHandlers) return false;
    this.runHandlers = null;
    this.runId = 0;
    this.runWorker?.terminate();
    this.runWorker = null;
    return true;
  }

  /** Compile only; resolves null when a newer check superseded this one. */
  check(source: string, chunkname: string): Promise<CheckResult | null> {
    this.checkResolve?.(null);
    const id = this.nextId++;
    this.checkId = id;
    return new Promise((resolve) => {
      this.checkResolve = resolve;
      this.post(this.ensureCheckWorker(), { kind: "check", id, source, chunkname });
    });
  }

  /** The `-bl` listing of a program (on the check worker: a run in progress does not delay it). */
  list(source: string, chunkname: string): Promise<ListResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.lists.set(id, resolve);
      this.post(this.ensureCheckWorker(), { kind: "list", id, source, chunkname });
    });
  }

  dispose(): void {
    this.stop();
    this.checkResolve?.(null);
    for (const resolve of this.lists.values()) resolve({ listing: null, error: null });
    this.lists.clear();
    this.checkWorker?.terminate();
    this.checkWorker = null;
  }

  private post(w: Worker, req: WorkerRequest): void {
    w.postMessage(req);
  }

  private ensureRunWorker(): Worker {
    if (!this.runWorker) {
      this.runWorker = this.factory();
      this.runWorker.onmessage = (e: MessageEvent<WorkerReply>) => this.onRunReply(e.data);
      this.runWorker.onerror = (e) => this.onRunReply({ kind: "failed", id: this.runId, message: e.message || "worker error" });
    }
    return this.runWorker;
  }

  private ensureCheckWorker(): Worker {
    if (!this.checkWorker) {
      this.checkWorker = this.factory();
      this.checkWorker.onmessage = (e: MessageEvent<WorkerReply>) => this.onCheckReply(e.data);
    }
    return this.checkWorker;
  }

  private onRunReply(r: WorkerReply): void {
    const h = this.runHandlers;
    if (!h || r.id !== this.runId) return; // stale: from a stopped or replaced run
    switch (r.kind) {
      case "events": h.events(r.events); break;
      case "syntax-error": h.syntaxError?.(r.error); break;
      case "done": this.runHandlers = null; h.done(); break;
      case "failed":
        this.runHandlers = null;
        h.failed?.(r.message);
        break;
      case "checked": case "listed": break;
    }
  }

  private onCheckReply(r: WorkerReply): void {
    const listed = this.lists.get(r.id);
    if (listed && (r.kind === "listed" || r.kind === "failed")) {
      this.lists.delete(r.id);
      listed(r.kind === "listed" ? { listing: r.listing, error: r.error } : { listing: null, error: null });
      return;
    }
    if (r.kind === "failed" && r.id === this.checkId) {
      this.checkResolve?.({ protos: null, error: null });
      this.checkResolve = null;
      return;
    }
    if (r.kind !== "checked" || r.id !== this.checkId) return;
    this.checkResolve?.({ protos: r.protos, error: r.error });
    this.checkResolve = null;
  }
}
