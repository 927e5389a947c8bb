// Per-function compiler state: constants, register allocation, jump lists and
// the instruction emitter (FuncState and its helpers in lj_parse.c).
import {
  BCMAX_D, NO_JMP, NO_REG, bcA, bcD, bcJ, bcOp, insAD, insAJ, setA, setD, setJ, setOp, BCBIAS_J,
} from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import type { Proto, TemplateTable } from "../bc/proto.ts";
import type { ParseState } from "./parsestate.ts";
import { ERRMSG, formatMessage } from "./errmsg.ts";

/** LJ_MAX_SLOTS: registers per function. */
export const LJ_MAX_SLOTS = 250;
export const LJ_MAX_LOCVAR = 200;
export const LJ_MAX_UPVAL = 60;
export const LJ_MAX_XLEVEL = 200;
/** Upvalue descriptors of a child before fixup: >= this means "parent upvalue + this". */
export const LJ_MAX_VSTACK = 65536 - LJ_MAX_UPVAL;

/** Scope flags (FSCOPE_* in lj_parse.c). */
export const FSCOPE_LOOP = 0x01;
export const FSCOPE_BREAK = 0x02;
export const FSCOPE_GOLA = 0x04;
export const FSCOPE_UPVAL = 0x08;
export const FSCOPE_NOCLOSE = 0x10;

/** Compile-time only prototype flags. */
export const PROTO_HAS_RETURN = 0x20;
export const PROTO_FIXUP_RETURN = 0x40;

export interface FuncScope {
  prev: FuncScope | null;
  /** vstack index where this block's variables, gotos and labels start. */
  vstart: number;
  /** Active variables outside the scope. */
  nactvar: number;
  flags: number;
}

export class FuncState {
  readonly ps: ParseState;
  readonly prev: FuncState | null;
  bl: FuncScope | null = null;
  pc = 0;
  lasttarget = 0;
  /** Pending jumps to the next instruction. */
  jpc = NO_JMP;
  freereg = 0;
  nactvar = 0;
  linedefined = 0;
  readonly vbase: number;
  flags = 0;
  numparams = 0;
  framesize = 1;
  nuv = 0;
  readonly ins: number[] = [];
  readonly lines: number[] = [];
  /** Register -> vstack index. */
  readonly varmap: number[] = [];
  /** Upvalue -> vstack index. */
  readonly uvmap: number[] = [];
  /** Upvalue descriptors before fixup (vstack index, or LJ_MAX_VSTACK + parent upvalue). */
  readonly uvtmp: number[] = [];
  readonly knum: number[] = [];
  readonly kgc: (string | Proto | TemplateTable)[] = [];
  private readonly knumIndex = new Map<number, number>();
  private readonly kgcIndex = new Map<string | object, number>();

  constructor(ps: ParseState) {
    this.ps = ps;
    this.prev = ps.fs;
    this.vbase = ps.vtop;
    ps.fs = this;
  }

  // -- Errors ---------------------------------------------------------------

  errLimit(limit: number, what: string): never {
    const lex = this.ps.lex;
    if (this.linedefined === 0) lex.error(0, formatMessage(ERRMSG.XLIMM, limit, what));
    return lex.error(0, formatMessage(ERRMSG.XLIMF, this.linedefined, limit, what));
  }

  checkLimit(v: number, limit: number, what: string): void {
    if (v >= limit) this.errLimit(limit, what);
  }

  // -- Constants ------------------------------------------------------------

  /** Index of a number constant, added on first use (-0 shares 0's slot, as in LuaJIT). */
  constNum(n: number): number {
    let idx = this.knumIndex.get(n);
    if (idx === undefined) {
      idx = this.knum.length;
      this.knumIndex.set(n, idx);
      this.knum.push(n);
    }
    return idx;
  }

  /** Index of a GC constant (string, prototype or template table). */
  constGC(obj: string | Proto | TemplateTable): number {
    let idx = this.kgcIndex.get(obj);
    if (idx === undefined) {
      idx = this.kgc.length;
      this.kgcIndex.set(obj, idx);
      this.kgc.push(obj);
    }
    return idx;
  }

  /** Index of a string constant if it already is one. */
  findStrConst(s: string): number | undefined {
    return this.kgcIndex.get(s);
  }

  // -- Jump lists -----------------------------------------------------------

  jmpNext(pc: number): number {
    const delta = bcJ(this.ins[pc]);
    return delta === NO_JMP ? NO_JMP : pc + 1 + delta;
  }

  /** True if any instruction on the list produces no value (not a test-and-copy). */
  jmpNoValue(list: number): boolean {
    for (; list !== NO_JMP; list = this.jmpNext(list)) {
      const p = this.ins[list >= 1 ? list - 1 : list];
      const op = bcOp(p);
      if (!(op === Op.ISTC || op === Op.ISFC || bcA(p) === NO_REG)) return true;
    }
    return false;
  }

