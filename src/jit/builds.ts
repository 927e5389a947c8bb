// The three simulated LuaJIT builds and where they differ (see
// ../shared/oracle/README.md): only trace_flushroot/trace_unpatch (the fix
// 85c3f2fb for LuaJIT issue #1345), and assertions.

export const BUILDS = ["fixed", "prefix-assert", "prefix-release"] as const;
export type BuildName = (typeof BUILDS)[number];

export interface BuildTraits {
  /** trace_flushroot unpatches only a trace still in its prototype's root chain (the fix). */
  unpatchOnlyIfLinked: boolean;
  /** lua_assert is compiled in: a failed one ends the process (exit 134). */
  assertions: boolean;
}

export const BUILD_TRAITS: Record<BuildName, BuildTraits> = {
  fixed: { unpatchOnlyIfLinked: true, assertions: true },
  "prefix-assert": { unpatchOnlyIfLinked: false, assertions: true },
  "prefix-release": { unpatchOnlyIfLinked: false, assertions: false },
};

/** LuaJIT's assertion text for a stale JFORL in the pre-fix trace_unpatch. */
export const ASSERT_JFORL_OTHER = "LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace";
