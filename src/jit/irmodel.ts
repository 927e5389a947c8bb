// An abstract model of what LuaJIT's recorder emits while it follows the
// interpreter (lj_record.c, lj_ffrecord.c): not the IR itself, only what
// decides how snapshots are numbered — which instructions exist, which of
// them are guards, and which depend on values that change from one loop
// iteration to the next. Snapshot numbers are exit numbers: `(1/5)` in -jv.
//
// DIVERGENCE (docs/divergences.md "No IR, no machine code: exits from a model").
//
// Rules taken from LuaJIT (facts, not code):
//  - lj_snap_add merges with the previous snapshot when no instruction was
//    emitted since, or when asked to (mergesnap) and no guard was emitted
//    since; snapshot #0 is never merged into (a NOP is emitted instead).
//  - needsnap (after comparisons, stores, FORL) adds a snapshot before the
//    next bytecode, which later snapshots of that bytecode may merge into.
//  - The loop optimisation (lj_opt_loop.c) copies the body after LOOP: an
//    instruction whose operands are all loop-invariant is not emitted again
//    (CSE), snapshots #1.. are copied in order, and a copy only gets a new
//    number if a guard was emitted since the previous one (LOOP is a guard).
import { BCBIAS_J, bcA, bcB, bcC, bcD, bcDs, bcOp } from "../bc/ins.ts";
import { Op } from "../bc/opcodes.ts";
import { PROTO_VARARG, type Proto, type TemplateTable } from "../bc/proto.ts";
import { LuaClosure, NativeFunction, isFunction, type LuaFunction } from "../vm/func.ts";
import { LuaTable, iterOut } from "../vm/table.ts";
import { LuaUserdata } from "../vm/userdata.ts";
import type { LuaValue } from "../vm/value.ts";
import { recordsSideEffectCall } from "./builtins.ts";
import { forEvent } from "./forloop.ts";
import { forStepUp } from "../util/arith.ts";
import { typeOfValue, type VType } from "./vtype.ts";
import { comparisonJumps } from "./cmpjump.ts";
import { RANGE_ARG1, RANGE_ARG2, RANGE_REP, RANGE_SAME, RANGE_SUB, rangeCase, repCase } from "./strrange.ts";

/**
 * Which memory a load reads, for alias checks against stores of the same
 * trace (layout: a table's asize, hmask, array and node pointers, which a
 * NEWREF may change); alloc: an allocation, or a call with side effects
 * (CALLS, which CSE never merges), made again in every iteration.
 */
const enum Mem { none = 0, array = 1, hash = 2, upval = 3, layout = 4, alloc = 5 }

interface IrIns {
  guard: boolean;
  deps: number[];
  /** SLOAD of this stack slot (absolute index), or -1. */
  sload: number;
  mem: Mem;
  /** Snapshot in effect when it was emitted (the exit a failing guard takes). */
  snap: number;
  variant: boolean;
  /** Snapshot in effect for its copy in the loop part; -1 if it is not copied. */
  loopSnap: number;
  /** An upvalue load: which upvalue (urefKey), for the stores that may alias it. */
  upval?: UpvalRef;
}

/** An upvalue reference as alias analysis sees it (aa_uref). */
interface UpvalRef {
  key: string;
  idx: number;
  /** Keyed by the upvalue object (a constant function): another such key is another upvalue. */
  byObject: boolean;
}

/** aa_uref: different upvalue indexes never alias, two known upvalue objects only if the same; else maybe. */
function upvalsMayAlias(x: UpvalRef, y: UpvalRef): boolean {
  if (x.key === y.key) return true;
  if (x.idx !== y.idx) return false;
  return !(x.byObject && y.byObject);
}

/** A table the trace made (TNEW, TDUP): what is known of its keys while it is not changed behind the trace's back. */
interface FreshTable {
  /** TDUP's template (null: TNEW, all keys nil). */
  template: LuaTable | null;
  /** String keys the trace stored, and what. */
  stored: Map<string, Val>;
  /** Values the trace stored under constant array keys. */
  slots: Map<number, Val>;
  /** The layout it was made with (fload_tab_tnew_asize and the like fold to these); -1: not known. */
  asize: number;
  hmask: number;
  /** How many NEWREFs (with a number key) were recorded before it was made: one since stops folds and forwarding from it. */
  newrefsAt: number;
  numNewrefsAt: number;
}

/** A load from a table loaded from a slot, for the loop optimisation's load forwarding (fwd_ahload). */
interface LoadGuard {
  /** The table's SLOAD. */
  tab: number;
  key: Val;
  /** The key's value if it is a constant. */
  k: LuaValue;
  /** Through AREF (the array part) rather than HREF or HREFK. */
  array: boolean;
  /** The type the load was recorded with. */
  t: VType;
  /** A NEWREF came before it (its copy comes before the load's copy); with a number key. */
  newrefBefore: boolean;
  numNewrefBefore: boolean;
}

/**
 * A guard on the layout of a table loaded from a slot (rec_idx's checks):
 * the key inside the array part (ABC), outside it (ULE), or the hash part's
 * size as recorded (EQ hmask, for a key found there or an empty hash part).
 */
interface ShapeGuard {
  /** The table's SLOAD. */
  tab: number;
  kind: "inside" | "outside" | "hmask";
  /** The key (inside, outside) and its value if it is a constant. */
  key: Val | null;
  k: number | undefined;
  /** The hash part's size recorded (hmask). */
  hmask: number;
}

/** A value in a slot: the instruction that produced it (0 = a constant) and its type. */
interface Val {
  ref: number;
  t: VType;
  /** A constant number or string loaded by KSHORT, KNUM or KSTR: its value (FOLD compares such constants). */
  k?: number | string;
}

/** A comparison's guard: what it compared and how it went when recorded (for the loop optimisation's FOLD). */
interface CmpGuard {
  ins: number;
  pt: Proto;
  x: Val;
  /** The second operand, when a slot (ISEQV, ISLT...) rather than the instruction's constant. */
  y: Val | null;
  jumps: boolean;
}

interface Snap {
  /** Number of instructions when it was taken (covers guards from here on). */
  ref: number;
  /** Where the interpreter resumes if a guard using it fails. */
  pc: number;
  pt: Proto;
  /** Slots it restores (nent): those the trace changed, not counting what a side trace inherited. */
  nent: number;
  /** Those slots (offsets from the trace's base) and what they hold: a side trace from here inherits them. */
  ents: SnapEntry[];
}

/** A slot an exit restores: a constant, or a value of the trace of type t. */
export interface SnapEntry {
  off: number;
  t: VType;
  konst: boolean;
}

/** A type the trace was specialised to, checked again when the trace runs. */
export interface TypeCheck {
  /** Stack slot relative to the trace's base frame, or null for a load's result (peeked). */
  slot: number | null;
  t: VType;
  guard: number;
  /**
   * An array bounds check (ABC) instead of a type: "key" — the access's key is
   * inside the table's array part; "stop" — the loop's stop (slot) is;
   * "outside" — an integer key is not in the array part; "hashEmpty" — the
   * table's hash part is empty; "present"/"absent" — the key has a hash node or not.
   */
  abc: "key" | "stop" | "outside" | "hashEmpty" | "present" | "absent" | undefined;
  /** Instead of a type: the comparison two bytecodes back still jumps (true) or not, as recorded (cmpjump.ts). */
  jumps?: boolean;
  /**
   * Instead of a type, rec_varg's guards: "count" — at least n varargs (n
   * constant, in `n`) or not, as `holds` says; "exact" — exactly n; "index" — the
   * variable n (the VARG's slot below) is within the varargs or not; "type" — the
   * n-th vararg (n in `n`, or that slot) has type t; "stop" — n is the loop's
   * index and the loop's stop (in `slot`) is within the varargs.
   */
  varg?: { what: "count" | "exact" | "index" | "type" | "stop"; n: number; holds: boolean };
  /** Instead of a type: string.sub/byte's range guards, from the string in `slot` on (strrange.ts). */
  range?: { flags: number; code: number };
  /** With slot null at an ITERN: the type of the next key / value it will find (lj_record_next). */
  next?: "key" | "val";
  /** Instead of a type: the function in `slot` is the one the call was specialised to. */
  callee?: CalleeSpec;
  /** Instead of a type: the accessed table's hash part has this size, as recorded (HREFK's hmask guard). */
  hmask?: number;
  /** Instead of a type: the string in `slot` is this one (recff_format specialises to its format string). */
  equals?: string;
  /** Instead of a type: the object in `slot` is the one in slot `other` (identical) or not, as recorded (lj_record_objcmp). */
  same?: { other: number; identical: boolean };
  /**
   * Instead of a type, rec_for_check's guards: "up"/"down" — the step in
   * `slot` has the recorded direction; "range" — a narrowed loop at `slot`
   * cannot overflow (stop + step is an int32).
   */
  forl?: "up" | "down" | "range";
}

/**
 * What a call guards about its callee (rec_call_specialize): the closure itself;
 * for a prototype that made 3 or more closures, only the prototype; for the
 * iterators of coroutine.wrap and string.gmatch, only which builtin it is.
 */
export type CalleeSpec =
  | { by: "identity"; fn: LuaFunction }
  | { by: "proto"; proto: Proto }
  | { by: "builtin"; name: string };

/** LJ_MAX_ASIZE: integer keys below it are potential array keys. */
export const LJ_MAX_ASIZE = (1 << 27) + 1;

/** FOLD_SNEW_MAX_LEN on x64 (unaligned loads): constant strings up to this length compare by a load. */
const SNEW_FOLD_MAX_LEN = 4;

/** LuaJIT's PROTO_CLC_POLY: from this many closures of a prototype on, calls are polymorphic. */
const CLOSURES_POLY = 3;

export function calleeSpec(fn: LuaFunction): CalleeSpec {
  if (fn instanceof LuaClosure) return fn.proto.closures >= CLOSURES_POLY ? { by: "proto", proto: fn.proto } : { by: "identity", fn };
  if (fn.name === "coroutine.wrap_aux" || fn.name === "string.gmatch_aux") return { by: "builtin", name: fn.name };
  return { by: "identity", fn };
}

/** Does the value about to be called pass the call's guard? */
export function calleeHolds(v: LuaValue, spec: CalleeSpec): boolean {
  switch (spec.by) {
    case "identity": return v === spec.fn;
    case "proto": return v instanceof LuaClosure && v.proto === spec.proto;
    default: return v instanceof NativeFunction && v.name === spec.name;
  }
}

/** What one recorded bytecode contributed: its guards, for exits taken there. */
export interface StepIr {
  /** The guard of a comparison or loop test (its failure = the other branch), or 0. */
  branch: number;
  /** Types the step's guards check. */
  checks: TypeCheck[];
}

export interface ModelContext {
  stack: LuaValue[];
  base: number;
  pt: Proto;
  pc: number;
  /** Stack index of the running function (where a return puts its results). */
  funcIdx: number;
  /** Results the caller of the running function wants (-1: all). */
  nresults: number;
  /** Frames above the trace's first one (negative once a side trace returned below it). */
  framedepth: number;
  closure: LuaClosure | null;
  /** Values the last multiple-results op left (what CALLM and CALLMT pass beyond their fixed arguments). */
  multres: number;
  /** Extra arguments the running function was called with (its varargs), and where its arguments start. */
  nvarargs: number;
  argBase: number;
}

