// Permalinks: the program, options, build and cursor survive a round trip
// through the URL hash.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait, setProgram } from "./helpers.ts";

test("permalink round trip: code, options, build and cursor", async ({ page, context }) => {
  await openExplorer(page);
  const code = 'for i = 1, 2 do print("line", i) end\nprint("é ✓")\n';
  await setProgram(page, code);
  await page.getByTestId("build-select").selectOption("prefix-release");
  await page.getByTestId("opt-hotloop").fill("7");
  await runAndWait(page);
  await page.getByTestId("step-back").click();
  await page.getByTestId("step-back").click();
  await expect(page).toHaveURL(/#v=1&.*cursor=/);
  const url = page.url();
  expect(url).toContain("build=prefix-release");
  expect(url).toContain("hotloop=7");

  const other = await context.newPage();
  await openExplorer(other, url.slice(url.indexOf("#")));
  await expect(other.getByTestId("build-select")).toHaveValue("prefix-release");
  await expect(other.getByTestId("opt-hotloop")).toHaveValue("7");
  await expect(other.getByTestId("editor").locator(".view-lines")).toContainText('print("é ✓")');
  await expect(other.locator(".position")).toHaveText(await page.locator(".position").innerText());
  await expect(other.getByTestId("console")).toHaveText(await page.getByTestId("console").innerText());
});
