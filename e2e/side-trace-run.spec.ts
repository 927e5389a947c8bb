// A run (not an import) of the side-trace example: the simulation compiles the
// loop, the branch flip's exit gets hot, and a side trace (1/N) is recorded and
// linked back to the loop — in the registry, the tree and the timeline.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

test("a run of the side-trace example shows the side trace linked to its root", async ({ page }) => {
  await openExplorer(page);
  await page.getByLabel("Examples").selectOption("side_trace.lua");
  await runAndWait(page);
  const side = page.locator('[data-testid="tree-node"][data-traceno="2"]');
  await expect(side).toHaveAttribute("data-kind", "side");
  await expect(side).toHaveAttribute("data-parent", "1");
  await expect(side).toHaveAttribute("data-label", /^2 \(1\/\d+\)$/);
  await expect(page.locator('[data-testid="tree-link"][data-from="2"][data-to="1"]')).toHaveAttribute("data-linktype", "root");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="2"]')).toHaveAttribute("data-state", "live");
  // The exits that made it hot are on the timeline.
  await expect(page.locator('[data-testid="timeline-event"][data-kind="exit"]').first()).toBeAttached();
  await page.screenshot({ path: test.info().outputPath("side-trace-run.png") });
});
