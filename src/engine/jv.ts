// -jv: the [TRACE ...] lines of jit/v.lua, printed from the event log only
// (the CLI prints them as a run goes; the explorer exports a whole log's).
import type { EngineEvent } from "./events.ts";

/** A printer that turns trace events into jit.v's lines (dump_trace in jit/v.lua). */
export function jvPrinter(write: (line: string) => void): (e: EngineEvent) => void {
  let startloc = "";
  let startex = "";
  const tr3 = (n: number): string => String(n).padStart(3);
  return (e) => {
    switch (e.type) {
      case "trace-start":
        startloc = e.loc;
        startex = e.parent !== undefined ? `(${e.parent}/${e.kind === "stitch" ? "stitch" : e.exit}) ` : "";
        break;
      case "trace-abort":
        if (e.abortLoc !== startloc) write(`[TRACE --- ${startex}${startloc} -- ${e.reason} at ${e.abortLoc}]\n`);
        else write(`[TRACE --- ${startex}${startloc} -- ${e.reason}]\n`);
        break;
      case "trace-stop":
        if (e.linktype === "interpreter") write(`[TRACE ${tr3(e.tr)} ${startex}${startloc} -- fallback to interpreter]\n`);
        else if (e.linktype === "stitch") write(`[TRACE ${tr3(e.tr)} ${startex}${startloc} stitch ${e.stopfunc}]\n`);
        else if (e.link === e.tr || e.link === 0) write(`[TRACE ${tr3(e.tr)} ${startex}${startloc} ${e.linktype}]\n`);
        else if (e.linktype === "root") write(`[TRACE ${tr3(e.tr)} ${startex}${startloc} -> ${e.link}]\n`);
        else write(`[TRACE ${tr3(e.tr)} ${startex}${startloc} -> ${e.link} ${e.linktype}]\n`);
        break;
      case "flush":
        write("[TRACE flush]\n");
        break;
      default:
        break;
    }
  };
}

/**
 * What `luajit -jv` writes on stderr for a whole log: the trace lines and the
 * program's own stderr (error reports, a failed assertion) in event order.
 */
export function jvText(events: Iterable<EngineEvent>): string {
  const parts: string[] = [];
  const print = jvPrinter((line) => parts.push(line));
  for (const e of events) {
    if (e.type === "output") {
      if (e.stream === "stderr") parts.push(e.text);
    } else {
      print(e);
    }
  }
  return parts.join("");
}
