// Import of event logs captured from real LuaJIT (the oracle's JSON-lines
// format, written by public/capture.lua or ../shared/oracle/tools): each line
// becomes our EngineEvents. LuaJIT only reports start/stop/abort/flush; the
// bytecode patches, flushes of single traces and GC frees between them are
// inferred by diffing consecutive `bc` and `traces` states.
import type {
  EngineEvent, EventInput, LinkType, ProtoInfo, ProtoKey, TraceKind, TraceOrigin,
} from "./events.ts";
import type { BuildName } from "./protocol.ts";

export type OracleSlot = [number, string] | [number, string, number];

/** One line of a captured log (keys as in ../shared/oracle/README.md "Event log schema"). */
export interface OracleLine {
  seq: number;
  event: "start" | "stop" | "abort" | "flush" | "end" | "crash";
  tr?: number; func?: string; pc?: number; loc?: string; kind?: TraceKind; parent?: number; exit?: number;
  linktype?: LinkType; link?: number; stopfunc?: string;
  reason?: string; abort_func?: string; abort_pc?: number; abort_loc?: string;
  status?: string; error?: string; stderr?: string;
  bc?: Record<string, OracleSlot[]>;
  traces?: [number, string, number][];
}

export interface ParsedOracleLog {
  lines: OracleLine[];
  /** Lines that could not be read, as "line N: why". */
  problems: string[];
}

const EVENTS = new Set(["start", "stop", "abort", "flush", "end", "crash"]);

/**
 * Read a log. Text lines that are not JSON but carry LuaJIT's assertion
 * (a log captured with `2>>LOG`) become the `crash` line the oracle appends.
 */
export function parseOracleLog(text: string): ParsedOracleLog {
  const lines: OracleLine[] = [];
  const problems: string[] = [];
  let stderr = "";
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (s === "") return;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      if (/LuaJIT ASSERT|^luajit:|Aborted|core dumped/.test(s)) stderr += (stderr ? "\n" : "") + s;
      else problems.push(`line ${i + 1}: not JSON`);
      return;
    }
    const o = v as Partial<OracleLine>;
    if (typeof o !== "object" || o === null || !EVENTS.has(String(o.event))) {
      problems.push(`line ${i + 1}: no known "event"`);
      return;
    }
    lines.push(o as OracleLine);
  });
  if (stderr && !lines.some((l) => l.event === "crash")) {
    lines.push({ seq: lines.length + 1, event: "crash", exit: 134, stderr } as OracleLine & { exit: number });
  }
  return { lines, problems };
}

/** Whether a text looks like a captured LuaJIT log (rather than our own event log). */
export function isOracleLog(text: string): boolean {
  const first = text.split("\n", 1)[0];
  return /"event"\s*:/.test(first);
}

