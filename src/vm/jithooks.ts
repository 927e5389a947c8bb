// The seam between the interpreter and the JIT simulator (src/jit implements
// it; the VM never imports src/jit). Filled in by the trace-lifecycle work.

export interface JitHooks {
  /** Placeholder until the simulator exists: true when it wants instruction-level callbacks. */
  readonly active: boolean;
}
