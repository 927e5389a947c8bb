// Import of event logs captured from real LuaJIT (the oracle's JSONL): the
// trace registry, J-op slots, stepping that restores the bytecode, and the
// prefix-assert crash with LuaJIT's assertion text.
import { test, expect } from "@playwright/test";
import { importLog, openExplorer, slot } from "./helpers.ts";

const MAIN = "seed_flush_twice.lua:0";
const ASSERT = "LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace";

test("an imported prefix-assert log shows traces, J-ops and the assertion", async ({ page }) => {
  await openExplorer(page); // the seed example is the program: the full listing is shown
  await importLog(page, "seed_flush_twice.events.prefix-assert.jsonl");
  await expect(page.getByTestId("assertion")).toHaveText(ASSERT);
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="1"]')).toHaveAttribute("data-state", "flushed-but-allocated");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="2"]')).toHaveAttribute("data-state", "live");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="3"]')).toHaveAttribute("data-state", "live");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="4"]')).toHaveAttribute("data-state", "free");
  await expect(slot(page, 13, MAIN)).toHaveAttribute("data-op", "JFORL");
  await expect(slot(page, 13, MAIN)).toHaveAttribute("data-trace", "3");
  await expect(slot(page, 14, MAIN)).toHaveAttribute("data-trace", "2");
  await expect(slot(page, 12, MAIN)).toHaveAttribute("data-op", "JFORI");
  await expect(slot(page, 5, MAIN)).toHaveAttribute("data-op", "GGET"); // the full listing
  await expect(page.getByTestId("build-select")).toHaveValue("prefix-assert");
  await page.screenshot({ path: test.info().outputPath("import-prefix-assert.png") });
});

test("stepping back and forth restores the bytecode slots", async ({ page }) => {
  await openExplorer(page);
  await importLog(page, "seed_flush_twice.events.prefix-assert.jsonl");
  const s13 = slot(page, 13, MAIN);
  const back = page.getByTestId("step-back");
  const fwd = page.getByTestId("step-forward");
  // From the end: crash, violation, flush of stale trace 1, stop 3, JFORL 3 patch, JFORI patch...
  for (let i = 0; i < 5; i++) await back.click();
  await expect(s13).toHaveAttribute("data-op", "FORL");
  await expect(s13).not.toHaveAttribute("data-trace", /.*/);
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="3"]')).toHaveAttribute("data-state", "recording");
  for (let i = 0; i < 5; i++) await back.click(); // to trace 2's stop: trace 1 still owns the slot
  await expect(s13).toHaveAttribute("data-op", "JFORL");
  await expect(s13).toHaveAttribute("data-trace", "1");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="1"]')).toHaveAttribute("data-state", "live");
  await fwd.click();
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="1"]')).toHaveAttribute("data-state", "flushed-but-allocated");
  await expect(s13).toHaveAttribute("data-trace", "1"); // flushed, not yet unpatched
  await fwd.click();
  await expect(s13).toHaveAttribute("data-op", "FORL");
  for (let i = 0; i < 4; i++) await fwd.click();
  await expect(s13).toHaveAttribute("data-trace", "3");
  // Keyboard: Home goes to the start, End back to the crash.
  await page.locator("body").press("Home");
  await expect(s13).toHaveAttribute("data-op", "FORL");
  await page.locator("body").press("End");
  await expect(s13).toHaveAttribute("data-trace", "3");
  await page.locator("body").press("ArrowLeft");
  await expect(page.locator('[data-testid="timeline-event"][aria-selected="true"]')).toHaveAttribute("data-kind", "violation");
});

test("clicking a timeline event seeks to it; the crash banner names LuaJIT's assertion", async ({ page }) => {
  await openExplorer(page);
  await importLog(page, "seed_flush_twice.events.prefix-assert.jsonl");
  const events = page.getByTestId("timeline-event");
  await expect(events).toHaveCount(19);
  await events.and(page.locator('[data-kind="trace-stop"]')).first().click();
  await expect(slot(page, 13, MAIN)).toHaveAttribute("data-trace", "1");
  await expect(page.getByTestId("assertion")).toHaveText(ASSERT);
  await events.and(page.locator('[data-kind="violation"]')).click();
  await expect(page.locator(".banner.assertion.reached")).toBeVisible();
  await expect(slot(page, 13, MAIN)).toHaveAttribute("data-stale", /stale/);
  await expect(page.getByRole("heading", { name: "LuaJIT assertion failed" })).toBeVisible();
});

test("a prefix-release log: the silent revert and recompilation as trace 4", async ({ page }) => {
  await openExplorer(page);
  await importLog(page, "seed_flush_twice.events.prefix-release.jsonl");
  await expect(page.getByTestId("assertion")).toHaveCount(0);
  await expect(page.getByTestId("violation-banner")).toBeVisible();
  await expect(slot(page, 13, MAIN)).toHaveAttribute("data-trace", "4");
  await expect(page.locator('[data-testid="trace-cell"][data-traceno="4"]')).toHaveAttribute("data-state", "live");
});

test("a log whose program is not in the editor shows the listed slots only", async ({ page }) => {
  await openExplorer(page);
  await page.getByLabel("Examples").selectOption("hello.lua");
  await importLog(page, "seed_flush_twice.events.prefix-assert.jsonl");
  await expect(page.locator(`[data-testid="bc-slot"][data-proto="${MAIN}"]`)).toHaveCount(5);
  await expect(slot(page, 13, MAIN)).toHaveAttribute("data-trace", "3");
  await expect(page.getByText(/not the one this log was captured from/)).toBeVisible();
});