export class IrModel {
  private readonly ir: IrIns[] = [{ guard: false, deps: [], sload: -1, mem: Mem.none, snap: 0, variant: false, loopSnap: -1 }];
  private readonly slots = new Map<number, Val>();
  readonly snaps: Snap[] = [];
  private needsnap = false;
  private mergesnap = false;
  private guardSince = false;
  private readonly cse = new Map<string, number>();
  /** The value last stored to an upvalue, by its UREF (forwarded to a load of it until another store). */
  private readonly upvalStored = new Map<number, Val>();
  private stores = 0;
  private loopBody = -1;
  /** Base of the trace's first frame: type checks are relative to it. */
  readonly base0: number;
  /** Results of a builtin call land in these slots at the next bytecode. */
  private pendingResults: { from: number; ref: number; guard?: number } | null = null;
  /** Integer results of adding a constant: the value added to and the sum of constants (FOLD reassociates them). */
  private readonly intOffset = new Map<number, { of: number; k: number }>();
  /** Strings the trace made (SNEW) whose length is a constant, by reference. */
  private readonly snewLength = new Map<number, number>();
  /** lj_snap_grow_buf: the snapshot buffer must hold `need` snapshots (may abort the trace, at pt and pc: J->pc). */
  private readonly growSnaps: (need: number, pt: Proto, pc: number) => void;
  /**
   * The trace's lowest stack slot (L->base - J->baseslot: its root trace's
   * function slot): an open upvalue at or above it aliases a slot of the trace.
   */
  private readonly lowSlot: number;
  constructor(base0: number, growSnaps: (need: number, pt: Proto, pc: number) => void = () => {}, rootBase = base0) {
    this.base0 = base0;
    this.growSnaps = growSnaps;
    this.lowSlot = rootBase - 2;
  }

  get nins(): number {
    return this.ir.length - 1;
  }

  // -- Emission and snapshots ------------------------------------------------------------

  private emit(guard: boolean, deps: number[], sload = -1, mem: Mem = Mem.none): number {
    this.ir.push({ guard, deps: deps.filter((d) => d > 0), sload, mem, snap: this.snaps.length - 1, variant: false, loopSnap: -1 });
    if (guard) this.guardSince = true;
    return this.ir.length - 1;
  }

  /** lj_snap_add. */
  snapAdd(pt: Proto, pc: number): void {
    const n = this.snaps.length;
    const last = this.snaps[n - 1];
    if ((n > 0 && last.ref === this.nins + 1) || (this.mergesnap && !this.guardSince)) {
      if (n === 1) {
        this.emit(false, []); // preserve snapshot #0's pc
        this.growSnaps(n + 1, pt, pc);
        this.snaps.push(this.snapHere(pt, pc));
      } else {
        this.snaps[n - 1] = this.snapHere(pt, pc);
      }
    } else {
      this.growSnaps(n + 1, pt, pc);
      this.snaps.push(this.snapHere(pt, pc));
    }
    this.mergesnap = false;
    this.guardSince = false;
  }

  private snapHere(pt: Proto, pc: number): Snap {
    const ents = this.changedSlots();
    return { ref: this.nins + 1, pc, pt, nent: ents.length, ents };
  }

  /** Slots holding something other than what the trace loaded from them (snapshot entries). */
  private changedSlots(): SnapEntry[] {
    const ents: SnapEntry[] = [];
    for (const [slot, v] of this.slots) {
      if (v.ref === 0 || this.ir[v.ref].sload !== slot) ents.push({ off: slot - this.base0, t: v.t, konst: v.ref === 0 });
    }
    return ents;
  }

  /**
   * lj_snap_replay: a side trace starts with what its parent's exit
   * restores, constants as constants and the rest as loads whose type the
   * parent vouches for (SLOAD with INHERIT, no guard). `base` is where the
   * parent's first frame was. They come before snapshot #0.
   */
  inherit(ents: readonly SnapEntry[], base: number): void {
    for (const e of ents) {
      const slot = base + e.off;
      const v = e.konst ? { ref: 0, t: e.t } : { ref: this.emit(false, [], slot), t: e.t };
      if (!e.konst) this.loadTypes.set(v.ref, e.t);
      this.slots.set(slot, v);
      this.inherited.add(v);
    }
  }

  /** Types of the slot loads made by read() and inherit() (the others load numbers). */
  private readonly loadTypes = new Map<number, VType>();

  /** Values a side trace started with (a loop's FORL still sets up its stop and step, rec_for_loop). */
  private readonly inherited = new Set<Val>();

  /** rec_comp_fixup: the newest snapshot resumes at the other branch (known at the next bytecode). */
  private fixup(ctx: ModelContext, guard: number): void {
    const j = (ctx.pt.bc[ctx.pc + 1] >>> 16) - BCBIAS_J;
    // Both outcomes at one pc: the next step checks the outcome (cmpjump.ts).
    const jumps = guard !== 0 && j === 0 ? comparisonJumps(ctx.pt.bc[ctx.pc], ctx.pt, ctx.stack, ctx.base) : undefined;
    this.pendingFixup = { snap: this.snaps.length - 1, a: ctx.pc + 2, b: ctx.pc + 2 + j, guard, jumps };
    this.needsnap = true;
  }

  private cseLoad(key: string, guard: boolean, deps: number[], mem: Mem): number {
    const hit = this.cse.get(key);
    if (hit !== undefined) return hit;
    const ref = this.emit(guard, deps, -1, mem);
    this.cse.set(key, ref);
    return ref;
  }

  /** A store to `mem`: loads from it are made again, except those it cannot alias (`aliases` says no). */
  private invalidateLoads(mem: Mem, aliases?: (I: IrIns) => boolean): void {
    this.stores |= 1 << mem;
    for (const [k, ref] of this.cse) {
      const I = this.ir[ref];
      if (I.mem === mem && (aliases === undefined || aliases(I))) this.cse.delete(k);
    }
  }

  // -- Slots ------------------------------------------------------------------------------

  /** getslot: the slot's value, loading it (SLOAD with a type guard) on first use. */
  private read(slot: number, v: LuaValue, checks: TypeCheck[]): Val {
    const have = this.slots.get(slot);
    if (have !== undefined) return have;
    const t = typeOfValue(v);
    const ref = this.emit(true, [], slot);
    this.loadTypes.set(ref, t);
    checks.push({ slot: slot - this.base0, t, guard: ref, abc: undefined });
    const val = loaded(ref, t);
    this.slots.set(slot, val);
    return val;
  }

  /** Does stack slot `slot` hold a constant of the trace (not a loaded or computed value)? */
  isConstant(slot: number): boolean {
    return this.slots.get(slot)?.ref === 0;
  }

  /** Tables the trace made (TNEW/TDUP refs): the template's keys, and the string keys the trace stored. */
  private readonly freshTables = new Map<number, FreshTable>();

  /** Guards emitted by start() before any step: checked with the first one. */
  private entryChecks: TypeCheck[] = [];

  /** Scalar evolution of the root loop's index (J->scev): lets bounds checks be hoisted. */
  private scev: { idx: number; stopSlot: number } | null = null;

  private write(slot: number, val: Val): void {
    this.slots.set(slot, val);
  }

  private konst(t: VType): Val {
    return { ref: 0, t };
  }

  // -- Recording ----------------------------------------------------------------------------

  /** The start of a trace: snapshot #0 (and a FORL's narrowed index, rec_for_loop). */
  start(ctx: ModelContext, startOp: number, startIns: number, startPc: number): void {
    this.snapAdd(ctx.pt, ctx.pc);
    if (startOp === Op.FORL) {
      const fori = startPc + ((startIns >>> 16) - BCBIAS_J);
      this.forLoopInit(ctx, fori, bcA(startIns), true, this.entryChecks);
    }
  }

  /**
   * A side trace of exit 0 starting right after the JFORI of its root's loop
   * narrows that loop at once (lj_record_setup): index, stop and step are loaded first.
   */
  startInLoop(ctx: ModelContext, fori: number): void {
    this.forLoopInit(ctx, fori, bcA(ctx.pt.bc[fori]), true, this.entryChecks);
  }

  /**
   * rec_for_loop for a loop entered at its FORL (`root`: a trace starting
   * there, lj_record_setup). Stop and step are constants, known values or
   * loads the parent's types vouch for: only an index narrowed to an int
   * converts with a check. rec_for_check guards a variable step's direction
   * and, for a narrowed index, the overflow.
   */
  private forLoopInit(ctx: ModelContext, fori: number, ra: number, root: boolean, checks: TypeCheck[] = []): void {
    const slot = ctx.base + ra;
    const tv = (i: number): number => ctx.stack[slot + i] as number;
    const known = this.slots.get(slot);
    const t: VType = known !== undefined ? known.t : root && narrowsForl(tv(0), tv(1), tv(2)) ? "int" : "num";
    const arg = (i: number): Val => {
      const have = this.slots.get(slot + i);
      if (have !== undefined) return this.foriConv(slot + i, have, t, checks); // (not stored back)
      const v = this.isConstInit(ctx.pt, fori, ra + i) ? this.konst("int")
        : t === "int" ? this.intLoad(slot + i, checks) : { ref: this.emit(false, [], slot + i), t };
      this.write(slot + i, v);
      return v;
    };
    const stop = arg(1);
    const step = arg(2);
    this.forCheck(ctx, slot, t, root, stop, step, checks);
    if (known === undefined) {
      // An int index converts with a check unless a constant started it (J->scev.start).
      const guarded = t === "int" && !this.isConstInit(ctx.pt, fori, ra);
      this.write(slot, guarded ? this.intLoad(slot, checks) : { ref: this.emit(false, [], slot), t });
    }
    this.write(slot + 3, this.slots.get(slot) as Val);
    if (root) this.scev = { idx: (this.slots.get(slot) as Val).ref, stopSlot: slot + 1 };
  }

  /**
   * rec_for_check: a variable step's direction is guarded; a narrowed loop
   * started here (FORI, a root trace's FORL) guards against overflow of
   * stop + step. Checks for the running trace go to `checks`.
   */
  private forCheck(ctx: ModelContext, slot: number, t: VType, init: boolean, stop: Val, step: Val, checks: TypeCheck[]): void {
    const stopV = ctx.stack[slot + 1] as number;
    const stepV = ctx.stack[slot + 2] as number;
    const up = forStepUp(stepV); // rec_for_direction: the sign bit
    const guard = (deps: number[], at: number, forl: "up" | "down" | "range"): void => {
      checks.push({ slot: at - this.base0, t: "num", guard: this.emit(true, deps), abc: undefined, forl });
    };
    if (step.ref !== 0) {
      guard([step.ref], slot + 2, up ? "up" : "down");
      if (init && t === "int") {
        if (stop.ref !== 0) guard([step.ref, stop.ref], slot, "range"); // ADDOV
        else if (up ? stopV > 0 : stopV < 0) guard([step.ref], slot, "range");
      }
    } else if (init && t === "int" && stop.ref !== 0) {
      guard([stop.ref], slot, "range");
    }
  }

  /** fori_conv: a number for an int loop converts with a check, an int for a number loop without one. */
  private foriConv(slot: number, v: Val, t: VType, checks: TypeCheck[]): Val {
    if (v.ref === 0 || (v.t === "int") === (t === "int")) return v;
    if (t !== "int") return { ref: this.emit(false, [v.ref]), t: "num" };
    const ref = this.emit(true, [v.ref]);
    checks.push({ slot: slot - this.base0, t: "int", guard: ref, abc: undefined });
    return { ref, t: "int" };
  }

