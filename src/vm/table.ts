// Lua tables with LuaJIT 2.1's exact layout (lj_tab.c, lj_tab.h): an array part
// for integer keys 0..asize-1 plus a hash part of 2^hbits nodes with the same
// collision handling and rehash sizing, so #t and next() order match LuaJIT.
import type { KValue, TemplateTable } from "../bc/proto.ts";
import { ERRMSG } from "../lang/errmsg.ts";
import { MemSize, SHORT_STRING, charge, meter, stringBytes } from "./gc.ts";
import { hashKey, hashNum, objHash, strHash, type Hashable } from "./hash.ts";
import type { LuaObject, LuaValue } from "./value.ts";

const MAX_HBITS = 26;
const MAX_ABITS = 28;
const MAX_ASIZE = (1 << (MAX_ABITS - 1)) + 1;
/** Stored hashes keep only the bits any hmask can use. */
const HASH_BITS = (1 << MAX_HBITS) - 1;

/**
 * Node layout in `LuaTable.node`: four slots per node, addressed by offset
 * (index << 2): key, value, offset of the next node in its chain (-1: none),
 * and the key's hash, kept so that moves and rehashes need not recompute it.
 * A const enum, so that esbuild inlines the offsets (module-level consts
 * become `var`s that V8 loads at each use); the interpreter's TGETS/TSETS use it too.
 */
export const enum NodeSlot { VAL = 1, NEXT = 2, HASH = 3 }

export type TableErrorCode = "NILIDX" | "NANIDX" | "NEXTIDX" | "TABOV";

/** A raw table operation failed; the VM turns it into a Lua error with `message`. */
export class TableError extends Error {
  constructor(readonly code: TableErrorCode) {
    super(ERRMSG[code]);
    this.name = "TableError";
  }
}

/** Where next() and iterate() put the pair they found (saves allocating one per step). */
export const iterOut: { key: LuaValue; val: LuaValue } = { key: undefined, val: undefined };

/** Hash bits for a wanted number of hash slots (hsize2hbits). */
export function hsizeToHbits(s: number): number {
  if (s === 0) return 0;
  if (s === 1) return 1;
  return 32 - Math.clz32(s - 1);
}

/** An empty array already of the generic elements kind, so every `arr`/`node` shares one kind. */
function genericArray(): LuaValue[] {
  const a: LuaValue[] = [undefined];
  a.length = 0;
  return a;
}

/** `count` copies of `unit`, by doubling: concat copies in bulk and keeps the packed kind. */
function repeated(unit: LuaValue[], count: number): LuaValue[] {
  if (count === 0) return genericArray();
  let a = genericArray().concat(unit);
  let have = 1;
  for (; have * 2 <= count; have *= 2) a = a.concat(a);
  return have < count ? a.concat(a.slice(0, (count - have) * unit.length)) : a;
}

const NIL_UNIT: LuaValue[] = [undefined];
const NODE_UNIT: LuaValue[] = [undefined, undefined, -1, 0];

/** Small fresh parts are copied (slice is a memcpy) from cached empty ones. */
const nilArrays: LuaValue[][] = [];
const emptyNodes: LuaValue[][] = [];

function nilArray(n: number): LuaValue[] {
  if (n > 128) return repeated(NIL_UNIT, n);
  return (nilArrays[n] ??= repeated(NIL_UNIT, n)).slice();
}

function emptyNodeArray(hbits: number): LuaValue[] {
  if (hbits > 8) return repeated(NODE_UNIT, 1 << hbits);
  return (emptyNodes[hbits] ??= repeated(NODE_UNIT, 1 << hbits)).slice();
}

/** Shared stand-ins for absent parts; never written (asize 0 / hmask 0 guard every store). */
const NOARRAY: LuaValue[] = genericArray();
/** LuaJIT's global nilnode: a lookup in a table without hash part ends here. */
const NILNODE: LuaValue[] = NODE_UNIT.slice();

