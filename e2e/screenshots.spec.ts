// Screenshots of each main view for a person to look at (test-results/):
// the explorer after importing the flush-twice seed in both themes, the
// bytecode, registry, timeline, explanation and console panels, the help.
import { test, expect } from "@playwright/test";
import { importLog, openExplorer, runAndWait, setProgram } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

for (const theme of ["light", "dark"] as const) {
  test(`views of the flush-twice seed (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openExplorer(page);
    await importLog(page, "seed_flush_twice.events.prefix-assert.jsonl");
    // The moment before the crash: the stale trace 1 is about to be flushed again.
    await page.locator('[data-testid="timeline-event"][data-kind="violation"]').click();
    await page.getByTestId("trace-cell").first().click();
    const shot = (name: string) => test.info().outputPath(`${theme}-${name}.png`);
    await page.screenshot({ path: shot("explorer") });
    await page.getByRole("region", { name: "Bytecode", exact: true }).screenshot({ path: shot("bytecode") });
    await page.getByRole("region", { name: "Trace registry", exact: true }).screenshot({ path: shot("registry") });
    await page.getByRole("region", { name: "Timeline", exact: true }).screenshot({ path: shot("timeline") });
    await page.getByRole("region", { name: "Explanation of the current event", exact: true }).screenshot({ path: shot("explanation") });
    await expect(page.getByTestId("assertion")).toBeVisible();
  });
}

test("console and help", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, 'for i = 1, 3 do print("line", i) end\nio.stderr:write("warning\\n")\nerror("boom")\n');
  await runAndWait(page);
  await page.getByRole("region", { name: "Console", exact: true }).screenshot({ path: test.info().outputPath("console.png") });
  await page.locator("body").press("?");
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("help.png") });
});