/** The chunk name the log's prototypes come from ("seed_flush_twice.lua" for "seed_flush_twice.lua:0"). */
export function logChunkname(parsed: ParsedOracleLog): string | null {
  for (const l of parsed.lines) {
    const keys = Object.keys(l.bc ?? {});
    const main = keys.find((k) => k.endsWith(":0")) ?? keys[0];
    if (main !== undefined) return main.replace(/:\d+(#\d+)?$/, "");
  }
  return null;
}

/** The build a log was captured with, if its file name says so (NAME.events.BUILD.jsonl). */
export function buildFromFileName(name: string): BuildName | null {
  const m = /(prefix-assert|prefix-release|fixed)/.exec(name);
  return m ? (m[1] as BuildName) : null;
}

// -- Opcodes ------------------------------------------------------------------------

/** Ops whose D operand is a trace number. */
const TRACE_OPS = new Set(["JFORL", "JITERL", "JLOOP", "JFUNCF", "JFUNCV"]);
const BLACKLISTED = new Set(["IFORL", "IITERL", "ILOOP", "IFUNCF", "IFUNCV"]);

/** The unpatched op of a patched one, as far as its name tells (JLOOP may also stand for ITERN or RET*). */
export function baseOp(op: string): string {
  switch (op) {
    case "JFORI": return "FORI";
    case "JFORL": case "IFORL": return "FORL";
    case "JITERL": case "IITERL": return "ITERL";
    case "JLOOP": case "ILOOP": return "LOOP";
    case "JFUNCF": case "IFUNCF": return "FUNCF";
    case "JFUNCV": case "IFUNCV": return "FUNCV";
    case "JMP": return "ISNEXT"; // a listed JMP was a despecialised ISNEXT
    default: return op;
  }
}

/** Could `seen` be what became of the original instruction `orig`? */
function compatible(orig: string, seen: string): boolean {
  if (orig === seen || baseOp(seen) === orig) return true;
  if (seen === "JLOOP") return orig === "ITERN" || orig.startsWith("RET");
  if (seen === "ITERC") return orig === "ITERN";
  return false;
}

/** Whether a compiled listing fits a log: same prototypes, and every listed slot could have come from it. */
export function listingMatches(parsed: ParsedOracleLog, protos: readonly ProtoInfo[]): boolean {
  const byKey = new Map(protos.map((p) => [p.key, p]));
  const seen = new Set<string>();
  for (const l of parsed.lines) {
    for (const [key, slots] of Object.entries(l.bc ?? {})) {
      const p = byKey.get(key);
      if (!p) return false;
      for (const [pc, op] of slots) {
        const id = `${key}\0${pc}`;
        if (seen.has(id)) continue;
        seen.add(id);
        if (pc >= p.ops.length || !compatible(p.ops[pc], op)) return false;
      }
    }
  }
  return seen.size > 0;
}

/**
 * Prototypes known only from the log: the listed positions, with the op they
 * first had (unpatched), and lines where a trace's loc names them.
 */
export function partialProtos(parsed: ParsedOracleLog): ProtoInfo[] {
  const protos = new Map<ProtoKey, ProtoInfo>();
  const lineOf = new Map<string, number>();
  for (const l of parsed.lines) {
    if (l.func !== undefined && l.pc !== undefined && l.loc) lineOf.set(`${l.func}\0${l.pc}`, Number(/:(\d+)$/.exec(l.loc)?.[1] ?? 0));
  }
  for (const l of parsed.lines) {
    for (const [key, slots] of Object.entries(l.bc ?? {})) {
      let p = protos.get(key);
      if (!p) {
        const m = /^(.*):(\d+)(?:#\d+)?$/.exec(key);
        const firstline = m ? Number(m[2]) : 0;
        p = { key, chunkname: m ? m[1] : key, firstline, lastline: firstline, ops: [], lines: [], text: [] };
        protos.set(key, p);
      }
      for (const [pc, op] of slots) {
        if (p.ops[pc] !== undefined && p.ops[pc] !== "") continue;
        // Sparse arrays are filled with "" (unknown) so that views can skip them.
        while (p.ops.length < pc) { p.ops.push(""); p.lines.push(0); p.text.push(""); }
        const orig = baseOp(op);
        const line = pc === 0 ? p.firstline : lineOf.get(`${key}\0${pc}`) ?? 0;
        p.ops[pc] = orig;
        p.lines[pc] = line;
        p.text[pc] = `${String(pc).padStart(4, "0")}    ${orig}`;
      }
    }
  }
  return [...protos.values()].sort((a, b) => a.firstline - b.firstline);
}

// -- Conversion ---------------------------------------------------------------------------

interface Slot { op: string; trace: number }

interface Change { key: ProtoKey; pc: number; from: Slot; to: Slot }

/** The FORI a FORL jumps back after (its "=> NNNN" target in the -bl text), if the listing says. */
function foriOf(protos: Map<ProtoKey, ProtoInfo>, key: ProtoKey, forlPc: number): number | null {
  const text = protos.get(key)?.text[forlPc] ?? "";
  const m = /=> (\d{4})\s*$/.exec(text);
  return m ? Number(m[1]) - 1 : null;
}

/** Why LuaJIT sends no event for these: the explanations name the likely cause. */
const NO_VMEVENT = "no vmevent: jit.flush(n) or jit.flush(func)";

/**
 * Convert a parsed log to our events. `protos` is the full listing (when the
 * program's source compiled and matched), else partialProtos(parsed).
 * `build` tells how to read a revert of a newer trace's bytecode (issue #1345).
 */
export function convertOracleLog(parsed: ParsedOracleLog, protos: ProtoInfo[], build: BuildName | null): EngineEvent[] {
  return convertOracleLines(parsed, protos, build).events;
}

/** convertOracleLog, plus the index of the last event made from each line. */
export function convertOracleLines(parsed: ParsedOracleLog, protos: ProtoInfo[], build: BuildName | null): { events: EngineEvent[]; lineEnds: number[] } {
  const out: EngineEvent[] = [];
  const lineEnds: number[] = [];
  const emit = (e: EventInput): void => { out.push({ ...e, seq: out.length + 1 } as EngineEvent); };
  const protoMap = new Map(protos.map((p) => [p.key, p]));
  emit({ type: "compiled", ours: true, protos });

  const slots = new Map<string, Slot>();
  const slotId = (key: ProtoKey, pc: number): string => `${key}\0${pc}`;
  const current = (key: ProtoKey, pc: number): Slot =>
    slots.get(slotId(key, pc)) ?? { op: protoMap.get(key)?.ops[pc] || "?", trace: 0 };

  const origins = new Map<number, TraceOrigin>();
  let allocated = new Set<number>();
  /** Root traces flushed by jit.flush(n)/jit.flush(func) whose numbers are still allocated. */
  const stale = new Set<number>();
  /** Traces whose number LuaJIT already gave back (aborts). */
  const released = new Set<number>();
  const prefix = build === "prefix-assert" || build === "prefix-release";

  const bcEvent = (c: Change, why: "patch" | "unpatch" | "blacklist" | "despecialise" | "jit-off", by: string, to = c.to): void => {
    const from = current(c.key, c.pc).op;
    slots.set(slotId(c.key, c.pc), to);
    emit({ type: "bc", ours: true, proto: c.key, pc: c.pc, from, to: to.op, ...(TRACE_OPS.has(to.op) ? { trace: to.trace } : {}), why, by });
  };

  for (const line of parsed.lines) {
    const changes: Change[] = [];
    for (const [key, list] of Object.entries(line.bc ?? {})) {
      for (const [pc, op, trace] of list) {
        const from = current(key, pc);
        const to = { op, trace: trace ?? 0 };
        if (from.op !== to.op || from.trace !== to.trace) changes.push({ key, pc, from, to });
      }
    }
    const handled = new Set<Change>();
    const take = (pred: (c: Change) => boolean): Change[] => {
      const found = changes.filter((c) => !handled.has(c) && pred(c));
      for (const c of found) handled.add(c);
      return found;
    };

    // 1. Slots that lost a trace (a J-op removed or replaced): one group per trace.
    const lost = take((c) => TRACE_OPS.has(c.from.op) && (c.to.op !== c.from.op || c.to.trace !== c.from.trace));
    const restoreTo = (c: Change): Slot => (TRACE_OPS.has(c.to.op) ? { op: baseOp(c.from.op), trace: 0 } : c.to);
    const companions = (c: Change): Change[] => {
      if (c.from.op !== "JFORL") return [];
      const fori = foriOf(protoMap, c.key, c.pc);
      return take((d) => d.key === c.key && d.from.op === "JFORI" && d.to.op !== "JFORI" && (fori === null || d.pc === fori));
    };
    if (line.event === "flush") {
      // The flush comes first here (LuaJIT sends it after unpatching): the unpatches read as its consequences.
      stale.clear();
      emit({ type: "flush" });
      for (const c of lost) {
        bcEvent(c, "unpatch", "trace_unpatch (trace_flushroot from lj_trace_flushall)", restoreTo(c));
        for (const d of companions(c)) bcEvent(d, "unpatch", "trace_unpatch (trace_flushroot from lj_trace_flushall)");
      }
    } else {
      for (const c of lost) {
        const owner = c.from.trace;
        // A flushed, still allocated root trace that started at this very slot: flushing it again
        // is LuaJIT issue #1345 (pre-fix trace_unpatch reverts the newer trace's bytecode).
        const staleTwin = prefix
          ? [...stale].find((a) => a !== owner && origins.get(a)?.func === c.key && origins.get(a)?.pc === c.pc)
          : undefined;
        if (staleTwin !== undefined) {
          emit({ type: "trace-flush", ours: true, tr: staleTwin, what: "flushroot", by: `jit.flush(${staleTwin}) again (${NO_VMEVENT}; trace ${staleTwin} was already flushed)` });
          bcEvent(c, "unpatch", `trace_unpatch of stale trace ${staleTwin} (pre-fix: unconditional)`, restoreTo(c));
          for (const d of companions(c)) bcEvent(d, "unpatch", `trace_unpatch of stale trace ${staleTwin} (pre-fix: unconditional)`);
          emit({
            type: "violation", ours: true, proto: c.key, pc: c.pc, fatal: false,
            message: c.from.op === "JFORL"
              ? `trace_unpatch: JFORL references other trace (trace ${staleTwin} flushed again reverted trace ${owner}'s JFORL; the assertion is compiled out in this build)`
              : `trace_unpatch: flushing stale trace ${staleTwin} reverted trace ${owner}'s ${c.from.op} (no assertion checks ${c.from.op})`,
          });
        } else {
          if (allocated.has(owner) && !stale.has(owner)) {
            emit({ type: "trace-flush", ours: true, tr: owner, what: "flushroot", by: `trace_flushroot (${NO_VMEVENT})` });
            stale.add(owner);
          }
          bcEvent(c, "unpatch", "trace_unpatch", restoreTo(c));
          for (const d of companions(c)) bcEvent(d, "unpatch", "trace_unpatch");
        }
      }
    }
    // A JFORI whose JFORL went in an earlier line or elsewhere.
    for (const c of take((c) => c.from.op === "JFORI" && c.to.op === "FORI")) bcEvent(c, "unpatch", "trace_unpatch");

    // 2. Numbers freed without an event: the GC freed flushed traces.
    const now = new Set((line.traces ?? []).map(([tr]) => tr));
    if (line.event !== "flush" && line.event !== "crash" && line.traces) {
      for (const tr of allocated) {
        if (now.has(tr) || released.has(tr)) continue;
        emit({ type: "trace-flush", ours: true, tr, what: "freed", by: "the garbage collector (no vmevent)" });
        stale.delete(tr);
      }
    }

    // 3. Blacklisting, despecialisation and JIT on/off: no event of their own.
    for (const c of take((c) => BLACKLISTED.has(c.to.op))) {
      if (line.event === "abort") bcEvent(c, "blacklist", "penalty_pc -> blacklist_pc (11th abort at this slot)");
      else bcEvent(c, "jit-off", "trace_start: lazy patching of a JIT-disabled prototype (PROTO_NOJIT)");
    }
    for (const c of take((c) => BLACKLISTED.has(c.from.op))) bcEvent(c, "jit-off", "lj_trace_reenableproto (jit.on)");
    for (const c of take((c) => (c.from.op === "ISNEXT" && c.to.op === "JMP") || (c.from.op === "ITERN" && c.to.op === "ITERC"))) {
      if (line.event === "abort") bcEvent(c, "blacklist", "blacklist_pc: a blacklisted pairs loop is despecialised");
      else bcEvent(c, "despecialise", "BC_ISNEXT: next is not the builtin, despecialise (vm_x64.dasc)");
    }

    // 4. Patches of the trace that stops.
    for (const c of take((c) => TRACE_OPS.has(c.to.op) || c.to.op === "JFORI")) {
      bcEvent(c, "patch", line.event === "stop" && (c.to.trace === line.tr || c.to.op === "JFORI") ? "trace_stop" : "trace_stop (inferred)");
    }
    for (const c of take(() => true)) bcEvent(c, "patch", "inferred from the bytecode state");

    // 5. The event itself.
    const origin = (): TraceOrigin => {
      const o: TraceOrigin = { tr: line.tr ?? 0, func: line.func ?? "?", pc: line.pc ?? 0, loc: line.loc ?? "?", kind: line.kind ?? "root" };
      if (line.parent !== undefined) o.parent = line.parent;
      if (line.exit !== undefined) o.exit = line.exit;
      return o;
    };
    switch (line.event) {
      case "start":
        origins.set(line.tr ?? 0, origin());
        released.delete(line.tr ?? 0);
        stale.delete(line.tr ?? 0);
        emit({ type: "trace-start", ...origin() });
        break;
      case "stop":
        emit({ type: "trace-stop", ...origin(), linktype: line.linktype ?? "none", link: line.link ?? 0, stopfunc: line.stopfunc ?? "?" });
        break;
      case "abort":
        released.add(line.tr ?? 0);
        emit({
          type: "trace-abort", ...origin(), reason: line.reason ?? "?",
          abortFunc: line.abort_func ?? line.func ?? "?", abortPc: line.abort_pc ?? line.pc ?? 0, abortLoc: line.abort_loc ?? line.loc ?? "?",
        });
        break;
      case "flush":
        break; // emitted before its unpatches
      case "end":
        emit({
          type: "end", ours: true, status: line.status === "ok" ? "ok" : "error",
          ...(line.error !== undefined ? { error: line.error } : {}), exitCode: line.status === "ok" ? 0 : 1,
        });
        break;
      case "crash": {
        const text = (line.stderr ?? "").trim();
        const assertion = text.split("\n").find((s) => s.startsWith("LuaJIT ASSERT")) ?? text;
        const where = crashSite(stale, origins, current);
        if (where) {
          emit({ type: "trace-flush", ours: true, tr: where.tr, what: "flushroot", by: `jit.flush(${where.tr}) again (${NO_VMEVENT}; trace ${where.tr} was already flushed)` });
        }
        emit({
          type: "violation", ours: true, message: assertion, fatal: true,
          ...(where ? { proto: where.func, pc: where.pc } : {}),
        });
        emit({ type: "end", ours: true, status: "crash", error: text, exitCode: (line as { exit?: number }).exit ?? 134 });
        break;
      }
    }
    if (line.traces) allocated = now;
    if (line.event === "flush") allocated = new Set();
    lineEnds.push(out.length - 1);
  }
  return { events: out, lineEnds };
}

/** The stale root trace whose second flush most likely tripped the assertion: its start slot now holds another trace's J-op. */
function crashSite(stale: Set<number>, origins: Map<number, TraceOrigin>, current: (key: ProtoKey, pc: number) => Slot): TraceOrigin | null {
  for (const tr of [...stale].sort((a, b) => a - b)) {
    const o = origins.get(tr);
    if (!o) continue;
    const s = current(o.func, o.pc);
    if (TRACE_OPS.has(s.op) && s.trace !== tr) return o;
  }
  return null;
}
