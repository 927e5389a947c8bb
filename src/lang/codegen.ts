// Code generation for expressions: discharging descriptors into registers,
// stores, branches and operators (the bcemit_*/expr_* helpers of lj_parse.c).
import {
  BCMAX_B, BCMAX_C, NO_JMP, NO_REG, bcA, bcB, bcD, bcOp, insABC, insAD, setA, setB, setOp,
} from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import { foldArith } from "../util/arith.ts";
import { EK, ExpDesc } from "./expdesc.ts";
import type { FuncState } from "./funcstate.ts";
import { VSTACK_VAR_RW } from "./parsestate.ts";

/** Binary operators (ORDER OPR): arithmetic first, in ORDER ARITH. */
export const enum Opr {
  ADD, SUB, MUL, DIV, MOD, POW, CONCAT, NE, EQ, LT, GE, LE, GT, AND, OR, NONE,
}

const checkI16 = (n: number): boolean => n >= -32768 && n <= 32767;

// -- Discharging -------------------------------------------------------------

/** Turn variable-like expressions into an instruction (RELOCABLE) or a register. */
export function exprDischarge(fs: FuncState, e: ExpDesc): void {
  let ins: number;
  if (e.k === EK.UPVAL) {
    ins = insAD(Op.UGET, 0, e.info);
  } else if (e.k === EK.GLOBAL) {
    ins = insAD(Op.GGET, 0, fs.constGC(e.str));
  } else if (e.k === EK.INDEXED) {
    const rc = e.aux;
    if (rc < 0) {
      ins = insABC(Op.TGETS, 0, e.info, ~rc);
    } else if (rc > BCMAX_C) {
      ins = insABC(Op.TGETB, 0, e.info, rc - (BCMAX_C + 1));
    } else {
      fs.regFree(rc);
      ins = insABC(Op.TGETV, 0, e.info, rc);
    }
    fs.regFree(e.info);
  } else if (e.k === EK.CALL) {
    e.info = e.aux;
    e.k = EK.NONRELOC;
    return;
  } else if (e.k === EK.LOCAL) {
    e.k = EK.NONRELOC;
    return;
  } else {
    return;
  }
  e.info = fs.emit(ins);
  e.k = EK.RELOCABLE;
}

export function exprFree(fs: FuncState, e: ExpDesc): void {
  if (e.k === EK.NONRELOC) fs.regFree(e.info);
}

/** Put the value into reg, ignoring the expression's jump lists. */
export function exprToRegNoBranch(fs: FuncState, e: ExpDesc, reg: number): void {
  exprDischarge(fs, e);
  let ins: number;
  switch (e.k) {
    case EK.KSTR:
      ins = insAD(Op.KSTR, reg, fs.constGC(e.str));
      break;
    case EK.KNUM: {
      const n = e.num;
      ins = Number.isInteger(n) && checkI16(n)
        ? insAD(Op.KSHORT, reg, n & 0xffff)
        : insAD(Op.KNUM, reg, fs.constNum(n));
      break;
    }
    case EK.RELOCABLE:
      fs.ins[e.info] = setA(fs.ins[e.info], reg);
      e.info = reg;
      e.k = EK.NONRELOC;
      return;
    case EK.NONRELOC:
      if (reg === e.info) {
        e.k = EK.NONRELOC;
        return;
      }
      ins = insAD(Op.MOV, reg, e.info);
      break;
    case EK.KNIL:
      fs.emitNil(reg, 1);
      e.info = reg;
      e.k = EK.NONRELOC;
      return;
    case EK.KFALSE:
    case EK.KTRUE:
      ins = insAD(Op.KPRI, reg, e.k);
      break;
    default:
      return; // VOID or JMP: nothing to load.
  }
  fs.emit(ins);
  e.info = reg;
  e.k = EK.NONRELOC;
}

/** Put the value into reg, materialising true/false for pending branches. */
export function exprToReg(fs: FuncState, e: ExpDesc, reg: number): void {
  exprToRegNoBranch(fs, e, reg);
  if (e.k === EK.JMP) e.t = fs.jmpAppend(e.t, e.info);
  if (e.hasJump()) {
    let jfalse = NO_JMP;
    let jtrue = NO_JMP;
    if (fs.jmpNoValue(e.t) || fs.jmpNoValue(e.f)) {
      const jval = e.k === EK.JMP ? NO_JMP : fs.emitJmp();
      jfalse = fs.emitAD(Op.KPRI, reg, EK.KFALSE);
      fs.emitAJ(Op.JMP, fs.freereg, 1);
      jtrue = fs.emitAD(Op.KPRI, reg, EK.KTRUE);
      fs.jmpToHere(jval);
    }
    const jend = fs.pc;
    fs.lasttarget = jend;
    fs.jmpPatchVal(e.f, jend, reg, jfalse);
    fs.jmpPatchVal(e.t, jend, reg, jtrue);
  }
  e.f = e.t = NO_JMP;
  e.info = reg;
  e.k = EK.NONRELOC;
}

