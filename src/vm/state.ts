// The global state of one Lua universe (global_State in lj_obj.h): globals,
// the string metatable, output, and the limits that keep a run bounded.
import { ffid } from "./lib/ffid.ts";
import { LuaTable } from "./table.ts";
import { markMutable } from "../util/shapes.ts";
import { LuaThread } from "./thread.ts";
import type { LuaValue } from "./value.ts";
import { GCModel, meter } from "./gc.ts";
import { memoryError } from "./errors.ts";
import { liveBytes } from "./heapsize.ts";
import { JitConfig, type JitHooks } from "./jithooks.ts";
import { jitParamIndex } from "./jitparams.ts";
import type { Proto } from "../bc/proto.ts";
import type { JitBuild } from "./lib/jit.ts";

export interface VMOptions {
  /** Receives program output as binary strings (one char per byte). */
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /**
   * Supplies standard input for io.read/io.lines: each call returns the next
   * piece (any length, newlines included, e.g. all of it at once); null at end.
   */
  stdin?: () => string | null;
  /** os.getenv; without it every variable is unset (as in the browser). */
  getenv?: (name: string) => string | undefined;
  /**
   * Instruction budget: the run stops with LuaHalt after about this many
   * instructions (counted at loop back-edges and calls). Infinity = none.
   */
  budget?: number;
  /** Polled now and then; returning true stops the run (the Stop button). */
  shouldStop?: () => boolean;
  /**
   * Ceiling for the allocation estimate, in bytes: a program whose live data
   * passes it ends with "not enough memory". DEFAULT_MEMORY_LIMIT if unset;
   * Infinity for none.
   */
  memoryLimit?: number;
  /** Arguments for the global `arg` table and `...` of the main chunk. */
  argv?: string[];
  /** LUA_PATH as the environment has it (";;" stands for the default); unset: LuaJIT's default package.path. */
  luaPath?: string;
  /** LUA_CPATH likewise, for package.cpath. */
  luaCPath?: string;
  /**
   * Reads a whole file (binary string) for loadfile/dofile/require. null: it
   * does not exist; a FileError says why it could not be opened or read.
   */
  readFile?: (path: string) => string | null | FileError;
  /** Which LuaJIT build to imitate (jit.version); "fixed" by default. */
  build?: JitBuild;
  /** Run prototypes and traces compiled to JS where the interpreter need not see each instruction (default true). */
  compile?: boolean;
}

/** Why readFile failed: C's strerror text, and whether fopen or the read failed (luaL_loadfile's wording). */
export interface FileError {
  readonly reason: string;
  readonly failed: "open" | "read";
}

const JIT_P_HOTLOOP = jitParamIndex("hotloop");

/**
 * The memory ceiling when VMOptions.memoryLimit is unset: 256 MB of the
 * estimate (LuaJIT's object sizes), which the JS heap holds a few times over.
 */
export const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

/**
 * Stack slots below the main chunk's function: the thread and FR2 slot of
 * an empty stack, the function lua_cpcall made for luajit.c's pmain and its
 * FR2 slot, pmain's argument, and the traceback handler docall inserts.
 */
const MAIN_STACK_BASE = 6;

/** Numbers for the natives that are no LuaJIT fast function, above LuaJIT's last id. */
const FF_UNKNOWN_FROM = 200;

export class LuaState {
  readonly globals: LuaTable;
  readonly registry: LuaTable;
  stringMeta: LuaTable | undefined = undefined;
  /** The `next` builtin: ISNEXT checks for it to keep a pairs loop specialised. */
  nextFn: LuaValue = undefined;
  /** The builtin tostring: print takes a fast path while the global is unchanged. */
  tostringFn: LuaValue = undefined;
  /** Fast-function ids for "function: builtin#N", in order of first request. */
  private readonly builtinIds = new Map<object, number>();
  readonly main: LuaThread;
  /** The running thread. */
  current: LuaThread;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly options: VMOptions;
  /** Budget ticks left; refilled from the options in slices so shouldStop is polled. */
  ticks = 0;
  budgetLeft: number;
  /** JS-level nesting of calls that cannot yield (C calls in LuaJIT). */
  cCalls = 0;
  /** Hooks of the JIT simulator, or null when none is attached. */
  jit: JitHooks | null = null;
  /** The simulator is recording a trace: the interpreter reports every instruction. */
  recording = false;
  /**
   * While recording: -1, or the only pc the interpreter needs to report next
   * (a running trace is in a stretch of bytecode where nothing can diverge).
   */
  stopPc = -1;
  /** Hot counting is on (a simulator is attached and the JIT is on). */
  counting = false;
  /** Prototypes may run as compiled JS (VMOptions.compile; off once a chunk names debug.getlocal/setlocal). */
  compile: boolean;
  /** Compiled functions running (nested through metamethods and natives): their locals hold values the stack array may not. */
  compiledActive = 0;
  /** What jit.status(), jit.opt.start and jit.attach see and change. */
  readonly jitConfig = new JitConfig();
  /** The collector's bookkeeping for collectgarbage/gcinfo (there is no real one: JS collects). */
  readonly gc = new GCModel();
  /** Ceiling for the allocation estimate (VMOptions.memoryLimit). */
  readonly memoryLimit: number;
  /** meter.overLimit while this state runs. */
  private readonly countHeap = (pending: number): void => this.checkMemory(pending);
  /** Called when collectgarbage("collect") or a "step" finishes a cycle (the JIT simulator frees flushed traces). */
  onGC: ((kind: "full" | "step") => void) | undefined = undefined;
  /** Metatables of nil, booleans, numbers, functions and threads (debug.setmetatable); strings use stringMeta. */
  readonly typeMeta: { [type: string]: LuaTable | undefined } = {};
  /** Objects get stable fake addresses for tostring ("table: 0x..."). */
  private nextAddress = 0x40000000;
  private readonly addresses = new WeakMap<object, number>();

