// Opens the standard libraries into a state (lib_init.c).
import type { LuaState } from "../state.ts";
import { openBase } from "./base.ts";
import { openCoroutine } from "./coroutine.ts";

export function openLibs(S: LuaState): void {
  openBase(S);
  openCoroutine(S);
}
