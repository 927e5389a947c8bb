// The package library (lib_package.c): require with package.loaded,
// package.preload and the four LuaJIT 2.1 loaders, package.path/cpath from
// LUA_PATH/LUA_CPATH, searchpath, module and seeall.
import { ERRMSG, formatMessage } from "../../lang/errmsg.ts";
import { formatNumber } from "../../util/numfmt.ts";
import { callAtIdx, callWithArg } from "../call.ts";
import { runtimeError } from "../errors.ts";
import { LuaClosure, NativeFunction } from "../func.ts";
import { index as metaIndex } from "../meta.ts";
import type { LuaState } from "../state.ts";
import { LuaTable, hsizeToHbits } from "../table.ts";
import type { LuaThread } from "../thread.ts";
import { LuaUserdata } from "../userdata.ts";
import { isTruthy, type LuaValue } from "../value.ts";
import { checkString, checkTable, optString, register, ret, ret1 } from "./api.ts";
import { threadEnv } from "./fenv.ts";
import { stackLevels } from "./frames.ts";
import { loadFile } from "./load.ts";

/** LUA_PATH_DEFAULT and LUA_CPATH_DEFAULT of a default Linux build (luaconf.h). */
export const LUA_PATH_DEFAULT = "./?.lua;/usr/local/share/luajit-2.1/?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua";
export const LUA_CPATH_DEFAULT = "./?.so;/usr/local/lib/lua/5.1/?.so;/usr/local/lib/lua/5.1/loadall.so";
/** LUA_PATH_CONFIG: directory separator, path separator, mark, exec dir, ignore mark. */
const LUA_PATH_CONFIG = "/\n;\n?\n!\n-\n";

// -- Registry tables ---------------------------------------------------------------

/** luaL_findtable on the registry: registry[name], created with hsize slots if missing. */
function registryTable(S: LuaState, name: string, hsize: number): LuaTable {
  let t = S.registry.getStr(name);
  if (!(t instanceof LuaTable)) {
    t = new LuaTable(0, hsizeToHbits(hsize));
    S.registry.setStr(name, t);
  }
  return t as LuaTable;
}

/** package.loaded (registry._LOADED). */
export function loadedTable(S: LuaState): LuaTable {
  return registryTable(S, "_LOADED", 16);
}

/** package.preload (registry._PRELOAD). */
export function preloadTable(S: LuaState): LuaTable {
  return registryTable(S, "_PRELOAD", 4);
}

/** Record an opened library in package.loaded, as luaL_register does. */
export function registerLoaded(S: LuaState, name: string, lib: LuaValue): void {
  loadedTable(S).setStr(name, lib);
}

/** Make require(name) open a library on first use (lj_lib_prereg), e.g. "jit.util". */
export function preload(S: LuaState, name: string, open: (S: LuaState) => LuaTable): void {
  preloadTable(S).setStr(name, new NativeFunction(name, (L, base) => ret1(L, base, open(L.state))));
}

/** The standard libraries that luaL_openlibs leaves in package.loaded. */
const STANDARD_LIBS = ["_G", "package", "coroutine", "table", "io", "os", "string", "math", "debug", "bit", "jit"];

/** Put the standard libraries that are open into package.loaded; call after opening them all. */
export function registerStandardLibs(S: LuaState): void {
  const loaded = loadedTable(S);
  for (const name of STANDARD_LIBS) {
    const lib = S.globals.getStr(name);
    if (lib instanceof LuaTable && loaded.getStr(name) === undefined) loaded.setStr(name, lib);
  }
}

// -- Paths -------------------------------------------------------------------------

/** setpath: the environment's value with ";;" standing for the default, or the default. */
export function expandPath(env: string | undefined, def: string): string {
  if (env === undefined) return def;
  return env.split(";;").join(";\x01;").split("\x01").join(def);
}

/** True if a file can be opened for reading (readable in lib_package.c). */
function readable(S: LuaState, filename: string): boolean {
  const content = S.options.readFile?.(filename) ?? null;
  return content !== null && (typeof content === "string" || content.failed === "read");
}

/**
 * searchpath: the first template of `path` (with "?" replaced by name) that
 * names a readable file, or the "\n\tno file '...'" lines of all tried.
 * C modules are never found (DIVERGENCE: there is no dlopen), so cpath only lists.
 */
