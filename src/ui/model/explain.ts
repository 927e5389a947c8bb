// What an event means, in words: a one-line summary (timeline tooltips, the
// live region) and an explanation card (what LuaJIT did, in which function of
// its source, and why it matters). Text uses `backticks` for code.
import type { EngineEvent, LinkType, TraceOrigin } from "../../engine/events.ts";
import type { BuildName } from "../../engine/protocol.ts";
import type { ExplorerState } from "./state.ts";

export interface SourceRef {
  /** File under LuaJIT's src/. */
  file: string;
  /** Function (or other symbol) in it. */
  symbol: string;
}

export interface Explanation {
  title: string;
  body: string[];
  source?: SourceRef;
  tone: "info" | "ok" | "warn" | "error";
}

/** Commits of the simulated builds (../shared/oracle/README.md). */
export const LUAJIT_COMMIT: Record<BuildName, string> = {
  fixed: "e0551670",
  "prefix-assert": "eee16efa",
  "prefix-release": "eee16efa",
};

export function sourceUrl(ref: SourceRef, build: BuildName | null): string {
  return `https://github.com/LuaJIT/LuaJIT/blob/${LUAJIT_COMMIT[build ?? "fixed"]}/src/${ref.file}`;
}

const where = (o: { func: string; pc: number; loc: string }): string => `${o.loc} (pc ${o.pc} of ${o.func})`;

function traceName(o: TraceOrigin): string {
  if (o.kind === "side") return `side trace ${o.tr} (exit ${o.exit ?? "?"} of trace ${o.parent ?? "?"})`;
  if (o.kind === "stitch") return `stitched trace ${o.tr} (continues trace ${o.parent ?? "?"})`;
  return `trace ${o.tr}`;
}

