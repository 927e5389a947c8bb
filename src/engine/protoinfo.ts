// Prototypes as the explorer sees them (ProtoInfo of the `compiled` event):
// keys "chunk:firstline" as jit.util.funcinfo's loc names them (with "#2" for
// a duplicate, as the oracle's event logs do), ops, lines and -bl text.
import { debugLine } from "../bc/funcloc.ts";
import { bcOp } from "../bc/ins.ts";
import { formatInstruction, jumpTargets } from "../bc/listing.ts";
import { opNames } from "../bc/opcodes.ts";
import { isProto, protoLoc, shortSrc, type Proto } from "../bc/proto.ts";
import { binaryToUtf8 } from "./bytes.ts";
import type { ProtoInfo, ProtoKey } from "./events.ts";

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
 * Keys of all prototypes. Numbered by line (then listing order), so that a
 * second prototype on the same line gets "#2" like the oracle's logs.
 */
export function protoKeys(main: Proto): Map<Proto, ProtoKey> {
  const protos = allProtos(main);
  const order = protos.map((pt, i) => ({ pt, i })).sort((a, b) => a.pt.firstline - b.pt.firstline || a.i - b.i);
  const seen = new Map<string, number>();
  const keys = new Map<Proto, ProtoKey>();
  for (const { pt } of order) {
    const loc = binaryToUtf8(protoLoc(pt));
    const n = (seen.get(loc) ?? 0) + 1;
    seen.set(loc, n);
    keys.set(pt, n === 1 ? loc : `${loc}#${n}`);
  }
  return keys;
}

/** The ProtoInfo of every prototype, ordered by first line (main chunk first). */
export function protoInfos(main: Proto): ProtoInfo[] {
  const keys = protoKeys(main);
  return [...keys].map(([pt, key]) => {
    const targets = jumpTargets(pt);
    const ops: string[] = [], lines: number[] = [], text: string[] = [];
    for (let pc = 0; pc < pt.bc.length; pc++) {
      ops.push(opNames[bcOp(pt.bc[pc])] ?? "???");
      lines.push(debugLine(pt, pc));
      text.push(binaryToUtf8(formatInstruction(pt, pc, targets.has(pc))));
    }
    return {
      key, chunkname: binaryToUtf8(shortSrc(pt.chunkname, pt.firstline)),
      firstline: pt.firstline, lastline: pt.firstline + pt.numline, ops, lines, text,
    };
  });
}