/**
 * Resizes to parts up to these sizes are not charged (the table's header
 * was): counting them would cost the many small tables that grow a little.
 */
const CHARGE_ASIZE = 64;
const CHARGE_HBITS = 6;

/**
 * Charge a resize of t to asize array slots and 2^hbits nodes against the
 * memory ceiling (the difference to its parts now). A hash part that grows
 * charges its string keys again: a key that is hashed is a flat string in
 * JS, however it was made.
 */
function chargeResize(t: LuaTable, asize: number, hbits: number): void {
  const hmask = t.hmask;
  const newNodes = hbits ? 1 << hbits : 0;
  const oldNodes = hmask > 0 ? hmask + 1 : 0;
  let bytes = (asize - t.asize) * MemSize.SLOT + (newNodes - oldNodes) * MemSize.NODE;
  if (newNodes > oldNodes && hmask > 0) {
    const node = t.node;
    for (let i = 0, end = hmask << 2; i <= end; i += 4) {
      const k = node[i];
      if (typeof k === "string" && k.length > SHORT_STRING) bytes += stringBytes(k);
    }
  }
  charge(bytes);
}

/** Counts of integer keys by log2 bucket, for rehash (never used re-entrantly). */
const bins = new Uint32Array(MAX_ABITS);

/** Count an integer key that could live in an array part, into its bucket. */
function countInt(key: LuaValue, b: Uint32Array): number {
  if (typeof key === "number") {
    const k = key | 0;
    if (k === key && k >= 0 && k < MAX_ASIZE) {
      b[k > 2 ? 31 - Math.clz32(k - 1) : 0]++;
      return 1;
    }
  }
  return 0;
}

export class LuaTable implements LuaObject {
  readonly luaType = "table";
  /** True on every table (a prototype mark: see the end of this file). */
  declare readonly isLuaTable: true;
  metatable: LuaTable | undefined = undefined;
  /** Identity for hashing this table as a key (see hash.ts). */
  hashId = 0;
  /**
   * Layout, public for libraries and the explorer; treat as read-only outside
   * this file. arr.length === asize; node holds hmask + 1 nodes of four slots
   * (see NodeSlot; NILNODE when hmask is 0); freetop is the offset below
   * which the next free node is searched.
   */
  asize = 0;
  arr: LuaValue[] = NOARRAY;
  hmask = 0;
  node: LuaValue[] = NILNODE;
  freetop = 0;
  /** The count of the live heap that last reached this table (heapsize.ts; LuaJIT's `marked`). */
  marked = 0;

  /** lj_tab_new: array slots 0..asize-1 and 2^hbits hash nodes (none if hbits is 0). */
  constructor(asize = 0, hbits = 0) {
    if (asize > MAX_ASIZE || hbits > MAX_HBITS) throw new TableError("TABOV");
    // Charged without a check (the next resize or tick slice checks).
    meter.total += MemSize.TABLE + asize * MemSize.SLOT + (hbits ? (1 << hbits) * MemSize.NODE : 0);
    if (asize > 0) {
      this.arr = nilArray(asize);
      this.asize = asize;
    }
    if (hbits) this.newHashPart(hbits);
  }

  /** TNEW: its D operand holds asize in the low 11 bits (0x7ff stands for 0x801) and hbits above. */
  static fromTNEW(d: number): LuaTable {
    const asize = d & 0x7ff;
    return new LuaTable(asize === 0x7ff ? 0x801 : asize, d >>> 11);
  }

  /** lua_createtable-style sizes (lj_tab_new_ah): a array items 1..a, room for h hash keys. */
  static newAH(a: number, h: number): LuaTable {
    return new LuaTable(a > 0 ? a + 1 : 0, hsizeToHbits(h));
  }

  /** TDUP: a fresh copy of the table LuaJIT builds for a constructor template. */
  static fromTemplate(tpl: TemplateTable): LuaTable {
    const kt = (tpl as CachedTemplate)[BUILT] ?? buildTemplate(tpl);
    return kt.clone();
  }

