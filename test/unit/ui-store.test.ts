// The app store's option handling: the `-- luajit-args:` line fills the
// option fields until the user changes one; the run options it sends.
import { describe, expect, it } from "vitest";
import type { EngineClient } from "../../src/engine/client.ts";
import { AppStore, settingsFromArgs } from "../../src/ui/app/store.ts";
import { EXAMPLES } from "../../src/ui/examples/index.ts";

const fakeClient = { check: async () => null, run: () => {}, stop: () => false, dispose: () => {} } as unknown as EngineClient;

describe("option fields and luajit-args lines", () => {
  const base = { build: "fixed" as const, hotloop: 56, opts: "", budgetM: 50 };

  it("reads the args line, with luajit's defaults when there is none", () => {
    expect(settingsFromArgs("-- luajit-args: -Ohotloop=1 -Omaxtrace=4\n", base)).toEqual({ ...base, hotloop: 1, opts: "maxtrace=4" });
    expect(settingsFromArgs("print(1)\n", { ...base, hotloop: 5, opts: "x=1" })).toEqual(base);
  });

  it("follows the program's args line until the user sets a field", () => {
    const store = new AppStore(fakeClient);
    expect(store.state.settings.hotloop).toBe(1); // the seed example
    store.setSource("print(1)\n");
    expect(store.state.settings.hotloop).toBe(56);
    store.setSource("-- luajit-args: -Ohotloop=3\nprint(1)\n");
    expect(store.state.settings.hotloop).toBe(3);
    store.setSettings({ hotloop: 9 });
    store.setSource("print(2)\n");
    expect(store.state.settings.hotloop).toBe(9);
    expect(store.runOptions().jitOpts).toEqual(["hotloop=9"]);
    store.loadExample(EXAMPLES.find((e) => e.file === "maxtrace.lua")!);
    expect(store.state.settings).toMatchObject({ hotloop: 56, opts: "maxtrace=4" });
    expect(store.runOptions().jitOpts).toEqual(["maxtrace=4", "hotloop=56"]);
    store.dispose();
  });
});