  /** A number slot loaded as an int (SLOAD with CONVERT): its guard fails for a number that is not an int32. */
  private intLoad(slot: number, checks: TypeCheck[]): Val {
    const ref = this.emit(true, [], slot);
    checks.push({ slot: slot - this.base0, t: "int", guard: ref, abc: undefined });
    return { ref, t: "int" };
  }

  /** find_kinit: is the loop slot initialised from a constant right before the FORI? */
  private isConstInit(pt: Proto, fori: number, slot: number): boolean {
    for (let pc = fori - 1; pc >= 0; pc--) {
      const ins = pt.bc[pc];
      const op = bcOp(ins);
      if (bcA(ins) !== slot || !writesA(op)) continue;
      return op === Op.KSHORT || op === Op.KNUM;
    }
    return false;
  }

  /** Before each recorded bytecode (the top of lj_record_ins). */
  private begin(ctx: ModelContext, out: StepIr): void {
    const f = this.pendingFixup;
    if (f !== null) {
      // rec_comp_fixup: the exit resumes at the branch the recording did not take.
      this.pendingFixup = null;
      this.snaps[f.snap].pc = ctx.pc === f.a && ctx.pt === this.snaps[f.snap].pt ? f.b : f.a;
      if (f.jumps !== undefined && f.a === f.b && ctx.pc === f.a) out.checks.push({ slot: null, t: "other", guard: f.guard, abc: undefined, jumps: f.jumps });
    }
    // A builtin's results are in their slots before the snapshot after it (lj_record_ret wrote them).
    const p = this.pendingResults;
    if (p !== null) {
      this.pendingResults = null;
      const t = typeOfValue(ctx.stack[p.from]);
      this.write(p.from, { ref: p.ref, t });
      // A guard on what the builtin returned fails if it returns another kind of value.
      if (p.guard !== undefined) out.checks.push({ slot: p.from - this.base0, t, guard: p.guard, abc: undefined });
    }
    if (this.needsnap) {
      this.needsnap = false;
      this.snapAdd(ctx.pt, ctx.pc);
      this.mergesnap = true;
    }
  }

  private pendingFixup: { snap: number; a: number; b: number; guard: number; jumps: boolean | undefined } | null = null;

  /** Bytecodes rec_varg had the recorder skip (J->bcskip: the CALLM of select and select itself). */
  private bcskip = 0;

  /** Record one bytecode (called before the interpreter runs it). */
  step(ctx: ModelContext, ins: number): StepIr {
    // The trace's entry guards (a root FORL's narrowed loads) are checked at its first step.
    const out: StepIr = { branch: 0, checks: this.entryChecks };
    this.entryChecks = [];
    this.begin(ctx, out);
    if (this.bcskip > 0) {
      this.bcskip--;
      return out;
    }
    const { stack, base } = ctx;
    const op = bcOp(ins);
    const a = bcA(ins);
    const slotVal = (r: number): Val => this.read(base + r, stack[base + r], out.checks);
    switch (op) {
      case Op.ISLT: case Op.ISGE: case Op.ISLE: case Op.ISGT: {
        const x = slotVal(a);
        const y = slotVal(bcD(ins));
        if (x.ref === 0 && y.ref === 0) break;
        if ((x.t === "str") !== (y.t === "str")) break; // the interpreter throws
        if (this.comparesItself(x, y, "int")) { this.snapPrep(ctx); this.fixup(ctx, 0); break; }
        this.compare(ctx, out, [x.ref, y.ref]);
        this.noteCompare(ctx, ins, out.branch, x, y);
        break;
      }
      case Op.ISEQV: case Op.ISNEV: case Op.ISEQS: case Op.ISNES: case Op.ISEQN: case Op.ISNEN:
      case Op.ISEQP: case Op.ISNEP: {
        const x = slotVal(a);
        let y: Val;
        if (op === Op.ISEQV || op === Op.ISNEV) y = slotVal(bcD(ins));
        else y = this.konst(op === Op.ISEQS || op === Op.ISNES ? "str" : op === Op.ISEQN || op === Op.ISNEN ? "num" : "nil");
        if (x.ref === 0 && y.ref === 0 && x.t !== "tab") break;
        this.snapPrep(ctx);
        if ((op === Op.ISEQV || op === Op.ISNEV) && this.objectCompare(ctx, out, a, bcD(ins), x, y)) break;
        const sameKind = x.t === y.t || (isNum(x.t) && isNum(y.t));
        const prim = x.t === "nil" || x.t === "false" || x.t === "true";
        if (sameKind && !prim && !this.foldsAway(ctx, op, ins, x) && !this.comparesItself(x, y, "any")) {
          out.branch = this.emit(true, [x.ref, y.ref]);
          this.noteCompare(ctx, ins, out.branch, x, op === Op.ISEQV || op === Op.ISNEV ? y : null);
        }
        this.fixup(ctx, out.branch);
        break;
      }
      case Op.VARG:
        if (ctx.framedepth <= 0 && bcB(ins) === 0) this.selectOfVarargs(ctx, a, out);
        else if (ctx.framedepth <= 0) this.fixedVarargs(ctx, a, bcB(ins) - 1, out);
        break;
      case Op.ISTC: case Op.ISFC: {
        const v = slotVal(bcD(ins));
        this.write(base + a, v);
        break;
      }
      case Op.IST: case Op.ISF:
        slotVal(bcD(ins));
        break;
      case Op.MOV:
        this.write(base + a, slotVal(bcD(ins)));
        break;
      case Op.NOT: {
        // The operand's type decides: the result is a constant.
        const t = slotVal(bcD(ins)).t;
        this.write(base + a, this.konst(t === "nil" || t === "false" ? "true" : "false"));
        break;
      }
      case Op.UNM: case Op.LEN: {
        const v = slotVal(bcD(ins));
        if (v.ref === 0) {
          this.write(base + a, v);
        } else if (op === Op.UNM && v.t === "int") {
          // lj_opt_narrow_unm: an int is negated with a -0 check and an overflow check.
          this.emit(true, [v.ref]);
          this.write(base + a, { ref: this.emit(true, [v.ref]), t: "int" });
        } else if (op === Op.LEN && (v.t === "tab" || v.t === "str")) {
          // rec_len: a table's ALEN reads the array (a store in the loop makes it vary), a string's length is a field: both ints.
          this.write(base + a, { ref: this.emit(false, [v.ref], -1, v.t === "tab" ? Mem.array : Mem.none), t: "int" });
        } else {
          this.write(base + a, { ref: this.emit(false, [v.ref]), t: "num" });
        }
        break;
      }
      case Op.ADDVN: case Op.SUBVN: case Op.MULVN: case Op.DIVVN: case Op.MODVN:
      case Op.ADDNV: case Op.SUBNV: case Op.MULNV: case Op.DIVNV: case Op.MODNV: {
        const v = slotVal(bcB(ins));
        const k = ctx.pt.knum[bcC(ins)];
        const kt: VType = Number.isInteger(k) && Math.abs(k) < 2 ** 31 ? "int" : "num";
        const r = this.arith(op, v, { ref: 0, t: kt });
        if (r.t === "int" && kt === "int" && v.ref !== 0 && op !== Op.SUBNV) {
          const from = this.intOffset.get(v.ref) ?? { of: v.ref, k: 0 };
          this.intOffset.set(r.ref, { of: from.of, k: from.k + (op === Op.SUBVN ? -k : k) });
        }
        this.write(base + a, r);
        break;
      }
      case Op.ADDVV: case Op.SUBVV: case Op.MULVV: case Op.DIVVV: case Op.MODVV: case Op.POW: {
        const x = slotVal(bcB(ins));
        const y = slotVal(bcC(ins));
        this.write(base + a, this.arith(op, x, y));
        break;
      }
      case Op.CAT: {
        const deps: number[] = [];
        for (let r = bcB(ins); r <= bcC(ins); r++) deps.push(slotVal(r).ref);
        const r1 = this.emit(false, deps);
        this.write(base + a, { ref: this.emit(false, [r1]), t: "str" });
        break;
      }
      case Op.KSTR: this.write(base + a, { ref: 0, t: "str", k: ctx.pt.kgc[bcD(ins)] as string }); break;
      case Op.KSHORT: this.write(base + a, { ref: 0, t: "int", k: bcDs(ins) }); break;
      case Op.KNUM: this.write(base + a, { ref: 0, t: "num", k: ctx.pt.knum[bcD(ins)] }); break;
      case Op.KPRI: this.write(base + a, this.konst(bcD(ins) === 0 ? "nil" : bcD(ins) === 1 ? "false" : "true")); break;
      case Op.KNIL:
        for (let r = a; r <= bcD(ins); r++) this.write(base + r, this.konst("nil"));
        break;
      case Op.UGET: {
        if (this.constUpvalue(ctx, base + a, bcD(ins), out)) break;
        const fn = this.fnRef(ctx);
        const alias = this.aliasedSlot(ctx, fn, bcD(ins));
        if (alias >= 0) {
          this.write(base + a, this.read(alias, stack[alias], out.checks));
          break;
        }
        const urefKey = this.urefKey(ctx, fn, bcD(ins));
        const uref = this.cseLoad(urefKey, true, [fn], Mem.none);
        // lj_opt_fwd_uload: the value just stored to this upvalue, without a load.
        const stored = this.upvalStored.get(uref);
        if (stored !== undefined) {
          this.write(base + a, stored);
          break;
        }
        const t = typeOfValue(ctx.closure?.upvals[bcD(ins)]?.get());
        const ref = this.cseLoad(`uload:${uref}`, true, [uref], Mem.upval);
        this.ir[ref].upval ??= this.upvalRef(urefKey, bcD(ins));
        this.write(base + a, loaded(ref, t));
        out.checks.push({ slot: null, t, guard: ref, abc: undefined });
        break;
      }
      case Op.USETV: case Op.USETS: case Op.USETN: case Op.USETP: {
        const fn = this.fnRef(ctx);
        const d = bcD(ins);
        const val: Val = op === Op.USETV ? slotVal(d)
          : op === Op.USETS ? { ref: 0, t: "str", k: ctx.pt.kgc[d] as string }
          : op === Op.USETN ? { ref: 0, t: "num", k: ctx.pt.knum[d] }
          : this.konst(d === 0 ? "nil" : d === 1 ? "false" : "true");
        const alias = this.aliasedSlot(ctx, fn, a);
        if (alias >= 0) {
          this.write(alias, val); // no store and no snapshot: the slot itself changes
          break;
        }
        const urefKey = this.urefKey(ctx, fn, a);
        const uref = this.cseLoad(urefKey, true, [fn], Mem.none);
        this.emit(false, [uref, val.ref]);
        // A load of an upvalue this one cannot be stays valid (aa_uref).
        const stored = this.upvalRef(urefKey, a);
        this.invalidateLoads(Mem.upval, (I) => I.upval === undefined || upvalsMayAlias(I.upval, stored));
        this.upvalStored.clear(); // only this store is forwarded
        this.upvalStored.set(uref, val);
        this.upvalStores.push(stored);
        this.needsnap = true;
        break;
      }
      case Op.GGET: case Op.GSET: {
        const fn = this.fnRef(ctx);
        const env = this.cseLoad(`env:${fn}`, false, [fn], Mem.none);
        const name = ctx.pt.kgc[bcD(ins)] as string;
        const peek = op === Op.GGET ? ctx.closure?.env.get(name) : undefined;
        this.hashAccess(ctx, out, env, `g:${name}`, op === Op.GSET ? slotVal(a) : null, a, peek);
        break;
      }
      case Op.TGETS: case Op.TSETS: {
        const isSet = op === Op.TSETS;
        const val = isSet ? slotVal(a) : null;
        const t = slotVal(bcB(ins));
        const tab = stack[base + bcB(ins)];
        const name = ctx.pt.kgc[bcC(ins)] as string;
        const peek = !isSet && tab instanceof LuaTable ? tab.get(name) : undefined;
        if (!this.freshAccess(t.ref, name, val, base + a, peek)) this.hashAccess(ctx, out, t.ref, `s:${t.ref}:${name}`, val, a, peek, tab, name);
        break;
      }
      case Op.TGETV: case Op.TGETB: case Op.TGETR: case Op.TSETV: case Op.TSETB: case Op.TSETR: {
        const isSet = op === Op.TSETV || op === Op.TSETB || op === Op.TSETR;
        const val = isSet ? slotVal(a) : null;
        const t = slotVal(bcB(ins));
        const key = op === Op.TGETB || op === Op.TSETB ? this.konst("int") : slotVal(bcC(ins));
        const tab = stack[base + bcB(ins)];
        const kv = op === Op.TGETB || op === Op.TSETB ? bcC(ins) : stack[base + bcC(ins)];
        this.indexAccess(ctx, out, t, key, tab, kv, val, a);
        break;
      }
      case Op.TNEW: case Op.TDUP: {
        // A guarded allocation, whose keys are known: none, or its template's until the trace changes them.
        const ref = this.emit(true, [], -1, Mem.alloc);
        const template = op === Op.TDUP ? LuaTable.fromTemplate(ctx.pt.kgc[bcD(ins)] as TemplateTable) : null;
        const made = template ?? LuaTable.fromTNEW(bcD(ins));
        this.freshTables.set(ref, { template, stored: new Map(), slots: new Map(), asize: made.asize, hmask: made.hmask, ...this.newrefsNow() });
        this.write(base + a, { ref, t: "tab" });
        break;
      }
      case Op.FORI: case Op.JFORI: {
        const ra = base + a;
        const start = [0, 1, 2].map((i) => slotVal(a + i));
        const num = (i: number): number => stack[ra + i] as number;
        // rec_for: an int start narrows the loop when its values allow (lj_opt_narrow_forl).
        const t: VType = start[0].t === "int" && narrowsForl(num(0), num(1), num(2)) ? "int" : "num";
        const [idx, stop, step] = start.map((v, i) => this.foriConv(ra + i, v, t, out.checks));
        [idx, stop, step].forEach((v, i) => this.write(ra + i, v));
        this.forCheck(ctx, ra, t, true, stop, step, out.checks);
        // The snapshot resumes where the loop test would go the other way.
        const enters = forEvent(num(0), num(1), num(2)) !== "leave";
        this.snapAdd(ctx.pt, enters ? ctx.pc + 1 + ((ins >>> 16) - BCBIAS_J) : ctx.pc + 1);
        if (idx.ref !== 0 || stop.ref !== 0) out.branch = this.emit(true, [idx.ref, stop.ref]);
        this.write(ra + 3, idx);
        this.needsnap = true;
        break;
      }
      case Op.FORL: case Op.JFORL: case Op.IFORL: {
        const ra = base + a;
        // rec_for_loop for a loop this trace did not enter at its FORI (a side trace's loop):
        // stop and step from their constant initialisers, the index an unchecked load.
        if (!this.slots.has(ra) || this.inherited.has(this.slots.get(ra) as Val)) {
          this.forLoopInit(ctx, ctx.pc + ((ins >>> 16) - BCBIAS_J), a, false, out.checks);
        }
        const idx = slotVal(a);
        const stop = this.slots.get(ra + 1) as Val;
        const step = this.slots.get(ra + 2) as Val;
        // A loop over constants (unrolled in a trace that runs it whole) folds its ADD and its test away.
        const next = idx.ref === 0 && step.ref === 0 ? this.konst(idx.t) : { ref: this.emit(false, [idx.ref, step.ref]), t: idx.t };
        this.write(ra, next);
        this.write(ra + 3, next);
        const st = stack[ra + 2] as number;
        const loops = forEvent((stack[ra] as number) + st, stack[ra + 1] as number, st) !== "leave";
        this.snapAdd(ctx.pt, loops ? ctx.pc + 1 : ctx.pc + 1 + ((ins >>> 16) - BCBIAS_J));
        if (next.ref !== 0 || stop.ref !== 0) out.branch = this.emit(true, [next.ref, stop.ref]);
        this.needsnap = true;
        break;
      }
      case Op.ITERL: case Op.JITERL: case Op.IITERL:
        this.write(base + a - 1, slotVal(a));
        break;
      case Op.ITERN: {
        // rec_itern / lj_record_next: lj_vm_next(table, index) gives the next index; the next
        // key's type is guarded (a nil key ends the loop), and the value's if the loop uses it.
        this.snapAdd(ctx.pt, ctx.pc);
        const t = slotVal(a - 2);
        const ctrl = slotVal(a - 1);
        const more = nextInto(stack[base + a - 2], stack[base + a - 1]);
        const nextKey = more ? iterOut.key : undefined;
        const nextVal = more ? iterOut.val : undefined;
        const call = this.emit(false, [t.ref, ctrl.ref]);
        const idx = this.emit(false, [call]);
        const keyType = typeOfValue(nextKey);
        const key = this.emit(true, [call], -1, Mem.hash);
        out.checks.push({ slot: null, t: keyType, guard: key, abc: undefined, next: "key" });
        out.branch = key;
        this.write(base + a - 1, { ref: idx, t: "num" });
        this.write(base + a, loaded(key, keyType));
        if (bcB(ins) >= 3 && nextKey !== undefined) {
          const valType = typeOfValue(nextVal);
          const val = this.emit(true, [call], -1, Mem.hash);
          out.checks.push({ slot: null, t: valType, guard: val, abc: undefined, next: "val" });
          this.write(base + a + 1, loaded(val, valType));
        } else {
          this.write(base + a + 1, this.konst("nil"));
        }
        this.needsnap = true;
        break;
      }
      case Op.CALL: case Op.CALLM: case Op.CALLT: case Op.CALLMT: case Op.ITERC: {
        const fslot = a;
        if (op === Op.ITERC) {
          // The iterator, state and control are copied up (with FR2's frame slot between).
          this.write(base + a, slotVal(a - 3));
          this.write(base + a + 2, slotVal(a - 2));
          this.write(base + a + 3, slotVal(a - 1));
        }
        const fv = op === Op.ITERC ? stack[base + a - 3] : stack[base + fslot];
        const f = op === Op.ITERC ? (this.slots.get(base + a) as Val) : slotVal(fslot);
        if (f.ref !== 0 && isFunction(fv)) {
          // Once guarded, the closure itself is known as a constant.
          const callee = this.specializeCallee(f.ref, fv, op === Op.ITERC ? base + a - 3 : base + fslot, out);
          if (callee.by === "identity") this.write(base + fslot, this.konst("fun"));
        }
        // Arguments get references now (lj_record_call's rec_call_setup).
        const nargs = op === Op.CALL ? bcC(ins) - 1 : op === Op.CALLT ? bcD(ins) - 1 : op === Op.ITERC ? 2
          : (op === Op.CALLM ? bcC(ins) : bcD(ins)) + ctx.multres;
        const argVals: Val[] = [];
        for (let i = 0; i < nargs; i++) argVals.push(slotVal(fslot + 2 + i));
        const args = argVals.map((v) => v.ref);
        const first = op === Op.ITERC ? base + a - 2 : base + fslot + 2; // ITERC's copies are not made yet
        if (fv instanceof NativeFunction) this.builtin(fv, base + fslot, args, stack.slice(first, first + args.length), out, ctx, argVals);
        else if (op === Op.CALLT && fv instanceof LuaClosure && !(fv.proto.flags & PROTO_VARARG)) this.tailCallFrame(base, fslot, nargs);
        break;
      }
      case Op.RET: case Op.RET0: case Op.RET1: case Op.RETM: {
        const n = op === Op.RET0 ? 0 : op === Op.RET1 ? 1 : op === Op.RET ? bcD(ins) - 1 : 0;
        const results: number[] = [];
        for (let i = 0; i < n; i++) {
          slotVal(a + i);
          results.push(base + a + i);
        }
        if (ctx.framedepth <= 0) {
          // A side trace returning below its first frame guards the return target (RETF).
          this.snapAdd(ctx.pt, ctx.pc);
          out.branch = this.emit(true, []); // a return to another caller fails it
          this.needsnap = true;
        }
        this.returned(results, ctx.funcIdx);
        // Results the caller wants beyond those returned are known nils (rec_ret).
        for (let i = results.length; i < ctx.nresults; i++) this.write(ctx.funcIdx + i, this.konst("nil"));
        break;
      }
      default:
        break;
    }
    return out;
  }

