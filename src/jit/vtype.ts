// Value types as the recorder specialises them (IRT_*), by name for the IR
// model and as small codes for the checks a running trace makes.
import { LuaClosure, NativeFunction } from "../vm/func.ts";
import { LuaTable } from "../vm/table.ts";
import type { LuaValue } from "../vm/value.ts";

/** Type codes; `int`: a number that converts to an int32 exactly (a narrowed loop's loads), `other` accepts anything. */
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

/** Does value v pass a type guard recorded for `recorded`? */
export function typeHolds(v: LuaValue, recorded: number): boolean {
  if (recorded === TypeCode.int) return typeof v === "number" && (v | 0) === v;
  return recorded === TypeCode.other || typeCodeOf(v) === recorded;
}

/**
 * rec_for_check's direction guard on a step that is not a constant: the
 * recorder took the direction from the step's sign bit (forStepUp), the
 * guard compares it with zero (GE or LT). So a -0 step, recorded as
 * counting down, never passes its guard (LuaJIT issue #1432).
 */
export function forDirHolds(step: LuaValue, up: boolean): boolean {
  return typeof step === "number" && (up ? step >= 0 : step < 0);
}

/** rec_for_check's overflow guard of a narrowed loop: stop + step stays an int32. */
export function forRangeHolds(stop: LuaValue, step: LuaValue): boolean {
  if (typeof stop !== "number" || typeof step !== "number") return false;
  const sum = stop + step;
  return sum >= -2147483648 && sum <= 2147483647;
}
