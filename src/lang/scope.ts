// Variables, upvalues, gotos/labels and block scopes (the var_*, gola_* and
// fscope_* parts of lj_parse.c).
import { NO_JMP, bcOp, insAJ, setA, setJ, setOp } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import { EK, type ExpDesc } from "./expdesc.ts";
import {
  FSCOPE_BREAK, FSCOPE_GOLA, FSCOPE_LOOP, FSCOPE_NOCLOSE, FSCOPE_UPVAL, LJ_MAX_LOCVAR, LJ_MAX_UPVAL,
  LJ_MAX_VSTACK, type FuncScope, type FuncState,
} from "./funcstate.ts";
import { NAME_BREAK, VSTACK_GOTO, VSTACK_LABEL, type ParseState, type VarSlot } from "./parsestate.ts";
import { ERRMSG, formatMessage } from "./errmsg.ts";

// -- Local variables ---------------------------------------------------------

/** Declare the n-th new local (not yet active). */
export function varNew(fs: FuncState, n: number, name: string): void {
  fs.checkLimit(fs.nactvar + n, LJ_MAX_LOCVAR, "local variables");
  fs.varmap[fs.nactvar + n] = fs.ps.vstackPush(name, 0, 0, 0);
}

/** Activate the nvars locals declared last. */
export function varAdd(fs: FuncState, nvars: number): void {
  const vstack = fs.ps.vstack;
  let nactvar = fs.nactvar;
  while (nvars-- > 0) {
    const v = vstack[fs.varmap[nactvar]];
    v.startpc = fs.pc;
    v.slot = nactvar++;
    v.info = 0;
  }
  fs.nactvar = nactvar;
}

export function varRemove(fs: FuncState, tolevel: number): void {
  const vstack = fs.ps.vstack;
  while (fs.nactvar > tolevel) vstack[fs.varmap[--fs.nactvar]].endpc = fs.pc;
}

export function varGet(fs: FuncState, reg: number): VarSlot {
  return fs.ps.vstack[fs.varmap[reg]];
}

function varLookupLocal(fs: FuncState, name: string): number {
  for (let i = fs.nactvar - 1; i >= 0; i--) {
    if (varGet(fs, i).name === name) return i;
  }
  return -1;
}

function varLookupUpval(fs: FuncState, vidx: number, e: ExpDesc): number {
  const n = fs.nuv;
  for (let i = 0; i < n; i++) if (fs.uvmap[i] === vidx) return i;
  fs.checkLimit(fs.nuv, LJ_MAX_UPVAL, "upvalues");
  fs.uvmap[n] = vidx;
  fs.uvtmp[n] = e.k === EK.LOCAL ? vidx : LJ_MAX_VSTACK + e.info;
  fs.nuv = n + 1;
  return n;
}

/** Resolve a name to a local, an upvalue (created along the way) or a global. */
export function varLookup(fs: FuncState | null, name: string, e: ExpDesc, first: boolean): number {
  if (fs) {
    const reg = varLookupLocal(fs, name);
    if (reg >= 0) {
      e.init(EK.LOCAL, reg);
      if (!first) scopeMarkUpval(fs, reg);
      return (e.aux = fs.varmap[reg]);
    }
    const vidx = varLookup(fs.prev, name, e, false);
    if (vidx >= 0) {
      e.info = varLookupUpval(fs, vidx, e);
      e.k = EK.UPVAL;
      return vidx;
    }
  } else {
    e.init(EK.GLOBAL, 0);
    e.str = name;
  }
  return -1;
}

// -- Gotos and labels --------------------------------------------------------

export function golaNew(fs: FuncState, name: string, info: number, pc: number): number {
  return fs.ps.vstackPush(name, pc, fs.nactvar, info);
}

function golaPatch(fs: FuncState, vg: VarSlot, vl: VarSlot): void {
  const pc = vg.startpc;
  vg.name = null;
  fs.ins[pc] = setA(fs.ins[pc], vl.slot);
  fs.jmpPatch(pc, vl.startpc);
}

/** Turn a goto leaving an upvalue scope into UCLO + jump. */
function golaClose(fs: FuncState, vg: VarSlot): void {
  const pc = vg.startpc;
  fs.ins[pc] = setA(fs.ins[pc], vg.slot);
  if (bcOp(fs.ins[pc]) === Op.JMP) {
    const next = fs.jmpNext(pc);
    if (next !== NO_JMP) fs.jmpPatch(next, pc);
    fs.ins[pc] = setJ(setOp(fs.ins[pc], Op.UCLO), NO_JMP);
  }
}

