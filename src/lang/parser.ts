// Single-pass parser: expressions and statements straight to bytecode, with
// the same register allocation and instruction selection as lj_parse.c.
import { NO_JMP, bcA, bcC, bcOp, insABC, insAD, setB } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import { PROTO_CHILD, PROTO_VARARG, type KValue, type Proto, type TemplateTable } from "../bc/proto.ts";
import {
  emitBinop, emitBinopLeft, emitBranchT, emitMethod, emitStore, emitUnop, exprDischarge, exprFree,
  exprIndex, exprToAnyReg, exprToNextReg, exprToReg, exprToVal, Opr,
} from "./codegen.ts";
import { EK, ExpDesc } from "./expdesc.ts";
import {
  FSCOPE_BREAK, FSCOPE_GOLA, FSCOPE_LOOP, FSCOPE_UPVAL, FuncState, LJ_MAX_XLEVEL, type FuncScope, PROTO_FIXUP_RETURN, PROTO_HAS_RETURN,
} from "./funcstate.ts";
import { finishFunction } from "./finish.ts";
import type { Lexer } from "./lexer.ts";
import {
  NAME_BREAK, ParseState, VARNAME_FOR_CTL, VARNAME_FOR_GEN, VARNAME_FOR_IDX, VARNAME_FOR_STATE,
  VARNAME_FOR_STEP, VARNAME_FOR_STOP, VSTACK_GOTO, VSTACK_LABEL,
} from "./parsestate.ts";
import {
  golaFindLabel, golaNew, golaResolve, scopeBegin, scopeEnd, varAdd, varGet, varLookup, varNew,
} from "./scope.ts";
import { TK, tokenToString } from "./tokens.ts";
import { ERRMSG, formatMessage } from "./errmsg.ts";

/** FR2: calls keep an extra frame slot, so arguments start at base+2. */
const FR2 = 1;

/** Left and right priorities of binary operators, ORDER OPR. */
const PRIORITY: readonly (readonly [number, number])[] = [
  [6, 6], [6, 6], [7, 7], [7, 7], [7, 7], // + - * / %
  [10, 9], [5, 4],                        // ^ .. (right associative)
  [3, 3], [3, 3],                         // ~= ==
  [3, 3], [3, 3], [3, 3], [3, 3],         // < >= <= >
  [2, 2], [1, 1],                         // and or
];
const UNARY_PRIORITY = 8;

/** hsize2hbits in lj_tab.h: hash bits for a number of hash entries. */
function hsizeToHbits(s: number): number {
  if (s === 0) return 0;
  if (s === 1) return 1;
  return 1 + (31 - Math.clz32(s - 1));
}

interface LhsList {
  v: ExpDesc;
  prev: LhsList | null;
}

export class Parser {
  private readonly ps: ParseState;
  private readonly lex: Lexer;
  private readonly chunkname: string;

  constructor(lex: Lexer, chunkname: string) {
    this.lex = lex;
    this.ps = new ParseState(lex);
    this.chunkname = chunkname;
  }

  private get fs(): FuncState {
    return this.ps.fs as FuncState;
  }

  // -- Token helpers ---------------------------------------------------------

  private opt(tok: number): boolean {
    if (this.lex.tok === tok) {
      this.lex.next();
      return true;
    }
    return false;
  }

  private check(tok: number): void {
    if (this.lex.tok !== tok) this.ps.errToken(tok);
    this.lex.next();
  }

  /** Expect the closing token `what` of `who` opened at `line`. */
  private match(what: number, who: number, line: number): void {
    if (this.opt(what)) return;
    if (line === this.lex.linenumber) this.ps.errToken(what);
    this.lex.error(this.lex.tok, formatMessage(ERRMSG.XMATCH, tokenToString(what), tokenToString(who), line));
  }

  /** A name (goto is a valid name in Lua 5.1 mode). */
  private str(): string {
    const lex = this.lex;
    if (lex.tok !== TK.name && lex.tok !== TK.goto) this.ps.errToken(TK.name);
    const s = lex.tok === TK.goto ? "goto" : (lex.tokval as string);
    lex.next();
    return s;
  }

  private levelBegin(): void {
    if (++this.ps.level >= LJ_MAX_XLEVEL) this.lex.error(0, ERRMSG.XLEVELS);
  }