  constructor(options: VMOptions = {}) {
    this.options = options;
    this.stdout = options.stdout ?? (() => {});
    this.stderr = options.stderr ?? (() => {});
    this.globals = new LuaTable(0, 6);
    this.registry = new LuaTable();
    // The first heap walk (heapsize.ts) is the first to rewrite a table's mark, late in a run.
    markMutable(this.registry, "marked", 1);
    this.main = new LuaThread(this, 1024);
    this.main.status = "running";
    // luajit.c's own frames (pmain, the traceback handler) sit below the main
    // chunk; starting there makes "stack overflow" hit at LuaJIT's depth.
    this.main.top = MAIN_STACK_BASE;
    this.current = this.main;
    this.budgetLeft = options.budget ?? Infinity;
    this.memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
    this.compile = options.compile ?? true;
  }

  /** Check allocations against this state's ceiling from now on (a run starts). */
  activate(): void {
    meter.threshold = this.memoryLimit;
    meter.overLimit = this.countHeap;
  }

  /** Stop checking allocations (the run is over; nothing of this state stays referenced). */
  deactivate(): void {
    if (meter.overLimit !== this.countHeap) return;
    meter.threshold = Infinity;
    meter.overLimit = () => {};
  }

  /**
   * DIVERGENCE: a ceiling on an estimate, not LuaJIT's allocator failing (see docs/divergences.md).
   * The estimate passed its threshold: count what is live, plus the
   * `pending` bytes being allocated. Beyond the ceiling that is "not enough
   * memory" (lj_err_mem), and the next check counts again; below it, the
   * estimate restarts from the live size, and the next count comes at the
   * ceiling, or an eighth of it later when the live data is that close to
   * it (so a program near the ceiling does not spend its time counting).
   */
  private checkMemory(pending: number): void {
    if (this.compiledActive > 0) {
      // Compiled code keeps values in JS locals, out of the count's sight: end
      // the tick slice now, where the stack array is complete (budgetExhausted checks then).
      this.budgetLeft += Math.max(this.ticks, 0);
      this.ticks = 0;
      return;
    }
    const live = liveBytes(this) + Math.max(pending, 0);
    const limit = this.memoryLimit;
    meter.total = live;
    if (live > limit) {
      meter.threshold = limit;
      throw memoryError();
    }
    meter.threshold = Math.max(limit, live + limit / 8);
  }

  /** Prototypes that have hot counters, so that a reset reaches them all. */
  readonly hotProtos = new Set<Proto>();

  /** The value every hot counter starts from (2*hotloop-1, lj_dispatch_init_hotcount). */
  hotcountStart(): number {
    return Math.max(0, 2 * this.jitConfig.params[JIT_P_HOTLOOP] - 1);
  }

  /** Give a prototype its hot counters. */
  initHotcount(pt: Proto): Int32Array {
    const hc = new Int32Array(pt.bc.length).fill(this.hotcountStart());
    pt.hotcount = hc;
    this.hotProtos.add(pt);
    return hc;
  }

  /** Reset every hot counter (jit.on(), jit.opt.start("hotloop=N")). */
  resetHotcounts(): void {
    const v = this.hotcountStart();
    for (const pt of this.hotProtos) pt.hotcount?.fill(v);
  }

  /** A fake but stable address for an object, as %p would print it. */
  addressOf(o: object): string {
    let a = this.addresses.get(o);
    if (a === undefined) {
      a = this.nextAddress;
      this.nextAddress += 0x40 + ((this.nextAddress >>> 6) & 0x38);
      this.addresses.set(o, a);
    }
    return "0x" + a.toString(16).padStart(8, "0");
  }

  /** The number tostring shows for a builtin function (LuaJIT prints its fast-function id). */
  builtinId(fn: object): number {
    const name = (fn as { name?: unknown }).name;
    const known = typeof name === "string" ? ffid(name) : 0;
    if (known > 0) return known;
    let id = this.builtinIds.get(fn);
    if (id === undefined) {
      id = FF_UNKNOWN_FROM + this.builtinIds.size; // DIVERGENCE: not a LuaJIT fast function
      this.builtinIds.set(fn, id);
    }
    return id;
  }

  setGlobal(name: string, v: LuaValue): void {
    this.globals.setStr(name, v);
  }
}
