// Lua values as plain JS values, so the interpreter never boxes (Fengari's
// boxed TValues are what make it slow): nil = undefined, booleans and numbers
// are JS primitives, strings are binary JS strings (one char per byte 0..255),
// and only tables, functions, coroutines and userdata are objects.
import type { LuaTable } from "./table.ts";

/** Any object-typed Lua value carries its Lua type name as `luaType`. */
export interface LuaObject {
  readonly luaType: "table" | "function" | "thread" | "userdata";
}

/** A Lua value. `undefined` is nil. */
export type LuaValue = undefined | boolean | number | string | LuaObject;

export type LuaTypeName = "nil" | "boolean" | "number" | "string" | "table" | "function" | "thread" | "userdata";

/** Lua's type() of a value. */
export function luaTypeOf(v: LuaValue): LuaTypeName {
  switch (typeof v) {
    case "undefined": return "nil";
    case "boolean": return "boolean";
    case "number": return "number";
    case "string": return "string";
    default: return (v as LuaObject).luaType;
  }
}

export function isTable(v: LuaValue): v is LuaTable {
  return typeof v === "object" && (v as LuaObject).luaType === "table";
}

/** Lua truthiness: only nil and false are false. */
export function isTruthy(v: LuaValue): boolean {
  return v !== undefined && v !== false;
}
