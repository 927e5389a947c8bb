// Names of a chunk's prototypes as the oracle's event logs use them:
// "chunk:firstline", "#2" for a second one with the same name.
import { isProto, type Proto } from "./proto.ts";

/** Every prototype of a chunk, in -bl listing order (children before their parent). */
export function allProtos(main: Proto): Proto[] {
  const out: Proto[] = [];
  const walk = (pt: Proto): void => {
    for (const k of pt.kgc) if (isProto(k)) walk(k);
    out.push(pt);
  };
  walk(main);
  return out;
}

/**
 * The oracle's name for a prototype before numbering duplicates: its source
 * without the "@" or "=" (any other chunk is "[string]"), then ":linedefined".
 * Library functions written in Lua are "[string]:-1".
 */
export function protoKeyBase(pt: Proto): string {
  const c = pt.chunkname.charAt(0);
  return `${c === "@" || c === "=" ? pt.chunkname.slice(1) : "[string]"}:${pt.firstline}`;
}

/** Hands out keys, "#2", "#3"... for a second and third prototype with the same base. */
export class ProtoKeyNamer {
  private readonly seen = new Map<string, number>();

  name(pt: Proto): string {
    const base = protoKeyBase(pt);
    const n = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  }
}

/**
 * pt and the prototypes nested in it, in the order the oracle's harness
 * meets them (capture.lua's addproto): a prototype, then each child by its
 * constant index, depth first. Same-line prototypes are numbered in this order.
 */
export function discoveryOrder(pt: Proto): Proto[] {
  const out: Proto[] = [];
  const walk = (p: Proto): void => {
    out.push(p);
    for (const k of p.kgc) if (isProto(k)) walk(k);
  };
  walk(pt);
  return out;
}

/** Keys of all prototypes, in line order (then discovery order): the order the event log lists them in. */
export function protoKeys(main: Proto, namer = new ProtoKeyNamer()): Map<Proto, string> {
  const named = discoveryOrder(main).map((pt) => ({ pt, key: namer.name(pt) }));
  const byLine = named.map((e, i) => ({ ...e, i })).sort((a, b) => a.pt.firstline - b.pt.firstline || a.i - b.i);
  return new Map(byLine.map(({ pt, key }) => [pt, key]));
}