  /** Make the test before a jump store into reg (or drop the value with NO_REG). */
  jmpPatchTestReg(pc: number, reg: number): boolean {
    const ip = pc >= 1 ? pc - 1 : pc;
    const ins = this.ins[ip];
    const op = bcOp(ins);
    if (op === Op.ISTC || op === Op.ISFC) {
      if (reg !== NO_REG && reg !== bcD(ins)) {
        this.ins[ip] = setA(ins, reg);
      } else {
        // Nothing to store, or already there: plain test.
        this.ins[ip] = setA(setOp(ins, op + (Op.IST - Op.ISTC)), 0);
      }
    } else if (bcA(ins) === NO_REG) {
      if (reg === NO_REG) {
        this.ins[ip] = insAJ(Op.JMP, bcA(this.ins[pc]), 0);
      } else {
        this.ins[ip] = setA(ins, reg);
        if (reg >= bcA(this.ins[ip + 1])) this.ins[ip + 1] = setA(this.ins[ip + 1], reg + 1);
      }
    } else {
      return false;
    }
    return true;
  }

  jmpDropVal(list: number): void {
    for (; list !== NO_JMP; list = this.jmpNext(list)) this.jmpPatchTestReg(list, NO_REG);
  }

  jmpPatchIns(pc: number, dest: number): void {
    const offset = dest - (pc + 1) + BCBIAS_J;
    if (offset < 0 || offset > BCMAX_D) this.ps.errSyntax(ERRMSG.XJUMP);
    this.ins[pc] = setD(this.ins[pc], offset);
  }

  /** Append list l2 to the list whose head is returned (l1 may be NO_JMP). */
  jmpAppend(l1: number, l2: number): number {
    if (l2 === NO_JMP) return l1;
    if (l1 === NO_JMP) return l2;
    let list = l1;
    let next: number;
    while ((next = this.jmpNext(list)) !== NO_JMP) list = next;
    this.jmpPatchIns(list, l2);
    return l1;
  }

  jmpPatchVal(list: number, vtarget: number, reg: number, dtarget: number): void {
    while (list !== NO_JMP) {
      const next = this.jmpNext(list);
      if (this.jmpPatchTestReg(list, reg)) this.jmpPatchIns(list, vtarget);
      else this.jmpPatchIns(list, dtarget);
      list = next;
    }
  }

  /** Let the jumps on the list go to the next instruction emitted. */
  jmpToHere(list: number): void {
    this.lasttarget = this.pc;
    this.jpc = this.jmpAppend(this.jpc, list);
  }

  jmpPatch(list: number, target: number): void {
    if (target === this.pc) this.jmpToHere(list);
    else this.jmpPatchVal(list, target, NO_REG, target);
  }

  // -- Registers ------------------------------------------------------------

  regBump(n: number): void {
    const sz = this.freereg + n;
    if (sz > this.framesize) {
      if (sz >= LJ_MAX_SLOTS) this.ps.errSyntax(ERRMSG.XSLOTS);
      this.framesize = sz;
    }
  }

  regReserve(n: number): void {
    this.regBump(n);
    this.freereg += n;
  }

  regFree(reg: number): void {
    if (reg >= this.nactvar) this.freereg--;
  }

  // -- Emitter --------------------------------------------------------------

  emit(ins: number): number {
    const pc = this.pc;
    this.jmpPatchVal(this.jpc, pc, NO_REG, pc);
    this.jpc = NO_JMP;
    this.ins[pc] = ins;
    this.lines[pc] = this.ps.lex.lastline;
    this.pc = pc + 1;
    return pc;
  }

  emitAD(op: number, a: number, d: number): number {
    return this.emit(insAD(op, a, d));
  }

  emitAJ(op: number, a: number, j: number): number {
    return this.emit(insAJ(op, a, j));
  }

  /** Unconditional jump; reuses a trailing UCLO as the jump when it can. */
  emitJmp(): number {
    const jpc = this.jpc;
    let j = this.pc - 1;
    this.jpc = NO_JMP;
    if (j >= this.lasttarget && bcOp(this.ins[j]) === Op.UCLO) {
      this.ins[j] = setJ(this.ins[j], NO_JMP);
      this.lasttarget = j + 1;
    } else {
      j = this.emitAJ(Op.JMP, this.freereg, NO_JMP);
    }
    return this.jmpAppend(j, jpc);
  }

  /** Set registers from..from+n-1 to nil, merging with a preceding KPRI/KNIL. */
  emitNil(from: number, n: number): void {
    if (this.pc > this.lasttarget) {
      const ip = this.pc - 1;
      const prev = this.ins[ip];
      const pfrom = bcA(prev);
      const op = bcOp(prev);
      if (op === Op.KPRI && bcD(prev) === 0) {
        if (from === pfrom) {
          if (n === 1) return;
          this.ins[ip] = insAD(Op.KNIL, from, from + n - 1);
          return;
        } else if (from === pfrom + 1) {
          from = pfrom;
          n++;
          this.ins[ip] = insAD(Op.KNIL, from, from + n - 1);
          return;
        }
      } else if (op === Op.KNIL) {
        const pto = bcD(prev);
        if (pfrom <= from && from <= pto + 1) {
          if (from + n - 1 > pto) this.ins[ip] = setD(prev, from + n - 1);
          return;
        }
      }
    }
    this.emit(n === 1 ? insAD(Op.KPRI, from, 0) : insAD(Op.KNIL, from, from + n - 1));
  }
}
