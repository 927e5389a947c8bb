// Prototypes as the explorer sees them (ProtoInfo of the `compiled` event):
// keys "chunk:firstline" as jit.util.funcinfo's loc names them (with "#2" for
// a duplicate, as the oracle's event logs do), ops, lines and -bl text.
import { debugLine } from "../bc/funcloc.ts";
import { bcOp } from "../bc/ins.ts";
import { formatInstruction, jumpTargets } from "../bc/listing.ts";
import { opNames } from "../bc/opcodes.ts";
import { allProtos, protoKeys as binaryKeys } from "../bc/protokeys.ts";
import { shortSrc, type Proto } from "../bc/proto.ts";
import { binaryToUtf8 } from "./bytes.ts";
import type { ProtoInfo, ProtoKey } from "./events.ts";

export { allProtos };

/** Keys of all prototypes (src/bc/protokeys.ts), as UTF-8 text for display. */
export function protoKeys(main: Proto): Map<Proto, ProtoKey> {
  const keys = new Map<Proto, ProtoKey>();
  for (const [pt, key] of binaryKeys(main)) keys.set(pt, binaryToUtf8(key));
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
