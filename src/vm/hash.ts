// Key hashing for Lua tables: numbers exactly as LuaJIT's hashnum (lj_tab.h),
// booleans as 0/1 like LuaJIT, strings and objects with our own deterministic
// hashes (LuaJIT's depend on string IDs and addresses, which vary per process).
import type { LuaValue } from "./value.ts";

// Scratch view of a double's bits. Lua numbers here are plain doubles.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
/** Word indices of the double's low and high halves (platform endianness). */
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/**
 * LuaJIT's x86/x64 bit scrambler for a (lo, hi) pair. Callers mask the result
 * with hmask, so only the low bits matter; the int32 wrap-around is intended.
 */
export function hashRot(lo: number, hi: number): number {
  lo ^= hi;
  hi = (hi << 14) | (hi >>> 18);
  lo = (lo - hi) | 0;
  hi = (hi << 5) | (hi >>> 27);
  hi ^= lo;
  return (hi - ((lo << 13) | (lo >>> 19))) | 0;
}

/**
 * hashnum: scramble the double's bits. The high word is shifted left by one,
 * dropping the sign bit, so 0 and -0 (and x and -x) share a main position.
 */
export function hashNum(n: number): number {
  f64[0] = n;
  return hashRot(u32[LO], u32[HI] << 1);
}

/**
 * DIVERGENCE: string keys hash differently from LuaJIT, so they take other
 * nodes and pairs() visits them in another order. LuaJIT hashes a string by
 * its ID, which is reseeded at random per process: its order is not
 * reproducible either. Number and boolean keys hash exactly as in LuaJIT.
 *
 * Our string hash. Short strings are hashed fully; longer ones are
 * sampled at ~16 evenly spaced bytes plus the last 4, like Lua's sparse hash.
 */
export function strHash(s: string): number {
  const len = s.length;
  let h = len ^ 0x2f9be6cc;
  if (len <= 16) {
    for (let i = 0; i < len; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  } else {
    const step = len >>> 4;
    for (let i = 0; i < len; i += step) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    for (let i = len - 4; i < len; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  // Final avalanche so that the low bits (the ones masked in) depend on every byte.
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}

/**
 * Object-typed Lua values (tables, functions, threads, userdata) get a stable
 * integer id the first time they are hashed. Classes should declare
 * `hashId = 0` in their constructor so that the lazy assignment does not
 * change their hidden class.
 */
export interface Hashable {
  hashId?: number;
}

let lastHashId = 0;

/**
 * Hash of an object key: its id (assigned on first use) scrambled like a
 * pointer. DIVERGENCE: LuaJIT hashes the address, which varies per run.
 */
export function objHash(o: Hashable): number {
  let id = o.hashId;
  if (!id) id = o.hashId = ++lastHashId;
  return hashRot(id, id + 0x3c6ef372);
}

/** Hash of any non-nil, non-NaN key (number keys must already be normalised). */
export function hashKey(key: LuaValue): number {
  switch (typeof key) {
    case "number": return hashNum(key);
    case "string": return strHash(key);
    case "boolean": return key ? 1 : 0;
    default: return objHash(key as Hashable);
  }
}
