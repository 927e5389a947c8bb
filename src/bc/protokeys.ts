// Names of a chunk's prototypes as LuaJIT's tools and event logs use them:
// "chunk:firstline" (jit.util.funcinfo's loc), "#2" for a second one on a line.
import { isProto, protoLoc, type Proto } from "./proto.ts";

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

/** Keys of all prototypes, in line order (then listing order): the order the event log lists them in. */
export function protoKeys(main: Proto): Map<Proto, string> {
  const protos = allProtos(main);
  const order = protos.map((pt, i) => ({ pt, i })).sort((a, b) => a.pt.firstline - b.pt.firstline || a.i - b.i);
  const seen = new Map<string, number>();
  const keys = new Map<Proto, string>();
  for (const { pt } of order) {
    const loc = protoLoc(pt);
    const n = (seen.get(loc) ?? 0) + 1;
    seen.set(loc, n);
    keys.set(pt, n === 1 ? loc : `${loc}#${n}`);
  }
  return keys;
}