  /** lj_tab_dup: same layout, same free node position; the metatable is not copied. */
  clone(): LuaTable {
    const t = new LuaTable();
    meter.total += this.asize * MemSize.SLOT + (this.hmask > 0 ? (this.hmask + 1) * MemSize.NODE : 0);
    if (this.asize > 0) {
      t.arr = this.arr.slice();
      t.asize = this.asize;
    }
    if (this.hmask > 0) {
      t.node = this.node.slice();
      t.hmask = this.hmask;
      t.freetop = this.freetop;
    }
    return t;
  }

  /** Number of hash bits (0 = no hash part). */
  get hbits(): number {
    return this.hmask > 0 ? 32 - Math.clz32(this.hmask) : 0;
  }

  // -- Getters --------------------------------------------------------------

  get(key: LuaValue): LuaValue {
    switch (typeof key) {
      case "number": {
        const k = key | 0;
        if (k === key && k >= 0 && k < this.asize) return this.arr[k];
        return this.getHashed(key, hashNum(key));
      }
      case "string": return this.getHashed(key, strHash(key));
      case "undefined": return undefined;
      case "boolean": return this.getHashed(key, key ? 1 : 0);
      default: return this.getHashed(key, objHash(key as Hashable));
    }
  }

  /** Key is an integer-valued number (any magnitude). */
  getInt(i: number): LuaValue {
    if (i >= 0 && i < this.asize) return this.arr[i];
    return this.getHashed(i, hashNum(i));
  }

  getStr(s: string): LuaValue {
    return this.getHashed(s, strHash(s));
  }

  /** getStr with the key's strHash precomputed (e.g. per constant in a prototype). */
  getStrH(s: string, h: number): LuaValue {
    return this.getHashed(s, h);
  }

  private getHashed(key: LuaValue, h: number): LuaValue {
    const node = this.node;
    let n = (h & this.hmask) << 2;
    do {
      if (node[n] === key) return node[n + NodeSlot.VAL];
      n = node[n + NodeSlot.NEXT] as number;
    } while (n >= 0);
    return undefined;
  }

  // -- Setters --------------------------------------------------------------

  /**
   * Raw set. Storing nil keeps the key's node (a dead key), and storing nil
   * under a new key still inserts it, as LuaJIT's VM does.
   */
  set(key: LuaValue, v: LuaValue): void {
    switch (typeof key) {
      case "number": {
        const k = key | 0;
        if (k === key && k >= 0 && k < this.asize) {
          this.arr[k] = v;
          return;
        }
        if (key !== key) throw new TableError("NANIDX");
        this.setHashed(key, hashNum(key), v);
        return;
      }
      case "string": this.setHashed(key, strHash(key), v); return;
      case "undefined": throw new TableError("NILIDX");
      case "boolean": this.setHashed(key, key ? 1 : 0, v); return;
      default: this.setHashed(key, objHash(key as Hashable), v);
    }
  }

  /** Key is an integer-valued number (any magnitude). */
  setInt(i: number, v: LuaValue): void {
    if (i >= 0 && i < this.asize) this.arr[i] = v;
    else this.setHashed(i, hashNum(i), v);
  }

  setStr(s: string, v: LuaValue): void {
    this.setHashed(s, strHash(s), v);
  }

  setStrH(s: string, h: number, v: LuaValue): void {
    this.setHashed(s, h, v);
  }

  private setHashed(key: LuaValue, h: number, v: LuaValue): void {
    const node = this.node;
    let n = (h & this.hmask) << 2;
    do {
      if (node[n] === key) {
        node[n + NodeSlot.VAL] = v;
        return;
      }
      n = node[n + NodeSlot.NEXT] as number;
    } while (n >= 0);
    this.newKey(key, h, v);
  }