export function exprToNextReg(fs: FuncState, e: ExpDesc): void {
  exprDischarge(fs, e);
  exprFree(fs, e);
  fs.regReserve(1);
  exprToReg(fs, e, fs.freereg - 1);
}

export function exprToAnyReg(fs: FuncState, e: ExpDesc): number {
  exprDischarge(fs, e);
  if (e.k === EK.NONRELOC) {
    if (!e.hasJump()) return e.info;
    if (e.info >= fs.nactvar) {
      exprToReg(fs, e, e.info);
      return e.info;
    }
  }
  exprToNextReg(fs, e);
  return e.info;
}

/** Discharge partially: constants stay constants unless there are jumps. */
export function exprToVal(fs: FuncState, e: ExpDesc): void {
  if (e.hasJump()) exprToAnyReg(fs, e);
  else exprDischarge(fs, e);
}

// -- Stores and indexing -----------------------------------------------------

export function emitStore(fs: FuncState, v: ExpDesc, e: ExpDesc): void {
  let ins: number;
  if (v.k === EK.LOCAL) {
    fs.ps.vstack[v.aux].info |= VSTACK_VAR_RW;
    exprFree(fs, e);
    exprToReg(fs, e, v.info);
    return;
  } else if (v.k === EK.UPVAL) {
    fs.ps.vstack[v.aux].info |= VSTACK_VAR_RW;
    exprToVal(fs, e);
    if (e.k <= EK.KTRUE) ins = insAD(Op.USETP, v.info, e.k);
    else if (e.k === EK.KSTR) ins = insAD(Op.USETS, v.info, fs.constGC(e.str));
    else if (e.k === EK.KNUM) ins = insAD(Op.USETN, v.info, fs.constNum(e.num));
    else ins = insAD(Op.USETV, v.info, exprToAnyReg(fs, e));
  } else if (v.k === EK.GLOBAL) {
    const ra = exprToAnyReg(fs, e);
    ins = insAD(Op.GSET, ra, fs.constGC(v.str));
  } else {
    const ra = exprToAnyReg(fs, e);
    const rc = v.aux;
    if (rc < 0) {
      ins = insABC(Op.TSETS, ra, v.info, ~rc);
    } else if (rc > BCMAX_C) {
      ins = insABC(Op.TSETB, ra, v.info, rc - (BCMAX_C + 1));
    } else {
      // Free a late-allocated key register first (only from table constructors).
      if (e.k === EK.NONRELOC && ra >= fs.nactvar && rc >= ra) fs.regFree(rc);
      ins = insABC(Op.TSETV, ra, v.info, rc);
    }
  }
  fs.emit(ins);
  exprFree(fs, e);
}

/** Make t an INDEXED expression with key e (already discharged to a value). */
export function exprIndex(fs: FuncState, t: ExpDesc, e: ExpDesc): void {
  t.k = EK.INDEXED;
  if (e.k === EK.KNUM) {
    const n = e.num;
    if (Number.isInteger(n) && n >= 0 && n <= 255) {
      t.aux = BCMAX_C + 1 + n; // 256..511: constant byte key
      return;
    }
  } else if (e.k === EK.KSTR) {
    const idx = fs.constGC(e.str);
    if (idx <= BCMAX_C) {
      t.aux = ~idx; // -256..-1: constant string key
      return;
    }
  }
  t.aux = exprToAnyReg(fs, e);
}

/** obj:name — the method and the object go into two fresh registers (FR2 layout). */
export function emitMethod(fs: FuncState, e: ExpDesc, key: ExpDesc): void {
  const obj = exprToAnyReg(fs, e);
  exprFree(fs, e);
  const func = fs.freereg;
  const fr2 = 1;
  fs.emitAD(Op.MOV, func + 1 + fr2, obj);
  const idx = fs.constGC(key.str);
  if (idx <= BCMAX_C) {
    fs.regReserve(2 + fr2);
    fs.emit(insABC(Op.TGETS, func, obj, idx));
  } else {
    fs.regReserve(3 + fr2);
    fs.emitAD(Op.KSTR, func + 2 + fr2, idx);
    fs.emit(insABC(Op.TGETV, func, obj, func + 2 + fr2));
    fs.freereg--;
  }
  e.info = func;
  e.k = EK.NONRELOC;
}

// -- Branches ----------------------------------------------------------------

function invertCond(fs: FuncState, e: ExpDesc): void {
  const ip = e.info - 1;
  fs.ins[ip] = setOp(fs.ins[ip], bcOp(fs.ins[ip]) ^ 1);
}