/** One line, as the timeline's tooltips and the screen-reader narration say it. */
export function summarize(e: EngineEvent): string {
  switch (e.type) {
    case "compiled": return `Compiled ${e.protos.length} prototype${e.protos.length === 1 ? "" : "s"}`;
    case "trace-start": return `${cap(traceName(e))} starts recording at ${e.loc}`;
    case "trace-stop": return `Trace ${e.tr} compiled (${linkText(e.linktype, e.link, e.tr)})`;
    case "trace-abort": return `Trace ${e.tr} aborted: ${e.reason.trim()}`;
    case "flush": return "All traces flushed";
    case "trace-flush":
      return e.what === "freed" ? `Trace ${e.tr} freed` : e.what === "ignored" ? `jit.flush(${e.tr}) ignored` : `Trace ${e.tr} flushed`;
    case "bc": return `${e.proto} pc ${e.pc}: ${e.from} → ${e.to}${e.trace ? ` ${e.trace}` : ""}`;
    case "hot": return `Hot ${e.what} at ${e.proto} pc ${e.pc}`;
    case "penalty": return `Penalty ${e.value} at ${e.proto} pc ${e.pc}`;
    case "exit": return `Trace ${e.tr} exit ${e.exit} taken (${e.count}×)`;
    case "violation": return e.fatal ? e.message : `Violation: ${e.message}`;
    case "output": return `Output: ${firstLine(e.text)}`;
    case "end":
      if (e.status === "ok") return `Program finished (exit ${e.exitCode})`;
      if (e.status === "crash") return `LuaJIT crashed (exit ${e.exitCode})`;
      return `Program ended: ${e.status}${e.error ? ` — ${firstLine(e.error)}` : ""}`;
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function firstLine(s: string): string {
  const line = s.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 60 ? line.slice(0, 59) + "…" : line;
}

/** jit/v.lua's way of naming a link ("loop", "-> 3", "-> 3 return"...). */
export function linkText(linktype: LinkType, link: number, tr: number): string {
  if (link === tr || link === 0) return linktype;
  if (linktype === "root") return `-> ${link}`;
  return `-> ${link} ${linktype}`;
}

const LINK_MEANING: Record<LinkType, string> = {
  "none": "It has no link yet.",
  "root": "At its end it jumps into another root trace.",
  "loop": "It loops back to its own start: the whole loop body runs as machine code.",
  "tail-recursion": "It calls its own function as a tail call, looping inside the trace.",
  "up-recursion": "It recurses upwards into its own function (non-tail recursion).",
  "down-recursion": "It returns into a caller that is itself being traced (down-recursion).",
  "interpreter": "At its end it falls back to the interpreter.",
  "return": "It ends where the function returns (or at a builtin that cannot be stitched, such as `jit.flush` or `error`), going back to the interpreter.",
  "stitch": "It ends at a call to a builtin that cannot be recorded; a stitched trace continues after the call.",
};

/** A side trace's loop back to its own start, without the loop optimisation (lj_record_stop). */
const LOOP_TO_ROOT = (root: number): string =>
  `It loops back to where it started, but with the loop optimisation off a side trace cannot jump to its own start: it is linked to its root trace ${root}, which runs next.`;

/** The card for the event at the cursor. `before` is the state just before it. */
export function explain(e: EngineEvent, before: ExplorerState, after: ExplorerState, build: BuildName | null): Explanation {
  switch (e.type) {
    case "compiled":
      return {
        title: summarize(e),
        tone: "info",
        body: [
          "The program was compiled to LuaJIT 2.1 bytecode — the same instructions `luajit -bl` lists. Nothing is traced yet.",
          "Hot counting happens at loop ends (`FORL`, `ITERL`, `ITERN`, `LOOP`) and function headers (`FUNCF`); a counter starts at `2*hotloop-1`, loops take 2 off and calls 1, so a loop gets hot on its `hotloop`-th back-edge.",
        ],
        source: { file: "lj_parse.c", symbol: "lj_parse" },
      };
    case "trace-start": {
      const body = e.kind === "side"
        ? [`Exit ${e.exit} of trace ${e.parent} was taken often enough (\`hotexit\`, 10 by default), so LuaJIT records a side trace from that exit, at ${where(e)}.`]
        : e.kind === "stitch"
          ? [`Trace ${e.parent} ended at a call that cannot be compiled; recording resumes after the call as a new trace, at ${where(e)}.`]
          : [`The hot counter at ${where(e)} ran out, so \`lj_trace_hot\` starts recording: from now on the interpreter records every instruction it executes into trace ${e.tr}.`];
      body.push(`A new trace takes the lowest free trace number: ${e.tr}${generationNote(after, e.tr)}.`);
      return { title: summarize(e), tone: "info", body, source: { file: "lj_trace.c", symbol: "trace_start" } };
    }
    case "trace-stop": {
      const body: string[] = [];
      const patched = after.slots.get(e.func)?.ops[e.pc];
      if (e.kind === "root") {
        body.push(patched && patched.startsWith("J")
          ? `\`trace_stop\` patched the start instruction at ${where(e)} to \`${patched} ${e.tr}\`: the interpreter now enters the machine code there.${patched === "JFORL" ? " The loop's `FORI` became `JFORI` too." : ""}`
          : `Recording reached its end; the trace is compiled.`);
        const chain = after.chains.get(e.func);
        if (chain && chain.length) body.push(`It heads the chain of root traces of \`${e.func}\` now: ${chain.join(" → ")} (\`pt->trace\`, then \`nextroot\`).`);
      } else if (e.kind === "side") {
        body.push(`The side trace is patched into exit ${e.exit} of trace ${e.parent}; no bytecode changes.`);
      } else {
        body.push(`Trace ${e.parent}'s link now points to this stitched trace; no bytecode changes.`);
      }
      if (e.loopRetries) {
        const n = e.loopRetries.length;
        body.splice(1, 0, `The loop optimisation failed ${n === 1 ? "once" : `${n} times`} (${[...new Set(e.loopRetries)].join("; ")}): \`lj_opt_loop\` then lets the recorder go on into the next iteration (at most \`instunroll\` times), so this trace holds ${n + 1} iterations of the loop, each with its own guards, instead of leaving the other one to a side trace.`);
      }
      const meaning = e.linktype === "loop" && e.link !== e.tr && e.link !== 0 ? LOOP_TO_ROOT(e.link) : LINK_MEANING[e.linktype];
      body.push(meaning + (e.stopfunc && !e.stopfunc.includes(":") ? ` Recording stopped at \`${e.stopfunc}\`.` : ""));
      return { title: summarize(e), tone: "ok", body, source: { file: "lj_trace.c", symbol: "trace_stop" } };
    }
    case "trace-abort":
      return {
        title: summarize(e),
        tone: "warn",
        body: [
          `Recording stopped at ${where({ func: e.abortFunc, pc: e.abortPc, loc: e.abortLoc })}: ${e.reason.trim()}. Trace number ${e.tr} is free again at once.`,
          e.kind === "root"
            ? "`trace_abort` penalises the start instruction (`penalty_pc`): its hot counter restarts from a penalty that roughly doubles on each failure; after the 11th abort at the same place it is blacklisted (`FORL`→`IFORL`, `LOOP`→`ILOOP`, `ITERL`→`IITERL`, `FUNCF`→`IFUNCF`) and never counted again."
            : "Side traces are not penalised: the exit is simply tried again until `hotexit+tryside` exits, then a stub \"fallback to interpreter\" is used.",
        ],
        source: { file: "lj_trace.c", symbol: "trace_abort" },
      };
    case "flush":
      return {
        title: summarize(e),
        tone: "warn",
        body: [
          "`jit.flush()` — or needing a trace number beyond `maxtrace` — flushes everything: `lj_trace_flushall` unpatches every root trace's bytecode, frees all numbers (the next trace is 1 again) and clears the penalty cache.",
          "This is the only flush LuaJIT reports to `jit.attach` handlers.",
        ],
        source: { file: "lj_trace.c", symbol: "lj_trace_flushall" },
      };
    case "trace-flush":
      return explainTraceFlush(e, before, build);
    case "bc":
      return explainBytecode(e, build);
    case "hot":
      return {
        title: summarize(e),
        tone: "info",
        body: [e.what === "exit"
          ? "A side exit was taken `hotexit` times: a side trace will be recorded from it."
          : `The hot counter of this ${e.what === "call" ? "function header" : "loop instruction"} ran below zero: LuaJIT starts recording a trace here.`],
        source: { file: "lj_trace.c", symbol: e.what === "exit" ? "lj_trace_exit" : "lj_trace_hot" },
      };
    case "penalty":
      return {
        title: summarize(e),
        tone: "warn",
        body: [`After an abort (${e.reason.trim()}), the start instruction's hot counter is reset to the penalty ${e.value}: it takes that many more counts before LuaJIT tries again.`],
        source: { file: "lj_trace.c", symbol: "penalty_pc" },
      };
    case "exit":
      return {
        title: summarize(e),
        tone: "info",
        body: [`A guard of trace ${e.tr} failed and execution left through exit ${e.exit}, back to the interpreter. After \`hotexit\` such exits a side trace is recorded from there.`],
        source: { file: "lj_trace.c", symbol: "lj_trace_exit" },
      };
    case "violation": {
      const stale = /references other trace/.test(e.message);
      return e.fatal
        ? {
          title: "LuaJIT assertion failed",
          tone: "error",
          body: [
            `\`${e.message}\``,
            ...(stale ? [
              "`trace_unpatch` found the start slot of the trace being flushed holding a `JFORL` that belongs to another, newer trace. Before the fix (LuaJIT issue #1345), `trace_flushroot` unpatched unconditionally, so flushing an already flushed root trace — still allocated, its number not yet freed by the GC — reaches a slot that has been re-patched since.",
              "With assertions compiled in (`prefix-assert`) the process aborts here (exit status 134). The fix (85c3f2fb, in v2.1 at e0551670) only unpatches a trace that is still in its prototype's chain of root traces.",
            ] : ["One of LuaJIT's internal consistency checks failed; with assertions compiled in, the process aborts here (exit status 134)."]),
          ],
          source: { file: "lj_trace.c", symbol: "trace_unpatch" },
        }
        : {
          title: "Stale reference",
          tone: "error",
          body: [
            `\`${e.message}\``,
            "Nothing stops the run — LuaJIT without assertions does not notice — but a live trace lost its entry point: its loop runs in the interpreter until it gets hot again and is compiled a second time under a new number.",
          ],
          source: { file: "lj_trace.c", symbol: "trace_unpatch" },
        };
    }
    case "output":
      return { title: "Program output", tone: "info", body: [e.stream === "stderr" ? "Written to standard error." : "Written to standard output (see the console)."] };
    case "end":
      return {
        title: summarize(e),
        tone: e.status === "ok" ? "ok" : e.status === "crash" ? "error" : "warn",
        body: [
          e.status === "ok" ? "The main chunk returned." :
          e.status === "halted" ? `The run was stopped: ${e.error ?? "halted"}.` :
          e.status === "crash" ? "The LuaJIT process died (SIGABRT from a failed assertion)." :
          `The main chunk raised an error: ${e.error ?? "?"}`,
          `${after.counts.stops} trace${after.counts.stops === 1 ? "" : "s"} compiled, ${after.counts.aborts} abort${after.counts.aborts === 1 ? "" : "s"}, ${after.counts.flushes} flush${after.counts.flushes === 1 ? "" : "es"}.`,
        ],
      };
  }
}

function generationNote(s: ExplorerState, tr: number): string {
  const g = s.traces.get(tr)?.generation ?? 1;
  return g > 1 ? ` (the number's ${ordinal(g)} use)` : "";
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] ?? "th";
  return `${n}${s}`;
}

function explainTraceFlush(e: Extract<EngineEvent, { type: "trace-flush" }>, before: ExplorerState, build: BuildName | null): Explanation {
  const rec = before.traces.get(e.tr);
  if (e.what === "freed") {
    return {
      title: summarize(e),
      tone: "info",
      body: [`A garbage-collector cycle freed trace ${e.tr}, which had been flushed. Only now can its number be handed out again (lowest free number first).`],
      source: { file: "lj_trace.c", symbol: "lj_trace_free" },
    };
  }
  if (e.what === "ignored") {
    return {
      title: summarize(e),
      tone: "info",
      body: [`\`jit.flush(${e.tr})\` only acts on root traces that exist; for a side trace or an unused number it does nothing.`],
      source: { file: "lj_trace.c", symbol: "lj_trace_flush" },
    };
  }
  const body = [`${e.by}.`];
  if (rec?.state === "flushed") {
    body.push(
      `Trace ${e.tr} had already been flushed: it is no longer in its prototype's chain, but its number is still allocated (the GC has not freed it), so \`jit.flush(${e.tr})\` finds it again.`,
      build === "fixed"
        ? "In the fixed build `trace_flushroot` only unpatches a trace it finds in the chain, so this does nothing."
        : "Before the fix (this build), `trace_flushroot` calls `trace_unpatch` unconditionally: if the start slot has since been patched for a newer trace, that trace's bytecode is reverted (LuaJIT issue #1345).",
    );
  } else {
    body.push(`\`trace_flushroot\` unlinks trace ${e.tr} from its prototype's chain of root traces and \`trace_unpatch\` restores its start bytecode. The trace itself stays allocated — flushed but not free — until a GC cycle frees it, so its number is not reused before that.`);
  }
  return { title: summarize(e), tone: rec?.state === "flushed" ? "warn" : "info", body, source: { file: "lj_trace.c", symbol: "trace_flushroot" } };
}

function explainBytecode(e: Extract<EngineEvent, { type: "bc" }>, build: BuildName | null): Explanation {
  const slot = `pc ${e.pc} of \`${e.proto}\``;
  const by = e.by ? ` (${e.by})` : "";
  switch (e.why) {
    case "patch":
      return {
        title: summarize(e),
        tone: "ok",
        body: [e.to === "JFORI"
          ? `The loop's \`FORI\` at ${slot} becomes \`JFORI\`, so entering the loop goes straight to the trace${by}.`
          : `\`${e.from}\` at ${slot} becomes \`${e.to}${e.trace ? " " + e.trace : ""}\`${by}: the D operand now holds the trace number, and the interpreter jumps into trace ${e.trace ?? "?"} when it reaches this instruction.`],
        source: { file: "lj_trace.c", symbol: "trace_stop" },
      };
    case "unpatch":
      return {
        title: summarize(e),
        tone: "warn",
        body: [
          `\`${e.from}\` at ${slot} is restored to \`${e.to}\`${by}.`,
          e.by.includes("stale") && build !== "fixed"
            ? "This slot belonged to a newer trace: the pre-fix `trace_unpatch` restores the original instruction whoever owns it now."
            : "The original instruction word was kept in the trace (`T->startins`), so unpatching puts back exactly what the compiler produced.",
        ],
        source: { file: "lj_trace.c", symbol: "trace_unpatch" },
      };
    case "blacklist":
      return {
        title: summarize(e),
        tone: "warn",
        body: [`\`${e.from}\` at ${slot} becomes \`${e.to}\`${by}: the instruction is blacklisted and its hot counter is never consulted again.`],
        source: { file: "lj_trace.c", symbol: "penalty_pc" },
      };
    case "despecialise":
      return {
        title: summarize(e),
        tone: "info",
        body: [`\`${e.from}\` at ${slot} becomes \`${e.to}\`${by}: a \`pairs\` loop whose iterator is not the builtin \`next\` falls back to the generic iterator protocol.`],
        source: { file: "vm_x64.dasc", symbol: "BC_ISNEXT" },
      };
    case "jit-off":
      return {
        title: summarize(e),
        tone: "info",
        body: [`\`${e.from}\` at ${slot} becomes \`${e.to}\`${by}. JIT compilation of this function was turned off or on (\`jit.off(f)\` / \`jit.on(f)\`); LuaJIT sends no event for it.`],
        source: { file: "lj_trace.c", symbol: e.to.startsWith("I") ? "trace_start" : "lj_trace_reenableproto" },
      };
  }
}
