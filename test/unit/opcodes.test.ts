// Pins the opcode table (src/bc/opcodes.ts) to LuaJIT 2.1's lj_bc.h: the
// order, and the order relations that lj_bc.h, lj_parse.c, lj_trace.c and the
// VM rely on (LJ_STATIC_ASSERTs and opcode arithmetic).
import { describe, expect, it } from "vitest";
import { BCDEF, Mode, OP_COUNT, Op, TRACE_OPS, hasD, isJump, metamethodOf, modeA, modeB, modeC, opNames } from "../../src/bc/opcodes.ts";

// BCDEF of lj_bc.h at the target commits (97 opcodes), in order.
const LUAJIT_OPS = `
  ISLT ISGE ISLE ISGT ISEQV ISNEV ISEQS ISNES ISEQN ISNEN ISEQP ISNEP
  ISTC ISFC IST ISF ISTYPE ISNUM MOV NOT UNM LEN
  ADDVN SUBVN MULVN DIVVN MODVN ADDNV SUBNV MULNV DIVNV MODNV ADDVV SUBVV MULVV DIVVV MODVV POW CAT
  KSTR KCDATA KSHORT KNUM KPRI KNIL UGET USETV USETS USETN USETP UCLO FNEW
  TNEW TDUP GGET GSET TGETV TGETS TGETB TGETR TSETV TSETS TSETB TSETM TSETR
  CALLM CALL CALLMT CALLT ITERC ITERN VARG ISNEXT RETM RET RET0 RET1
  FORI JFORI FORL IFORL JFORL ITERL IITERL JITERL LOOP ILOOP JLOOP JMP
  FUNCF IFUNCF JFUNCF FUNCV IFUNCV JFUNCV FUNCC FUNCCW
`.trim().split(/\s+/);

describe("opcode table", () => {
  it("has LuaJIT 2.1's 97 opcodes in LuaJIT's order, FUNCF = 89", () => {
    expect(OP_COUNT).toBe(97);
    expect(BCDEF.length).toBe(97);
    expect(opNames).toEqual(LUAJIT_OPS);
    expect(Op.FUNCF).toBe(89);
    opNames.forEach((name, i) => expect(Op[name]).toBe(i));
  });

  it("derives the mode and metamethod tables from BCDEF", () => {
    for (const t of [modeA, modeB, modeC, metamethodOf]) expect(t.length).toBe(97);
    expect([modeA[Op.TGETS], modeB[Op.TGETS], modeC[Op.TGETS]]).toEqual([Mode.dst, Mode.var, Mode.str]);
    expect([modeA[Op.FORL], modeB[Op.FORL], modeC[Op.FORL]]).toEqual([Mode.base, Mode.none, Mode.jump]);
    expect([modeA[Op.JLOOP], modeC[Op.JLOOP]]).toEqual([Mode.rbase, Mode.lit]);
    expect([modeA[Op.KSHORT], modeC[Op.KSHORT]]).toEqual([Mode.dst, Mode.lits]);
    expect([modeA[Op.USETP], modeC[Op.USETP]]).toEqual([Mode.uv, Mode.pri]);
    expect([modeA[Op.FUNCF], modeB[Op.FUNCF], modeC[Op.FUNCF]]).toEqual([Mode.rbase, Mode.none, Mode.none]);
    expect(metamethodOf[Op.CAT]).toBe("concat");
    expect(metamethodOf[Op.TGETV]).toBe("index");
    expect(metamethodOf[Op.MOV]).toBe("___");
  });

  it("keeps operand modes in LuaJIT's BCMode order (A modes fit in 3 bits)", () => {
    expect([Mode.none, Mode.dst, Mode.base, Mode.var, Mode.rbase, Mode.uv]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([Mode.lit, Mode.lits, Mode.pri, Mode.num, Mode.str, Mode.tab, Mode.func, Mode.jump, Mode.cdata])
      .toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14]);
    for (const m of modeA) expect(m).toBeLessThanOrEqual(7);
  });
});

