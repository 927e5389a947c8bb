// Entry points of the VM: make a state with the standard libraries, load a
// chunk, and run it as luajit runs a script (lua_pcall of the main chunk).
import { namesFrameReaders } from "./jsgen/observe.ts";
import type { Proto } from "../bc/proto.ts";
import { compile } from "../lang/compile.ts";
import { callAtIdx } from "./call.ts";
import { LuaExit, LuaHalt } from "./errors.ts";
import { handlerError, toLuaError } from "./interp.ts";
import { LuaClosure } from "./func.ts";
import { openLibs } from "./lib/init.ts";
import { uncaughtTraceback } from "./lib/traceback.ts";
import { LuaState, type VMOptions } from "./state.ts";
import { LuaTable } from "./table.ts";
import type { LuaValue } from "./value.ts";

export type RunResult =
  | { status: "ok" }
  /** traceback: "stack traceback:\n\t..." as luajit prints it under the message ("" if its handler could not run). */
  | { status: "error"; error: LuaValue; message: string; traceback: string }
  | { status: "halted"; reason: LuaHalt["reason"]; message: string }
  | { status: "exit"; code: number };

/** A fresh Lua universe with the standard libraries open. */
export function createState(options: VMOptions = {}): LuaState {
  const S = new LuaState(options);
  openLibs(S);
  return S;
}

/** A closure of a main chunk, with the globals as its environment. */
export function mainClosure(S: LuaState, pt: Proto): LuaClosure {
  if (namesFrameReaders(pt)) S.compile = false;
  return new LuaClosure(pt, [], S.globals);
}

/** Compile and wrap a chunk (throws LuaSyntaxError). */
export function load(S: LuaState, source: string, chunkname: string): LuaClosure {
  return mainClosure(S, compile(source, chunkname));
}

/** Run a function on the main thread with string arguments, catching Lua errors. */
export function runMain(S: LuaState, fn: LuaClosure, args: readonly string[] = []): RunResult {
  const L = S.main;
  const fidx = L.top;
  L.ensureStack(fidx + args.length + 8);
  L.stack[fidx] = fn;
  L.stack[fidx + 1] = undefined;
  for (let i = 0; i < args.length; i++) L.stack[fidx + 2 + i] = args[i];
  const depth = L.depth;
  S.activate();
  try {
    callAtIdx(L, fidx, args.length);
    return { status: "ok" };
  } catch (e) {
    if (e instanceof LuaHalt) return { status: "halted", reason: e.reason, message: e.message };
    if (e instanceof LuaExit) return { status: "exit", code: e.status };
    const raised = toLuaError(L, e);
    if (raised === undefined) throw e;
    // The traceback is taken before unwinding, as luajit's error handler runs where
    // the error was raised; none when no handler could run (out of memory, no stack left).
    const err = handlerError(L, raised);
    if (err.withoutHandler !== undefined) return { status: "error", error: err.withoutHandler, message: err.withoutHandler, traceback: "" };
    return { status: "error", error: err.value, message: errorText(err.value), traceback: uncaughtTraceback(L) };
  } finally {
    L.depth = depth;
    L.top = fidx;
    S.deactivate();
  }
}

/** How luajit's top level shows an error value (non-strings without __tostring are "(error object is a X value)"). */
export function errorText(v: LuaValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (v instanceof LuaTable || typeof v === "object" || typeof v === "boolean" || v === undefined) {
    return `(error object is a ${v === undefined ? "nil" : typeof v === "boolean" ? "boolean" : (v as { luaType: string }).luaType} value)`;
  }
  return String(v);
}
