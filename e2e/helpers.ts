// Shared steps of the explorer scenarios: wait for the editor, replace the
// program, run it, import a log fixture.
import { expect, type Page } from "@playwright/test";
import { fileURLToPath } from "node:url";

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Open the explorer and wait until Monaco has replaced the plain textarea. */
export async function openExplorer(page: Page, hash = ""): Promise<void> {
  await page.goto("/" + hash);
  await expect(page.locator('[data-testid="editor"][data-ready="true"]')).toBeVisible();
}

/** Replace the program in the editor with `code` (as a paste would). */
export async function setProgram(page: Page, code: string): Promise<void> {
  await page.getByTestId("editor").locator(".monaco-editor").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
}

export async function runAndWait(page: Page): Promise<void> {
  await page.getByTestId("run").click();
  await expect(page.getByTestId("timeline-event").and(page.locator('[data-kind="end"]'))).toHaveCount(1);
}

/** Import fixture files; returns once the log (the first non-.lua file) is in the timeline. */
export async function importLog(page: Page, ...names: string[]): Promise<void> {
  await page.getByTestId("import-input").setInputFiles(names.map(fixture));
  // The page's own run also ends with an `end` event: wait for the import itself.
  const log = names.find((n) => !n.endsWith(".lua")) ?? names[0];
  await expect(page.locator(`[data-testid="import-notice"][data-file="${log}"]`)).toBeVisible();
  await expect(page.getByTestId("timeline-event").and(page.locator('[data-kind="end"]'))).toHaveCount(1);
}

export const slot = (page: Page, pc: number, proto?: string) =>
  page.locator(`[data-testid="bc-slot"][data-pc="${pc}"]${proto ? `[data-proto="${proto}"]` : ""}`);
