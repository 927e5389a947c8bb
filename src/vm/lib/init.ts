// Opens the standard libraries into a state (lib_init.c).
import type { LuaState } from "../state.ts";
import { openBase } from "./base.ts";
import { openCoroutine } from "./coroutine.ts";
import { openBit } from "./bit.ts";
import { openIo } from "./io.ts";
import { openMath } from "./math.ts";
import { openOs } from "./os.ts";
import { openString } from "./string.ts";
import { openTable } from "./table.ts";
import { openDebug } from "./debug.ts";
import { openFenv } from "./fenv.ts";
import { openGcLib } from "./gclib.ts";
import { openJit } from "./jit.ts";
import { openLoad } from "./load.ts";
import { openPackage, registerStandardLibs } from "./package.ts";
import { openLuaLib } from "./lualib.ts";

export function openLibs(S: LuaState): void {
  openBase(S);
  openFenv(S);
  openLoad(S);
  openGcLib(S);
  openCoroutine(S);
  openPackage(S);
  openTable(S);
  openIo(S);
  openOs(S);
  openString(S);
  openMath(S);
  openDebug(S);
  openBit(S);
  openJit(S, S.options.build);
  openLuaLib(S);
  registerStandardLibs(S);
}
