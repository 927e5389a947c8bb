// LuaJIT's PRNG (lj_prng.c, lj_prng.h and random_seed in lib_math.c): a
// Tausworthe generator with period 2^223 over four 64-bit words, kept here as
// 32-bit halves so that math.random produces LuaJIT's numbers bit for bit.

/** 2^-52: the weight of the lowest mantissa bit of a double in [1, 2). */
const ULP = 2 ** -52;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

export class PRNG {
  /** u[i] is hi = s[2i], lo = s[2i+1]. */
  private readonly s = new Uint32Array(8);
  /** The 64-bit result of the last step. */
  private rhi = 0;
  private rlo = 0;

  constructor() {
    this.seedFixed();
  }

  /** lj_prng_seed_fixed: the state random_seed(0) gives, precomputed by LuaJIT. */
  seedFixed(): void {
    this.s.set([0xa0d27757, 0x0a345b8c, 0x764a296c, 0x5d4aa64f, 0x51220704, 0x070adeaa, 0x2a2717b5, 0xa7b7b927]);
  }

  /**
   * One step of the four component generators (TW223_STEP); the xor of the
   * new states is left in rhi/rlo. Parameters per word (k, q, s): (63, 31,
   * 18), (58, 19, 28), (55, 24, 7), (47, 21, 8).
   */
  step(): void {
    const s = this.s;
    let rhi = 0, rlo = 0;
    let hi: number, lo: number, ahi: number, alo: number, bhi: number, blo: number;

    // z = (((z << q) ^ z) >> (k - s)) ^ ((z & (~0 << (64 - k))) << s)
    // Word 0: q = 31, k - s = 45, mask low bit 1 cleared, s = 18.
    hi = s[0]; lo = s[1];
    ahi = ((hi << 31) | (lo >>> 1)) ^ hi;
    alo = ahi >>> 13; ahi = 0;                                       // >> 45
    bhi = (hi << 18) | ((lo & 0xfffffffe) >>> 14); blo = (lo & 0xfffffffe) << 18;
    hi = (ahi ^ bhi) >>> 0; lo = (alo ^ blo) >>> 0;
    s[0] = hi; s[1] = lo; rhi ^= hi; rlo ^= lo;

    // Word 1: q = 19, k - s = 30, mask 0xffffffc0, s = 28.
    hi = s[2]; lo = s[3];
    ahi = ((hi << 19) | (lo >>> 13)) ^ hi; alo = (lo << 19) ^ lo;
    alo = (alo >>> 30) | (ahi << 2); ahi = ahi >>> 30;               // >> 30
    bhi = (hi << 28) | ((lo & 0xffffffc0) >>> 4); blo = (lo & 0xffffffc0) << 28;
    hi = (ahi ^ bhi) >>> 0; lo = (alo ^ blo) >>> 0;
    s[2] = hi; s[3] = lo; rhi ^= hi; rlo ^= lo;

    // Word 2: q = 24, k - s = 48, mask 0xfffffe00, s = 7.
    hi = s[4]; lo = s[5];
    ahi = ((hi << 24) | (lo >>> 8)) ^ hi;
    alo = ahi >>> 16; ahi = 0;                                       // >> 48
    bhi = (hi << 7) | ((lo & 0xfffffe00) >>> 25); blo = (lo & 0xfffffe00) << 7;
    hi = (ahi ^ bhi) >>> 0; lo = (alo ^ blo) >>> 0;
    s[4] = hi; s[5] = lo; rhi ^= hi; rlo ^= lo;

    // Word 3: q = 21, k - s = 39, mask 0xfffe0000, s = 8.
    hi = s[6]; lo = s[7];
    ahi = ((hi << 21) | (lo >>> 11)) ^ hi;
    alo = ahi >>> 7; ahi = 0;                                        // >> 39
    bhi = (hi << 8) | ((lo & 0xfffe0000) >>> 24); blo = (lo & 0xfffe0000) << 8;
    hi = (ahi ^ bhi) >>> 0; lo = (alo ^ blo) >>> 0;
    s[6] = hi; s[7] = lo; rhi ^= hi; rlo ^= lo;

    this.rhi = rhi >>> 0;
    this.rlo = rlo >>> 0;
  }

  /** lj_prng_u64d minus 1.0: a double in [0, 1) from the low 52 bits of a step. */
  nextDouble(): number {
    this.step();
    return ((this.rhi & 0xfffff) * 4294967296 + this.rlo) * ULP;
  }

  /** random_seed: four words from d*pi+e iterated, each forced above its k-bit minimum, then 10 steps. */
  seed(d: number): void {
    let r = 0x11090601;
    const s = this.s;
    for (let i = 0; i < 4; i++) {
      const m = 1 << (r & 255);
      r >>>= 8;
      d = d * Math.PI + Math.E;  // the C source's pi and e literals round to these
      let hi: number, lo: number;
      if (d !== d) {
        // x86 arithmetic produces the negative "indefinite" NaN.
        hi = 0xfff80000; lo = 0;
      } else {
        f64[0] = d;
        hi = u32[HI]; lo = u32[LO];
      }
      if (hi === 0 && lo < m) lo += m;
      s[2 * i] = hi;
      s[2 * i + 1] = lo;
    }
    for (let i = 0; i < 10; i++) this.step();
  }

  /** lj_prng_seed_secure: entropy from the platform, conditioned, then one step. */
  seedSecure(): void {
    const s = this.s;
    const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
    if (c?.getRandomValues) c.getRandomValues(s);
    else for (let i = 0; i < 8; i++) s[i] = Math.floor(Math.random() * 4294967296);
    const mins = [1 << 1, 1 << 6, 1 << 9, 1 << 17];
    for (let i = 0; i < 4; i++) if (s[2 * i] === 0 && s[2 * i + 1] < mins[i]) s[2 * i + 1] += mins[i];
    this.step();
  }
}
