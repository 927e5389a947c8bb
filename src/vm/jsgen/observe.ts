// Compiled code keeps slots in JS locals, which debug.getlocal/setlocal
// could not see from a metamethod or callback it calls. A program that names
// them anywhere runs interpreted from then on (compiled calls of such natives
// are left to the interpreter as well, see emit.ts).
import { isProto, type Proto } from "../../bc/proto.ts";

const FRAME_READERS = new Set(["getlocal", "setlocal"]);

/**
 * Does pt or a prototype inside it name a function that reads frames?
 * DIVERGENCE: names reached by computing them are not seen (see docs/divergences.md).
 */
export function namesFrameReaders(pt: Proto): boolean {
  return pt.kgc.some((k) => (typeof k === "string" ? FRAME_READERS.has(k) : isProto(k) && namesFrameReaders(k)));
}