  /**
   * rec_varg for `select(n, ...)` of the trace's first frame, whose number of
   * varargs the trace does not know (the simulation aborts any other use):
   * guards on the frame size against n, then (n within them) a typed load of
   * the n-th vararg; the result goes where select's results would, and the
   * recorder skips the call of select (bcskip).
   */
  private selectOfVarargs(ctx: ModelContext, a: number, out: StepIr): void {
    const { stack, base } = ctx;
    const slotVal = (r: number): Val => this.read(base + r, stack[base + r], out.checks);
    const call = bcA(ctx.pt.bc[ctx.pc + 1]);
    const fn = slotVal(call);
    if (fn.ref !== 0) this.specializeCallee(fn.ref, stack[base + call] as NativeFunction, base + call, out); // select_detect
    const fr = this.cseLoad("framesize", false, [], Mem.none);
    const nvararg = Math.max(ctx.nvarargs, 0);
    const numparams = ctx.pt.numparams;
    const nv = stack[base + a - 1];
    const n = slotVal(a - 1);
    let result: Val;
    if (typeof nv === "string") {
      // select('#', ...): the frame size in slots (a parameter count makes its offset a guard).
      if (n.ref !== 0) this.emit(true, [n.ref]);
      const tmp = this.emit(false, [fr]);
      if (numparams > 0) this.emit(true, [tmp]);
      result = { ref: this.emit(false, [tmp]), t: "int" };
    } else {
      const idx = Math.trunc(nv as number);
      let nref = n.ref;
      if (nref !== 0 && n.t !== "int") {
        nref = this.emit(true, [nref]); // CONV with an index check
        out.checks.push({ slot: base + a - 1 - this.base0, t: "int", guard: nref, abc: undefined });
      }
      const within = idx <= nvararg;
      if (nref === 0) {
        const g = this.emit(true, [fr]);
        out.checks.push({ slot: null, t: "other", guard: g, abc: undefined, varg: { what: "count", n: idx, holds: within } });
      } else if (within) {
        const tmp = this.emit(false, [fr]);
        if (numparams > 0) this.emit(true, [tmp]);
        const size = this.emit(false, [tmp]);
        const key = this.emit(false, [nref]); // n - 1
        // rec_idx_abc: n being the loop's index with its stop inside too, one invariant check of the stop.
        const sc = this.scev;
        const stop = sc !== null ? stack[sc.stopSlot] : undefined;
        if (sc !== null && nref === sc.idx && typeof stop === "number" && stop - 1 < nvararg) {
          const stopRef = this.slots.get(sc.stopSlot)?.ref ?? 0;
          const g = this.cseLoad(`abcvarg:${size}:${stopRef}`, true, stopRef !== 0 ? [size, this.emit(false, [stopRef])] : [size], Mem.none);
          out.checks.push({ slot: sc.stopSlot - this.base0, t: "other", guard: g, abc: undefined, varg: { what: "stop", n: 0, holds: true } });
        } else {
          const g = this.emit(true, [size, key]); // ABC
          out.checks.push({ slot: null, t: "other", guard: g, abc: undefined, varg: { what: "index", n: 0, holds: true } });
        }
      } else {
        const g = this.emit(true, [fr, this.emit(false, [this.emit(false, [nref])])]);
        out.checks.push({ slot: null, t: "other", guard: g, abc: undefined, varg: { what: "index", n: 0, holds: false } });
      }
      if (within) {
        const vbase = this.emit(false, [this.emit(false, [fr])]);
        const aref = nref === 0 ? vbase : this.emit(false, [vbase, nref]);
        const v = stack[ctx.argBase + numparams + idx - 1];
        const t = typeOfValue(v);
        const load = this.emit(true, [aref]);
        out.checks.push({ slot: null, t, guard: load, abc: undefined, varg: { what: "type", n: nref === 0 ? idx : 0, holds: true } });
        result = loaded(load, t);
      } else {
        result = this.konst("nil");
      }
    }
    this.write(base + call, result);
    this.bcskip = 1; // the CALLM (select itself runs in no frame of ours)
  }

