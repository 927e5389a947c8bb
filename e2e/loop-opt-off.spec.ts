// Without the loop optimisation a side trace that loops back to its own start
// is linked to its root (lj_record_stop): jit.v's "-> 1 loop", a link edge in
// the tree, and an explanation that says where the loop goes.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait, setProgram } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

const PROGRAM = `-- luajit-args: -O-loop -Ohotloop=1
local err, pos, last = ("a\\n\\tb"):rep(30), nil, nil
local m = 0
repeat
  _, last = err:find("\\n\\t", pos, true)
  pos = last
  m = m + 1
until not last
print(m)
`;

test("a side trace's loop is linked to its root when the loop optimisation is off", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, PROGRAM);
  await runAndWait(page);
  const side = page.locator('[data-testid="tree-node"][data-traceno="2"]');
  await expect(side).toHaveAttribute("data-kind", "side");
  await expect(page.locator('[data-testid="tree-link"][data-from="2"][data-to="1"]')).toHaveAttribute("data-linktype", "loop");
  await expect(side).toContainText("-> 1 loop");
  await expect(page.getByTestId("console")).toContainText("31");
  // The side trace's stop: the card says where its loop goes.
  await page.locator('[data-testid="timeline-event"][data-kind="trace-stop"]').nth(1).click();
  await expect(page.getByRole("region", { name: "Explanation of the current event" })).toContainText("linked to its root trace 1");
  await page.screenshot({ path: test.info().outputPath("loop-opt-off.png") });
});
