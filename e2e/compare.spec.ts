// The compare view: the seed run under two builds (or two hotloop values),
// aligned event by event, with the first divergence marked and scrolled to;
// a compared run opens in the explorer at the chosen event.
import { test, expect, type Page } from "@playwright/test";
import { openExplorer } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

async function openCompare(page: Page): Promise<void> {
  await page.getByTestId("compare-open").click();
  await expect(page.getByTestId("compare")).toBeVisible();
  await expect(page.getByTestId("compare-divergence")).toBeVisible();
}

const firstRow = (page: Page) => page.locator('[data-testid="compare-row"][data-divergence="first"]');

test("fixed vs prefix-release: the runs part where prefix-release compiles a 4th trace", async ({ page }) => {
  await openExplorer(page); // the seed example, -Ohotloop=1 from its args line
  await openCompare(page);
  await expect(page.getByTestId("compare-build-a")).toHaveValue("fixed");
  await expect(page.getByTestId("compare-build-b")).toHaveValue("prefix-release");
  await expect(page.getByTestId("compare-hotloop-b")).toHaveValue("1");
  const summary = page.getByTestId("compare-divergence");
  await expect(summary).toHaveAttribute("data-b-kind", "trace-start");
  await expect(summary).not.toHaveAttribute("data-a-kind", /.*/);
  await expect(summary).toContainText("Trace 4 starts recording");
  // Jumped to: the row is on screen, selected, and only B has it.
  const row = firstRow(page);
  await expect(row).toBeInViewport();
  await expect(row).toHaveAttribute("aria-selected", "true");
  await expect(row).toHaveAttribute("data-status", "b-only");
  await expect(row).toContainText("Trace 4 starts recording");
  // The three traces before it are the same in both runs.
  await expect(page.locator('[data-testid="compare-row"][data-spine="true"][data-status="same"][data-a-kind="trace-stop"]')).toHaveCount(3);
  // LuaJIT's events only: the ours rows go, the divergence stays.
  await page.getByTestId("compare-spine-only").check();
  await expect(page.locator('[data-testid="compare-row"][data-spine="false"]')).toHaveCount(0);
  await expect(firstRow(page)).toBeVisible();

  // Open B at the divergence: the explorer shows prefix-release's log with trace 4 recording.
  await page.getByTestId("compare-open-b").click();
  await expect(page.getByTestId("compare")).toHaveCount(0);
  await expect(page.getByTestId("build-select")).toHaveValue("prefix-release");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="4"]')).toHaveAttribute("data-state", "recording");
  await expect(page.locator('[data-testid="timeline-event"][aria-selected="true"]')).toHaveAttribute("data-kind", "trace-start");
});

test("fixed vs prefix-assert: the runs part at the crash", async ({ page }) => {
  await openExplorer(page);
  await openCompare(page);
  await page.getByTestId("compare-build-b").selectOption("prefix-assert");
  await page.getByTestId("compare-run").click();
  const summary = page.getByTestId("compare-divergence");
  await expect(summary).toHaveAttribute("data-b-kind", "violation");
  await expect(summary).toContainText("LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace");
  await expect(firstRow(page)).toBeInViewport();
  // The ends share a row: A finished, B crashed.
  const ends = page.locator('[data-testid="compare-row"][data-a-kind="end"][data-b-kind="end"]');
  await expect(ends).toHaveAttribute("data-status", "changed");
  await expect(ends).toContainText("Program finished (exit 0)");
  await expect(ends).toContainText("LuaJIT crashed (exit 134)");
});

test("two parameter sets: hotloop=1 vs hotloop=56 part at the first trace", async ({ page }) => {
  await openExplorer(page);
  await openCompare(page);
  await page.getByTestId("compare-build-b").selectOption("fixed");
  await page.getByTestId("compare-hotloop-b").fill("56");
  await page.getByTestId("compare-run").click();
  const summary = page.getByTestId("compare-divergence");
  await expect(summary).toHaveAttribute("data-a-kind", "trace-start");
  await expect(summary).toContainText("only A: Trace 1 starts recording");
  await expect(page.locator(".cmp-heads")).toContainText("-Ohotloop=56");
  await page.getByTestId("compare-close").click();
  await expect(page.getByTestId("compare")).toHaveCount(0);
  await expect(page.getByTestId("editor")).toBeVisible();
});

for (const theme of ["light", "dark"] as const) {
  test(`compare view screenshot (${theme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openExplorer(page);
    await openCompare(page);
    await expect(firstRow(page)).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath(`${theme}-compare.png`) });
  });
}
