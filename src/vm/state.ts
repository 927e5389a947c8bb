// The global state of one Lua universe (global_State in lj_obj.h): globals,
// the string metatable, output, and the limits that keep a run bounded.
import { LuaTable } from "./table.ts";
import { LuaThread } from "./thread.ts";
import type { LuaValue } from "./value.ts";
import type { JitHooks } from "./jithooks.ts";

export interface VMOptions {
  /** Receives program output as binary strings (one char per byte). */
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /** Reads a line of input for io.read; null at end of input. */
  stdin?: () => string | null;
  /**
   * Instruction budget: the run stops with LuaHalt after about this many
   * instructions (counted at loop back-edges and calls). Infinity = none.
   */
  budget?: number;
  /** Polled now and then; returning true stops the run (the Stop button). */
  shouldStop?: () => boolean;
  /** Ceiling for the allocation estimate, in bytes ("not enough memory" beyond it). */
  memoryLimit?: number;
  /** Arguments for the global `arg` table and `...` of the main chunk. */
  argv?: string[];
  /** package.path, as LUA_PATH gives it. */
  luaPath?: string;
  /** Reads a file for loadfile/dofile/require; null if it cannot be opened. */
  readFile?: (path: string) => string | null;
}

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
  /** Hooks of the JIT simulator, or null when it is off. */
  jit: JitHooks | null = null;
  /** Objects get stable fake addresses for tostring ("table: 0x..."). */
  private nextAddress = 0x40000000;
  private readonly addresses = new WeakMap<object, number>();

  constructor(options: VMOptions = {}) {
    this.options = options;
    this.stdout = options.stdout ?? (() => {});
    this.stderr = options.stderr ?? (() => {});
    this.globals = new LuaTable(0, 6);
    this.registry = new LuaTable();
    this.main = new LuaThread(this, 1024);
    this.main.status = "running";
    this.current = this.main;
    this.budgetLeft = options.budget ?? Infinity;
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
    let id = this.builtinIds.get(fn);
    if (id === undefined) {
      id = this.builtinIds.size + 1;
      this.builtinIds.set(fn, id);
    }
    return id;
  }

  setGlobal(name: string, v: LuaValue): void {
    this.globals.setStr(name, v);
  }
}