function searchPath(S: LuaState, name: string, path: string, sep: string, rep: string, probe: boolean): { file: string } | { tried: string } {
  if (sep !== "") name = name.split(sep).join(rep);
  let tried = "";
  for (const template of path.split(";")) {
    if (template === "") continue;
    const filename = template.split("?").join(name);
    if (probe && readable(S, filename)) return { file: filename };
    tried += `\n\tno file '${filename}'`;
  }
  return { tried };
}

/** findfile: package[pname] must be a string (numbers convert). */
function pathField(L: LuaThread, pkg: LuaTable, pname: string): string {
  const v = metaIndex(L, pkg, pname, -1);
  if (typeof v === "number") return formatNumber(v);
  if (typeof v !== "string") runtimeError(L, `'package.${pname}' must be a string`);
  return v;
}

// -- Loaders -----------------------------------------------------------------------

function makeLoaders(pkg: LuaTable): LuaTable {
  const preloadLoader = (L: LuaThread, base: number, nargs: number): number => {
    const name = checkString(L, base, nargs, 1);
    const preload = metaIndex(L, pkg, "preload", -1);
    if (!(preload instanceof LuaTable)) runtimeError(L, "'package.preload' must be a table");
    const v = metaIndex(L, preload, name, -1);
    return ret1(L, base, v !== undefined ? v : `\n\tno field package.preload['${name}']`);
  };
  const luaLoader = (L: LuaThread, base: number, nargs: number): number => {
    const name = checkString(L, base, nargs, 1);
    const found = searchPath(L.state, name, pathField(L, pkg, "path"), ".", "/", true);
    if ("tried" in found) return ret1(L, base, found.tried);
    const fn = loadFile(L, found.file, undefined);
    if (typeof fn === "string") runtimeError(L, `error loading module '${name}' from file '${found.file}':\n\t${fn}`);
    return ret1(L, base, fn);
  };
  const cLoader = (L: LuaThread, base: number, nargs: number): number => {
    const name = checkString(L, base, nargs, 1);
    const found = searchPath(L.state, name, pathField(L, pkg, "cpath"), ".", "/", false);
    return ret1(L, base, (found as { tried: string }).tried);
  };
  const cRootLoader = (L: LuaThread, base: number, nargs: number): number => {
    const name = checkString(L, base, nargs, 1);
    const dot = name.indexOf(".");
    if (dot < 0) return 0;
    const found = searchPath(L.state, name.slice(0, dot), pathField(L, pkg, "cpath"), ".", "/", false);
    return ret1(L, base, (found as { tried: string }).tried);
  };
  const loaders = new LuaTable(4, 0);
  [preloadLoader, luaLoader, cLoader, cRootLoader].forEach((fn, i) => {
    loaders.setInt(i + 1, new NativeFunction("package.loader", fn));
  });
  return loaders;
}

// -- require -------------------------------------------------------------------------

function makeRequire(pkg: LuaTable): (L: LuaThread, base: number, nargs: number) => number {
  // Marks a module being loaded, to detect loops (KEY_SENTINEL, a light userdata).
  const sentinel = new LuaUserdata();
  return (L, base, nargs) => {
    const name = checkString(L, base, nargs, 1);
    const loaded = loadedTable(L.state);
    const have = metaIndex(L, loaded, name, -1);
    if (isTruthy(have)) {
      if (have === sentinel) runtimeError(L, `loop or previous error loading module '${name}'`);
      return ret1(L, base, have);
    }
    const loaders = metaIndex(L, pkg, "loaders", -1);
    if (!(loaders instanceof LuaTable)) runtimeError(L, "'package.loaders' must be a table");
    let msg = "";
    let loader: LuaValue;
    for (let i = 1; ; i++) {
      const searcher = loaders.getInt(i);
      if (searcher === undefined) runtimeError(L, `module '${name}' not found:${msg}`);
      loader = callWithArg(L, searcher, name);
      if (loader instanceof LuaClosure || loader instanceof NativeFunction) break;
      if (typeof loader === "string") msg += loader;
      else if (typeof loader === "number") msg += formatNumber(loader);
    }
    loaded.setStr(name, sentinel);
    const result = callWithArg(L, loader, name);
    if (result !== undefined) loaded.setStr(name, result);
    let value = loaded.getStr(name);
    if (value === sentinel) {
      value = true;
      loaded.setStr(name, true);
    }
    return ret1(L, base, value);
  };
}

