// Arithmetic with LuaJIT's semantics, shared by constant folding and the VM
// (lj_vm_foldarith in lj_vmmath.c).

/** Lua's floored modulo: a - floor(a/b)*b (so 5 % -3 == -1, x % 0 == nan). */
export function luaMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

/**
 * x^y as C's pow(), which LuaJIT calls: 1^y is 1 and (-1)^±inf is 1 even
 * where JS's Math.pow gives NaN (1^nan, 1^inf).
 */
export function luaPow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

/**
 * Does a numeric for loop with this step count up? LuaJIT looks at the
 * step's sign bit, so -0 counts down (and so does NaN: x86's 0/0 sets the
 * bit, and JS cannot see it).
 */
export function forStepUp(step: number): boolean {
  return step > 0 || (step === 0 && 1 / step > 0);
}

/** forStepUp as JS code, for the code generators (v: an expression without side effects). */
export const forStepUpCode = (v: string): string => `(${v} > 0 || (${v} === 0 && 1 / ${v} > 0))`;

/** Arithmetic operators in ORDER ARITH: add sub mul div mod pow. */
export function foldArith(a: number, b: number, op: number): number {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return luaMod(a, b);
    default: return luaPow(a, b);
  }
}

/** (int32_t) of a double as x86-64 does it: truncation; NaN and out-of-range give INT32_MIN. */
export function toInt32(n: number): number {
  if (n >= -2147483648 && n < 2147483648) return n < 0 ? Math.ceil(n) | 0 : Math.floor(n) | 0;
  return -2147483648;
}