function emitBranch(fs: FuncState, e: ExpDesc, cond: boolean): number {
  if (e.k === EK.RELOCABLE) {
    const ins = fs.ins[e.info];
    if (bcOp(ins) === Op.NOT) {
      fs.ins[e.info] = insAD(cond ? Op.ISF : Op.IST, 0, bcD(ins));
      return fs.emitJmp();
    }
  }
  if (e.k !== EK.NONRELOC) {
    fs.regReserve(1);
    exprToRegNoBranch(fs, e, fs.freereg - 1);
  }
  fs.emitAD(cond ? Op.ISTC : Op.ISFC, NO_REG, e.info);
  const pc = fs.emitJmp();
  exprFree(fs, e);
  return pc;
}

/** Fall through if true, jump (via e.f) if false. */
export function emitBranchT(fs: FuncState, e: ExpDesc): void {
  let pc: number;
  exprDischarge(fs, e);
  if (e.k === EK.KSTR || e.k === EK.KNUM || e.k === EK.KTRUE) {
    pc = NO_JMP;
  } else if (e.k === EK.JMP) {
    invertCond(fs, e);
    pc = e.info;
  } else if (e.k === EK.KFALSE || e.k === EK.KNIL) {
    exprToRegNoBranch(fs, e, NO_REG);
    pc = fs.emitJmp();
  } else {
    pc = emitBranch(fs, e, false);
  }
  e.f = fs.jmpAppend(e.f, pc);
  fs.jmpToHere(e.t);
  e.t = NO_JMP;
}

/** Fall through if false, jump (via e.t) if true. */
export function emitBranchF(fs: FuncState, e: ExpDesc): void {
  let pc: number;
  exprDischarge(fs, e);
  if (e.k === EK.KNIL || e.k === EK.KFALSE) {
    pc = NO_JMP;
  } else if (e.k === EK.JMP) {
    pc = e.info;
  } else if (e.k === EK.KSTR || e.k === EK.KNUM || e.k === EK.KTRUE) {
    exprToRegNoBranch(fs, e, NO_REG);
    pc = fs.emitJmp();
  } else {
    pc = emitBranch(fs, e, true);
  }
  e.t = fs.jmpAppend(e.t, pc);
  fs.jmpToHere(e.f);
  e.f = NO_JMP;
}

// -- Operators ---------------------------------------------------------------

/** Fold constant arithmetic unless the result is NaN or -0. */
function foldConstArith(opr: Opr, e1: ExpDesc, e2: ExpDesc): boolean {
  if (!e1.isNumKNoJump() || !e2.isNumKNoJump()) return false;
  const n = foldArith(e1.num, e2.num, opr - Opr.ADD);
  if (Number.isNaN(n) || Object.is(n, -0)) return false;
  e1.num = n;
  return true;
}

/** Release temporaries of both operands, in the order that keeps freereg consistent. */
function freeOperands(fs: FuncState, e1: ExpDesc, e2: ExpDesc): void {
  if (e1.k === EK.NONRELOC && e1.info >= fs.nactvar) fs.freereg--;
  if (e2.k === EK.NONRELOC && e2.info >= fs.nactvar) fs.freereg--;
}

function emitArith(fs: FuncState, opr: Opr, e1: ExpDesc, e2: ExpDesc): void {
  if (foldConstArith(opr, e1, e2)) return;
  let op: number;
  let rb: number;
  let rc: number;
  if (opr === Opr.POW) {
    op = Op.POW;
    rc = exprToAnyReg(fs, e2);
    rb = exprToAnyReg(fs, e1);
  } else {
    op = opr - Opr.ADD + Op.ADDVV;
    // The 2nd operand goes first: an INDEXED one may free registers.
    exprToVal(fs, e2);
    if (e2.isNumK() && (rc = fs.constNum(e2.num)) <= BCMAX_C) op -= Op.ADDVV - Op.ADDVN;
    else rc = exprToAnyReg(fs, e2);
    exprToVal(fs, e1);
    let t: number;
    // At most one constant operand fits the encoding.
    if (e1.isNumK() && !e2.isNumK() && (t = fs.constNum(e1.num)) <= BCMAX_B) {
      rb = rc; rc = t; op -= Op.ADDVV - Op.ADDNV;
    } else {
      rb = exprToAnyReg(fs, e1);
    }
  }
  freeOperands(fs, e1, e2);
  e1.info = fs.emit(insABC(op, 0, rb, rc));
  e1.k = EK.RELOCABLE;
}

