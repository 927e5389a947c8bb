// The jit library (src/vm/lib/jit.ts, jitutil.ts, src/vm/jitparams.ts):
// fixture programs in test/fixtures/libs/jit checked against LuaJIT
// (regenerate with test/fixtures/libs/regen.sh LUAJIT jit), then the calls
// it makes into the JIT simulator's hooks (S.jit).
import { describe, expect, it } from "vitest";
import type { JitHooks, JitTarget } from "../../src/vm/jithooks.ts";
import { JIT_F_ON, jitParamIndex } from "../../src/vm/jitparams.ts";
import { LUAJIT_VERSIONS } from "../../src/vm/lib/jit.ts";
import { createState, load, runMain } from "../../src/vm/runtime.ts";
import { fixtureTests } from "../support/libfixtures.ts";
import { runLua } from "../support/runlua.ts";

/** Hooks that log every call as text. */
function recordingHooks(log: string[]): JitHooks {
  const target = (t: JitTarget): string => (t.kind === "engine" ? "engine" : `${t.proto.chunkname}:${t.proto.firstline} ${t.scope}`);
  return {
    active: false,
    on: (t) => log.push(`on ${target(t)}`),
    off: (t) => log.push(`off ${target(t)}`),
    flush: (t) => log.push(`flush ${target(t)}`),
    flushTrace: (n) => log.push(`flushTrace ${n}`),
    optStart: (args) => log.push(`optStart ${args.join(",")}`),
    traceInfo: (n) => (n === 3 ? { nins: 10, nk: 2, link: 3, nexit: 4, linktype: "loop" } : undefined),
    hot: () => {},
    record: () => 0,
    enter: () => undefined, loopLeft: () => undefined, startIns: () => 0,
  };
}

describe("jit library", () => {
  fixtureTests("jit");

  it("reports jit.on/off/flush and jit.opt.start to the hooks", () => {
    const log: string[] = [];
    const S = createState({ stdout: (s) => log.push(`print ${s.trimEnd()}`) });
    S.jit = recordingHooks(log);
    const r = runMain(S, load(S, [
      "local function f() end",
      "jit.off() jit.on() jit.flush()",
      "jit.off(f) jit.on(f, true) jit.flush(f, false)",
      "jit.off(true)",
      "jit.flush(7)",
      "jit.opt.start('hotloop=3', 'nofold')",
      "print(pcall(jit.opt.start, 'maxside=5', 'bad'))",
      "local t = require('jit.util').traceinfo(3)",
      "print(t.linktype, t.link, t.nexit, require('jit.util').traceinfo(4))",
    ].join("\n"), "@j.lua"));
    expect(r.status).toBe("ok");
    expect(log).toEqual([
      "off engine", "on engine", "flush engine",
      "off @j.lua:1 func", "on @j.lua:1 allfunc", "flush @j.lua:1 allsubfunc",
      "off @j.lua:0 func",
      "flushTrace 7",
      "optStart hotloop=3,nofold",
      "optStart maxside=5",
      "print false\tunknown or malformed optimization flag 'bad'",
      "print loop\t3\t4",
    ]);
    expect(S.jitConfig.params[jitParamIndex("hotloop")]).toBe(3);
    expect(S.jitConfig.params[jitParamIndex("maxside")]).toBe(5);
    expect(S.jitConfig.flags & JIT_F_ON).toBe(JIT_F_ON);
  });

  it("keeps jit.attach handlers by event for the simulator", () => {
    const S = createState();
    runMain(S, load(S, "local h = function() end jit.attach(h, 'trace') jit.attach(h, 'record') jit.attach(print, 'texit') jit.attach(h)", "=a"));
    expect([...S.jitConfig.handlers.keys()]).toEqual(["texit"]);
  });

  it("shows the version of the build it imitates", () => {
    expect(runLua("print(jit.version)", { build: "prefix-assert" })).toBe(`${LUAJIT_VERSIONS["prefix-assert"]}\n`);
    expect(runLua("print(jit.version)")).toBe("LuaJIT 2.1.1741558142\n");
  });
});