  /**
   * rec_varg, a fixed number of results from varargs of unknown number (the
   * trace's first frame): a guard on the frame size (at least that many; or
   * exactly as many as there are, when fewer; or none), then typed loads.
   */
  private fixedVarargs(ctx: ModelContext, dst: number, nresults: number, out: StepIr): void {
    const { stack, base } = ctx;
    const nvararg = Math.max(ctx.nvarargs, 0);
    const fr = this.cseLoad("framesize", false, [], Mem.none);
    if (nvararg > 0) {
      const enough = nvararg >= nresults;
      const g = this.emit(true, [fr]);
      out.checks.push({ slot: null, t: "other", guard: g, abc: undefined, varg: enough ? { what: "count", n: nresults, holds: true } : { what: "exact", n: nvararg, holds: true } });
      const vbase = this.emit(false, [this.emit(false, [fr])]);
      for (let i = 0; i < Math.min(nvararg, nresults); i++) {
        const t = typeOfValue(stack[ctx.argBase + ctx.pt.numparams + i]);
        const load = this.emit(true, [vbase]);
        out.checks.push({ slot: null, t, guard: load, abc: undefined, varg: { what: "type", n: i + 1, holds: true } });
        this.write(base + dst + i, loaded(load, t));
      }
    } else {
      const g = this.emit(true, [fr]);
      out.checks.push({ slot: null, t: "other", guard: g, abc: undefined, varg: { what: "count", n: 1, holds: false } });
    }
    for (let i = nvararg; i < nresults; i++) this.write(base + dst + i, this.konst("nil"));
  }

  /** rec_call_specialize: guard the function about to be called (in stack slot `slot`), once per reference. */
  private specializeCallee(ref: number, fv: LuaFunction, slot: number, out: StepIr): CalleeSpec {
    const key = `eqfn:${ref}`;
    const callee = calleeSpec(fv);
    if (!this.cse.has(key)) {
      if (callee.by !== "identity") this.emit(false, [ref]); // the FLOAD of its prototype or ffid
      const guard = this.cseLoad(key, true, [ref], Mem.none);
      out.checks.push({ slot: slot - this.base0, t: "fun", guard, abc: undefined, callee });
    }
    return callee;
  }

  /**
   * recff_pcall, recff_xpcall: the function they call is specialised like any
   * callee, and a snapshot follows (needsnap, to catch errors on trace). A
   * pcall calling pcall records the inner one's call the same way, at its
   * own (FUNCC) instruction, where that snapshot is taken. The arguments
   * move to where the interpreter puts the callee's frame (interp.ts
   * enterPcall: above pcall's own slots, as in LuaJIT; through a nested
   * pcall, at the outer pcall's place).
   */
  private protectedCall(fn: NativeFunction, dest: number, args: number[], vals: LuaValue[], out: StepIr, ctx: ModelContext): void {
    let caller = fn;
    let at = 0; // the callee's position among the arguments
    for (let nested = false; ; nested = true) {
      const isX = caller.name === "xpcall";
      const f = vals[at];
      if (args[at] === undefined || !isFunction(f) || (isX && at + 1 >= args.length)) break;
      if (args[at] !== 0) this.specializeCallee(args[at], f, dest + 2 + at, out);
      this.needsnap = true;
      at += isX ? 2 : 1; // the callee's arguments start here (xpcall's handler comes first)
      if (f instanceof LuaClosure) {
        const argBase = nested ? dest + 2 : dest + (isX ? 5 : 4);
        const moved = args.slice(at).map((_, i) => this.slots.get(dest + 2 + at + i));
        moved.forEach((v, i) => { if (v !== undefined) this.write(argBase + i, v); });
        return; // its results come back through its return
      }
      if (f.name !== "pcall" && f.name !== "xpcall") break;
      // The inner call's own instruction is recorded next: the snapshot is taken there.
      this.needsnap = false;
      this.snapAdd(ctx.pt, ctx.pc);
      this.mergesnap = true;
      caller = f;
    }
    this.pendingResults = { from: dest, ref: this.emit(false, args) }; // a builtin called: results at the next bytecode
  }

  /** Results of a Lua call, or the call frame going away: the recorder's view of a return. */
  private returned(results: readonly number[], dest: number): void {
    const vals = results.map((s) => this.slots.get(s));
    for (const k of [...this.slots.keys()]) if (k >= dest) this.slots.delete(k);
    vals.forEach((v, i) => { if (v !== undefined) this.slots.set(dest + i, v); });
  }

  /**
   * rec_upvalue: an open upvalue whose variable is a slot of the trace is
   * that slot, once a guard checks the reference still points there (UREFO,
   * its offset from the base, EQ). Returns the slot, or -1 if it is not one.
   */
  private aliasedSlot(ctx: ModelContext, fn: number, idx: number): number {
    const uv = ctx.closure?.upvals[idx];
    if (uv === undefined || uv.stack !== ctx.stack || uv.idx < this.lowSlot) return -1; // (open, in this thread's stack)
    const uref = this.cseLoad(this.urefKey(ctx, fn, idx), false, [fn], Mem.none);
    const offset = uv.idx - this.lowSlot - 2;
    const at = offset === 0 ? uref : this.cseLoad(`uadd:${uref}:${offset}`, false, [uref], Mem.none);
    this.cseLoad(`ueq:${at}`, true, [at], Mem.none);
    return uv.idx;
  }

  /** An upvalue reference under its key (urefKey), for alias analysis. */
  private upvalRef(key: string, idx: number): UpvalRef {
    return { key, idx, byObject: key.startsWith("uref:uv") };
  }

  /** The upvalues the trace stores to (a load in the loop part is new if one may alias it). */
  private readonly upvalStores: UpvalRef[] = [];

  /**
   * The CSE key of an upvalue's reference: by function and index, or, for a
   * function known as a constant (fnRef 0), by the upvalue object itself, as
   * cse_uref finds the same upvalue through another closure.
   */
  private urefKey(ctx: ModelContext, fn: number, idx: number): string {
    if (fn !== 0) return `uref:${fn}:${idx}`;
    const uv = ctx.closure?.upvals[idx];
    if (uv === undefined) return `uref:0:${idx}`;
    let id = this.upvalIds.get(uv);
    if (id === undefined) this.upvalIds.set(uv, (id = this.upvalCount++));
    return `uref:uv${id}`;
  }

  private readonly upvalIds = new WeakMap<object, number>();
  private upvalCount = 0;

  /**
   * The running function (getcurrf): SLOAD #0 R in the base frame, unless its
   * function slot holds something else (a constant once guarded or inherited,
   * or the callee a tail call moved there); a known constant in inlined frames.
   */
  private fnRef(ctx: ModelContext): number {
    if (ctx.base !== this.base0) return 0;
    const held = this.slots.get(this.base0 - 2);
    if (held !== undefined) return held.ref;
    return this.cseLoad("fn0", false, [], Mem.none);
  }

  /**
   * rec_upvalue_constify: an immutable upvalue holding anything but a table,
   * userdata or thread is a constant once the running closure is (in the
   * base frame, one guard on it, unless its prototype made 3 or more
   * closures); nil is not, and is loaded. True if the value was a constant.
   */
  private constUpvalue(ctx: ModelContext, dest: number, idx: number, out: StepIr): boolean {
    const uv = ctx.closure?.upvals[idx];
    if (uv === undefined || !uv.immutable) return false;
    const v = uv.get();
    const t = typeOfValue(v);
    if (t === "tab" || t === "other") return false; // (other: userdata, thread)
    const fn = this.fnRef(ctx);
    if (fn !== 0) {
      const closure = ctx.closure as LuaClosure;
      if (closure.proto.closures >= CLOSURES_POLY) return false;
      // The frame's function slot (2 below its base) holds the constant from here: snapshots restore it.
      this.specializeCallee(fn, closure, ctx.base - 2, out);
      this.write(ctx.base - 2, this.konst("fun"));
    }
    if (t === "nil") return false;
    this.write(dest, { ref: 0, t });
    return true;
  }

  /**
   * The length of string.sub(s, start, end)'s result when it folds to a
   * constant (-1 if not): with 1 <= start <= end + 1 and end <= #s it is
   * end - (start - 1), which FOLD reduces when start and end are constants,
   * or one value plus different constants (i, i + 1).
   */
  private substringLength(args: number[], vals: LuaValue[]): number {
    const s = vals[0];
    if (args.length < 3 || typeof s !== "string" || typeof vals[1] !== "number" || typeof vals[2] !== "number") return -1;
    const start = Math.trunc(vals[1]);
    const end = Math.trunc(vals[2]);
    if (!(start >= 1 && start <= end + 1 && end >= 0 && end <= s.length)) return -1;
    const affine = (i: number): { of: number; k: number } =>
      args[i] === 0 ? { of: 0, k: Math.trunc(vals[i] as number) } : this.intOffset.get(args[i]) ?? { of: args[i], k: 0 };
    const a = affine(1);
    const b = affine(2);
    return a.of === b.of ? b.k - a.k + 1 : -1;
  }

  /**
   * comm_equal and comm_comp (lj_opt_fold.c): a value compared with itself
   * (the same reference, as after a MOV) leaves no guard, unless it is a
   * float, which may be NaN. Ordered comparisons fold so only for integers
   * (strings are compared by a call whose result is tested).
   */
  private comparesItself(x: Val, y: Val, kinds: "int" | "any"): boolean {
    if (x.ref === 0 || x.ref !== y.ref) return false;
    return kinds === "int" ? x.t === "int" : x.t !== "num";
  }

  /**
   * merge_eqne_snew_kgc (lj_opt_fold.c): a new string of known length that
   * differs from a short constant string in length is unequal to it, and
   * the comparison leaves no guard.
   */
  private foldsAway(ctx: ModelContext, op: number, ins: number, x: Val): boolean {
    if (op !== Op.ISEQS && op !== Op.ISNES) return false;
    const len = this.snewLength.get(x.ref);
    const k = ctx.pt.kgc[bcD(ins)];
    return len !== undefined && typeof k === "string" && k.length <= SNEW_FOLD_MAX_LEN && k.length !== len;
  }

