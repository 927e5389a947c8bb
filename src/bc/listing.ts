// Bytecode listings exactly as `luajit -bl` prints them (jit/bc.lua: bcline,
// bctargets, bcdump). Output is a binary string (one char per byte).
import { formatNumber } from "../util/numfmt.ts";
import { funcLoc } from "./funcloc.ts";
import { BCBIAS_J, bcA, bcB, bcD, bcOp } from "./ins.ts";
import { Mode, modeA, modeB, modeC, Op, opNames } from "./opcodes.ts";
import { isProto, PROTO_CHILD, type Proto } from "./proto.ts";

const pad3 = (v: number | string): string => String(v).padStart(3);
const pc4 = (pc: number): string => (pc < 0 ? "-" + String(-pc).padStart(3, "0") : String(pc).padStart(4, "0"));

/** Escape for string constants: bc.lua's gsub("%c", ctlsub), %c being bytes 0-31 and 127. */
function ctlsub(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return "\\" + String(c.charCodeAt(0)).padStart(3, "0");
  });
}

/** A string constant as a comment: quoted, escaped, and cut after 40 escaped chars if the raw string is longer. */
function quoteConst(k: string): string {
  const esc = ctlsub(k);
  return k.length > 40 ? `"${esc.slice(0, 40)}"~` : `"${esc}"`;
}

/** The comment after the operands (constant, child function, upvalue name), if any. */
function constComment(pt: Proto, op: number, mc: Mode, d: number): string | undefined {
  switch (mc) {
    case Mode.str: {
      const k = pt.kgc[d];
      return typeof k === "string" ? quoteConst(k) : `<bad string constant ${d}>`;
    }
    case Mode.num: {
      const k = pt.knum[d];
      if (k === undefined) return `<bad number constant ${d}>`;
      // TSETM keeps its start index in the low bits of 2^52 + index.
      return formatNumber(op === Op.TSETM ? k - 2 ** 52 : k);
    }
    case Mode.func: {
      const k = pt.kgc[d];
      return isProto(k) ? funcLoc(k) : `<bad function constant ${d}>`;
    }
    case Mode.uv:
      return pt.uvnames[d];
    default:
      return undefined;
  }
}

/**
 * One listing line for instruction pc, without the newline: jit/bc.lua's
 * bc.line. `target` adds the "=>" mark of a jump target.
 */
export function formatInstruction(pt: Proto, pc: number, target = false): string {
  const ins = pt.bc[pc];
  const op = bcOp(ins);
  const ma = modeA[op] ?? Mode.none, mb = modeB[op] ?? Mode.none, mc = modeC[op] ?? Mode.none;
  const a = bcA(ins);
  const name = (opNames[op] ?? "???").padEnd(6);
  const head = `${pc4(pc)} ${target ? "=>" : "  "} ${name} ${pad3(ma === Mode.none ? "" : a)} `;
  let d = bcD(ins);
  if (mc === Mode.jump) return `${head}=> ${pc4(pc + 1 + d - BCBIAS_J)}`;
  if (mb !== Mode.none) d &= 0xff;
  else if (mc === Mode.none) return head;
  let kc = constComment(pt, op, mc, d);
  if (ma === Mode.uv) {
    const ka = pt.uvnames[a];
    if (ka !== undefined) kc = kc !== undefined ? `${ka} ; ${kc}` : ka;
  }
  if (mb !== Mode.none) {
    const operands = `${head}${pad3(bcB(ins))} ${pad3(d)}`;
    return kc !== undefined ? `${operands}  ; ${kc}` : operands;
  }
  if (kc !== undefined) return `${head}${pad3(d)}      ; ${kc}`;
  if (mc === Mode.lits && d > 32767) d -= 65536;
  return `${head}${pad3(d)}`;
}

/** Instructions that some jump lands on (bc.lua's bctargets). */
export function jumpTargets(pt: Proto): Set<number> {
  const targets = new Set<number>();
  for (let pc = 1; pc < pt.bc.length; pc++) {
    const ins = pt.bc[pc];
    if (modeC[bcOp(ins)] === Mode.jump) targets.add(pc + 1 + bcD(ins) - BCBIAS_J);
  }
  return targets;
}

/** The listing of one prototype alone: header line, instructions 1.., blank line. */
export function listPrototype(pt: Proto): string {
  const targets = jumpTargets(pt);
  let out = `-- BYTECODE -- ${funcLoc(pt)}-${pt.firstline + pt.numline}\n`;
  for (let pc = 1; pc < pt.bc.length; pc++) out += formatInstruction(pt, pc, targets.has(pc)) + "\n";
  return out + "\n";
}

/** `luajit -bl` output for a chunk: every child prototype (depth first, in constant order) before its parent. */
export function listBytecode(pt: Proto): string {
  let out = "";
  // bc.lua only looks for children when the proto's PROTO_CHILD flag says there are some.
  if (pt.flags & PROTO_CHILD) for (const k of pt.kgc) if (isProto(k)) out += listBytecode(k);
  return out + listPrototype(pt);
}
