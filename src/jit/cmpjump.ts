// Comparisons whose two outcomes go on at the same pc (`if c then end`).
// LuaJIT's interpreter never dispatches the JMP after a comparison: the
// comparison itself jumps to the JMP's target or skips it, and here both
// land on the same bytecode. So the path a trace followed does not show the
// outcome; only the recorded guard does, and it still fails when the
// outcome flips. A running trace checks the outcome at the next step,
// where the operands are still in place (nothing ran in between).
import { bcA, bcD, bcOp } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import type { Proto } from "../bc/proto.ts";
import { LuaTable } from "../vm/table.ts";
import type { LuaValue } from "../vm/value.ts";

/**
 * Does the comparison `ins` jump (its condition holds) for the values in the
 * frame at `base`? undefined when only a metamethod could tell, or the
 * interpreter would raise an error.
 */
export function comparisonJumps(ins: number, pt: Proto, stack: readonly LuaValue[], base: number): boolean | undefined {
  const op = bcOp(ins);
  const x = stack[base + bcA(ins)];
  const d = bcD(ins);
  switch (op) {
    case Op.ISLT: case Op.ISGE: case Op.ISLE: case Op.ISGT: {
      const y = stack[base + d];
      const bothNum = typeof x === "number" && typeof y === "number";
      if (!bothNum && !(typeof x === "string" && typeof y === "string")) return undefined;
      // ISGE and ISGT are the negations of ISLT and ISLE (so NaN makes them jump).
      if (op === Op.ISLT) return x < y;
      if (op === Op.ISGE) return !(x < y);
      if (op === Op.ISLE) return x <= y;
      return !(x <= y);
    }
    case Op.ISEQV: case Op.ISNEV: {
      const eq = rawEqual(x, stack[base + d]);
      return eq === undefined ? undefined : eq === (op === Op.ISEQV);
    }
    case Op.ISEQS: case Op.ISNES: return (x === pt.kgc[d]) === (op === Op.ISEQS);
    case Op.ISEQN: case Op.ISNEN: return (x === pt.knum[d]) === (op === Op.ISEQN);
    case Op.ISEQP: case Op.ISNEP: return (x === (d === 0 ? undefined : d === 2)) === (op === Op.ISEQP);
    default: return undefined;
  }
}

/** Lua 5.1 equality without metamethods; undefined when two tables could consult __eq. */
function rawEqual(x: LuaValue, y: LuaValue): boolean | undefined {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  if (x instanceof LuaTable && y instanceof LuaTable && x.metatable === undefined && y.metatable === undefined) return false;
  return undefined;
}
