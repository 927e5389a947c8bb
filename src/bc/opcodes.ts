// The LuaJIT 2.1 opcode table (97 opcodes, FUNCF = 89): the single source of
// truth for names, operand modes and metamethods. Mirrors BCDEF in lj_bc.h;
// everything else (the Op enum, name tables, mode lookups) is derived here.

/** Operand modes, in LuaJIT's BCMode order (the numbers matter to listings). */
export const enum Mode {
  none = 0, dst = 1, base = 2, var = 3, rbase = 4, uv = 5,
  lit = 6, lits = 7, pri = 8, num = 9, str = 10, tab = 11, func = 12, jump = 13, cdata = 14,
}

type ModeName = "___" | "dst" | "base" | "var" | "rbase" | "uv" | "lit" | "lits" | "pri" | "num" |
  "str" | "tab" | "func" | "jump" | "cdata";

/** [name, A mode, B mode, C/D mode, metamethod] in LuaJIT's order. */
export const BCDEF = [
  // Comparison ops (ORDER OPR).
  ["ISLT", "var", "___", "var", "lt"],
  ["ISGE", "var", "___", "var", "lt"],
  ["ISLE", "var", "___", "var", "le"],
  ["ISGT", "var", "___", "var", "le"],
  ["ISEQV", "var", "___", "var", "eq"],
  ["ISNEV", "var", "___", "var", "eq"],
  ["ISEQS", "var", "___", "str", "eq"],
  ["ISNES", "var", "___", "str", "eq"],
  ["ISEQN", "var", "___", "num", "eq"],
  ["ISNEN", "var", "___", "num", "eq"],
  ["ISEQP", "var", "___", "pri", "eq"],
  ["ISNEP", "var", "___", "pri", "eq"],
  // Unary test and copy ops.
  ["ISTC", "dst", "___", "var", "___"],
  ["ISFC", "dst", "___", "var", "___"],
  ["IST", "___", "___", "var", "___"],
  ["ISF", "___", "___", "var", "___"],
  ["ISTYPE", "var", "___", "lit", "___"],
  ["ISNUM", "var", "___", "lit", "___"],
  // Unary ops.
  ["MOV", "dst", "___", "var", "___"],
  ["NOT", "dst", "___", "var", "___"],
  ["UNM", "dst", "___", "var", "unm"],
  ["LEN", "dst", "___", "var", "len"],
  // Binary ops (ORDER OPR; VV last, POW must be next).
  ["ADDVN", "dst", "var", "num", "add"],
  ["SUBVN", "dst", "var", "num", "sub"],
  ["MULVN", "dst", "var", "num", "mul"],
  ["DIVVN", "dst", "var", "num", "div"],
  ["MODVN", "dst", "var", "num", "mod"],
  ["ADDNV", "dst", "var", "num", "add"],
  ["SUBNV", "dst", "var", "num", "sub"],
  ["MULNV", "dst", "var", "num", "mul"],
  ["DIVNV", "dst", "var", "num", "div"],
  ["MODNV", "dst", "var", "num", "mod"],
  ["ADDVV", "dst", "var", "var", "add"],
  ["SUBVV", "dst", "var", "var", "sub"],
  ["MULVV", "dst", "var", "var", "mul"],
  ["DIVVV", "dst", "var", "var", "div"],
  ["MODVV", "dst", "var", "var", "mod"],
  ["POW", "dst", "var", "var", "pow"],
  ["CAT", "dst", "rbase", "rbase", "concat"],
  // Constant ops.
  ["KSTR", "dst", "___", "str", "___"],
  ["KCDATA", "dst", "___", "cdata", "___"],
  ["KSHORT", "dst", "___", "lits", "___"],
  ["KNUM", "dst", "___", "num", "___"],
  ["KPRI", "dst", "___", "pri", "___"],
  ["KNIL", "base", "___", "base", "___"],
  // Upvalue and function ops.
  ["UGET", "dst", "___", "uv", "___"],
  ["USETV", "uv", "___", "var", "___"],
  ["USETS", "uv", "___", "str", "___"],
  ["USETN", "uv", "___", "num", "___"],
  ["USETP", "uv", "___", "pri", "___"],
  ["UCLO", "rbase", "___", "jump", "___"],
  ["FNEW", "dst", "___", "func", "gc"],
  // Table ops.
  ["TNEW", "dst", "___", "lit", "gc"],
  ["TDUP", "dst", "___", "tab", "gc"],
  ["GGET", "dst", "___", "str", "index"],
  ["GSET", "var", "___", "str", "newindex"],
  ["TGETV", "dst", "var", "var", "index"],
  ["TGETS", "dst", "var", "str", "index"],
  ["TGETB", "dst", "var", "lit", "index"],
  ["TGETR", "dst", "var", "var", "index"],
  ["TSETV", "var", "var", "var", "newindex"],
  ["TSETS", "var", "var", "str", "newindex"],
  ["TSETB", "var", "var", "lit", "newindex"],
  ["TSETM", "base", "___", "num", "newindex"],
  ["TSETR", "var", "var", "var", "newindex"],
  // Calls and vararg handling (T = tail call).
  ["CALLM", "base", "lit", "lit", "call"],
  ["CALL", "base", "lit", "lit", "call"],
  ["CALLMT", "base", "___", "lit", "call"],
  ["CALLT", "base", "___", "lit", "call"],
  ["ITERC", "base", "lit", "lit", "call"],
  ["ITERN", "base", "lit", "lit", "call"],
  ["VARG", "base", "lit", "lit", "___"],
  ["ISNEXT", "base", "___", "jump", "___"],
  // Returns.
  ["RETM", "base", "___", "lit", "___"],
  ["RET", "rbase", "___", "lit", "___"],
  ["RET0", "rbase", "___", "lit", "___"],
  ["RET1", "rbase", "___", "lit", "___"],
  // Loops and branches (I/J = interpreter/JIT variants).
  ["FORI", "base", "___", "jump", "___"],
  ["JFORI", "base", "___", "jump", "___"],
  ["FORL", "base", "___", "jump", "___"],
  ["IFORL", "base", "___", "jump", "___"],
  ["JFORL", "base", "___", "lit", "___"],
  ["ITERL", "base", "___", "jump", "___"],
  ["IITERL", "base", "___", "jump", "___"],
  ["JITERL", "base", "___", "lit", "___"],
  ["LOOP", "rbase", "___", "jump", "___"],
  ["ILOOP", "rbase", "___", "jump", "___"],
  ["JLOOP", "rbase", "___", "lit", "___"],
  ["JMP", "rbase", "___", "jump", "___"],
  // Function headers (F/V/C = fixarg/vararg/C function).
  ["FUNCF", "rbase", "___", "___", "___"],
  ["IFUNCF", "rbase", "___", "___", "___"],
  ["JFUNCF", "rbase", "___", "lit", "___"],
  ["FUNCV", "rbase", "___", "___", "___"],
  ["IFUNCV", "rbase", "___", "___", "___"],
  ["JFUNCV", "rbase", "___", "lit", "___"],
  ["FUNCC", "rbase", "___", "___", "___"],
  ["FUNCCW", "rbase", "___", "___", "___"],
] as const satisfies readonly (readonly [string, ModeName, ModeName, ModeName, string])[];

