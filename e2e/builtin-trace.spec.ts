// A loop inside table.remove: LuaJIT writes remove in Lua, so its shift loop
// gets hot and is compiled as a trace of "builtin:remove". The explorer shows
// that trace, named as jit.v names it, next to the program's own.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait, setProgram } from "./helpers.ts";

test.use({ viewport: { width: 1440, height: 900 } });

const PROGRAM = `local t = {}
for i = 1, 400 do t[i] = i * 2 end
local s = 0
for j = 1, 150 do s = s + table.remove(t, 1) end
print(s, #t)
`;

test("a trace recorded inside table.remove shows up as builtin:remove", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, PROGRAM);
  await runAndWait(page);
  await expect(page.getByText("22650\t250").first()).toBeAttached();
  const inBuiltin = page.locator('[data-testid="trace-cell"][data-traceno="2"]');
  await expect(inBuiltin).toBeAttached();
  await expect(page.getByRole("button", { name: /^Trace 2: root trace, live; starts at builtin:remove; loop/ })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Trace 3 \(2\/3\): side trace of trace 2/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("builtin-trace.png") });
});