  /**
   * ISEQV/ISNEV of two tables or two userdata (lj_record_objcmp, then
   * rec_mm_equal if they differ): the guard is on their identity, before
   * the instruction, so it is a check at this step and the snapshot keeps
   * its pc (no rec_comp_fixup: its exit runs the comparison again). The
   * guard of one value against itself folds away. False: not such operands.
   */
  private objectCompare(ctx: ModelContext, out: StepIr, ra: number, rd: number, x: Val, y: Val): boolean {
    const u = ctx.stack[ctx.base + ra];
    const v = ctx.stack[ctx.base + rd];
    const objects = (u instanceof LuaTable && v instanceof LuaTable) || (u instanceof LuaUserdata && v instanceof LuaUserdata);
    if (!objects) return false;
    if (x.ref === y.ref) return true;
    const guard = this.emit(true, [x.ref, y.ref]);
    out.checks.push({ slot: ctx.base + ra - this.base0, t: "other", guard, abc: undefined, same: { other: ctx.base + rd - this.base0, identical: u === v } });
    return true;
  }

  private snapPrep(ctx: ModelContext): void {
    if (this.snaps.length === 1 && this.snaps[0].ref === this.nins + 1) this.emit(false, []);
    this.snapAdd(ctx.pt, ctx.pc);
  }

  /** Comparison guards, by reference (loopFailure folds them again with the loop's end values). */
  private readonly cmpGuards = new Map<number, CmpGuard>();

  /** Layout guards on slot-loaded tables, by guard ref (loopFailure), made before any NEWREF into that table. */
  private readonly shapeGuards = new Map<number, ShapeGuard>();

  /**
   * The tables NEWREFs went to, in order (-1: a call that may insert keys
   * into any table); and how many of them had a key that may be a number.
   */
  private readonly newrefTabs: number[] = [];
  private numNewrefs = 0;

  private newrefsNow(): { newrefsAt: number; numNewrefsAt: number } {
    return { newrefsAt: this.newrefTabs.length, numNewrefsAt: this.numNewrefs };
  }

  /** A NEWREF for `key` into table `tab` (-1: not known), which may rehash it. */
  private newref(tab: number, key: LuaValue): void {
    this.newrefTabs.push(tab);
    if (typeof key !== "string") this.numNewrefs++;
    this.invalidateLoads(Mem.layout);
  }

  /** A NEWREF from the from-th on may have changed table tab's layout (lj_opt_fwd_tptr; other tables do not alias it). */
  private resizedSince(tab: number, from: number): boolean {
    for (let i = from; i < this.newrefTabs.length; i++) if (this.newrefTabs[i] === tab || this.newrefTabs[i] < 0) return true;
    return false;
  }

  /** Loads from slot-loaded tables, by load ref (loopFailure), made before any store to their kind of memory. */
  private readonly loadGuards = new Map<number, LoadGuard>();

  /** Note a load from table t, if t was loaded from a slot and nothing was stored in that kind of memory before. */
  private noteLoad(ref: number, t: number, key: Val, kv: LuaValue, array: boolean, type: VType): void {
    if (t === 0 || this.ir[t].sload < 0 || (this.stores & (1 << (array ? Mem.array : Mem.hash))) !== 0) return;
    this.loadGuards.set(ref, {
      tab: t, key, k: key.ref === 0 ? kv : undefined, array, t: type, newrefBefore: this.newrefTabs.length > 0, numNewrefBefore: this.numNewrefs > 0,
    });
  }

  /** Note a layout guard on table t, if t was loaded from a slot and no NEWREF into it came before. */
  private noteShape(guard: number, t: number, kind: ShapeGuard["kind"], key: Val | null, kv: LuaValue, hmask = 0): void {
    // A NEWREF into t before the guard is copied before the guard's copy, into the table t stands for there.
    if (t === 0 || this.ir[t].sload < 0 || this.shapeGuards.has(guard) || this.resizedSince(t, 0)) return;
    const k = key !== null && key.ref === 0 && typeof kv === "number" ? kv : undefined;
    this.shapeGuards.set(guard, { tab: t, kind, key, k, hmask });
  }

  private noteCompare(ctx: ModelContext, ins: number, guard: number, x: Val, y: Val | null): void {
    const jumps = comparisonJumps(ins, ctx.pt, ctx.stack, ctx.base);
    if (jumps !== undefined) this.cmpGuards.set(guard, { ins, pt: ctx.pt, x, y, jumps });
  }

  private compare(ctx: ModelContext, out: StepIr, deps: number[]): void {
    this.snapPrep(ctx);
    out.branch = this.emit(true, deps);
    this.fixup(ctx, out.branch);
  }

  private arith(op: number, x: Val, y: Val): Val {
    if (x.ref === 0 && y.ref === 0) return { ref: 0, t: "num" };
    const base = op >= Op.ADDVV && op <= Op.MODVV ? op - Op.ADDVV : op >= Op.ADDNV ? op - Op.ADDNV : op - Op.ADDVN;
    const isAddSub = op !== Op.POW && base <= 1;
    const isMod = op !== Op.POW && base === 4;
    if (isAddSub && x.t === "int" && y.t === "int") return { ref: this.emit(true, [x.ref, y.ref]), t: "int" };
    if (isMod && x.t === "int" && y.t === "int") {
      if (y.ref !== 0) this.emit(true, [y.ref]);
      return { ref: this.emit(false, [x.ref, y.ref]), t: "int" };
    }
    const deps = [x.ref, y.ref];
    if (x.t === "int" && x.ref !== 0) deps[0] = this.emit(false, [x.ref]);
    if (y.t === "int" && y.ref !== 0) deps[1] = this.emit(false, [y.ref]);
    if (isMod) {
      const d = this.emit(false, deps);
      const f = this.emit(false, [d]);
      const m = this.emit(false, [f, deps[1]]);
      return { ref: this.emit(false, [deps[0], m]), t: "num" };
    }
    return { ref: this.emit(false, deps), t: "num" };
  }

  /**
   * A string key of a table this trace made (TNEW, TDUP): its metatable is
   * known to be nil and its keys are known, so no guard is needed. A new
   * key's HREF folds to nil and the store is a NEWREF; a key of the
   * template has a known slot. A load is forwarded from the trace's store,
   * or is the template's constant (nil for a key it lacks).
   */
  private freshAccess(tab: number, name: string, store: Val | null, dest: number, peek: LuaValue): boolean {
    const fresh = this.freshTables.get(tab);
    if (fresh === undefined) return false;
    const key = `hload:s:${tab}:${name}`;
    const initial = fresh.template?.get(name);
    if (store !== null) {
      // A key of the template has a known slot (HREFK without guards), a new one needs a NEWREF.
      // (A constructor's key with a value computed at run time has a node with nil: the template's nil marker.)
      const inTemplate = fresh.template !== null && fresh.template.keyIndex(name) > fresh.template.asize;
      const isNew = !inTemplate && !fresh.stored.has(name);
      fresh.stored.set(name, store);
      this.emit(false, [tab]);
      this.emit(false, [store.ref]);
      this.invalidateLoads(Mem.hash);
      if (isNew) this.newref(tab, name);
      this.cse.set(key, store.ref || this.nins);
      this.needsnap = true;
      return true;
    }
    const fwd = this.cse.get(key);
    if (fresh.stored.has(name) && fwd !== undefined) this.write(dest, loaded(fwd, typeOfValue(peek)));
    else if (fresh.stored.has(name) || peek !== initial) return false; // (stored some other way)
    else this.write(dest, this.konst(typeOfValue(peek))); // the template's value, or nil
    return true;
  }

  /**
   * A constant key inside the array part of a table this trace made, which
   * no NEWREF may have resized since: its size and its missing metatable
   * fold to constants (fload_tab_tnew_asize, lj_opt_fwd_fload), so neither
   * the bounds nor the metatable is guarded. A load is forwarded from the
   * trace's store to that key, or is the allocation's value: nil (TNEW) or
   * the template's constant (TDUP) (fwd_ahload); it has no type guard.
   * False: not such an access (the general path models it).
   */
  private freshArrayAccess(ctx: ModelContext, ref: number, fresh: FreshTable, tab: LuaValue, kv: LuaValue, store: Val | null, a: number): boolean {
    // Any NEWREF since it was made may have rehashed it: its array size is no longer known (lj_opt_fwd_tptr).
    if (this.newrefTabs.length > fresh.newrefsAt || !(tab instanceof LuaTable) || typeof kv !== "number" || !Number.isInteger(kv) || kv < 0 || kv >= tab.arr.length) {
      return false;
    }
    let value = fresh.slots.get(kv);
    if (store === null && value === undefined) {
      const initial = fresh.template === null ? undefined : fresh.template.arr[kv];
      if (initial !== undefined && typeof initial !== "number" && typeof initial !== "string" && typeof initial !== "boolean") return false;
      value = this.konst(typeOfValue(initial));
    }
    const arr = this.cseLoad(`array:${ref}`, false, [ref], Mem.layout);
    const aref = this.cseLoad(`aref:${arr}:k${kv}`, false, [arr], Mem.none);
    if (store === null) {
      this.write(ctx.base + a, value as Val);
      return true;
    }
    this.emit(false, [aref, store.ref]); // ASTORE
    this.invalidateLoads(Mem.array);
    fresh.slots.set(kv, store);
    this.needsnap = true;
    return true;
  }

  /** A string-keyed access of a table's hash part (HREFK with its hmask check). */
  private hashAccess(
    ctx: ModelContext, out: StepIr, tab: number, key: string, store: Val | null, a: number, peek: LuaValue, table?: LuaValue, name?: string,
  ): void {
    const hmask = this.cseLoad(`hmask:${tab}`, false, [tab], Mem.layout);
    const g = this.cseLoad(`hmaskeq:${tab}`, true, [hmask], Mem.none);
    // rec_idx_key checks the hash part's size for a key it finds there (HREFK) or for an empty hash part.
    if (table instanceof LuaTable && (table.hmask === 0 || table.keyIndex(name) > table.asize)) this.noteShape(g, tab, "hmask", null, undefined, table.hmask);
    if (table instanceof LuaTable) out.checks.push({ slot: null, t: "num", guard: g, abc: undefined, hmask: table.hmask });
    const node = this.cseLoad(`node:${tab}`, false, [tab], Mem.layout);
    const href = this.cseLoad(`hrefk:${key}`, true, [node], Mem.none);
    if (store === null) {
      const ref = this.cseLoad(`hload:${key}`, true, [href], Mem.hash);
      const t = typeOfValue(peek);
      // (An empty hash part loads nothing: rec_idx_key gives the nil constant.)
      if (table instanceof LuaTable && table.hmask !== 0) this.noteLoad(ref, tab, { ref: 0, t: "str" }, name, false, t);
      this.write(ctx.base + a, loaded(ref, t));
      out.checks.push({ slot: null, t, guard: ref, abc: undefined });
    } else {
      this.emit(false, [href, store.ref]);
      this.invalidateLoads(Mem.hash);
      this.cse.set(`hload:${key}`, store.ref || this.nins);
      this.needsnap = true;
    }
  }

