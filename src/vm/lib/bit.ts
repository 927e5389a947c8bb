// The bit library (lib_bit.c, with the number conversion of lj_carith_check64):
// 32-bit operations on numbers converted the way LuaJIT converts them.
import type { LuaState } from "../state.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { checkNumber, register, ret1 } from "./api.ts";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const LO = u32[1] === 0x3ff00000 ? 0 : 1;

/**
 * lj_num2bit: add 2^52 + 2^51 and take the low word, which rounds to nearest
 * even and wraps modulo 2^32 (tobit(2^32 + 1) == 1, tobit(2.5) == 2).
 */
export function num2bit(n: number): number {
  const i = n | 0;
  if (i === n) return i;
  f64[0] = n + 6755399441055744;
  return u32[LO] | 0;
}

/** Argument i as a 32-bit integer; numeric strings are accepted, anything else is an error. */
function bitArg(L: LuaThread, base: number, nargs: number, i: number): number {
  if (i <= nargs) {
    const v = L.stack[base + i - 1];
    if (typeof v === "number") {
      const k = v | 0;
      return k === v ? k : num2bit(v);
    }
  }
  return num2bit(checkNumber(L, base, nargs, i));
}

function unary(f: (x: number) => number) {
  return (L: LuaThread, base: number, nargs: number): number => ret1(L, base, f(bitArg(L, base, nargs, 1)));
}

/** Shifts and rotations use the count's low five bits, as x86 does. */
function shift(f: (x: number, n: number) => number) {
  return (L: LuaThread, base: number, nargs: number): number =>
    ret1(L, base, f(bitArg(L, base, nargs, 1), bitArg(L, base, nargs, 2) & 31));
}

function nary(f: (x: number, y: number) => number) {
  return (L: LuaThread, base: number, nargs: number): number => {
    let r = bitArg(L, base, nargs, 1);
    for (let i = 2; i <= nargs; i++) r = f(r, bitArg(L, base, nargs, i));
    return ret1(L, base, r);
  };
}

/** bit.tohex(x [, n]): n hex digits (default 8, at most 254), negative n for upper case. */
function tohex(L: LuaThread, base: number, nargs: number): number {
  let b = bitArg(L, base, nargs, 1) >>> 0;
  let n = nargs >= 2 ? bitArg(L, base, nargs, 2) : 8;
  const upper = n < 0;
  if (upper) n = -n >>> 0;
  if (n > 254) n = 254;
  if (n < 8) b = n === 0 ? 0 : b & (2 ** (4 * n) - 1);
  // printf("%.*x"): zero prints no digits at all.
  let s = b === 0 ? "" : b.toString(16);
  if (upper) s = s.toUpperCase();
  return ret1(L, base, s.length < n ? "0".repeat(n - s.length) + s : s);
}

export function openBit(S: LuaState): void {
  const lib = new LuaTable();
  register(lib, "bit", {
    tobit: unary((x) => x),
    bnot: unary((x) => ~x),
    bswap: unary((x) => ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24))),
    lshift: shift((x, n) => x << n),
    rshift: shift((x, n) => x >>> n | 0),
    arshift: shift((x, n) => x >> n),
    rol: shift((x, n) => (x << n) | (x >>> (32 - n))),
    ror: shift((x, n) => (x >>> n) | (x << (32 - n))),
    band: nary((x, y) => x & y),
    bor: nary((x, y) => x | y),
    bxor: nary((x, y) => x ^ y),
    tohex,
  });
  S.globals.setStr("bit", lib);
}
