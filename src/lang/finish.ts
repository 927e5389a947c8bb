// Final fixups of a function and construction of its Proto: the implicit
// return, upvalue descriptors, line and variable info (fs_finish in lj_parse.c).
import { BCBIAS_J, BCMAX_D, bcOp, insAD, insAJ } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import {
  PROTO_UV_IMMUTABLE, PROTO_UV_LOCAL, PROTO_VARARG, isProto, type Proto, type VarInfo,
} from "../bc/proto.ts";
import {
  FSCOPE_NOCLOSE, FSCOPE_UPVAL, LJ_MAX_VSTACK, PROTO_FIXUP_RETURN, PROTO_HAS_RETURN, type FuncScope,
  type FuncState,
} from "./funcstate.ts";
import { VSTACK_GOTO, VSTACK_LABEL, VSTACK_VAR_RW } from "./parsestate.ts";
import { scopeEnd } from "./scope.ts";
import { ERRMSG } from "./errmsg.ts";
import { markMutable } from "../util/shapes.ts";

function isReturnOp(op: number): boolean {
  return op === Op.CALLMT || op === Op.CALLT || op === Op.RETM || op === Op.RET ||
    op === Op.RET0 || op === Op.RET1;
}

/** Add the final RET0 if needed, close the scope, and fix returns emitted before the first closure. */
function fixupReturn(fs: FuncState): void {
  const lastpc = fs.pc;
  const bl = fs.bl as FuncScope;
  if (lastpc <= fs.lasttarget || !isReturnOp(bcOp(fs.ins[lastpc - 1]))) {
    if (bl.flags & FSCOPE_UPVAL) fs.emit(insAJ(Op.UCLO, 0, 0));
    fs.emitAD(Op.RET0, 0, 1);
  }
  bl.flags |= FSCOPE_NOCLOSE;
  scopeEnd(fs);
  if (!(fs.flags & PROTO_FIXUP_RETURN)) return;
  // Returns before the first FNEW could not know upvalues need closing:
  // move each to the end and replace it with UCLO + jump.
  for (let pc = 1; pc < lastpc; pc++) {
    const ins = fs.ins[pc];
    const op = bcOp(ins);
    if (op === Op.FNEW) return;
    if (isReturnOp(op)) {
      const copy = fs.emit(ins);
      fs.lines[copy] = fs.lines[pc];
      const offset = copy - (pc + 1) + BCBIAS_J;
      if (offset > BCMAX_D) fs.ps.errSyntax(ERRMSG.XFIXUP);
      fs.ins[pc] = insAD(Op.UCLO, 0, offset);
    }
  }
}

/** Turn a child's raw upvalue references into descriptors, now that the parent's locals are known. */
function fixupChildUpvalues(fs: FuncState, child: Proto): void {
  const vstack = fs.ps.vstack;
  const uv = child.uv;
  for (let i = 0; i < uv.length; i++) {
    const vidx = uv[i];
    if (vidx >= LJ_MAX_VSTACK) {
      uv[i] = vidx - LJ_MAX_VSTACK;
    } else {
      const v = vstack[vidx];
      uv[i] = v.slot | PROTO_UV_LOCAL | ((v.info & VSTACK_VAR_RW) ? 0 : PROTO_UV_IMMUTABLE);
    }
  }
}

function collectVarInfo(fs: FuncState): VarInfo[] {
  const ps = fs.ps;
  const out: VarInfo[] = [];
  for (let i = fs.vbase; i < ps.vtop; i++) {
    const v = ps.vstack[i];
    if (v.info & (VSTACK_GOTO | VSTACK_LABEL)) continue;
    out.push({ name: v.name as string, startpc: v.startpc, endpc: v.endpc });
  }
  return out;
}

/** Finish the current function (its last line is `line`) and return its Proto. */
export function finishFunction(fs: FuncState, line: number, chunkname: string): Proto {
  const ps = fs.ps;
  fixupReturn(fs);
  const n = fs.pc;
  if (fs.knum.length > BCMAX_D + 1 || fs.kgc.length > BCMAX_D + 1) fs.errLimit(BCMAX_D + 1, "constants");
  const bc = new Uint32Array(n);
  const lineinfo = new Int32Array(n);
  bc[0] = insAD(fs.flags & PROTO_VARARG ? Op.FUNCV : Op.FUNCF, fs.framesize, 0);
  lineinfo[0] = fs.linedefined;
  for (let i = 1; i < n; i++) {
    bc[i] = fs.ins[i];
    lineinfo[i] = fs.lines[i];
  }
  for (const k of fs.kgc) if (isProto(k)) fixupChildUpvalues(fs, k);
  const pt: Proto = {
    kind: "proto",
    chunkname,
    firstline: fs.linedefined,
    numline: line - fs.linedefined,
    numparams: fs.numparams,
    framesize: fs.framesize,
    flags: fs.flags & ~(PROTO_HAS_RETURN | PROTO_FIXUP_RETURN),
    bc,
    lineinfo,
    knum: fs.knum,
    kgc: fs.kgc,
    uv: fs.uvtmp.slice(0, fs.nuv),
    uvnames: fs.uvmap.slice(0, fs.nuv).map((vidx) => ps.vstack[vidx].name as string),
    varinfo: collectVarInfo(fs),
    // Present from the start, so that filling them in later keeps the object's shape (V8 map).
    khash: undefined,
    hotcount: undefined,
    closures: 0,
  };
  // A blacklisting is the first to rewrite a prototype's flags, late in a run.
  markMutable(pt, "flags", ~pt.flags);
  ps.vtop = fs.vbase;
  ps.fs = fs.prev;
  return pt;
}
