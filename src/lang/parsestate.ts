// State shared by all functions being compiled: the lexer and the variable
// stack of locals, gotos and labels (the parser half of LexState in lj_lex.h).
import type { Lexer } from "./lexer.ts";
import type { FuncState } from "./funcstate.ts";
import { ERRMSG, formatMessage } from "./errmsg.ts";
import { tokenToString } from "./tokens.ts";

/** vstack entry flags. */
export const VSTACK_VAR_RW = 0x01;
export const VSTACK_GOTO = 0x02;
export const VSTACK_LABEL = 0x04;

/** Names of hidden loop variables, as debug info shows them. */
export const VARNAME_FOR_IDX = "(for index)";
export const VARNAME_FOR_STOP = "(for limit)";
export const VARNAME_FOR_STEP = "(for step)";
export const VARNAME_FOR_GEN = "(for generator)";
export const VARNAME_FOR_STATE = "(for state)";
export const VARNAME_FOR_CTL = "(for control)";
/** Pseudo label name of `break` (cannot clash with an identifier). */
export const NAME_BREAK = "(break)";

export interface VarSlot {
  /** Variable or label name; null once a goto or label is resolved. */
  name: string | null;
  startpc: number;
  endpc: number;
  slot: number;
  info: number;
}

export class ParseState {
  readonly lex: Lexer;
  fs: FuncState | null = null;
  readonly vstack: VarSlot[] = [];
  vtop = 0;
  /** Syntactic nesting level. */
  level = 0;

  constructor(lex: Lexer) {
    this.lex = lex;
  }

  /** Push a vstack entry and return its index. */
  vstackPush(name: string, startpc: number, slot: number, info: number): number {
    const idx = this.vtop;
    if (idx >= 65536 - 60) this.lex.error(0, formatMessage(ERRMSG.XLIMC, 65536 - 60));
    const v = this.vstack[idx];
    if (v) {
      v.name = name; v.startpc = startpc; v.endpc = 0; v.slot = slot; v.info = info;
    } else {
      this.vstack[idx] = { name, startpc, endpc: 0, slot, info };
    }
    this.vtop = idx + 1;
    return idx;
  }

  errSyntax(msg: string): never {
    return this.lex.error(this.lex.tok, msg);
  }

  errToken(tok: number): never {
    return this.lex.error(this.lex.tok, formatMessage(ERRMSG.XTOKEN, tokenToString(tok)));
  }
}
