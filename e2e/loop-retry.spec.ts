// A failed loop optimisation (a flag that flips type every iteration) makes
// the recorder go on into the next iteration: one trace, no side trace, and
// an explanation that says why it holds two iterations.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait, setProgram } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

const PROGRAM = `local flip, n = false, 0
for i = 1, 300 do
  if flip then n = n + 1 else n = n + 2 end
  flip = not flip
end
print(n)
`;

test("a trace that records two iterations says the loop optimisation failed", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, PROGRAM);
  await runAndWait(page);
  await expect(page.locator('[data-testid="tree-node"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="tree-node"][data-traceno="1"]')).toContainText("loop");
  await expect(page.getByTestId("console")).toContainText("450");
  await page.locator('[data-testid="timeline-event"][data-kind="trace-stop"]').first().click();
  const card = page.getByRole("region", { name: "Explanation of the current event" });
  await expect(card).toContainText("The loop optimisation failed once (persistent type instability)");
  await expect(card).toContainText("holds 2 iterations");
  await card.evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: test.info().outputPath("loop-retry.png") });
});