  /** A table access with a variable or integer key (rec_idx with the array part, ABC). */
  private indexAccess(
    ctx: ModelContext, out: StepIr, t: Val, key: Val, tab: LuaValue, kv: LuaValue, store: Val | null, a: number, raw = false,
  ): void {
    const fresh = this.freshTables.get(t.ref);
    if (fresh !== undefined && key.ref === 0 && this.freshArrayAccess(ctx, t.ref, fresh, tab, kv, store, a)) return;
    if (store !== null) this.freshTables.delete(t.ref); // its keys are no longer known by name
    // No metatable check for a raw access (idxchain 0: table.insert's store).
    const metaCheck = (): void => { if (!raw) this.cseLoad(`meta:${t.ref}`, true, [t.ref], Mem.none); };
    const asize = tab instanceof LuaTable ? tab.arr.length : 0;
    const inArray = typeof kv === "number" && Number.isInteger(kv) && kv >= 0 && kv < asize;
    let ref: number;
    if (inArray) {
      const asz = this.cseLoad(`asize:${t.ref}`, false, [t.ref], Mem.layout);
      // rec_idx_abc: indexing with the loop's index whose stop is inside the array: one invariant check.
      const sc = this.scev;
      const stop = sc !== null ? ctx.stack[sc.stopSlot] : undefined;
      if (sc !== null && key.ref === sc.idx && typeof stop === "number" && stop < asize) {
        const g = this.cseLoad(`abcstop:${asz}`, true, [asz], Mem.none);
        out.checks.push({ slot: sc.stopSlot - this.base0, t: "num", guard: g, abc: "stop" });
      } else {
        const g = this.cseLoad(`abc:${asz}:${key.ref}`, true, [asz, key.ref], Mem.none);
        out.checks.push({ slot: null, t: "num", guard: g, abc: "key" });
        this.noteShape(g, t.ref, "inside", key, kv);
      }
      const arr = this.cseLoad(`array:${t.ref}`, false, [t.ref], Mem.layout);
      const aref = this.cseLoad(`aref:${arr}:${key.ref}`, false, [arr, key.ref], Mem.none);
      if (store === null) {
        ref = this.emit(true, [aref], -1, Mem.array);
        const v = (tab as LuaTable).arr[kv as number];
        this.noteLoad(ref, t.ref, key, kv, true, typeOfValue(v));
        out.checks.push({ slot: null, t: typeOfValue(v), guard: ref, abc: undefined });
        if (v === undefined) metaCheck();
        this.write(ctx.base + a, loaded(ref, typeOfValue(v)));
      } else {
        if ((tab as LuaTable).arr[kv as number] === undefined) metaCheck();
        this.emit(false, [aref, store.ref]);
        this.invalidateLoads(Mem.array);
        this.needsnap = true;
      }
      return;
    }
    if (tab instanceof LuaTable && typeof kv === "number" && Number.isInteger(kv) && kv >= 0 && kv < LJ_MAX_ASIZE) {
      // rec_idx_key: a potential array key, currently not in the array part.
      const asz = this.cseLoad(`asize:${t.ref}`, false, [t.ref], Mem.layout);
      const g = this.cseLoad(`ule:${asz}:${key.ref}`, true, [asz, key.ref], Mem.none);
      out.checks.push({ slot: null, t: "num", guard: g, abc: "outside" });
      this.noteShape(g, t.ref, "outside", key, kv);
    }
    if (tab instanceof LuaTable && tab.hmask === 0) {
      // An empty hash part: guarded to stay empty, and the key is known to be absent.
      const hm = this.cseLoad(`hmask:${t.ref}`, false, [t.ref], Mem.layout);
      const g = this.cseLoad(`hmask0:${hm}`, true, [hm], Mem.none);
      out.checks.push({ slot: null, t: "num", guard: g, abc: "hashEmpty" });
      this.noteShape(g, t.ref, "hmask", null, undefined, 0);
      metaCheck();
      if (store === null) {
        this.write(ctx.base + a, this.konst("nil"));
      } else {
        this.emit(false, [t.ref, key.ref]); // NEWREF
        this.emit(false, [store.ref]);
        this.invalidateLoads(Mem.hash);
        this.newref(t.ref, kv);
        this.needsnap = true;
      }
      return;
    }
    const href = this.emit(false, [t.ref, key.ref]);
    if (store !== null && tab instanceof LuaTable) {
      // A store through HREF guards whether the key has a node (EQ/NE niltv): a new key needs NEWREF.
      const present = tab.keyIndex(kv) > tab.asize;
      const g = this.emit(true, [href]);
      out.checks.push({ slot: null, t: "num", guard: g, abc: present ? "present" : "absent" });
    }
    if (store === null) {
      ref = this.emit(true, [href], -1, Mem.hash);
      const v = tab instanceof LuaTable ? tab.get(kv) : undefined;
      this.noteLoad(ref, t.ref, key, kv, false, typeOfValue(v));
      out.checks.push({ slot: null, t: typeOfValue(v), guard: ref, abc: undefined });
      if (v === undefined) metaCheck();
      this.write(ctx.base + a, loaded(ref, typeOfValue(v)));
    } else {
      metaCheck();
      this.emit(false, [href, store.ref]);
      this.invalidateLoads(Mem.hash);
      // A new key goes in through NEWREF.
      if (tab instanceof LuaTable && tab.keyIndex(kv) <= tab.asize) this.newref(t.ref, kv);
      this.needsnap = true;
    }
  }

  /**
   * A call of a builtin the recorder compiles (lj_ffrecord.c): its results are
   * new values. args: the arguments' references (argVals: with their types); vals: the first arguments' values.
   */
  private builtin(fn: NativeFunction, dest: number, args: number[], vals: LuaValue[], out: StepIr, ctx: ModelContext, argVals: Val[]): void {
    switch (fn.name) {
      case "table.new": {
        // recff_table_new: both sizes narrowed to int (a guarded CONV for a number), constant
        // sizes (an array part below 0x7fff) make a TNEW, any other a call of lj_tab_new_ah.
        const sizes = [0, 1].map((i) => {
          const ref = args[i] ?? 0;
          return ref !== 0 && argVals[i].t !== "int" ? this.emit(true, [ref]) : ref;
        });
        if (sizes[0] === 0 && sizes[1] === 0 && typeof vals[0] === "number" && vals[0] < 0x7fff) {
          const ref = this.emit(true, [], -1, Mem.alloc);
          this.freshTables.set(ref, { template: null, stored: new Map(), slots: new Map(), asize: -1, hmask: -1, ...this.newrefsNow() });
          this.pendingResults = { from: dest, ref };
        } else {
          this.pendingResults = { from: dest, ref: this.emit(false, sizes, -1, Mem.alloc) };
        }
        return;
      }
      case "pcall": case "xpcall":
        this.protectedCall(fn, dest, args, vals, out, ctx);
        return;
      case "type": case "select": case "assert": case "rawequal":
        this.pendingResults = { from: dest, ref: 0 };
        return;
      case "ipairs_aux": {
        // recff_ipairs_aux: an indexed load of t[i + 1] (bounds check and type guard, as TGETV).
        const [tab, i] = vals;
        if (!(tab instanceof LuaTable) || typeof i !== "number") break;
        const key = { ref: this.emit(false, [args[1]]), t: "int" as VType };
        this.indexAccess(ctx, out, { ref: args[0], t: "tab" }, key, tab, i + 1, null, dest + 1 - ctx.base);
        this.pendingResults = { from: dest, ref: key.ref };
        return;
      }
      case "string.sub": case "string.byte": {
        // recff_string_range: guards on how start, end and the length compare (one snapshot for all).
        const sub = fn.name === "string.sub";
        const same = sub ? args.length > 2 && args[1] === args[2] : !(args.length > 2 && vals[2] !== undefined);
        const flags = (sub ? RANGE_SUB : 0) | (same ? RANGE_SAME : 0) | (args.length > 1 ? RANGE_ARG1 : 0) | (args.length > 2 ? RANGE_ARG2 : 0);
        const code = rangeCase(flags, vals[0], vals[1], vals[2]);
        if (code >= 0 && args.some((r) => r > 0)) {
          const guard = this.emit(true, args);
          out.checks.push({ slot: dest + 2 - this.base0, t: "other", guard, abc: undefined, range: { flags, code } });
        }
        const ref = this.emit(false, args);
        if (sub) {
          const len = this.substringLength(args, vals);
          if (len >= 0) this.snewLength.set(ref, len);
        }
        this.pendingResults = { from: dest, ref };
        return;
      }
      case "string.format": {
        // recff_format specialises to the format string: a guard on it, folded away for a constant.
        const fmt = vals[0];
        if (typeof fmt === "string" && args[0] > 0) {
          const guard = this.emit(true, [args[0]]);
          out.checks.push({ slot: dest + 2 - this.base0, t: "str", guard, abc: undefined, equals: fmt });
        }
        this.opaqueCall(fn, dest, args);
        return;
      }
      case "string.rep": {
        // recff_string_rep: with a separator, a guard on whether the count is above 1 (folded away for a constant count).
        const code = args.length > 2 && vals[2] !== undefined ? repCase(vals[1]) : -1;
        if (code >= 0 && args[1] > 0) {
          const guard = this.emit(true, [args[1]]);
          out.checks.push({ slot: dest + 2 - this.base0, t: "other", guard, abc: undefined, range: { flags: RANGE_REP, code } });
        }
        this.opaqueCall(fn, dest, args);
        return;
      }
      case "string.find": {
        // recff_string_find: a snapshot before the next bytecode; guards on the start
        // position and on the pattern (unless constant or plain), and on whether it was found.
        this.needsnap = true;
        if (args[0] > 0) this.emit(true, [args[0]]);
        const plain = vals.length > 3 && vals[3] !== undefined && vals[3] !== false;
        if (!plain && args[1] > 0) this.emit(true, [args[1]]);
        const found = this.emit(true, [this.emit(false, args)]);
        this.pendingResults = { from: dest, ref: found, guard: found };
        return;
      }
      case "table.insert": {
        // recff_table_insert: a push t[#t + 1] = v is a raw store (ALEN, ADD, then as TSETV).
        const tab = vals[0];
        if (tab instanceof LuaTable && args.length === 2) {
          // ALEN reads the array (a store in the loop makes it vary).
          const key = { ref: this.emit(false, [this.emit(false, [args[0]], -1, Mem.array)]), t: "int" as VType };
          const val = { ref: args[1], t: typeOfValue(vals[1]) };
          this.indexAccess(ctx, out, { ref: args[0], t: "tab" }, key, tab, tab.length() + 1, val, 0, true);
          this.pendingResults = { from: dest, ref: 0 };
          return;
        }
        this.opaqueCall(fn, dest, args);
        return;
      }
      default:
        this.opaqueCall(fn, dest, args);
    }
  }

  /** A builtin the model knows nothing of: its result depends on the arguments (recomputed in the loop part when they change). */
  private opaqueCall(fn: NativeFunction, dest: number, args: number[]): void {
    this.freshTables.clear(); // it may have given them a metatable
    // A call with side effects (CALLS) gives a new value in every iteration, and a snapshot follows it.
    const sideEffects = recordsSideEffectCall(fn.name);
    const ref = this.emit(false, args, -1, sideEffects ? Mem.alloc : Mem.none);
    if (sideEffects) this.needsnap = true;
    this.pendingResults = { from: dest, ref };
    if (fn.name.startsWith("table.") || fn.name === "rawset" || fn.name === "setmetatable") {
      this.invalidateLoads(Mem.array);
      this.invalidateLoads(Mem.hash);
      this.newref(-1, undefined);
      this.needsnap = true;
    }
  }

  /**
   * lj_record_tailcall: the arguments move down to the frame's base, where the
   * callee runs; nothing above them stays known.
   */
  private tailCallFrame(base: number, fslot: number, nargs: number): void {
    const fn = this.slots.get(base + fslot);
    const args: (Val | undefined)[] = [];
    for (let i = 0; i < nargs; i++) args.push(this.slots.get(base + fslot + 2 + i));
    for (const slot of [...this.slots.keys()]) if (slot >= base) this.slots.delete(slot);
    // The callee moves down with its arguments, into the frame's function slot (getcurrf reads it there).
    if (fn !== undefined) this.write(base - 2, fn);
    else this.slots.delete(base - 2);
    args.forEach((v, i) => { if (v !== undefined) this.write(base + i, v); });
  }

