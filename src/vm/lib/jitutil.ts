// jit.util (lib_jit.c's reflection API): prototype inspection over our own
// Proto; trace inspection goes to the JIT simulator (S.jit.traceInfo).
import { BCDEF, metamethodOf, modeA, modeB, modeC } from "../../bc/opcodes.ts";
import { debugLine, funcLoc } from "../../bc/funcloc.ts";
import { PROTO_CHILD, PROTO_VARARG, isProto, type Proto } from "../../bc/proto.ts";
import { argTypeError } from "../errors.ts";
import { LuaClosure, NativeFunction } from "../func.ts";
import type { LuaState } from "../state.ts";
import { LuaTable, hsizeToHbits } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { arg, checkInt, optInt, register, ret, ret1 } from "./api.ts";

/** Metamethod names in MMS order (lj_obj.h MMDEF, with FFI); MM____ follows the last. */
const MMS = ["index", "newindex", "gc", "mode", "eq", "len", "lt", "le", "concat", "call",
  "add", "sub", "mul", "div", "mod", "pow", "unm", "metatable", "tostring", "new", "pairs", "ipairs"];

/** lj_bc_mode[op]: A | B<<3 | C<<7 | metamethod<<11. */
const BC_MODE = BCDEF.map((_, op) => {
  const mm = MMS.indexOf(metamethodOf[op]);
  return modeA[op] | (modeB[op] << 3) | (modeC[op] << 7) | ((mm < 0 ? MMS.length : mm) << 11);
});

/** lj_lib_checkLproto: a Lua function's prototype; null for a native if nativeOk. */
function checkProto(L: LuaThread, base: number, nargs: number, nativeOk: boolean): Proto | null {
  const v = arg(L, base, nargs, 1);
  if (v instanceof LuaClosure) return v.proto;
  if (v instanceof NativeFunction && nativeOk) return null;
  return argTypeError(L, 1, "function", v, nargs >= 1);
}

function funcinfo(L: LuaThread, base: number, nargs: number): number {
  const pt = checkProto(L, base, nargs, true);
  if (pt === null) {
    const fn = L.stack[base] as NativeFunction;
    const t = new LuaTable(0, hsizeToHbits(4));
    t.setStr("ffid", L.state.builtinId(fn));
    t.setStr("addr", parseInt(L.state.addressOf(fn), 16));
    t.setStr("upvalues", 0);
    return ret1(L, base, t);
  }
  const pc = optInt(L, base, nargs, 2, 0) >>> 0;
  const t = new LuaTable(0, hsizeToHbits(16));
  t.setStr("linedefined", pt.firstline);
  t.setStr("lastlinedefined", pt.firstline + pt.numline);
  t.setStr("stackslots", pt.framesize);
  t.setStr("params", pt.numparams);
  t.setStr("bytecodes", pt.bc.length);
  t.setStr("gcconsts", pt.kgc.length);
  t.setStr("nconsts", pt.knum.length);
  t.setStr("upvalues", pt.uv.length);
  if (pc < pt.bc.length) t.setStr("currentline", debugLine(pt, pc));
  t.setStr("isvararg", (pt.flags & PROTO_VARARG) !== 0);
  t.setStr("children", (pt.flags & PROTO_CHILD) !== 0);
  t.setStr("source", pt.chunkname);
  t.setStr("loc", funcLoc(pt, pc));
  // DIVERGENCE: no "proto" field; prototypes are not Lua values here.
  return ret1(L, base, t);
}

function funcbc(L: LuaThread, base: number, nargs: number): number {
  const pt = checkProto(L, base, nargs, false) as Proto;
  const pc = checkInt(L, base, nargs, 2) >>> 0;
  if (pc >= pt.bc.length) return 0;
  const ins = pt.bc[pc];
  return ret(L, base, ins | 0, BC_MODE[ins & 0xff]);
}

function funck(L: LuaThread, base: number, nargs: number): number {
  const pt = checkProto(L, base, nargs, false) as Proto;
  const idx = checkInt(L, base, nargs, 2);
  if (idx >= 0) return idx < pt.knum.length ? ret1(L, base, pt.knum[idx]) : 0;
  const k = pt.kgc[~idx];
  if (k === undefined) return 0;
  if (typeof k === "string") return ret1(L, base, k);
  // DIVERGENCE: a child prototype comes back as nil; a table template as a fresh table.
  return ret1(L, base, isProto(k) ? undefined : LuaTable.fromTemplate(k));
}

function funcuvname(L: LuaThread, base: number, nargs: number): number {
  const pt = checkProto(L, base, nargs, false) as Proto;
  const idx = checkInt(L, base, nargs, 2) >>> 0;
  return idx < pt.uvnames.length ? ret1(L, base, pt.uvnames[idx]) : 0;
}

function traceinfo(L: LuaThread, base: number, nargs: number): number {
  const info = L.state.jit?.traceInfo?.(checkInt(L, base, nargs, 1));
  if (info === undefined) return 0;
  const t = new LuaTable(0, hsizeToHbits(8));
  t.setStr("nins", info.nins);
  t.setStr("nk", info.nk);
  t.setStr("link", info.link);
  t.setStr("nexit", info.nexit);
  t.setStr("linktype", info.linktype);
  return ret1(L, base, t);
}

/** Trace IR, constants, snapshots and machine code: no such trace as far as a program can tell. */
function noTrace(L: LuaThread, base: number, nargs: number): number {
  checkInt(L, base, nargs, 1);
  return 0;
}

/** The jit.util table, made on first require("jit.util"). */
export function openJitUtil(_S: LuaState): LuaTable {
  const t = new LuaTable(0, hsizeToHbits(11));
  register(t, "jit.util", {
    funcinfo, funcbc, funck, funcuvname, traceinfo,
    traceir: noTrace, tracek: noTrace, tracesnap: noTrace, tracemc: noTrace, traceexitstub: noTrace, ircalladdr: noTrace,
  });
  return t;
}