/** Resolve pending forward gotos of this block to the label at idx. */
export function golaResolve(fs: FuncState, bl: FuncScope, idx: number): void {
  const ps = fs.ps;
  const vl = ps.vstack[idx];
  for (let i = bl.vstart; i < idx; i++) {
    const vg = ps.vstack[i];
    if (vg.name === vl.name && (vg.info & VSTACK_GOTO)) {
      if (vg.slot < vl.slot) {
        const local = varGet(fs, vg.slot).name as string;
        ps.lex.linenumber = fs.lines[vg.startpc];
        ps.lex.error(0, formatMessage(ERRMSG.XGSCOPE, vg.name as string, local));
      }
      golaPatch(fs, vg, vl);
    }
  }
}

/** At the end of a block: resolve backward gotos, pass the rest outwards. */
function golaFixup(fs: FuncState, bl: FuncScope): void {
  const ps = fs.ps;
  const ve = ps.vtop;
  for (let i = bl.vstart; i < ve; i++) {
    const v = ps.vstack[i];
    const name = v.name;
    if (name === null) continue;
    if (v.info & VSTACK_LABEL) {
      v.name = null;
      for (let j = i + 1; j < ve; j++) {
        const vg = ps.vstack[j];
        if (vg.name === name && (vg.info & VSTACK_GOTO)) {
          if ((bl.flags & FSCOPE_UPVAL) && vg.slot > v.slot) golaClose(fs, vg);
          golaPatch(fs, vg, v);
        }
      }
    } else if (v.info & VSTACK_GOTO) {
      if (bl.prev) {
        bl.prev.flags |= name === NAME_BREAK ? FSCOPE_BREAK : FSCOPE_GOLA;
        v.slot = bl.nactvar;
        if (bl.flags & FSCOPE_UPVAL) golaClose(fs, v);
      } else {
        ps.lex.linenumber = fs.lines[v.startpc];
        if (name === NAME_BREAK) ps.lex.error(0, ERRMSG.XBREAK);
        ps.lex.error(0, formatMessage(ERRMSG.XLUNDEF, name));
      }
    }
  }
}

export function golaFindLabel(fs: FuncState, name: string): VarSlot | undefined {
  const ps = fs.ps;
  for (let i = (fs.bl as FuncScope).vstart; i < ps.vtop; i++) {
    const v = ps.vstack[i];
    if (v.name === name && (v.info & VSTACK_LABEL)) return v;
  }
  return undefined;
}

// -- Scopes ------------------------------------------------------------------

export function scopeBegin(fs: FuncState, flags: number): FuncScope {
  const bl: FuncScope = { prev: fs.bl, vstart: fs.ps.vtop, nactvar: fs.nactvar, flags };
  fs.bl = bl;
  return bl;
}

export function scopeEnd(fs: FuncState): void {
  const bl = fs.bl as FuncScope;
  const ps: ParseState = fs.ps;
  fs.bl = bl.prev;
  varRemove(fs, bl.nactvar);
  fs.freereg = fs.nactvar;
  if ((bl.flags & (FSCOPE_UPVAL | FSCOPE_NOCLOSE)) === FSCOPE_UPVAL) {
    fs.emit(insAJ(Op.UCLO, bl.nactvar, 0));
  }
  if (bl.flags & FSCOPE_BREAK) {
    if (bl.flags & FSCOPE_LOOP) {
      const idx = golaNew(fs, NAME_BREAK, VSTACK_LABEL, fs.pc);
      ps.vtop = idx; // the break label is dropped at once
      golaResolve(fs, bl, idx);
    } else {
      golaFixup(fs, bl); // propagates the breaks outwards
      return;
    }
  }
  if (bl.flags & FSCOPE_GOLA) golaFixup(fs, bl);
}

/** Mark the scope that declares register `level` as having a captured local. */
export function scopeMarkUpval(fs: FuncState, level: number): void {
  let bl = fs.bl;
  while (bl && bl.nactvar > level) bl = bl.prev;
  if (bl) bl.flags |= FSCOPE_UPVAL;
}