  private levelEnd(): void {
    this.ps.level--;
  }

  // -- Entry -----------------------------------------------------------------

  parseMain(): Proto {
    const fs = new FuncState(this.ps);
    fs.linedefined = 0;
    fs.flags |= PROTO_VARARG;
    scopeBegin(fs, 0);
    fs.emitAD(Op.FUNCV, 0, 0); // placeholder for the header
    this.lex.next();
    this.chunk();
    if (this.lex.tok !== TK.eof) this.ps.errToken(TK.eof);
    return finishFunction(fs, this.lex.linenumber, this.chunkname);
  }

  // -- Expressions -----------------------------------------------------------

  private exprStr(e: ExpDesc): void {
    e.init(EK.KSTR, 0);
    e.str = this.str();
  }

  private exprField(v: ExpDesc): void {
    const fs = this.fs;
    const key = new ExpDesc();
    exprToAnyReg(fs, v);
    this.lex.next(); // '.' or ':'
    this.exprStr(key);
    exprIndex(fs, v, key);
  }

  private exprBracket(v: ExpDesc): void {
    this.lex.next(); // '['
    this.expr(v);
    exprToVal(this.fs, v);
    this.check(0x5d /* ] */);
  }

  private static kvalue(e: ExpDesc): KValue {
    switch (e.k) {
      case EK.KNIL: return null;
      case EK.KFALSE: return false;
      case EK.KTRUE: return true;
      case EK.KSTR: return e.str;
      default: return e.num;
    }
  }

  private exprTable(e: ExpDesc): void {
    const fs = this.fs;
    const lex = this.lex;
    const line = lex.linenumber;
    let template: TemplateTable | null = null;
    let vcall = false;
    let needarr = false;
    let narr = 1;
    let nhash = 0;
    let freg = fs.freereg;
    const pc = fs.emitAD(Op.TNEW, freg, 0);
    e.init(EK.NONRELOC, freg);
    fs.regReserve(1);
    freg++;
    this.check(0x7b /* { */);
    while (lex.tok !== 0x7d /* } */) {
      const key = new ExpDesc();
      const val = new ExpDesc();
      vcall = false;
      if (lex.tok === 0x5b /* [ */) {
        this.exprBracket(key);
        if (!key.isK()) exprIndex(fs, e, key);
        if (key.isNumK() && key.numIsZero()) needarr = true;
        else nhash++;
        this.check(0x3d /* = */);
      } else if ((lex.tok === TK.name || lex.tok === TK.goto) && lex.peek() === 0x3d) {
        this.exprStr(key);
        this.check(0x3d);
        nhash++;
      } else {
        key.init(EK.KNUM, 0);
        key.num = narr;
        narr++;
        needarr = vcall = true;
      }
      this.expr(val);
      let nonconst = true;
      if (key.isK() && key.k !== EK.KNIL && (key.k === EK.KSTR || val.isKNoJump())) {
        if (!template) {
          template = { kind: "template", asize: needarr ? narr : 0, hbits: hsizeToHbits(nhash), sets: [], minAsize: 0 };
          fs.ins[pc] = insAD(Op.TDUP, freg - 1, fs.constGC(template));
        }
        vcall = false;
        // A non-constant value, or nil under a string key, still reserves its key.
        let v: KValue | undefined = undefined;
        if (val.isKNoJump()) {
          v = Parser.kvalue(val);
          if (v === null && key.k === EK.KSTR) v = undefined;
        }
        template.sets.push([Parser.kvalue(key), v]);
        nonconst = !val.isKNoJump();
      }
      if (nonconst) {
        if (val.k !== EK.CALL) {
          exprToAnyReg(fs, val);
          vcall = false;
        }
        if (key.isK()) exprIndex(fs, e, key);
        emitStore(fs, e, val);
      }
      fs.freereg = freg;
      if (!this.opt(0x2c /* , */) && !this.opt(0x3b /* ; */)) break;
    }
    this.match(0x7d, 0x7b, line);
    if (vcall) {
      // The last item is a multi-value call: store all its results with TSETM.
      let ilp = fs.pc - 1;
      const bias = 4503599627370496; // 2^52: keeps the constant an exact, non-denormal double
      if (narr > 256) {
        fs.pc--;
        ilp--;
      }
      fs.ins[ilp] = insAD(Op.TSETM, freg, fs.constNum(bias + narr - 1));
      fs.ins[ilp - 1] = setB(fs.ins[ilp - 1], 0);
    }
    if (pc === fs.pc - 1) {
      e.info = pc;
      fs.freereg--;
      e.k = EK.RELOCABLE;
    } else {
      e.k = EK.NONRELOC;
    }
    if (!template) {
      if (!needarr) narr = 0;
      else if (narr < 3) narr = 3;
      else if (narr > 0x7ff) narr = 0x7ff;
      fs.ins[pc] = insAD(Op.TNEW, bcA(fs.ins[pc]), narr | (hsizeToHbits(nhash) << 11));
    } else if (needarr) {
      template.minAsize = narr;
    }
  }

