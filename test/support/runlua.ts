// Run a Lua chunk in a fresh state and collect what it prints; an uncaught
// error is appended as "error: MESSAGE".
import { createState, load, runMain } from "../../src/vm/runtime.ts";
import type { VMOptions } from "../../src/vm/state.ts";

export function runLua(source: string, options: VMOptions = {}): string {
  let out = "";
  const S = createState({ stdout: (s) => { out += s; }, ...options });
  const r = runMain(S, load(S, source, "=test"));
  if (r.status === "error") out += `error: ${r.message}\n`;
  if (r.status === "exit") out += `exit: ${r.code}\n`;
  return out;
}