  /**
   * Insert a key that is not in the hash part (lj_tab_newkey). If its main
   * position is taken, a free node is searched downwards from freetop; the
   * occupant moves there unless it is itself in its main position, in which
   * case the new key takes the free node. No free node: rehash, then retry.
   */
  private newKey(key: LuaValue, h: number, v: LuaValue): void {
    const node = this.node;
    const hmask = this.hmask;
    let n = (h & hmask) << 2;
    if (node[n + NodeSlot.VAL] !== undefined || hmask === 0) {
      // Only a nil *key* marks a free node: dead keys stay until the next rehash.
      let free = this.freetop;
      do {
        if (free === 0) {
          this.rehash(key);
          this.set(key, v);
          return;
        }
        free -= 4;
      } while (node[free] !== undefined);
      this.freetop = free;
      let c = ((node[n + NodeSlot.HASH] as number) & hmask) << 2;
      if (c !== n) {
        // The occupant is a guest from another chain: move it to the free node.
        while (node[c + NodeSlot.NEXT] !== n) c = node[c + NodeSlot.NEXT] as number;
        node[c + NodeSlot.NEXT] = free;
        node[free] = node[n];
        node[free + NodeSlot.VAL] = node[n + NodeSlot.VAL];
        node[free + NodeSlot.NEXT] = node[n + NodeSlot.NEXT];
        node[free + NodeSlot.HASH] = node[n + NodeSlot.HASH];
        node[n + NodeSlot.NEXT] = -1;
        node[n + NodeSlot.VAL] = undefined;
        // lj_tab_newkey then relinks keys left behind the moved node whose main
        // position is n. That needs a dead key matched by pointer identity after
        // its string was freed and the address reused; our keys compare by
        // value, and once n held a key of its own it never holds a guest again
        // (until a rehash), so there is never such a key to relink.
      } else {
        node[free + NodeSlot.NEXT] = node[n + NodeSlot.NEXT];
        node[n + NodeSlot.NEXT] = free;
        n = free;
      }
    }
    node[n] = key === 0 ? 0 : key; // -0 is stored as 0
    node[n + NodeSlot.VAL] = v;
    node[n + NodeSlot.HASH] = h & HASH_BITS; // fits a small integer even with 31-bit Smis
  }

  // -- Resizing ---------------------------------------------------------------

  private newHashPart(hbits: number): void {
    if (hbits > MAX_HBITS) throw new TableError("TABOV");
    this.node = emptyNodeArray(hbits);
    this.hmask = (1 << hbits) - 1;
    this.freetop = (1 << hbits) << 2;
  }

  /**
   * lj_tab_resize: new array size and a new, empty hash part; then keys above
   * a shrunk array part and all live hash keys are reinserted (array keys in
   * index order, hash keys in node order, which decides the new layout).
   */
  resize(asize: number, hbits: number): void {
    const oldNode = this.node;
    const oldAsize = this.asize;
    const oldHmask = this.hmask;
    // A big new part is charged (and may fail) before anything changes.
    if (asize > CHARGE_ASIZE || hbits > CHARGE_HBITS) chargeResize(this, asize, hbits);
    if (asize > oldAsize) {
      if (asize > MAX_ASIZE) throw new TableError("TABOV");
      const arr = oldAsize === 0 ? (this.arr = genericArray()) : this.arr;
      for (let i = oldAsize; i < asize; i++) arr.push(undefined);
      this.asize = asize;
    }
    if (hbits) {
      this.newHashPart(hbits);
    } else {
      this.node = NILNODE;
      this.hmask = 0;
      this.freetop = 0;
    }
    // The reinserted keys are distinct and not in the new parts: no lookups needed.
    if (asize < oldAsize) {
      const old = this.arr;
      this.arr = asize > 0 ? old.slice(0, asize) : NOARRAY;
      this.asize = asize;
      for (let i = asize; i < oldAsize; i++) {
        const v = old[i];
        if (v !== undefined) this.newKey(i, hashNum(i), v);
      }
    }
    if (oldHmask > 0) {
      for (let i = 0, end = oldHmask << 2; i <= end; i += 4) {
        const v = oldNode[i + NodeSlot.VAL];
        if (v === undefined) continue;
        const k = oldNode[i];
        if (typeof k === "number" && k >= 0 && k < this.asize && (k | 0) === k) this.arr[k] = v;
        else this.newKey(k, oldNode[i + NodeSlot.HASH] as number, v);
      }
    }
  }

