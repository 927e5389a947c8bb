// The collector as a program sees it (lua_gc in lj_api.c, lj_gc.c's pacing):
// JS does the real collecting, so this keeps LuaJIT's knobs and a plausible
// heap size, and tells S.onGC when a cycle completes.

/**
 * DIVERGENCE: no allocation accounting. The heap is a fixed estimate close to
 * what a fresh LuaJIT reports (about 38 KB), so "count" and gcinfo() are plausible
 * but do not grow with the program's data.
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