  private params(needself: boolean): number {
    const fs = this.fs;
    const lex = this.lex;
    let nparams = 0;
    this.check(0x28 /* ( */);
    if (needself) varNew(fs, nparams++, "self");
    if (lex.tok !== 0x29 /* ) */) {
      do {
        if (lex.tok === TK.name || lex.tok === TK.goto) {
          varNew(fs, nparams++, this.str());
        } else if (lex.tok === TK.dots) {
          lex.next();
          fs.flags |= PROTO_VARARG;
          break;
        } else {
          this.ps.errSyntax(ERRMSG.XPARAM);
        }
      } while (this.opt(0x2c));
    }
    varAdd(fs, nparams);
    fs.regReserve(nparams);
    this.check(0x29);
    return nparams;
  }

  private body(e: ExpDesc, needself: boolean, line: number): void {
    const pfs = this.fs;
    const fs = new FuncState(this.ps);
    scopeBegin(fs, 0);
    fs.linedefined = line;
    fs.numparams = this.params(needself);
    fs.emitAD(Op.FUNCF, 0, 0); // placeholder for the header
    this.chunk();
    if (this.lex.tok !== TK.end) this.match(TK.end, TK.function, line);
    this.lex.lastline = this.lex.linenumber;
    const pt = finishFunction(fs, this.lex.linenumber, this.chunkname);
    e.init(EK.RELOCABLE, pfs.emitAD(Op.FNEW, 0, pfs.constGC(pt)));
    if (!(pfs.flags & PROTO_CHILD)) {
      if (pfs.flags & PROTO_HAS_RETURN) pfs.flags |= PROTO_FIXUP_RETURN;
      pfs.flags |= PROTO_CHILD;
    }
    this.lex.next();
  }

  /** Parse a comma-separated list; all but the last are in consecutive registers. */
  private exprList(v: ExpDesc): number {
    let n = 1;
    this.expr(v);
    while (this.opt(0x2c)) {
      exprToNextReg(this.fs, v);
      this.expr(v);
      n++;
    }
    return n;
  }

  private args(e: ExpDesc): void {
    const fs = this.fs;
    const lex = this.lex;
    const args = new ExpDesc();
    const line = lex.linenumber;
    if (lex.tok === 0x28 /* ( */) {
      if (line !== lex.lastline) this.ps.errSyntax(ERRMSG.XAMBIG);
      lex.next();
      if ((lex.tok as number) === 0x29) {
        args.k = EK.VOID;
      } else {
        this.exprList(args);
        if (args.k === EK.CALL) fs.ins[args.info] = setB(fs.ins[args.info], 0);
      }
      this.match(0x29, 0x28, line);
    } else if (lex.tok === 0x7b /* { */) {
      this.exprTable(args);
    } else if (lex.tok === TK.string) {
      args.init(EK.KSTR, 0);
      args.str = lex.tokval as string;
      lex.next();
    } else {
      this.ps.errSyntax(ERRMSG.XFUNARG);
    }
    const base = e.info;
    let ins: number;
    if (args.k === EK.CALL) {
      ins = insABC(Op.CALLM, base, 2, args.aux - base - 1 - FR2);
    } else {
      if (args.k !== EK.VOID) exprToNextReg(fs, args);
      ins = insABC(Op.CALL, base, 2, fs.freereg - base - FR2);
    }
    e.init(EK.CALL, fs.emit(ins));
    e.aux = base;
    fs.lines[fs.pc - 1] = line;
    fs.freereg = base + 1;
  }

