// Instruction words laid out as LuaJIT's (lj_bc.h): op in bits 0-7, A in 8-15,
// C in 16-23, B in 24-31; D overlaps B and C. A patch changes only op and D.

/** Jump offsets are stored biased, so D = offset + BCBIAS_J. */
export const BCBIAS_J = 0x8000;
export const BCMAX_A = 0xff;
export const BCMAX_B = 0xff;
export const BCMAX_C = 0xff;
export const BCMAX_D = 0xffff;
/** "No register": used as a sentinel A operand and for unused slots. */
export const NO_REG = BCMAX_A;
/** "No jump": end of a jump list while compiling. */
export const NO_JMP = -1;

export function insABC(op: number, a: number, b: number, c: number): number {
  return (op | (a << 8) | (b << 24) | (c << 16)) >>> 0;
}

export function insAD(op: number, a: number, d: number): number {
  return (op | (a << 8) | (d << 16)) >>> 0;
}

/** An instruction with a jump offset relative to the next instruction. */
export function insAJ(op: number, a: number, j: number): number {
  return insAD(op, a, j + BCBIAS_J);
}

export const bcOp = (ins: number): number => ins & 0xff;
export const bcA = (ins: number): number => (ins >>> 8) & 0xff;
export const bcB = (ins: number): number => ins >>> 24;
export const bcC = (ins: number): number => (ins >>> 16) & 0xff;
export const bcD = (ins: number): number => ins >>> 16;
export const bcJ = (ins: number): number => (ins >>> 16) - BCBIAS_J;
/** D read as a signed 16-bit literal (KSHORT). */
export const bcDs = (ins: number): number => ins >> 16;

export const setOp = (ins: number, op: number): number => ((ins & ~0xff) | op) >>> 0;
export const setA = (ins: number, a: number): number => ((ins & ~0xff00) | (a << 8)) >>> 0;
export const setB = (ins: number, b: number): number => ((ins & 0x00ffffff) | (b << 24)) >>> 0;
export const setC = (ins: number, c: number): number => ((ins & ~0xff0000) | (c << 16)) >>> 0;
export const setD = (ins: number, d: number): number => ((ins & 0xffff) | (d << 16)) >>> 0;
export const setJ = (ins: number, j: number): number => setD(ins, j + BCBIAS_J);