  /** Mark where the loop body was closed (lj_record_stop's loop snapshot). */
  close(pt: Proto, pc: number): void {
    this.snapAdd(pt, pc);
    this.needsnap = false;
    this.mergesnap = true;
  }

  /** loop_unroll's first step: room for the loop part's copies of the snapshots (may abort the trace). */
  growForLoopCopy(pt: Proto, pc: number): void {
    this.growSnaps(2 * this.snaps.length - 2, pt, pc);
  }

  /**
   * The loop optimisation: which guards survive in the loop part, under which
   * snapshot numbers. Call once, when a trace closes a loop to itself.
   */
  unrollLoop(): void {
    const invar = this.ir.length;
    const onsnap = this.snaps.length;
    this.loopBody = invar;
    this.loopBodySnap = onsnap - 1;
    for (let i = 1; i < invar; i++) {
      const I = this.ir[i];
      if (I.sload >= 0) I.variant = this.slots.get(I.sload)?.ref !== i;
      else if (I.upval !== undefined) {
        // lj_opt_fwd_uload in the loop copy: only a store to an upvalue that may be this one makes it new.
        const uv = I.upval;
        I.variant = I.deps.some((d) => this.ir[d].variant) || this.upvalStores.some((st) => upvalsMayAlias(st, uv));
      } else I.variant = I.deps.some((d) => this.ir[d].variant) || I.mem === Mem.alloc || (I.mem !== Mem.none && (this.stores & (1 << I.mem)) !== 0);
    }
    let nsnap = onsnap;
    let cur = onsnap - 1;
    let guard = true; // LOOP itself is a guard
    let osnap = 1;
    for (let i = 1; i < invar; i++) {
      if (osnap < onsnap - 1 && i >= this.snaps[osnap].ref) {
        if (guard) cur = nsnap++;
        this.copyOf.set(cur, osnap); // a new copy, or the previous one overwritten
        guard = false;
        osnap++;
      }
      const I = this.ir[i];
      if (I.variant && I.sload < 0) {
        I.loopSnap = cur;
        if (I.guard) guard = true;
      }
    }
  }

  /**
   * Would the loop optimisation fail, and why? Its copy of the body reads
   * each loaded slot as what the slot holds at the loop's end (fwd_sload).
   * A value of another type there than the load had (int and number aside,
   * they convert) is "persistent type instability" (LJ_TRERR_TYPEINS), as is
   * a load forwarded from a new table with another type (forwardedType); a
   * comparison whose operands both become constants that compare the other
   * way than recorded, or a layout guard on a table the loop replaced by a
   * new one (shapeFails), folds to a guard that always fails (LJ_TRERR_GFAIL).
   * Either way the recorder goes on recording the next iteration (lj_opt_loop).
   */
  loopFailure(stack: readonly LuaValue[]): "TYPEINS" | "GFAIL" | null {
    // What a loaded slot holds at the end, as the model knows it; the stack says its type
    // (the recorder specialises every value to its type) and checks a constant's value.
    const atEnd = (v: Val): Val | undefined => {
      if (v.ref === 0) return v;
      const slot = this.ir[v.ref].sload;
      const now = slot >= 0 ? this.slots.get(slot) : undefined;
      return now !== undefined && now.ref === 0 && now.k === stack[slot] ? now : undefined;
    };
    for (let ref = 1; ref < this.ir.length; ref++) {
      const t = this.loadTypes.get(ref);
      if (t !== undefined) {
        const slot = this.ir[ref].sload;
        const now = this.slots.get(slot);
        const tEnd = typeOfValue(stack[slot]);
        if (now !== undefined && now.ref !== ref && tEnd !== t && !(isNum(tEnd) && isNum(t))) return "TYPEINS";
      }
      const cmp = this.cmpGuards.get(ref);
      if (cmp !== undefined) {
        const x = atEnd(cmp.x);
        const y = cmp.y === null ? null : atEnd(cmp.y);
        if (x?.k === undefined || (y !== null && y?.k === undefined)) continue;
        // The same comparison of the two constants (x at slot A, y at slot D for a slot operand).
        const vals: LuaValue[] = [];
        vals[bcA(cmp.ins)] = x.k;
        if (y !== null) vals[bcD(cmp.ins)] = y.k;
        if (comparisonJumps(cmp.ins, cmp.pt, vals, 0) !== cmp.jumps) return "GFAIL";
      }
      const shape = this.shapeGuards.get(ref);
      if (shape !== undefined && this.shapeFails(shape, atEnd)) return "GFAIL";
      const load = this.loadGuards.get(ref);
      const tf = load !== undefined ? this.forwardedType(load, atEnd) : undefined;
      if (load !== undefined && tf !== undefined && tf !== load.t && !(isNum(tf) && isNum(load.t))) return "TYPEINS";
    }
    return null;
  }

  /** The table the trace made (TNEW, TDUP) that the slot of `tab` (an SLOAD) holds at the loop's end, if any. */
  private freshAtEnd(tab: number): { ref: number; fresh: FreshTable } | undefined {
    const now = this.slots.get(this.ir[tab].sload);
    const fresh = now !== undefined && now.ref !== tab ? this.freshTables.get(now.ref) : undefined;
    return fresh === undefined ? undefined : { ref: (now as Val).ref, fresh };
  }

  /**
   * A load whose table slot holds, at the loop's end, a table the trace
   * made: in the copy the load is forwarded from the allocation (fwd_ahload:
   * nil from a TNEW, the template's value from a TDUP for a constant key),
   * unless a store or a NEWREF may come between. The forwarded value's type
   * (undefined: not forwarded); loop_unroll checks it against the load's.
   */
  private forwardedType(g: LoadGuard, atEnd: (v: Val) => Val | undefined): VType | undefined {
    const fresh = this.freshAtEnd(g.tab)?.fresh;
    if (fresh === undefined) return undefined;
    const k = g.key.ref === 0 ? g.k : atEnd(g.key)?.k;
    const numKey = typeof k !== "string";
    // A NEWREF with a number key may point into the array part or rehash the table (any NEWREF, for a hash key).
    const blocked = g.array ? g.numNewrefBefore || this.numNewrefs > fresh.numNewrefsAt
      : numKey && (g.newrefBefore || this.newrefTabs.length > fresh.newrefsAt);
    if (blocked) return undefined;
    if (k === undefined) return fresh.template === null && fresh.slots.size === 0 && fresh.stored.size === 0 ? "nil" : undefined;
    const stored = typeof k === "string" ? fresh.stored.get(k) : typeof k === "number" ? fresh.slots.get(k) : undefined;
    if (stored !== undefined) return stored.t;
    if (fresh.template === null) return "nil";
    return typeOfValue(fresh.template.get(k));
  }

  /**
   * A layout guard whose table slot holds, at the loop's end, a table the
   * trace made and no NEWREF changed since: in the copy its size loads fold
   * to the allocation's (fload_tab_tdup_hmask and the like), and the guard
   * to a constant (kfold_intcomp, kfold_kref). Does it fold to a failure?
   */
  private shapeFails(g: ShapeGuard, atEnd: (v: Val) => Val | undefined): boolean {
    const end = this.freshAtEnd(g.tab);
    if (end === undefined) return false;
    const { ref, fresh } = end;
    if (fresh.asize < 0 || this.resizedSince(ref, fresh.newrefsAt)) return false;
    if (g.kind === "hmask") return fresh.hmask !== g.hmask;
    const key = g.key === null ? undefined : g.key.ref === 0 ? g.k : atEnd(g.key)?.k;
    if (typeof key !== "number") return false;
    const k = key >>> 0; // ABC and ULE compare unsigned
    return g.kind === "inside" ? !(fresh.asize > k) : !(fresh.asize <= k);
  }

  /** The loop optimisation copied the body into a loop part (unrollLoop ran). */
  get hasLoopPart(): boolean {
    return this.loopBody > 0;
  }

  /** Exit taken when guard `ref` fails: in the pre-roll, or in the loop part (after unrollLoop). */
  exitOf(ref: number, inLoop: boolean): number {
    const I = this.ir[ref];
    if (I === undefined) return 0;
    if (inLoop && this.loopBody > 0 && I.loopSnap >= 0) return I.loopSnap;
    return I.snap;
  }

  /** The trace's snapshot count, the loop part's copies included (jit.util.traceinfo's nexit, T->nsnap). */
  get nsnap(): number {
    let n = this.snaps.length;
    for (const copy of this.copyOf.keys()) n = Math.max(n, copy + 1);
    return n;
  }

  /** Is guard `ref` emitted again in the loop part (its operands change from one iteration to the next)? */
  inLoopPart(ref: number): boolean {
    return this.loopBody > 0 && (this.ir[ref]?.loopSnap ?? -1) >= 0;
  }

  /** The snapshot taken where the loop closed (its entries carry into every copy). */
  private loopBodySnap = 0;

  /** Loop-part snapshot number -> the pre-roll snapshot it is a copy of. */
  private readonly copyOf = new Map<number, number>();

  /** Where exit n resumes the interpreter (the snapshot's pc), copies in the loop part included. */
  snapAt(n: number): { pt: Proto; pc: number; nent: number; ents: readonly SnapEntry[] } | undefined {
    const copied = this.copyOf.get(n);
    if (copied === undefined) return this.snaps[n];
    // loop_subst_snap: a loop-part copy also restores what the loop snapshot (the pre-roll's last) does
    // (nent stays the pre-roll snapshot's count, as the model has always used it).
    const orig = this.snaps[copied];
    const own = new Set(orig.ents.map((e) => e.off));
    const ents = [...orig.ents, ...this.snaps[this.loopBodySnap].ents.filter((e) => !own.has(e.off))];
    return { ...orig, ents };
  }
}

/** lj_opt_narrow_forl: start, stop and step are int32 values and the index cannot overflow. */
function narrowsForl(start: number, stop: number, step: number): boolean {
  const isInt = (x: number): boolean => (x | 0) === x; // lj_num2int_ok: -0 converts to 0 exactly
  if (!isInt(start) || !isInt(stop) || !isInt(step)) return false;
  const sum = stop + step;
  return forStepUp(step) ? sum <= 2147483647 : sum >= -2147483648;
}

/**
 * What a guarded load leaves in its slot: nil, false and true become
 * constants once the guard has checked the type (TREF_PRI in lj_record.c).
 */
function loaded(ref: number, t: VType): { ref: number; t: VType } {
  return t === "nil" || t === "false" || t === "true" ? { ref: 0, t } : { ref, t };
}

/** Does next() find a pair after control index `ctrl` of table `t`? It leaves it in iterOut. */
export function nextInto(t: LuaValue, ctrl: LuaValue): boolean {
  return t instanceof LuaTable && typeof ctrl === "number" && t.iterate(ctrl) >= 0;
}

/** Ops whose A operand is a destination slot (find_kinit looks for the last write). */
function writesA(op: number): boolean {
  return !(op <= Op.ISNEP || (op >= Op.TSETV && op <= Op.TSETR) || op === Op.GSET || (op >= Op.USETV && op <= Op.USETP) ||
    (op >= Op.RETM && op <= Op.RET1) || op === Op.JMP);
}

function isNum(t: VType): boolean {
  return t === "num" || t === "int";
}