  private primary(v: ExpDesc): void {
    const fs = this.fs;
    const lex = this.lex;
    if (lex.tok === 0x28 /* ( */) {
      const line = lex.linenumber;
      lex.next();
      this.expr(v);
      this.match(0x29, 0x28, line);
      exprDischarge(this.fs, v);
    } else if (lex.tok === TK.name || lex.tok === TK.goto) {
      varLookup(this.fs, this.str(), v, true);
    } else {
      this.ps.errSyntax(ERRMSG.XSYMBOL);
    }
    for (;;) {
      const tok = lex.tok;
      if (tok === 0x2e /* . */) {
        this.exprField(v);
      } else if (tok === 0x5b /* [ */) {
        const key = new ExpDesc();
        exprToAnyReg(fs, v);
        this.exprBracket(key);
        exprIndex(fs, v, key);
      } else if (tok === 0x3a /* : */) {
        const key = new ExpDesc();
        lex.next();
        this.exprStr(key);
        emitMethod(fs, v, key);
        this.args(v);
      } else if (tok === 0x28 || tok === TK.string || tok === 0x7b) {
        exprToNextReg(fs, v);
        fs.regReserve(FR2);
        this.args(v);
      } else {
        break;
      }
    }
  }

  private simple(v: ExpDesc): void {
    const lex = this.lex;
    switch (lex.tok) {
      case TK.number:
        v.init(EK.KNUM, 0);
        v.num = lex.tokval as number;
        break;
      case TK.string:
        v.init(EK.KSTR, 0);
        v.str = lex.tokval as string;
        break;
      case TK.nil:
        v.init(EK.KNIL, 0);
        break;
      case TK.true:
        v.init(EK.KTRUE, 0);
        break;
      case TK.false:
        v.init(EK.KFALSE, 0);
        break;
      case TK.dots: {
        const fs = this.fs;
        if (!(fs.flags & PROTO_VARARG)) this.ps.errSyntax(ERRMSG.XDOTS);
        fs.regReserve(1);
        const base = fs.freereg - 1;
        v.init(EK.CALL, fs.emit(insABC(Op.VARG, base, 2, fs.numparams)));
        v.aux = base;
        break;
      }
      case 0x7b /* { */:
        this.exprTable(v);
        return;
      case TK.function:
        lex.next();
        this.body(v, false, lex.linenumber);
        return;
      default:
        this.primary(v);
        return;
    }
    lex.next();
  }

  private static binop(tok: number): Opr {
    switch (tok) {
      case 0x2b: return Opr.ADD;
      case 0x2d: return Opr.SUB;
      case 0x2a: return Opr.MUL;
      case 0x2f: return Opr.DIV;
      case 0x25: return Opr.MOD;
      case 0x5e: return Opr.POW;
      case TK.concat: return Opr.CONCAT;
      case TK.ne: return Opr.NE;
      case TK.eq: return Opr.EQ;
      case 0x3c: return Opr.LT;
      case TK.le: return Opr.LE;
      case 0x3e: return Opr.GT;
      case TK.ge: return Opr.GE;
      case TK.and: return Opr.AND;
      case TK.or: return Opr.OR;
      default: return Opr.NONE;
    }
  }

  private unop(v: ExpDesc): void {
    const lex = this.lex;
    let op: number;
    if (lex.tok === TK.not) op = Op.NOT;
    else if (lex.tok === 0x2d /* - */) op = Op.UNM;
    else if (lex.tok === 0x23 /* # */) op = Op.LEN;
    else {
      this.simple(v);
      return;
    }
    lex.next();
    this.binopExpr(v, UNARY_PRIORITY);
    emitUnop(this.fs, op, v);
  }

  /** Parse operators binding tighter than `limit`; return the first one that doesn't. */
  private binopExpr(v: ExpDesc, limit: number): Opr {
    this.levelBegin();
    this.unop(v);
    let op = Parser.binop(this.lex.tok);
    while (op !== Opr.NONE && PRIORITY[op][0] > limit) {
      const v2 = new ExpDesc();
      this.lex.next();
      emitBinopLeft(this.fs, op, v);
      const nextop = this.binopExpr(v2, PRIORITY[op][1]);
      emitBinop(this.fs, op, v, v2);
      op = nextop;
    }
    this.levelEnd();
    return op;
  }

