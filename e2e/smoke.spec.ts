// Smoke test: the production build loads in Chromium, shows the explorer and
// its first paint comes quickly, with no errors in the console.
import { test, expect } from "@playwright/test";

test("explorer page loads with its title, heading and views", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  await page.goto("/");
  await expect(page).toHaveTitle("ljscope");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ljscope");
  await expect(page.getByTestId("editor")).toBeVisible();
  await expect(page.getByTestId("run")).toBeVisible();
  // The seed example runs on load: its bytecode is listed.
  await expect(page.getByTestId("bc-slot").first()).toBeVisible();
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0);
  expect(fcp).toBeGreaterThan(0);
  expect(fcp).toBeLessThan(1500);
  await page.screenshot({ path: test.info().outputPath("smoke.png"), fullPage: true });
  expect(errors).toEqual([]);
});
