// Exact decimal expansion of a double and digit rounding, the arithmetic under
// number formatting (LuaJIT does the same with its "nd" big decimals in
// lj_strfmt_num.c). Ties round away from zero, as in the target builds.

/**
 * A non-negative decimal: value = 0.DIGITS x 10^exp. `digits` has no leading
 * or trailing zeros; zero is the empty string.
 */
export interface Decimal {
  digits: string;
  exp: number;
}

const ZERO: Decimal = { digits: "", exp: 0 };
const view = new DataView(new ArrayBuffer(8));
const pow5: bigint[] = [1n];

function power5(k: number): bigint {
  for (let i = pow5.length; i <= k; i++) pow5.push(pow5[i - 1] * 5n);
  return pow5[k];
}

/** The raw IEEE-754 fields of a double: sign bit, biased exponent and 52-bit fraction. */
export function doubleBits(x: number): { sign: boolean; biased: number; frac: bigint } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  return { sign: hi >>> 31 === 1, biased: (hi >>> 20) & 0x7ff, frac: (BigInt(hi & 0xfffff) << 32n) | BigInt(lo) };
}

/** Every decimal digit of |x| (x finite). Exact: a double is m * 2^e, and 2^-k = 5^k / 10^k. */
export function exactDecimal(x: number): Decimal {
  const { biased, frac } = doubleBits(x);
  let mant = biased === 0 ? frac : frac | (1n << 52n);
  if (mant === 0n) return ZERO;
  let e2 = (biased === 0 ? 1 : biased) - 1075;
  while ((mant & 1n) === 0n) { mant >>= 1n; e2++; }
  let digits: string;
  let exp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    exp = digits.length;
  } else {
    digits = (mant * power5(-e2)).toString();
    exp = digits.length + e2;
  }
  return { digits: stripZeros(digits), exp };
}

function stripZeros(s: string): string {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 48) n--;
  return s.slice(0, n);
}

/**
 * Round to `keep` significant digits (keep may be <= 0: the rounding position
 * lies left of the first digit). A first dropped digit of 5 or more rounds the
 * magnitude up, i.e. ties go away from zero.
 */
export function roundDecimal(d: Decimal, keep: number): Decimal {
  const { digits, exp } = d;
  if (keep >= digits.length) return d;
  if (keep < 0) return ZERO;
  if (digits.charCodeAt(keep) < 53) return keep === 0 ? ZERO : { digits: stripZeros(digits.slice(0, keep)), exp };
  let i = keep - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return { digits: "1", exp: exp + 1 };
  return { digits: digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1), exp };
}