  private expr(v: ExpDesc): void {
    this.binopExpr(v, 0);
  }

  private exprNext(): void {
    const e = new ExpDesc();
    this.expr(e);
    exprToNextReg(this.fs, e);
  }

  /** Parse a condition; returns the jump list taken when it is false. */
  private cond(): number {
    const v = new ExpDesc();
    this.expr(v);
    if (v.k === EK.KNIL) v.k = EK.KFALSE;
    emitBranchT(this.fs, v);
    return v.f;
  }

  // -- Assignments -----------------------------------------------------------

  /** `t[i], t = ...`: copy a local that an earlier target still needs before it is overwritten. */
  private assignHazard(lh: LhsList | null, v: ExpDesc): void {
    const fs = this.fs;
    const reg = v.info;
    const tmp = fs.freereg;
    let hazard = false;
    for (; lh; lh = lh.prev) {
      if (lh.v.k === EK.INDEXED) {
        if (lh.v.info === reg) {
          hazard = true;
          lh.v.info = tmp;
        }
        if (lh.v.aux === reg) {
          hazard = true;
          lh.v.aux = tmp;
        }
      }
    }
    if (hazard) {
      fs.emitAD(Op.MOV, tmp, reg);
      fs.regReserve(1);
    }
  }

  /** Balance nvars targets against nexps values (the last one is e). */
  private assignAdjust(nvars: number, nexps: number, e: ExpDesc): void {
    const fs = this.fs;
    let extra = nvars - nexps;
    if (e.k === EK.CALL) {
      extra++;
      if (extra < 0) extra = 0;
      fs.ins[e.info] = setB(fs.ins[e.info], extra + 1);
      if (extra > 1) fs.regReserve(extra - 1);
    } else {
      if (e.k !== EK.VOID) exprToNextReg(fs, e);
      if (extra > 0) {
        const reg = fs.freereg;
        fs.regReserve(extra);
        fs.emitNil(reg, extra);
      }
    }
    if (nexps > nvars) fs.freereg -= nexps - nvars;
  }

  private assignment(lh: LhsList, nvars: number): void {
    const e = new ExpDesc();
    if (!(EK.LOCAL <= lh.v.k && lh.v.k <= EK.INDEXED)) this.ps.errSyntax(ERRMSG.XSYNTAX);
    if (this.opt(0x2c /* , */)) {
      const vl: LhsList = { v: new ExpDesc(), prev: lh };
      this.primary(vl.v);
      if (vl.v.k === EK.LOCAL) this.assignHazard(lh, vl.v);
      this.fs.checkLimit(this.ps.level + nvars, LJ_MAX_XLEVEL, "variable names");
      this.assignment(vl, nvars + 1);
    } else {
      this.check(0x3d /* = */);
      const nexps = this.exprList(e);
      if (nexps === nvars) {
        if (e.k === EK.CALL) {
          const fs = this.fs;
          if (bcOp(fs.ins[e.info]) === Op.VARG) {
            fs.freereg--;
            e.k = EK.RELOCABLE;
          } else {
            e.info = e.aux;
            e.k = EK.NONRELOC;
          }
        }
        emitStore(this.fs, lh.v, e);
        return;
      }
      this.assignAdjust(nvars, nexps, e);
    }
    e.init(EK.NONRELOC, this.fs.freereg - 1);
    emitStore(this.fs, lh.v, e);
  }

  private callOrAssign(): void {
    const fs = this.fs;
    const vl: LhsList = { v: new ExpDesc(), prev: null };
    this.primary(vl.v);
    if (vl.v.k === EK.CALL) {
      fs.ins[vl.v.info] = setB(fs.ins[vl.v.info], 1); // no results
    } else {
      this.assignment(vl, 1);
    }
  }

