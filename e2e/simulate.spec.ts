// The seed run in the explorer under each build: the simulation's traces,
// patched slots, the prefix-assert banner and prefix-release's extra trace.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait, setProgram } from "./helpers.ts";

const SEED = "for _ = 1, 3 do\n  jit.flush(1)\n  for _ = 1, 4 do end\nend\n";

for (const build of ["fixed", "prefix-assert", "prefix-release"] as const) {
  test(`the seed with hotloop=1 under ${build}`, async ({ page }) => {
    await openExplorer(page);
    await setProgram(page, SEED);
    await page.getByTestId("build-select").selectOption(build);
    await page.getByTestId("opt-hotloop").fill("1");
    await runAndWait(page);
    await expect(page.locator('[data-testid="timeline-event"][data-kind="trace-stop"]'))
      .toHaveCount(build === "prefix-release" ? 4 : 3);
    if (build === "prefix-assert") {
      await expect(page.getByTestId("assertion")).toContainText("LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace");
    } else {
      await expect(page.getByTestId("assertion")).toHaveCount(0);
    }
    // The inner loop's FORL is patched for the last trace that compiled it.
    await expect(page.locator('[data-testid="bc-slot"][data-op="JFORL"]')).not.toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath(`seed-${build}.png`), fullPage: true });
  });
}
