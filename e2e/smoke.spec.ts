// Smoke test: the production build loads in Chromium and shows the explorer shell.
import { test, expect } from "@playwright/test";

test("explorer page loads with its title and heading", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  await page.goto("/");
  await expect(page).toHaveTitle("ljscope");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ljscope");
  await expect(page.getByTestId("placeholder")).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("smoke.png"), fullPage: true });
  expect(errors).toEqual([]);
});