  private local(): void {
    const fs = this.fs;
    if (this.opt(TK.function)) {
      const v = new ExpDesc();
      const b = new ExpDesc();
      varNew(fs, 0, this.str());
      v.init(EK.LOCAL, fs.freereg);
      v.aux = fs.varmap[fs.freereg];
      fs.regReserve(1);
      varAdd(fs, 1);
      this.body(b, false, this.lex.linenumber);
      // A store that does not mark the local as written to.
      exprFree(fs, b);
      exprToReg(fs, b, v.info);
      // The upvalue is in scope, but the local is only valid after the store.
      varGet(fs, fs.nactvar - 1).startpc = fs.pc;
    } else {
      const e = new ExpDesc();
      let nvars = 0;
      let nexps: number;
      do {
        varNew(fs, nvars++, this.str());
      } while (this.opt(0x2c));
      if (this.opt(0x3d)) {
        nexps = this.exprList(e);
      } else {
        e.k = EK.VOID;
        nexps = 0;
      }
      this.assignAdjust(nvars, nexps, e);
      varAdd(fs, nvars);
    }
  }

  private func(line: number): void {
    const v = new ExpDesc();
    const b = new ExpDesc();
    let needself = false;
    this.lex.next();
    varLookup(this.fs, this.str(), v, true);
    while (this.lex.tok === 0x2e /* . */) this.exprField(v);
    if (this.lex.tok === 0x3a /* : */) {
      needself = true;
      this.exprField(v);
    }
    this.body(b, needself, line);
    const fs = this.fs;
    emitStore(fs, v, b);
    fs.lines[fs.pc - 1] = line;
  }

  // -- Control flow ----------------------------------------------------------

  private static isBlockEnd(tok: number): boolean {
    return tok === TK.else || tok === TK.elseif || tok === TK.end || tok === TK.until || tok === TK.eof;
  }

  private return_(): void {
    const fs = this.fs;
    const lex = this.lex;
    let ins: number;
    lex.next();
    fs.flags |= PROTO_HAS_RETURN;
    if (Parser.isBlockEnd(lex.tok) || lex.tok === 0x3b /* ; */) {
      ins = insAD(Op.RET0, 0, 1);
    } else {
      const e = new ExpDesc();
      const nret = this.exprList(e);
      if (nret === 1 && e.k === EK.CALL && bcOp(fs.ins[e.info]) !== Op.VARG) {
        // Tail call: replace the CALL/CALLM with CALLT/CALLMT.
        const call = fs.ins[e.info];
        fs.pc--;
        ins = insAD(bcOp(call) - Op.CALL + Op.CALLT, bcA(call), bcC(call));
      } else if (nret === 1 && e.k !== EK.CALL) {
        ins = insAD(Op.RET1, exprToAnyReg(fs, e), 2);
      } else if (e.k === EK.CALL) {
        // Return all results of a call (or of `...`).
        fs.ins[e.info] = setB(fs.ins[e.info], 0);
        ins = insAD(Op.RETM, fs.nactvar, e.aux - fs.nactvar);
      } else {
        exprToNextReg(fs, e);
        ins = insAD(Op.RET, fs.nactvar, nret + 1);
      }
    }
    if (fs.flags & PROTO_CHILD) fs.emitAJ(Op.UCLO, 0, 0);
    fs.emit(ins);
  }

  private break_(): void {
    const fs = this.fs;
    (fs.bl as FuncScope).flags |= FSCOPE_BREAK;
    golaNew(fs, NAME_BREAK, VSTACK_GOTO, fs.emitJmp());
  }

  private goto_(): void {
    const fs = this.fs;
    const name = this.str();
    const vl = golaFindLabel(fs, name);
    // A backward goto within the same block is a loop.
    if (vl) fs.emitAJ(Op.LOOP, vl.slot, -1);
    (fs.bl as FuncScope).flags |= FSCOPE_GOLA;
    golaNew(fs, name, VSTACK_GOTO, fs.emitJmp());
  }

  private label(): void {
    const fs = this.fs;
    const lex = this.lex;
    fs.lasttarget = fs.pc;
    (fs.bl as FuncScope).flags |= FSCOPE_GOLA;
    lex.next(); // '::'
    const name = this.str();
    if (golaFindLabel(fs, name)) lex.error(0, formatMessage(ERRMSG.XLDUP, name));
    const idx = golaNew(fs, name, VSTACK_LABEL, fs.pc);
    this.check(TK.label);
    while (lex.tok === TK.label) {
      this.levelBegin();
      this.label();
      this.levelEnd();
    }
    // A label at the end of a block is outside the scope of its locals.
    if (Parser.isBlockEnd(lex.tok) && lex.tok !== TK.until) {
      this.ps.vstack[idx].slot = (fs.bl as FuncScope).nactvar;
    }
    golaResolve(fs, fs.bl as FuncScope, idx);
  }

