// The library functions LuaJIT writes in Lua (LJLIB_LUA in lib_table.c,
// lib_string.c, lib_math.c). LuaJIT ships them as stripped bytecode: they run
// in the interpreter, the JIT records into them like any Lua function, and
// they show up as "builtin:NAME" (a prototype with firstline -1).
//
// Their argument checks are written CHECK_tab(x) etc. and become ISTYPE/ISNUM
// instructions; a table that passed CHECK_tab is indexed raw with TGETR/TSETR,
// and PAIRS(t) is a pairs loop with ITERN but without ISNEXT (host/genlibbc.lua,
// host/buildvm_lib.c). We build the same bytecode with our own compiler: each
// check compiles as a store of a marker constant, which is then rewritten.
import { bcA, bcB, bcDs, bcOp, insAD, setOp } from "../../bc/ins.ts";
import { IsType, Op } from "../../bc/opcodes.ts";
import type { Proto } from "../../bc/proto.ts";
import { compile } from "../../lang/compile.ts";
import { LuaClosure } from "../func.ts";
import type { LuaState } from "../state.ts";
import type { LuaTable } from "../table.ts";

/** One library function: where it goes and its Lua source. */
interface LuaLibDef {
  lib: "table" | "string" | "math";
  name: string;
  source: string;
}

const DEFS: LuaLibDef[] = [
  { lib: "math", name: "deg", source: "function(x) return x * 57.29577951308232 end" },
  { lib: "math", name: "rad", source: "function(x) return x * 0.017453292519943295 end" },
  { lib: "string", name: "len", source: "function(s) CHECK_str(s) return #s end" },
  {
    lib: "table", name: "foreachi", source: `function(t, f)
      CHECK_tab(t) CHECK_func(f)
      for i = 1, #t do
        local r = f(i, t[i])
        if r ~= nil then return r end
      end
    end`,
  },
  {
    lib: "table", name: "foreach", source: `function(t, f)
      CHECK_tab(t) CHECK_func(f)
      for k, v in PAIRS(t) do
        local r = f(k, v)
        if r ~= nil then return r end
      end
    end`,
  },
  { lib: "table", name: "getn", source: "function(t) CHECK_tab(t) return #t end" },
  {
    lib: "table", name: "remove", source: `function(t, pos)
      CHECK_tab(t)
      local len = #t
      if pos == nil then
        if len ~= 0 then
          local old = t[len]
          t[len] = nil
          return old
        end
      else
        CHECK_int(pos)
        if pos >= 1 and pos <= len then
          local old = t[pos]
          for i = pos + 1, len do t[i - 1] = t[i] end
          t[len] = nil
          return old
        end
      end
    end`,
  },
  {
    lib: "table", name: "move", source: `function(a1, f, e, t, a2)
      CHECK_tab(a1) CHECK_int(f) CHECK_int(e) CHECK_int(t)
      if a2 == nil then a2 = a1 end
      CHECK_tab(a2)
      if e >= f then
        local d = t - f
        if t > e or t <= f or a2 ~= a1 then
          for i = f, e do a2[i + d] = a1[i] end
        else
          for i = e, f, -1 do a2[i + d] = a1[i] end
        end
      end
      return a2
    end`,
  },
];

/** Marker constants stand for the checks; far below anything the sources use. */
const MARKER_BASE = -30000;
/** PAIRS(t) becomes `nil, t, PAIRS_CONTROL`: a number the rewrite recognises. */
const PAIRS_CONTROL = 0x4d * 2 ** 80;

const CHECK_TYPES: Record<string, IsType> = {
  str: IsType.str, func: IsType.func, tab: IsType.tab, int: IsType.num, num: IsType.num,
};

/** Compile one definition to the prototype LuaJIT's build would have produced. */
export function compileLuaLib(def: LuaLibDef): Proto {
  const checks: IsType[] = [];
  let usesPairs = false;
  let src = def.source.replace(/CHECK_(\w+)\((\w+)\)/g, (_, tp: string, v: string) => {
    const type = CHECK_TYPES[tp];
    if (type === undefined) throw new Error(`lualib: unknown check CHECK_${tp}`);
    checks.push(type);
    return `${v}=${MARKER_BASE + checks.length}`;
  });
  src = src.replace(/PAIRS\((\w+)\)/g, (_, v: string) => {
    usesPairs = true;
    return `nil, ${v}, ${PAIRS_CONTROL}`;
  });
  const main = compile(`return ${src}`, def.name);
  const pt = main.kgc.find((k): k is Proto => typeof k === "object" && k.kind === "proto");
  if (pt === undefined) throw new Error(`lualib: ${def.name} did not compile to a function`);
  rewriteChecks(pt, checks, usesPairs);
  strip(pt);
  return pt;
}

function rewriteChecks(pt: Proto, checks: IsType[], usesPairs: boolean): void {
  const bc = pt.bc;
  const rawTables = new Set<number>();
  for (let pc = 0; pc < bc.length; pc++) {
    const ins = bc[pc];
    const op = bcOp(ins);
    if (op === Op.KSHORT) {
      const d = bcDs(ins);
      const type = checks[d - MARKER_BASE - 1];
      if (type !== undefined) {
        if (type === IsType.tab) rawTables.add(bcA(ins));
        bc[pc] = insAD(type === IsType.num ? Op.ISNUM : Op.ISTYPE, bcA(ins), type);
      }
    } else if (op === Op.TGETV && rawTables.has(bcB(ins))) {
      bc[pc] = setOp(ins, Op.TGETR);
    } else if (op === Op.TSETV && rawTables.has(bcB(ins))) {
      bc[pc] = setOp(ins, Op.TSETR);
    } else if (op === Op.ITERC && usesPairs) {
      bc[pc] = setOp(ins, Op.ITERN);
    }
  }
  // DIVERGENCE (docs/divergences.md "The pairs control of table.foreach"): the control
  // value that starts ITERN at the first slot is LJ_KEYINDEX in LuaJIT, our cursor 0 here.
  const k = pt.knum.indexOf(PAIRS_CONTROL);
  if (k >= 0) pt.knum[k] = 0;
}

/** As a stripped bytecode dump: no line or variable names; firstline -1 marks a builtin. */
function strip(pt: Proto): void {
  pt.firstline = -1;
  pt.numline = 0;
  pt.lineinfo = new Int32Array(pt.bc.length);
  pt.varinfo = [];
  pt.uvnames = [];
}

/** Put the Lua-written functions into the opened libraries (after the native ones). */
export function openLuaLib(S: LuaState): void {
  for (const def of DEFS) {
    const lib = S.globals.getStr(def.lib) as LuaTable;
    lib.setStr(def.name, new LuaClosure(compileLuaLib(def), [], S.globals));
  }
}

/** The definitions, for tests and listings. */
export const LUA_LIB_DEFS: readonly LuaLibDef[] = DEFS;
