// Exports of the current run: the event log, the -jv text and the -bl
// listing as files, the trace tree as SVG (styles inlined) and PNG, and the
// repro line for a real luajit.
import { test, expect, type Locator, type Page } from "@playwright/test";
import { readFileSync, writeFileSync } from "node:fs";
import { openExplorer, runAndWait } from "./helpers.ts";

/** Click a menu item and return the downloaded file's name and bytes. */
async function download(page: Page, item: Locator): Promise<{ name: string; body: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent("download"), item.click()]);
  return { name: dl.suggestedFilename(), body: readFileSync(await dl.path()) };
}

async function openMenu(page: Page): Promise<void> {
  await page.getByTestId("export-menu").click();
  await expect(page.getByRole("dialog", { name: "Export" })).toBeVisible();
}

test("the seed's event log, -jv text and -bl listing", async ({ page }) => {
  await openExplorer(page);
  await runAndWait(page); // the seed example under fixed, -Ohotloop=1
  await openMenu(page);

  const log = await download(page, page.getByTestId("export-events"));
  expect(log.name).toBe("seed_flush_twice.ljscope.jsonl");
  const events = log.body.toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as { seq: number; type: string; tr?: number });
  await expect(page.getByTestId("timeline-event")).toHaveCount(events.length);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events.filter((e) => e.type === "trace-stop").map((e) => e.tr)).toEqual([1, 2, 3]);
  expect(events.at(-1)?.type).toBe("end");

  const jv = await download(page, page.getByTestId("export-jv"));
  expect(jv.name).toBe("seed_flush_twice.jv.fixed.txt");
  expect(jv.body.toString("utf8")).toBe(
    "[TRACE   1 seed_flush_twice.lua:4 loop]\n[TRACE   2 seed_flush_twice.lua:2 return]\n[TRACE   3 seed_flush_twice.lua:4 loop]\n",
  );

  const bl = await download(page, page.getByTestId("export-bl"));
  expect(bl.name).toBe("seed_flush_twice.bl.txt");
  const listing = bl.body.toString("utf8");
  expect(listing.split("\n")[0]).toBe("-- BYTECODE -- seed_flush_twice.lua:0-6");
  // The listing is of the program as compiled, not as patched: FORL, not JFORL.
  expect(listing).toMatch(/^0013 => FORL {5}4 => 0013$/m);
  expect(listing).not.toContain("JFORL");
});

test("under prefix-assert the -jv text ends with LuaJIT's assertion", async ({ page }) => {
  await openExplorer(page);
  await page.getByTestId("build-select").selectOption("prefix-assert");
  await runAndWait(page);
  await openMenu(page);
  const jv = (await download(page, page.getByTestId("export-jv"))).body.toString("utf8");
  expect(jv.split("\n").filter((l) => l.startsWith("[TRACE"))).toHaveLength(3);
  expect(jv.endsWith("LuaJIT ASSERT lj_trace.c:213: trace_unpatch: JFORL references other trace\n")).toBe(true);
});

test("the trace tree as SVG with inlined styles, and as PNG", async ({ page }) => {
  await openExplorer(page);
  await runAndWait(page);
  await openMenu(page);
  const svg = await download(page, page.getByTestId("export-trace-tree-svg"));
  expect(svg.name).toMatch(/^seed_flush_twice\.trace-tree\.\d+\.svg$/);
  const text = svg.body.toString("utf8");
  expect(text).toMatch(/^<\?xml/);
  expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
  // Trace 2 (live) and 3 (live) drawn in their palette colours, inlined; no classes left to resolve.
  expect(text).toContain("fill:rgb(230, 159, 0)"); // #E69F00, trace 2
  expect(text).toContain("fill:rgb(0, 158, 115)"); // #009E73, trace 3
  expect(text).not.toContain("class=");
  expect(text).not.toContain("var(--");
  expect(text).toContain(">seed_flush_twice.lua:4<");

  const png = await download(page, page.getByTestId("export-trace-tree-png"));
  // Kept for a person to look at.
  writeFileSync(test.info().outputPath("tree-export.svg"), svg.body);
  writeFileSync(test.info().outputPath("tree-export.png"), png.body);
  expect(png.name).toMatch(/\.png$/);
  expect(png.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // IHDR: twice the SVG's size (2 pixels per CSS pixel).
  const width = png.body.readUInt32BE(16), height = png.body.readUInt32BE(20);
  const svgWidth = Number(/<svg[^>]* width="(\d+)"/.exec(text)?.[1]);
  expect(width).toBe(2 * svgWidth);
  expect(height).toBeGreaterThan(50);

  // The timeline overview too: its density marks and its label, styled inline.
  const overview = (await download(page, page.getByTestId("export-timeline-overview-svg"))).body.toString("utf8");
  const events = await page.getByTestId("timeline-event").count();
  expect(overview).toContain(`>all ${events} events<`);
  expect(overview).toMatch(/<rect [^>]*style="[^"]*fill:rgb\(/);
  expect(overview).not.toContain("class=");
});

test("the repro line quotes the program for a shell and is copied", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await openExplorer(page);
  await page.getByTestId("opt-hotloop").fill("2");
  await page.getByLabel("Other -O options").fill("maxtrace=8");
  await openMenu(page);
  const line = await page.getByTestId("repro-line").inputValue();
  expect(line).toBe(
    "luajit -Omaxtrace=8 -Ohotloop=2 -jv -e '-- luajit-args: -Ohotloop=1\nfor _ = 1, 3 do\n  jit.flush(1)\n  for _ = 1, 4 do end\nend'",
  );
  await page.getByTestId("copy-repro").click();
  await expect(page.getByTestId("copy-repro")).toHaveText("copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(line);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Export" })).toHaveCount(0);
});