  private block(): void {
    const fs = this.fs;
    scopeBegin(fs, 0);
    this.chunk();
    scopeEnd(fs);
  }

  private while_(line: number): void {
    const fs = this.fs;
    this.lex.next();
    const start = (fs.lasttarget = fs.pc);
    const condexit = this.cond();
    scopeBegin(fs, FSCOPE_LOOP);
    this.check(TK.do);
    const loop = fs.emitAD(Op.LOOP, fs.nactvar, 0);
    this.block();
    fs.jmpPatch(fs.emitJmp(), start);
    this.match(TK.end, TK.while, line);
    scopeEnd(fs);
    fs.jmpToHere(condexit);
    fs.jmpPatchIns(loop, fs.pc);
  }

  private repeat(line: number): void {
    const fs = this.fs;
    const loop = (fs.lasttarget = fs.pc);
    scopeBegin(fs, FSCOPE_LOOP);
    const inner = scopeBegin(fs, 0);
    this.lex.next();
    fs.emitAD(Op.LOOP, fs.nactvar, 0);
    this.chunk();
    this.match(TK.until, TK.repeat, line);
    let condexit = this.cond(); // still inside the inner scope
    if (!(inner.flags & FSCOPE_UPVAL)) {
      scopeEnd(fs);
    } else {
      // cond: UCLO + jump out; !cond: UCLO + jump back.
      this.break_();
      fs.jmpToHere(condexit);
      scopeEnd(fs);
      condexit = fs.emitJmp();
    }
    fs.jmpPatch(condexit, loop);
    fs.jmpPatchIns(loop, fs.pc);
    scopeEnd(fs);
  }

  private forNum(varname: string, line: number): void {
    const fs = this.fs;
    const base = fs.freereg;
    varNew(fs, 0, VARNAME_FOR_IDX);
    varNew(fs, 1, VARNAME_FOR_STOP);
    varNew(fs, 2, VARNAME_FOR_STEP);
    varNew(fs, 3, varname);
    this.check(0x3d /* = */);
    this.exprNext();
    this.check(0x2c);
    this.exprNext();
    if (this.opt(0x2c)) {
      this.exprNext();
    } else {
      fs.emitAD(Op.KSHORT, fs.freereg, 1);
      fs.regReserve(1);
    }
    varAdd(fs, 3);
    this.check(TK.do);
    const loop = fs.emitAJ(Op.FORI, base, NO_JMP);
    scopeBegin(fs, 0);
    varAdd(fs, 1);
    fs.regReserve(1);
    this.block();
    scopeEnd(fs);
    // Loop inversion: the loop control instruction is at the end.
    const loopend = fs.emitAJ(Op.FORL, base, NO_JMP);
    fs.lines[loopend] = line;
    fs.jmpPatchIns(loopend, loop + 1);
    fs.jmpPatchIns(loop, fs.pc);
  }

  /** Guess whether the iterator is next() (pairs/next by name), to emit ISNEXT/ITERN. */
  private predictNext(pc: number): boolean {
    const fs = this.fs;
    const ins = fs.ins[pc];
    let name: string | null;
    switch (bcOp(ins)) {
      case Op.MOV: {
        const d = ins >>> 16;
        if (d >= fs.nactvar) return false;
        name = varGet(fs, d).name;
        break;
      }
      case Op.UGET:
        name = this.ps.vstack[fs.uvmap[ins >>> 16]].name;
        break;
      case Op.GGET: {
        const d = ins >>> 16;
        return fs.findStrConst("pairs") === d || fs.findStrConst("next") === d;
      }
      default:
        return false;
    }
    return name === "pairs" || name === "next";
  }

