// collectgarbage, gcinfo and newproxy (lib_base.c, lua_gc in lj_api.c) over
// the GC model of src/vm/gc.ts; S.onGC hears about completed cycles.
import { ERRMSG } from "../../lang/errmsg.ts";
import { argError } from "../errors.ts";
import type { LuaState } from "../state.ts";
import { getMetatable } from "../meta.ts";
import { LuaTable } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { LuaUserdata } from "../userdata.ts";
import { shrinkStack, usedSlots } from "../stacksize.ts";
import { arg, checkOption, optInt, register, ret1 } from "./api.ts";

/** collectgarbage's options in LUA_GC* order; "\xff" fills unnamed slots (LUA_GCCOUNTB and 8). */
const GC_OPTIONS = ["stop", "restart", "collect", "count", "\xff", "step", "setpause", "setstepmul", "\xff", "isrunning"];

/**
 * A cycle traversed the running thread, the threads that resumed it and the
 * main thread, shrinking their stacks (gc_traverse_thread). DIVERGENCE: not
 * suspended coroutines, which the model does not keep a list of.
 */
function shrinkStacks(L: LuaThread): void {
  for (let th: LuaThread | null = L; th !== null; th = th.resumer) {
    shrinkStack(th, usedSlots(th));
    if (th === L.state.main) return;
  }
  shrinkStack(L.state.main, usedSlots(L.state.main));
}

function collectgarbage(L: LuaThread, base: number, nargs: number): number {
  const S = L.state;
  const gc = S.gc;
  const what = checkOption(L, base, nargs, 1, GC_OPTIONS, 2);
  const opt = GC_OPTIONS[what];
  const data = optInt(L, base, nargs, 2, 0);
  switch (opt) {
    case "count": return ret1(L, base, gc.total / 1024);
    case "stop": gc.running = false; return ret1(L, base, 0);
    case "restart": gc.running = true; return ret1(L, base, 0);
    case "collect":
      gc.fullGC();
      gc.running = true;
      shrinkStacks(L);
      S.onGC?.("full");
      return ret1(L, base, 0);
    case "step": {
      const done = gc.step(data);
      gc.running = true;
      if (done) {
        shrinkStacks(L);
        S.onGC?.("step");
      }
      return ret1(L, base, done);
    }
    case "setpause": {
      const old = gc.pause;
      gc.pause = data >>> 0;
      return ret1(L, base, old | 0);
    }
    case "setstepmul": {
      const old = gc.stepmul;
      gc.stepmul = data >>> 0;
      return ret1(L, base, old | 0);
    }
    case "isrunning": return ret1(L, base, gc.running);
    default:
      // LUA_GCCOUNTB (the bytes beyond whole KB), or an option lua_gc does not know (-1).
      return ret1(L, base, what === 4 ? gc.total & 0x3ff : -1);
  }
}

/** newproxy([true | proxy]): a bare userdata, optionally with a (new or shared) metatable. */
function newproxy(L: LuaThread, base: number, nargs: number, proxyMetas: WeakSet<LuaTable>): number {
  const a = arg(L, base, nargs, 1);
  const u = new LuaUserdata();
  if (a === undefined || a === false) return ret1(L, base, u);
  if (a === true) {
    const mt = new LuaTable();
    proxyMetas.add(mt);
    u.metatable = mt;
    return ret1(L, base, u);
  }
  const mt = getMetatable(L, a);
  if (mt === undefined || !proxyMetas.has(mt)) argError(L, 1, ERRMSG.NOPROXY);
  u.metatable = mt;
  return ret1(L, base, u);
}

export function openGcLib(S: LuaState): void {
  // Metatables made by newproxy(true): only their proxies may be cloned (a weak table in LuaJIT).
  const proxyMetas = new WeakSet<LuaTable>();
  register(S.globals, "", {
    gcinfo: (L, base) => ret1(L, base, Math.floor(L.state.gc.total / 1024)),
    collectgarbage,
    newproxy: (L, base, nargs) => newproxy(L, base, nargs, proxyMetas),
  });
}
