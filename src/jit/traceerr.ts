// Trace abort reasons (TREDEF in lj_traceerr.h), wording verbatim: -jv and
// the event log print them exactly as LuaJIT does.

export const TRACE_ERRORS = {
  RECERR: "error thrown or hook called during recording",
  TRACEUV: "trace too short",
  TRACEOV: "trace too long",
  STACKOV: "trace too deep",
  SNAPOV: "too many snapshots",
  BLACKL: "blacklisted",
  RETRY: "retry recording",
  NYIBC: "NYI: bytecode %s",
  LLEAVE: "leaving loop in root trace",
  LINNER: "inner loop in root trace",
  LUNROLL: "loop unroll limit reached",
  BADTYPE: "bad argument type",
  CJITOFF: "JIT compilation disabled for function",
  CUNROLL: "call unroll limit reached",
  DOWNREC: "down-recursion, restarting",
  NYIFFU: "NYI: unsupported variant of FastFunc %s",
  NYIRETL: "NYI: return to lower frame",
  STORENN: "store with nil or NaN key",
  NOMM: "missing metamethod",
  IDXLOOP: "looping index lookup",
  NYITMIX: "NYI: mixed sparse/dense table",
  NOCACHE: "symbol not in cache",
  NYICONV: "NYI: unsupported C type conversion",
  NYICALL: "NYI: unsupported C function type",
  GFAIL: "guard would always fail",
  PHIOV: "too many PHIs",
  TYPEINS: "persistent type instability",
  MCODEAL: "failed to allocate mcode memory",
  MCODEOV: "machine code too long",
  MCODELM: "hit mcode limit (retrying)",
  SPILLOV: "too many spill slots",
  BADRA: "inconsistent register allocation",
  NYIIR: "NYI: cannot assemble IR instruction %d",
  NYIPHI: "NYI: PHI shuffling too complex",
  NYICOAL: "NYI: register coalescing too complex",
} as const;

export type TraceError = keyof typeof TRACE_ERRORS;

/** The text jit.v prints for an abort: "NYI: bytecode X" keeps the 6-char padded name. */
export function traceErrorText(err: TraceError, arg?: string | number): string {
  const t: string = TRACE_ERRORS[err];
  return arg === undefined ? t : t.replace(/%[sd]/, String(arg));
}