function emitComp(fs: FuncState, opr: Opr, e1: ExpDesc, e2: ExpDesc): void {
  const eret = e1;
  let ins: number;
  exprToVal(fs, e1);
  if (opr === Opr.EQ || opr === Opr.NE) {
    const op = opr === Opr.EQ ? Op.ISEQV : Op.ISNEV;
    if (e1.isK()) { const tmp = e1; e1 = e2; e2 = tmp; } // constant goes second
    const ra = exprToAnyReg(fs, e1);
    exprToVal(fs, e2);
    switch (e2.k) {
      case EK.KNIL: case EK.KFALSE: case EK.KTRUE:
        ins = insAD(op + (Op.ISEQP - Op.ISEQV), ra, e2.k);
        break;
      case EK.KSTR:
        ins = insAD(op + (Op.ISEQS - Op.ISEQV), ra, fs.constGC(e2.str));
        break;
      case EK.KNUM:
        ins = insAD(op + (Op.ISEQN - Op.ISEQV), ra, fs.constNum(e2.num));
        break;
      default:
        ins = insAD(op, ra, exprToAnyReg(fs, e2));
    }
  } else {
    let op = opr - Opr.LT + Op.ISLT;
    let ra: number;
    let rd: number;
    if ((op - Op.ISLT) & 1) { // GT -> LT, GE -> LE with swapped operands
      const tmp = e1; e1 = e2; e2 = tmp;
      op = ((op - Op.ISLT) ^ 3) + Op.ISLT;
      exprToVal(fs, e1);
      ra = exprToAnyReg(fs, e1);
      rd = exprToAnyReg(fs, e2);
    } else {
      rd = exprToAnyReg(fs, e2);
      ra = exprToAnyReg(fs, e1);
    }
    ins = insAD(op, ra, rd);
  }
  freeOperands(fs, e1, e2);
  fs.emit(ins);
  eret.info = fs.emitJmp();
  eret.k = EK.JMP;
}

/** Prepare the left operand before the right one is parsed. */
export function emitBinopLeft(fs: FuncState, op: Opr, e: ExpDesc): void {
  if (op === Opr.AND) emitBranchT(fs, e);
  else if (op === Opr.OR) emitBranchF(fs, e);
  else if (op === Opr.CONCAT) exprToNextReg(fs, e);
  else if (op === Opr.EQ || op === Opr.NE) { if (!e.isKNoJump()) exprToAnyReg(fs, e); }
  else if (!e.isNumKNoJump()) exprToAnyReg(fs, e);
}

export function emitBinop(fs: FuncState, op: Opr, e1: ExpDesc, e2: ExpDesc): void {
  if (op <= Opr.POW) {
    emitArith(fs, op, e1, e2);
  } else if (op === Opr.AND) {
    exprDischarge(fs, e2);
    e2.f = fs.jmpAppend(e2.f, e1.f);
    e1.copyFrom(e2);
  } else if (op === Opr.OR) {
    exprDischarge(fs, e2);
    e2.t = fs.jmpAppend(e2.t, e1.t);
    e1.copyFrom(e2);
  } else if (op === Opr.CONCAT) {
    exprToVal(fs, e2);
    if (e2.k === EK.RELOCABLE && bcOp(fs.ins[e2.info]) === Op.CAT) {
      // Extend the CAT of the right operand down to the left one.
      exprFree(fs, e1);
      fs.ins[e2.info] = setB(fs.ins[e2.info], e1.info);
      e1.info = e2.info;
    } else {
      exprToNextReg(fs, e2);
      exprFree(fs, e2);
      exprFree(fs, e1);
      e1.info = fs.emit(insABC(Op.CAT, 0, e1.info, e2.info));
    }
    e1.k = EK.RELOCABLE;
  } else {
    emitComp(fs, op, e1, e2);
  }
}

export function emitUnop(fs: FuncState, op: number, e: ExpDesc): void {
  if (op === Op.NOT) {
    const tmp = e.f; e.f = e.t; e.t = tmp;
    fs.jmpDropVal(e.f);
    fs.jmpDropVal(e.t);
    exprDischarge(fs, e);
    if (e.k === EK.KNIL || e.k === EK.KFALSE) {
      e.k = EK.KTRUE;
      return;
    } else if (e.isK()) {
      e.k = EK.KFALSE;
      return;
    } else if (e.k === EK.JMP) {
      invertCond(fs, e);
      return;
    } else if (e.k === EK.RELOCABLE) {
      fs.regReserve(1);
      fs.ins[e.info] = setA(fs.ins[e.info], fs.freereg - 1);
      e.info = fs.freereg - 1;
      e.k = EK.NONRELOC;
    }
  } else {
    if (op === Op.UNM && !e.hasJump() && e.isNumK() && !e.numIsZero()) {
      e.num = -e.num; // fold, but never into -0
      return;
    }
    exprToAnyReg(fs, e);
  }
  exprFree(fs, e);
  e.info = fs.emitAD(op, 0, e.info);
  e.k = EK.RELOCABLE;
}

/** bcA of an instruction, re-exported for the parser's CAT/CALL fixups. */
export { bcA, bcB };
