// Value types as the recorder specialises them (IRT_*), by name for the IR
// model and as small codes for the checks a running trace makes.
import { LuaClosure, NativeFunction } from "../vm/func.ts";
import { LuaTable } from "../vm/table.ts";
import type { LuaValue } from "../vm/value.ts";

/** Type codes; `int` only for narrowed loop indices (it accepts any number), `other` accepts anything. */
export const enum TypeCode { nil = 0, false_ = 1, true_ = 2, int = 3, num = 4, str = 5, tab = 6, fun = 7, other = 8 }

const NAMES = ["nil", "false", "true", "int", "num", "str", "tab", "fun", "other"] as const;

export type VType = (typeof NAMES)[number];

export function typeCodeOf(v: LuaValue): TypeCode {
  switch (typeof v) {
    case "number": return TypeCode.num;
    case "undefined": return TypeCode.nil;
    case "boolean": return v ? TypeCode.true_ : TypeCode.false_;
    case "string": return TypeCode.str;
    default:
      if (v instanceof LuaTable) return TypeCode.tab;
      if (v instanceof LuaClosure || v instanceof NativeFunction) return TypeCode.fun;
      return TypeCode.other;
  }
}

export function typeOfValue(v: LuaValue): VType {
  return NAMES[typeCodeOf(v)];
}

export function codeOfType(t: VType): TypeCode {
  return NAMES.indexOf(t) as TypeCode;
}

/** Does a value of type `actual` pass a guard recorded for `recorded`? */
export function typeHolds(actual: TypeCode, recorded: number): boolean {
  return actual === recorded || recorded === TypeCode.other || (recorded === TypeCode.int && actual === TypeCode.num);
}
