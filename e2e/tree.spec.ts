// The trace tree: side traces under their root with jit.v's (parent/exit)
// labels, stitched traces, link edges, following the timeline cursor, and
// selection shared with the registry.
import { test, expect, type Page } from "@playwright/test";
import { importLog, openExplorer, runAndWait } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

const node = (page: Page, tr: number) => page.locator(`[data-testid="tree-node"][data-traceno="${tr}"]`);

const importWithProgram = (page: Page, name: string): Promise<void> => importLog(page, `${name}.events.fixed.jsonl`, `${name}.lua`);

test("side traces of a loop, linking back to it (loop_goto)", async ({ page }) => {
  await openExplorer(page);
  await importWithProgram(page, "loop_goto");
  const nodes = page.getByTestId("tree-node");
  await expect(nodes).toHaveCount(4);
  await expect(node(page, 2)).toHaveAttribute("data-label", "2 (1/2)");
  await expect(node(page, 3)).toHaveAttribute("data-label", "3 (1/5)");
  await expect(node(page, 3)).toHaveAttribute("data-kind", "side");
  await expect(node(page, 3)).toHaveAttribute("data-parent", "1");
  await expect(node(page, 3)).toContainText("loop_goto.lua:10");
  await expect(page.locator('[data-testid="tree-edge"][data-from="1"][data-to="3"]')).toContainText("exit 5");
  await expect(page.locator('[data-testid="tree-link"][data-from="3"][data-to="1"]')).toHaveAttribute("data-linktype", "root");
  await expect(page.locator('[data-testid="tree-link"][data-from="1"][data-to="1"]')).toHaveAttribute("data-linktype", "loop");
  // Side traces sit to the right of their root.
  const root = await node(page, 1).boundingBox();
  const side = await node(page, 3).boundingBox();
  expect(side && root && side.x > root.x + root.width).toBe(true);

  // Clicking a node selects the trace everywhere.
  await node(page, 3).click();
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="3"]')).toHaveAttribute("aria-pressed", "true");
  await expect(node(page, 3)).toHaveAttribute("aria-pressed", "true");
});

test("the tree follows the cursor", async ({ page }) => {
  await openExplorer(page);
  await importWithProgram(page, "loop_goto");
  await page.locator("body").press("Home");
  await expect(page.getByTestId("tree-node")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Trace tree", exact: true })).toContainText("No traces");
  // At trace 3's start: it is being recorded, hanging off exit 5 of trace 1.
  await page.locator('[data-testid="timeline-event"][data-kind="trace-start"]').nth(2).click();
  await expect(node(page, 3)).toHaveAttribute("data-state", "recording");
  await expect(node(page, 3)).toContainText("recording");
  await expect(page.getByTestId("tree-node")).toHaveCount(3);
  await page.getByTestId("step-forward").click();
  await page.locator("body").press("End");
  await expect(node(page, 3)).toHaveAttribute("data-state", "live");
  await expect(page.getByTestId("tree-node")).toHaveCount(4);
});

test("a stitched trace, and the seed's flushed trace", async ({ page }) => {
  await openExplorer(page);
  await importWithProgram(page, "misc_unpack");
  await expect(node(page, 2)).toHaveAttribute("data-label", "2 (1/stitch)");
  await expect(page.locator('[data-testid="tree-edge"][data-from="1"][data-to="2"]')).toHaveAttribute("data-kind", "stitch");
  await expect(page.locator('[data-testid="tree-link"][data-from="2"][data-to="1"]')).toHaveCount(1);
  await expect(node(page, 3)).toContainText("return");

  // The seed under fixed, at its end: trace 1 was flushed by jit.flush(1) but is still allocated.
  await page.getByLabel("Examples").selectOption("seed_flush_twice.lua");
  await runAndWait(page);
  await expect(node(page, 1)).toHaveAttribute("data-state", "flushed");
  await expect(node(page, 2)).toHaveAttribute("data-state", "live");
  await expect(node(page, 3)).toHaveAttribute("data-state", "live");
});

for (const theme of ["light", "dark"] as const) {
  test(`trace tree screenshots (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openExplorer(page);
    await importWithProgram(page, "side_type_change");
    await node(page, 2).click();
    const shot = (name: string) => test.info().outputPath(`${theme}-${name}.png`);
    await page.getByRole("region", { name: "Trace tree", exact: true }).screenshot({ path: shot("tree-side") });
    await importWithProgram(page, "misc_unpack");
    await page.getByRole("region", { name: "Trace tree", exact: true }).screenshot({ path: shot("tree-stitch") });
    await page.screenshot({ path: shot("explorer-with-tree") });
    await page.getByTestId("export-menu").click();
    await page.screenshot({ path: shot("export-menu") });
    await expect(page.getByTestId("repro-line")).toBeVisible();
  });
}
