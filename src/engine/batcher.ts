// Numbers events and sends them in batches: the worker posts a batch when it
// is large or old enough, so the explorer sees a long run unfold and a Stop
// (which kills the worker) loses at most the last few milliseconds.
import { LuaHalt } from "../vm/errors.ts";
import { Utf8Stream } from "./bytes.ts";
import type { EngineEvent, EventInput, OutputEvent } from "./events.ts";

export interface BatcherLimits {
  maxEvents: number;
  maxOutput: number;
  /** A batch is sent once it has this many events... */
  maxBatch?: number;
  /** ...or its first event is this old. */
  maxDelayMs?: number;
}

/** Output pieces are merged into one event up to this size. */
const OUTPUT_PIECE = 8192;

export class EventBatcher {
  private seq = 0;
  private batch: EngineEvent[] = [];
  private batchStart = 0;
  /** Output not yet turned into an event: consecutive writes to one stream merge. */
  private pending: { stream: OutputEvent["stream"]; text: string } | null = null;
  private outputChars = 0;
  private outputDropped = false;
  /** The log is full (or ending): no more limit checks. */
  private final = false;
  private readonly decoders = { stdout: new Utf8Stream(), stderr: new Utf8Stream() };
  private readonly now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

  constructor(
    private readonly post: (events: EngineEvent[]) => void,
    private readonly limits: BatcherLimits,
  ) {}

  get count(): number {
    return this.seq;
  }

  /** Append an event; throws LuaHalt (ends the run) when the log is full. */
  emit(e: EventInput): void {
    this.settleOutput();
    this.push(e);
  }

  /** Append an event even to a full log (the `end` of a run). */
  emitFinal(e: EventInput): void {
    this.final = true;
    this.settleOutput();
    this.push(e);
  }

  /** Program output as the VM writes it (binary strings). */
  output(stream: OutputEvent["stream"], bytes: string): void {
    if (this.outputDropped) return;
    const text = this.decoders[stream].push(bytes);
    if (text === "") return;
    this.outputChars += text.length;
    if (this.outputChars > this.limits.maxOutput) {
      this.outputDropped = true;
      this.settleOutput();
      this.push({ type: "output", ours: true, stream: "stderr", text: `\n[ljscope: output beyond ${this.limits.maxOutput} characters is not kept]\n` });
      return;
    }
    if (this.pending && (this.pending.stream !== stream || this.pending.text.length >= OUTPUT_PIECE)) this.settleOutput();
    if (this.pending) this.pending.text += text;
    else {
      if (this.batch.length === 0) this.batchStart = this.now();
      this.pending = { stream, text };
    }
    this.tick();
  }

  /** Send the batch if it is old enough (called now and then while the VM runs). */
  tick(): void {
    const maxDelay = this.limits.maxDelayMs ?? 50;
    if ((this.batch.length > 0 || this.pending) && this.now() - this.batchStart >= maxDelay) this.flush();
  }

  /** Send everything (the last call of a run). */
  flush(): void {
    this.settleOutput();
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.post(batch);
  }

  private push(e: EventInput): void {
    if (this.batch.length === 0) this.batchStart = this.now();
    this.batch.push({ ...e, seq: ++this.seq } as EngineEvent);
    if (this.batch.length >= (this.limits.maxBatch ?? 512)) this.flush();
    if (!this.final && this.seq >= this.limits.maxEvents) {
      this.final = true; // the end event and what is pending may still come
      throw new LuaHalt("budget", `event log limit reached (${this.limits.maxEvents} events)`);
    }
  }

  private settleOutput(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.push({ type: "output", ours: true, stream: p.stream, text: p.text });
  }
}
