// Expression descriptors of the single-pass code generator (ExpDesc in lj_parse.c).
import { NO_JMP } from "../bc/ins.ts";

/** Expression kinds; constants come first and in this order (KPRI uses nil=0, false=1, true=2). */
export const enum EK {
  KNIL = 0,
  KFALSE = 1,
  KTRUE = 2,
  KSTR = 3,
  KNUM = 4,
  /** Non-constant expressions follow. */
  LOCAL = 6,   // info = register, aux = vstack index
  UPVAL = 7,   // info = upvalue index, aux = vstack index
  GLOBAL = 8,  // str = name
  INDEXED = 9, // info = table register, aux = key: register 0..255, 256+byte, or ~string-constant
  JMP = 10,    // info = pc of the branch's JMP
  RELOCABLE = 11, // info = pc of the instruction whose A is still free
  NONRELOC = 12,  // info = result register
  CALL = 13,      // info = pc of the call, aux = base register
  VOID = 14,
}

/** Highest constant kind (VKLAST). */
export const EK_LAST_CONST = EK.KNUM;

export class ExpDesc {
  k: EK = EK.VOID;
  info = 0;
  aux = 0;
  /** Value of KNUM. */
  num = 0;
  /** Value of KSTR, or the name of a GLOBAL. */
  str = "";
  /** True and false jump lists. */
  t = NO_JMP;
  f = NO_JMP;

  init(k: EK, info: number): this {
    this.k = k;
    this.info = info;
    this.t = this.f = NO_JMP;
    return this;
  }

  copyFrom(o: ExpDesc): void {
    this.k = o.k; this.info = o.info; this.aux = o.aux;
    this.num = o.num; this.str = o.str; this.t = o.t; this.f = o.f;
  }

  hasJump(): boolean { return this.t !== this.f; }
  isK(): boolean { return this.k <= EK_LAST_CONST; }
  isKNoJump(): boolean { return this.isK() && !this.hasJump(); }
  isNumK(): boolean { return this.k === EK.KNUM; }
  isNumKNoJump(): boolean { return this.k === EK.KNUM && !this.hasJump(); }
  isStrK(): boolean { return this.k === EK.KSTR; }
  /** +0 or -0. */
  numIsZero(): boolean { return this.num === 0; }
}