describe("order relations (lj_bc.h LJ_STATIC_ASSERTs)", () => {
  it("pairs each loop/function op with its I- and J- variant", () => {
    expect(Op.FORL + 1).toBe(Op.IFORL);
    expect(Op.FORL + 2).toBe(Op.JFORL);
    expect(Op.ITERL + 1).toBe(Op.IITERL);
    expect(Op.ITERL + 2).toBe(Op.JITERL);
    expect(Op.LOOP + 1).toBe(Op.ILOOP);
    expect(Op.LOOP + 2).toBe(Op.JLOOP);
    expect(Op.FUNCF + 1).toBe(Op.IFUNCF);
    expect(Op.FUNCF + 2).toBe(Op.JFUNCF);
    expect(Op.FUNCV + 1).toBe(Op.IFUNCV);
    expect(Op.FUNCV + 2).toBe(Op.JFUNCV);
    expect(Op.FORI + 1).toBe(Op.JFORI);
  });

  it("orders the comparisons ISLT ISGE ISLE ISGT (ORDER OPR) so that ^1 negates and ^3 swaps", () => {
    expect([Op.ISGE, Op.ISLE, Op.ISGT].map((op) => op - Op.ISLT)).toEqual([1, 2, 3]);
    expect(Op.ISLT ^ 1).toBe(Op.ISGE);
    expect(Op.ISLE ^ 1).toBe(Op.ISGT);
    expect(Op.ISLT ^ 3).toBe(Op.ISGT);
    expect(Op.ISGE ^ 3).toBe(Op.ISLE); // lj_parse.c bcemit_comp: GT -> LT, GE -> LE
  });

  it("pairs each equality test with its negation (^1)", () => {
    expect(Op.ISEQV + 1).toBe(Op.ISNEV);
    expect(Op.ISEQV ^ 1).toBe(Op.ISNEV);
    expect(Op.ISEQS ^ 1).toBe(Op.ISNES);
    expect(Op.ISEQN ^ 1).toBe(Op.ISNEN);
    expect(Op.ISEQP ^ 1).toBe(Op.ISNEP);
    // lj_parse.c bcemit_comp adds (ISEQS-ISEQV) etc. to ISEQV or ISNEV.
    for (const k of [Op.ISEQS, Op.ISEQN, Op.ISEQP]) expect(Op.ISNEV + (k - Op.ISEQV)).toBe(k + 1);
  });

  it("keeps IS*C and IS* at the same distance (ISTC -> IST when the copy is dropped)", () => {
    expect(Op.IST - Op.ISTC).toBe(Op.ISF - Op.ISFC);
    expect(Op.ISTC + (Op.IST - Op.ISTC)).toBe(Op.IST);
    expect(Op.ISFC + (Op.IST - Op.ISTC)).toBe(Op.ISF);
    expect(Op.ISTC + 1).toBe(Op.ISFC);
    expect(Op.IST + 1).toBe(Op.ISF);
  });

  it("lays out the arithmetic blocks VN, NV, VV in ORDER ARITH with POW right after MODVV", () => {
    const arith = ["ADD", "SUB", "MUL", "DIV", "MOD"];
    for (const [i, name] of arith.entries()) {
      expect(opNames[Op.ADDVN + i]).toBe(name + "VN");
      expect(opNames[Op.ADDNV + i]).toBe(name + "NV");
      expect(opNames[Op.ADDVV + i]).toBe(name + "VV");
    }
    expect(Op.ADDNV).toBe(Op.ADDVN + 5);
    expect(Op.ADDVV).toBe(Op.ADDNV + 5);
    expect(Op.MODVV + 1).toBe(Op.POW);
    expect(Op.ADDVV + 5).toBe(Op.POW); // OPR_POW - OPR_ADD == 5
  });

  it("keeps the call and return pairs LuaJIT computes with", () => {
    expect(Op.CALLT - Op.CALL).toBe(Op.CALLMT - Op.CALLM);
    expect(Op.CALLMT + 1).toBe(Op.CALLT);
    expect(Op.RETM + 1).toBe(Op.RET);
    expect([Op.RET0, Op.RET1]).toEqual([Op.RET + 1, Op.RET + 2]);
  });

  it("lists exactly the ops whose patched D is a trace number", () => {
    expect([...TRACE_OPS].sort((a, b) => a - b)).toEqual([Op.JFORL, Op.JITERL, Op.JLOOP, Op.JFUNCF, Op.JFUNCV]);
  });
});

describe("hasD / isJump", () => {
  it("hasD is true exactly when B is unused", () => {
    for (const op of [Op.KSTR, Op.MOV, Op.ISLT, Op.JMP, Op.FORL, Op.JFORL, Op.GGET, Op.FUNCF, Op.UCLO, Op.RET1]) {
      expect(hasD(op), opNames[op]).toBe(true);
    }
    for (const op of [Op.ADDVN, Op.TGETS, Op.TSETV, Op.CALL, Op.ITERC, Op.CAT, Op.POW, Op.VARG]) {
      expect(hasD(op), opNames[op]).toBe(false);
    }
  });

  it("isJump is true for the ops with a biased jump offset in D", () => {
    const jumps = opNames.filter((_, op) => isJump(op));
    expect(jumps).toEqual(["UCLO", "ISNEXT", "FORI", "JFORI", "FORL", "IFORL", "ITERL", "IITERL", "LOOP", "ILOOP", "JMP"]);
    for (const op of [Op.JFORL, Op.JITERL, Op.JLOOP, Op.JFUNCF, Op.ISLT, Op.KSHORT]) expect(isJump(op), opNames[op]).toBe(false);
  });
});
