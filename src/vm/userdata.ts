// Userdata (GCudata in lj_obj.h): the VM has no C data, so these are the
// payload-free objects of newproxy() and the light userdata of a few library
// functions (debug.upvalueid, require's loading sentinel).
import { MemSize, meter } from "./gc.ts";
import type { LuaTable } from "./table.ts";
import type { LuaObject } from "./value.ts";

export class LuaUserdata implements LuaObject {
  readonly luaType = "userdata";
  metatable: LuaTable | undefined = undefined;
  /** debug.getfenv/setfenv; LuaJIT gives each userdata an environment table. */
  env: LuaTable | undefined = undefined;

  constructor() {
    meter.total += MemSize.USERDATA;
  }
}
