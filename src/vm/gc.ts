// The collector as a program sees it (lua_gc in lj_api.c, lj_gc.c's pacing):
// JS does the real collecting, so this keeps LuaJIT's knobs and a plausible
// heap size, and tells S.onGC when a cycle completes; and the allocation
// estimate that ends a runaway program with "not enough memory" (lj_err_mem).

/**
 * DIVERGENCE: the heap that "count" and gcinfo() report is a fixed estimate
 * close to what a fresh LuaJIT reports (about 38 KB); it does not grow with
 * the program's data. The allocation estimate below is what the memory
 * ceiling is checked against.
 */
const BASE_HEAP = 38 * 1024 + 200;

/** Work of one incremental step, in bytes: a fresh LuaJIT needs 12 steps per cycle. */
const STEP_WORK = 3300;

export class GCModel {
  /** Bytes in use (g->gc.total). */
  total = BASE_HEAP;
  /** setpause / setstepmul values (LUAI_GCPAUSE, LUAI_GCMUL). */
  pause = 200;
  stepmul = 200;
  /** False after collectgarbage("stop"). */
  running = true;
  /** Work done in the current cycle, in bytes; the cycle ends when it reaches total. */
  private progress = 0;

  /** A full collection (lj_gc_fullgc). */
  fullGC(): void {
    this.progress = 0;
  }

  /**
   * collectgarbage("step", kb): LuaJIT steps until kb KB worth of debt is paid
   * or a cycle finishes. True if a cycle finished.
   */
  step(kb: number): boolean {
    const work = Math.max(kb, 0) * 2048 + STEP_WORK;
    this.progress += work;
    if (kb * 1024 >= this.total || this.progress >= this.total) {
      this.progress = 0;
      return true;
    }
    return false;
  }
}

// -- Allocation estimate ---------------------------------------------------------

/**
 * Bytes an object is charged, roughly its size in LuaJIT (GC64): a table's
 * header, array slot and hash node, a string's header (plus its length), a
 * Lua closure (plus a slot per upvalue), a C one, a prototype (plus its code and
 * constants), a coroutine (plus its stack slots), a userdata.
 */
export const enum MemSize {
  TABLE = 64, SLOT = 8, NODE = 24, STRING = 25, CLOSURE = 40, NATIVE = 48, PROTO = 104, THREAD = 112, USERDATA = 56,
}

/**
 * The allocation meter of the running state (states run one at a time; see
 * LuaState.activate). `total` estimates the bytes in use: what was live at
 * the last count of the heap, plus everything charged since. Past
 * `threshold`, `overLimit` counts the live heap again (a full collection of
 * the estimate), which raises "not enough memory" beyond the state's ceiling.
 */
export const meter = {
  total: 0,
  threshold: Infinity,
  /** Called with the bytes about to be allocated (not yet reachable), or 0. */
  overLimit: (pending: number): void => { void pending; },
};

/**
 * Strings up to this long count nothing: so many of them are the same few
 * (field names, small numbers) that counting each reference would overrate
 * them, and telling them apart costs too much.
 */
export const SHORT_STRING = 40;

/** What a string counts in the estimate. */
export function stringBytes(s: string): number {
  return s.length > SHORT_STRING ? MemSize.STRING + s.length : 0;
}

/** Charge a big or repeatable allocation, and check the ceiling (table resizes, long strings). */
export function charge(bytes: number): void {
  meter.total += bytes;
  if (meter.total > meter.threshold) meter.overLimit(bytes);
}

/** Check the ceiling for what was charged without a check (new tables, closures): at tick slices. */
export function checkMeter(): void {
  if (meter.total > meter.threshold) meter.overLimit(0);
}
