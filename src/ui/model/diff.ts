// The shortest edit script between two sequences of keys (Myers' O(ND)
// algorithm, after trimming the common prefix and suffix). Used to align two
// event logs. Past `maxEdits` the middle is paired position by position.

export type DiffOp =
  | { op: "same"; a: number; b: number }
  /** Only in the first sequence. */
  | { op: "del"; a: number }
  /** Only in the second sequence. */
  | { op: "ins"; b: number };

/** Edits Myers' search tries before giving up on a minimal script (its memory grows with their square). */
export const MAX_EDITS = 2000;

export function diff(a: readonly string[], b: readonly string[], maxEdits = MAX_EDITS): DiffOp[] {
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let endA = a.length, endB = b.length;
  while (endA > lo && endB > lo && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ops: DiffOp[] = [];
  for (let i = 0; i < lo; i++) ops.push({ op: "same", a: i, b: i });
  const middle = myers(a, b, lo, endA, lo, endB, maxEdits) ?? positional(lo, endA, lo, endB);
  for (const o of middle) ops.push(o);
  for (let i = 0; endA + i < a.length; i++) ops.push({ op: "same", a: endA + i, b: endB + i });
  return ops;
}

/** Myers on a[a0..a1) and b[b0..b1); null when more than maxEdits edits are needed. */
function myers(a: readonly string[], b: readonly string[], a0: number, a1: number, b0: number, b1: number, maxEdits: number): DiffOp[] | null {
  const n = a1 - a0, m = b1 - b0;
  if (n === 0 || m === 0) return positional(a0, a1, b0, b1);
  const max = Math.min(n + m, maxEdits);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  // The furthest x on each diagonal k after d edits, kept for the walk back.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) { x++; y++; }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a0, b0, n, m, d);
    }
  }
  return null;
}

/** Walk the saved frontiers back from (n, m) to (0, 0). */
function backtrack(trace: Int32Array[], a0: number, b0: number, n: number, m: number, dEnd: number): DiffOp[] {
  const out: DiffOp[] = [];
  let x = n, y = m;
  for (let d = dEnd; d > 0; d--) {
    const vd = trace[d]; // covers k in [-d-1, d+1]
    const at = (k: number): number => vd[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK), prevY = prevX - prevK;
    while (x > prevX && y > prevY) { x--; y--; out.push({ op: "same", a: a0 + x, b: b0 + y }); }
    if (prevK === k + 1) { y--; out.push({ op: "ins", b: b0 + y }); }
    else { x--; out.push({ op: "del", a: a0 + x }); }
  }
  while (x > 0 && y > 0) { x--; y--; out.push({ op: "same", a: a0 + x, b: b0 + y }); }
  return out.reverse();
}

/** No alignment: the first sequence's part, then the second's (paired up later by the caller). */
function positional(a0: number, a1: number, b0: number, b1: number): DiffOp[] {
  const ops: DiffOp[] = [];
  for (let i = a0; i < a1; i++) ops.push({ op: "del", a: i });
  for (let j = b0; j < b1; j++) ops.push({ op: "ins", b: j });
  return ops;
}