  private forIter(indexname: string): void {
    const fs = this.fs;
    const e = new ExpDesc();
    let nvars = 0;
    const base = fs.freereg + 3;
    const exprpc = fs.pc;
    varNew(fs, nvars++, VARNAME_FOR_GEN);
    varNew(fs, nvars++, VARNAME_FOR_STATE);
    varNew(fs, nvars++, VARNAME_FOR_CTL);
    varNew(fs, nvars++, indexname);
    while (this.opt(0x2c)) varNew(fs, nvars++, this.str());
    this.check(TK.in);
    const line = this.lex.linenumber;
    this.assignAdjust(3, this.exprList(e), e);
    // The iterator call needs 3 more slots plus the FR2 frame slot.
    fs.regBump(3 + FR2);
    const isnext = nvars <= 5 && fs.pc > exprpc && this.predictNext(exprpc);
    varAdd(fs, 3);
    this.check(TK.do);
    const loop = fs.emitAJ(isnext ? Op.ISNEXT : Op.JMP, base, NO_JMP);
    scopeBegin(fs, 0);
    varAdd(fs, nvars - 3);
    fs.regReserve(nvars - 3);
    this.block();
    scopeEnd(fs);
    fs.jmpPatchIns(loop, fs.pc);
    fs.emit(insABC(isnext ? Op.ITERN : Op.ITERC, base, nvars - 3 + 1, 2 + 1));
    const loopend = fs.emitAJ(Op.ITERL, base, NO_JMP);
    fs.lines[loopend - 1] = line;
    fs.lines[loopend] = line;
    fs.jmpPatchIns(loopend, loop + 1);
  }

  private for_(line: number): void {
    const fs = this.fs;
    scopeBegin(fs, FSCOPE_LOOP);
    this.lex.next();
    const varname = this.str();
    const tok = this.lex.tok;
    if (tok === 0x3d /* = */) this.forNum(varname, line);
    else if (tok === 0x2c || tok === TK.in) this.forIter(varname);
    else this.ps.errSyntax(ERRMSG.XFOR);
    this.match(TK.end, TK.for, line);
    scopeEnd(fs);
  }

  private then(): number {
    this.lex.next();
    const condexit = this.cond();
    this.check(TK.then);
    this.block();
    return condexit;
  }

  private if_(line: number): void {
    const fs = this.fs;
    let escapelist = NO_JMP;
    let flist = this.then();
    while (this.lex.tok === TK.elseif) {
      escapelist = fs.jmpAppend(escapelist, fs.emitJmp());
      fs.jmpToHere(flist);
      flist = this.then();
    }
    if (this.lex.tok === TK.else) {
      escapelist = fs.jmpAppend(escapelist, fs.emitJmp());
      fs.jmpToHere(flist);
      this.lex.next();
      this.block();
    } else {
      escapelist = fs.jmpAppend(escapelist, flist);
    }
    fs.jmpToHere(escapelist);
    this.match(TK.end, TK.if, line);
  }

  // -- Statements ------------------------------------------------------------

  /** Parse one statement; true if it must be the last of its block. */
  private statement(): boolean {
    const lex = this.lex;
    const line = lex.linenumber;
    switch (lex.tok) {
      case TK.if: this.if_(line); break;
      case TK.while: this.while_(line); break;
      case TK.do:
        lex.next();
        this.block();
        this.match(TK.end, TK.do, line);
        break;
      case TK.for: this.for_(line); break;
      case TK.repeat: this.repeat(line); break;
      case TK.function: this.func(line); break;
      case TK.local:
        lex.next();
        this.local();
        break;
      case TK.return:
        this.return_();
        return true;
      case TK.break:
        lex.next();
        this.break_();
        return true; // must be last in Lua 5.1
      case TK.label:
        this.label();
        break;
      case TK.goto:
        if (lex.peek() === TK.name) {
          lex.next();
          this.goto_();
          break;
        }
        this.callOrAssign();
        break;
      default:
        this.callOrAssign();
        break;
    }
    return false;
  }

  private chunk(): void {
    let islast = false;
    this.levelBegin();
    while (!islast && !Parser.isBlockEnd(this.lex.tok)) {
      islast = this.statement();
      this.opt(0x3b /* ; */);
      const fs = this.fs;
      fs.freereg = fs.nactvar; // free temporaries after each statement
    }
    this.levelEnd();
  }
}
