// Running programs in the engine worker: output in the console, Stop on an
// endless loop (the partial log stays), the instruction budget, a syntax
// error shown as an editor marker with LuaJIT's message.
import { test, expect } from "@playwright/test";
import { openExplorer, runAndWait, setProgram } from "./helpers.ts";

test("running a program shows its output in the console", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, 'local t = {}\nfor i = 1, 3 do t[i] = i * i end\nprint("squares", table.concat(t, ","))\nio.write("done\\n")\n');
  await runAndWait(page);
  await expect(page.getByTestId("console")).toHaveText("squares\t1,4,9\ndone\n");
  await expect(page.locator('[data-testid="bc-slot"][data-proto="seed_flush_twice.lua:0"][data-op="FORL"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="timeline-event"][data-kind="compiled"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="timeline-event"][data-kind="output"]')).not.toHaveCount(0);
});

test("a program's jit.attach handler prints each trace event in the console", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, [
    'jit.attach(function(what, tr, func, pc) print(what, tr, type(func), pc) end, "trace")',
    "local s = 0",
    "for i = 1, 100 do s = s + i end",
    "print(s)",
    "",
  ].join("\n"));
  await runAndWait(page);
  // As real LuaJIT prints it (the loop starts at its FORI + 1, pc 12).
  await expect(page.getByTestId("console")).toHaveText("start\t1\tfunction\t12\nstop\t1\tfunction\tnil\n5050\n");
  await expect(page.locator('[data-testid="timeline-event"][data-kind="trace-stop"]')).toHaveCount(1);
  await page.getByTestId("console").screenshot({ path: test.info().outputPath("attach-console.png") });
});

test("Stop ends `while true do end`; the log so far stays browsable", async ({ page }) => {
  await openExplorer(page);
  await page.getByLabel("Instruction budget (millions of ticks)").fill("1000000");
  await setProgram(page, 'print("before the loop")\nwhile true do end\n');
  await page.getByTestId("run").click();
  await expect(page.getByTestId("stop")).toBeEnabled();
  await expect(page.getByTestId("console")).toContainText("before the loop");
  await page.getByTestId("stop").click();
  await expect(page.getByTestId("stop")).toBeDisabled();
  await expect(page.getByTestId("console")).toContainText("ljscope: stopped");
  await expect(page.locator('[data-testid="timeline-event"][data-kind="end"]')).toHaveCount(1);
  // Still browsable: step back to the output, forward again.
  await page.getByTestId("step-back").click();
  await page.getByTestId("step-back").click();
  await expect(page.getByTestId("console")).toHaveText("before the loop\n");
  await page.getByTestId("step-forward").click();
  await page.getByTestId("step-forward").click();
  await expect(page.getByTestId("console")).toContainText("stopped");
});

test("the instruction budget ends an endless loop by itself", async ({ page }) => {
  await openExplorer(page);
  await page.getByLabel("Instruction budget (millions of ticks)").fill("2");
  await setProgram(page, "while true do end\n");
  await runAndWait(page);
  await expect(page.getByTestId("console")).toHaveText("ljscope: instruction budget exhausted\n");
  await expect(page.getByRole("heading", { name: /instruction budget exhausted/ })).toBeVisible();
});

test("a syntax error is an editor marker with LuaJIT's message", async ({ page }) => {
  await openExplorer(page);
  await setProgram(page, "for i = 1, 3 do\n  print(i)\n");
  const message = "seed_flush_twice.lua:3: 'end' expected (to close 'for' at line 1) near '<eof>'";
  await expect(page.getByTestId("syntax-error")).toHaveText(message);
  await expect(page.locator(".monaco-editor .squiggly-error")).toHaveCount(1);
  await page.getByTestId("run").click();
  await expect(page.getByTestId("console")).toHaveText(`luajit: ${message}\n`);
  // Hovering the marker shows the message.
  await page.locator(".monaco-editor .squiggly-error").hover({ force: true });
  await expect(page.locator(".monaco-hover:not(.hidden)")).toContainText("'end' expected");
});