  /** lj_tab_reasize: array slots 0..nasize, hash size unchanged (TSETM, constructors). */
  reasize(nasize: number): void {
    this.resize(nasize + 1, this.hbits);
  }

  /**
   * rehashtab: size the parts for all live keys plus `ek`. The array part gets
   * the largest power-of-two-plus-one size that stays over half full of
   * integer keys; every other key goes to the hash part.
   */
  private rehash(ek: LuaValue): void {
    bins.fill(0);
    let nint = this.countArray();
    let total = 1 + nint;
    const node = this.node;
    for (let i = 0, end = this.hmask << 2; i <= end; i += 4) {
      if (node[i + NodeSlot.VAL] !== undefined) {
        nint += countInt(node[i], bins);
        total++;
      }
    }
    nint += countInt(ek, bins);
    // bestasize
    let size = 0;
    let inArray = 0;
    for (let b = 0, sum = 0; 2 * nint > 1 << b && sum !== nint; b++) {
      if (bins[b] > 0) {
        sum += bins[b];
        if (2 * sum > 1 << b) {
          size = (2 << b) + 1;
          inArray = sum;
        }
      }
    }
    this.resize(size, hsizeToHbits(total - inArray));
  }

  /** Live array slots, into bins by log2 bucket (slots 0..2 form bucket 0). */
  private countArray(): number {
    const asize = this.asize;
    if (asize === 0) return 0;
    const arr = this.arr;
    let na = 0;
    let i = 0;
    for (let b = 0; b < MAX_ABITS; b++) {
      let top = 2 << b;
      if (top >= asize) {
        top = asize - 1;
        if (i > top) break;
      }
      let n = 0;
      for (; i <= top; i++) if (arr[i] !== undefined) n++;
      bins[b] += n;
      na += n;
    }
    return na;
  }

  /** lj_tab_clear (table.clear): all values and keys gone, sizes kept. */
  clear(): void {
    this.arr.fill(undefined);
    if (this.hmask > 0) {
      this.node = emptyNodeArray(this.hbits);
      this.freetop = (this.hmask + 1) << 2;
    }
  }

  // -- Length -----------------------------------------------------------------