// -- module and seeall (Lua 5.1) ----------------------------------------------------------

/** luaL_findtable from the globals: t.a.b for "a.b", creating tables; the clashing part on a non-table. */
function findTable(root: LuaTable, fname: string, hsize: number): LuaTable | string {
  let t = root;
  const parts = fname.split(".");
  for (let i = 0; i < parts.length; i++) {
    let v = t.getStr(parts[i]);
    if (v === undefined) {
      v = new LuaTable(0, hsizeToHbits(i < parts.length - 1 ? 1 : hsize));
      t.setStr(parts[i], v);
    } else if (!(v instanceof LuaTable)) {
      return parts.slice(i).join(".");
    }
    t = v as LuaTable;
  }
  return t;
}

function module(L: LuaThread, base: number, nargs: number, self: NativeFunction): number {
  const modname = checkString(L, base, nargs, 1);
  const loaded = loadedTable(L.state);
  let mod = metaIndex(L, loaded, modname, -1);
  if (!(mod instanceof LuaTable)) {
    const t = findTable(threadEnv(L), modname, 1);
    if (typeof t === "string") runtimeError(L, formatMessage(ERRMSG.BADMODN, modname));
    loaded.setStr(modname, t);
    mod = t;
  }
  const m = mod as LuaTable;
  if (metaIndex(L, m, "_NAME", -1) === undefined) {
    m.setStr("_M", m);
    m.setStr("_NAME", modname);
    const dot = modname.lastIndexOf(".");
    m.setStr("_PACKAGE", dot < 0 ? "" : modname.slice(0, dot + 1));
  }
  const caller = stackLevels(L, self)[1]?.fn;
  if (!(caller instanceof LuaClosure)) runtimeError(L, "'module' not called from a Lua function");
  caller.env = m;
  for (let i = 2; i <= nargs; i++) {
    const fidx = L.top;
    L.ensureStack(fidx + 4);
    L.stack[fidx] = L.stack[base + i - 1];
    L.stack[fidx + 1] = undefined;
    L.stack[fidx + 2] = m;
    callAtIdx(L, fidx, 1);
  }
  return 0;
}

function seeall(L: LuaThread, base: number, nargs: number): number {
  const t = checkTable(L, base, nargs, 1);
  if (t.metatable === undefined) t.metatable = new LuaTable(0, 1);
  t.metatable.setStr("__index", threadEnv(L));
  return 0;
}

/** package.loadlib: there are no shared libraries to load (dlopen's failure, "open"). */
function loadlib(L: LuaThread, base: number, nargs: number): number {
  const path = checkString(L, base, nargs, 1);
  checkString(L, base, nargs, 2);
  return ret(L, base, undefined, `${path}: cannot open shared object file: No such file or directory`, "open");
}

function searchpath(L: LuaThread, base: number, nargs: number): number {
  const name = checkString(L, base, nargs, 1);
  const path = checkString(L, base, nargs, 2);
  const sep = optString(L, base, nargs, 3, ".");
  const rep = optString(L, base, nargs, 4, "/");
  const found = searchPath(L.state, name, path, sep, rep, true);
  return "file" in found ? ret1(L, base, found.file) : ret(L, base, undefined, found.tried);
}

export function openPackage(S: LuaState): void {
  const pkg = new LuaTable(0, hsizeToHbits(3));
  S.globals.setStr("package", pkg);
  register(pkg, "package", { loadlib, searchpath, seeall });
  pkg.setStr("loaders", makeLoaders(pkg));
  pkg.setStr("path", expandPath(S.options.luaPath, LUA_PATH_DEFAULT));
  pkg.setStr("cpath", expandPath(S.options.luaCPath, LUA_CPATH_DEFAULT));
  pkg.setStr("config", LUA_PATH_CONFIG);
  pkg.setStr("loaded", loadedTable(S));
  pkg.setStr("preload", preloadTable(S));
  const moduleFn: NativeFunction = new NativeFunction("module", (L, base, nargs) => module(L, base, nargs, moduleFn));
  S.globals.setStr("module", moduleFn);
  S.globals.setStr("require", new NativeFunction("require", makeRequire(pkg)));
  registerLoaded(S, "package", pkg);
}
