// The math library (lib_math.c and the fast functions of vm_x64.dasc): libm
// functions, min/max with SSE's minsd/maxsd semantics, and math.random with
// LuaJIT's PRNG (prng.ts), so printed random numbers match digit for digit.
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { checkNumber, register, ret1 } from "./api.ts";
import { PRNG } from "./prng.ts";
import { luaPow } from "../../util/arith.ts";

type NumFn = (x: number) => number;

/** A one-argument function of a number (lj_lib_checknum, then the C function). */
function unary(f: NumFn) {
  return (L: LuaThread, base: number, nargs: number): number => {
    const v = L.stack[base];
    return ret1(L, base, f(typeof v === "number" && nargs > 0 ? v : checkNumber(L, base, nargs, 1)));
  };
}

function binary(f: (x: number, y: number) => number) {
  return (L: LuaThread, base: number, nargs: number): number =>
    ret1(L, base, f(checkNumber(L, base, nargs, 1), checkNumber(L, base, nargs, 2)));
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;

/** C's frexp: x = m * 2^e with 0.5 <= |m| < 1; zeros, infinities and NaN give (x, 0). */
function frexp(L: LuaThread, base: number, nargs: number): number {
  let x = checkNumber(L, base, nargs, 1);
  let e = 0;
  if (x !== 0 && Number.isFinite(x)) {
    f64[0] = x;
    let bexp = (u32[HI] >>> 20) & 0x7ff;
    if (bexp === 0) {
      // Subnormal: normalise first.
      f64[0] = x * 2 ** 64;
      bexp = ((u32[HI] >>> 20) & 0x7ff) - 64;
    }
    e = bexp - 1022;
    // Same sign and mantissa, biased exponent of 0.5.
    u32[HI] = (u32[HI] & 0x800fffff) | 0x3fe00000;
    x = f64[0];
  }
  const stack = L.stack;
  stack[base] = x;
  stack[base + 1] = e;
  return 2;
}

/** C's modf: integral part and fraction, both with x's sign (±inf has fraction ±0). */
function modf(L: LuaThread, base: number, nargs: number): number {
  const x = checkNumber(L, base, nargs, 1);
  const ip = Math.trunc(x);
  const stack = L.stack;
  stack[base] = ip;
  stack[base + 1] = x === ip ? (x < 0 || Object.is(x, -0) ? -0 : 0) : x - ip;
  return 2;
}

/**
 * ldexp through x87 fscale: the exponent is truncated, the product is exact
 * and rounded once to double. Scaling in steps (as scalbn does) keeps every
 * intermediate exact, so only the last multiplication rounds.
 */
function ldexp(x: number, n: number): number {
  let e = Math.trunc(n);
  if (e !== e) return NaN;
  if (e > 1023) {
    x *= 2 ** 1023; e -= 1023;
    if (e > 1023) {
      x *= 2 ** 1023; e -= 1023;
      if (e > 1023) e = 1023;
    }
  } else if (e < -1022) {
    x *= 2 ** -969; e += 969;
    if (e < -1022) {
      x *= 2 ** -969; e += 969;
      if (e < -1022) e = -1022;
    }
  }
  return x * 2 ** e;
}

/** math.log(x [, base]): with a base, log2(x) * (1 / log2(base)), as LuaJIT computes it. */
function log(L: LuaThread, base: number, nargs: number): number {
  const x = checkNumber(L, base, nargs, 1);
  if (nargs < 2) return ret1(L, base, Math.log(x));
  const y = checkNumber(L, base, nargs, 2);
  return ret1(L, base, Math.log2(x) * (1 / Math.log2(y)));
}

// min/max fold with minsd/maxsd: the second operand wins unless the first is
// strictly smaller (larger), so NaN and signed zeros come out as in LuaJIT.
function min(L: LuaThread, base: number, nargs: number): number {
  let r = checkNumber(L, base, nargs, 1);
  for (let i = 2; i <= nargs; i++) {
    const x = checkNumber(L, base, nargs, i);
    r = r < x ? r : x;
  }
  return ret1(L, base, r);
}

function max(L: LuaThread, base: number, nargs: number): number {
  let r = checkNumber(L, base, nargs, 1);
  for (let i = 2; i <= nargs; i++) {
    const x = checkNumber(L, base, nargs, i);
    r = r > x ? r : x;
  }
  return ret1(L, base, r);
}

export function openMath(S: LuaState): void {
  const lib = new LuaTable();
  const rng = new PRNG();
  register(lib, "math", {
    abs: unary(Math.abs),
    floor: unary(Math.floor),
    ceil: unary(Math.ceil),
    sqrt: unary(Math.sqrt),
    log10: unary(Math.log10),
    exp: unary(Math.exp),
    sin: unary(Math.sin),
    cos: unary(Math.cos),
    tan: unary(Math.tan),
    asin: unary(Math.asin),
    acos: unary(Math.acos),
    atan: unary(Math.atan),
    sinh: unary(Math.sinh),
    cosh: unary(Math.cosh),
    tanh: unary(Math.tanh),
    frexp,
    modf,
    log,
    atan2: binary(Math.atan2),
    pow: binary(luaPow),
    fmod: binary((x, y) => x % y),
    ldexp: binary(ldexp),
    min,
    max,
    // The number is drawn before the arguments are checked, as in LuaJIT.
    random: (L, base, nargs) => {
      let d = rng.nextDouble();
      if (nargs > 0) {
        const r1 = checkNumber(L, base, nargs, 1);
        if (nargs === 1) d = Math.floor(d * r1) + 1;
        else d = Math.floor(d * (checkNumber(L, base, nargs, 2) - r1 + 1)) + r1;
      }
      return ret1(L, base, d);
    },
    randomseed: (L, base, nargs) => {
      if (nargs > 0) rng.seed(checkNumber(L, base, nargs, 1));
      else rng.seedSecure();
      return 0;
    },
  });
  lib.setStr("pi", Math.PI);
  lib.setStr("huge", Infinity);
  S.globals.setStr("math", lib);
}