export type OpName = (typeof BCDEF)[number][0];

const modeOf: Record<ModeName, Mode> = {
  ___: Mode.none, dst: Mode.dst, base: Mode.base, var: Mode.var, rbase: Mode.rbase, uv: Mode.uv,
  lit: Mode.lit, lits: Mode.lits, pri: Mode.pri, num: Mode.num, str: Mode.str, tab: Mode.tab,
  func: Mode.func, jump: Mode.jump, cdata: Mode.cdata,
};

/** Opcode numbers by name, derived from the table order. */
export const Op = Object.fromEntries(BCDEF.map((row, i) => [row[0], i])) as { readonly [K in OpName]: number };

export const OP_COUNT = BCDEF.length;
export const opNames: readonly OpName[] = BCDEF.map((row) => row[0]);
export const modeA: readonly Mode[] = BCDEF.map((row) => modeOf[row[1]]);
export const modeB: readonly Mode[] = BCDEF.map((row) => modeOf[row[2]]);
export const modeC: readonly Mode[] = BCDEF.map((row) => modeOf[row[3]]);
export const metamethodOf: readonly string[] = BCDEF.map((row) => row[4]);

/** True if the op has a 16-bit D operand instead of B and C. */
export function hasD(op: number): boolean {
  return modeB[op] === Mode.none;
}

/** True if the D operand is a jump offset (biased by BCBIAS_J). */
export function isJump(op: number): boolean {
  return modeC[op] === Mode.jump;
}

/** True for the ops a trace's start is patched to (JFORI with JFORL, and the J-ops that enter a trace). */
export function isJOp(op: number): boolean {
  return op === Op.JFORI || op === Op.JFORL || op === Op.JITERL || op === Op.JLOOP || op === Op.JFUNCF || op === Op.JFUNCV;
}

/** RETM, RET, RET0 or RET1 (bc_isret). */
export function isRetOp(op: number): boolean {
  return op >= Op.RETM && op <= Op.RET1;
}

/** The opcodes whose D operand is a trace number once patched. */
export const TRACE_OPS: readonly number[] = [Op.JFORL, Op.JITERL, Op.JLOOP, Op.JFUNCF, Op.JFUNCV];

/**
 * D operands of ISTYPE/ISNUM: the negated internal type tag (~itype) checked
 * against, and the type name a failed check reports. CHECK_int is an ISNUM
 * like CHECK_num in a build without dual numbers (buildvm_lib.c).
 */
export const enum IsType {
  str = 5,
  func = 9,
  tab = 12,
  num = 15,
}
export const isTypeNames: Readonly<Record<number, string>> = {
  [IsType.str]: "string", [IsType.func]: "function", [IsType.tab]: "table", [IsType.num]: "number",
};