  /** lj_tab_len: a border found by binary search; which one depends on the layout. */
  length(): number {
    let hi = this.asize;
    if (hi) hi--;
    const arr = this.arr;
    // A growing array usually ends in nil: search the array part only.
    if (hi > 0 && arr[hi] === undefined) {
      let lo = 0;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (arr[mid] === undefined) hi = mid;
        else lo = mid;
      }
      return lo;
    }
    // Without a hash part there is an implicit nil right after the array part.
    return this.hmask ? this.lengthSlow(hi) : hi;
  }

  private lengthSlow(hi: number): number {
    let lo = hi;
    hi++;
    // Doubling search for a nil above the last known non-nil.
    while (this.getInt(hi) !== undefined) {
      lo = hi;
      hi += hi;
      if (hi > 0x7fffffff - 2) {
        lo = 1;
        while (this.getInt(lo) !== undefined) lo++;
        return lo - 1;
      }
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.getInt(mid) !== undefined) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** table.maxn: largest positive number key with a non-nil value, or 0. */
  maxn(): number {
    let m = 0;
    const arr = this.arr;
    for (let i = this.asize - 1; i >= 0; i--) {
      if (arr[i] !== undefined) {
        m = i;
        break;
      }
    }
    const node = this.node;
    for (let i = this.hmask << 2; i >= 0; i -= 4) {
      const k = node[i];
      if (node[i + NodeSlot.VAL] !== undefined && typeof k === "number" && k > m) m = k;
    }
    return m;
  }

  // -- Traversal --------------------------------------------------------------
  // A traversal cursor is 0 at the start, i + 1 after array slot i and
  // asize + j + 1 after hash node j (like lj_tab_keyindex).

  /** The cursor after `key` (0 for nil), or -1 if the key is not in the table. */
  keyIndex(key: LuaValue): number {
    if (typeof key === "number") {
      const k = key | 0;
      if (k === key && k >= 0 && k < this.asize) return k + 1;
    } else if (key === undefined) {
      return 0;
    }
    // Dead keys are still found, so a traversal may clear fields as it goes.
    const node = this.node;
    let n = (hashKey(key) & this.hmask) << 2;
    do {
      if (node[n] === key) return this.asize + (n >> 2) + 1;
      n = node[n + NodeSlot.NEXT] as number;
    } while (n >= 0);
    return -1;
  }

  /**
   * The first live entry at or after `cursor`: writes it to iterOut and
   * returns the cursor after it, or returns -1 at the end. This is what ITERN
   * and next() step with.
   */
  iterate(cursor: number): number {
    const asize = this.asize;
    const arr = this.arr;
    for (; cursor < asize; cursor++) {
      const v = arr[cursor];
      if (v !== undefined) {
        iterOut.key = cursor;
        iterOut.val = v;
        return cursor + 1;
      }
    }
    const node = this.node;
    for (let j = cursor - asize, hmask = this.hmask; j <= hmask; j++) {
      const v = node[(j << 2) + NodeSlot.VAL];
      if (v !== undefined) {
        iterOut.key = node[j << 2];
        iterOut.val = v;
        return asize + j + 1;
      }
    }
    return -1;
  }

  /** The key iterate() found just before returning `cursor` (undefined for 0: none yet). */
  keyBefore(cursor: number): LuaValue {
    if (cursor <= 0) return undefined;
    return cursor - 1 < this.asize ? cursor - 1 : this.node[(cursor - 1 - this.asize) << 2];
  }

  /**
   * Lua's next(t, key): true with the following pair in iterOut, false at the
   * end; throws TableError("NEXTIDX") for a key that is not in the table.
   */
  next(key: LuaValue): boolean {
    const cursor = this.keyIndex(key);
    if (cursor < 0) throw new TableError("NEXTIDX");
    return this.iterate(cursor) >= 0;
  }
}

// -- Templates (TDUP) ----------------------------------------------------------

const BUILT = Symbol("ljscope.templateTable");

interface CachedTemplate extends TemplateTable {
  [BUILT]?: LuaTable;
}

/** Stands for "nil, but keep the key" while a template is built; rehash keeps non-nil values. */
const KEEP_KEY = new LuaTable();

function kvalue(k: KValue): LuaValue {
  return k === null ? undefined : k;
}

/**
 * Replay the parser's stores (lj_parse.c's expr_table) into a table and cache
 * it on the template: the layout then is the one LuaJIT's template has, and
 * lj_tab_dup's copy is a clone whose key-keeping markers read as nil.
 */
function buildTemplate(tpl: TemplateTable): LuaTable {
  const kt = new LuaTable(tpl.asize, tpl.hbits);
  for (const [k, v] of tpl.sets) kt.set(kvalue(k), v === undefined ? KEEP_KEY : kvalue(v));
  if (kt.asize < tpl.minAsize) kt.reasize(tpl.minAsize - 1);
  const node = kt.node;
  if (kt.hmask > 0) {
    for (let i = NodeSlot.VAL; i < node.length; i += 4) if (node[i] === KEEP_KEY) node[i] = undefined;
  }
  Object.defineProperty(tpl, BUILT, { value: kt });
  return kt;
}

/**
 * A mark on the prototype that generated code tests (`v != null && v.isLuaTable === true`)
 * instead of instanceof: V8's optimising compiler turns each instanceof into a
 * walk up the prototype chain, a loop, which long compiled traces have by the dozen.
 */
Object.defineProperty(LuaTable.prototype, "isLuaTable", { value: true });
