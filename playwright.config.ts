// Playwright config: the e2e scenarios in e2e/ drive the production build
// (`vite build` + `vite preview`) in Debian's Chromium (/usr/bin/chromium);
// Playwright's own browser downloads are not available here.
import { defineConfig, devices } from "@playwright/test";

/** Port of the e2e preview server (not vite preview's default, so a running one does not collide); LJSCOPE_E2E_PORT moves it. */
const PREVIEW_PORT = Number(process.env.LJSCOPE_E2E_PORT ?? 4179);
/** Debian's Chromium; LJSCOPE_CHROMIUM overrides it (e.g. another distribution's path). */
const chromium = process.env.LJSCOPE_CHROMIUM ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.CI ? 1 : undefined,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PREVIEW_PORT}`,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromium,
          args: [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: {
    // Build first so that `npm run test:e2e` never tests a stale dist/.
    command: `npm run build && npx vite preview --host 127.0.0.1 --port ${PREVIEW_PORT} --strictPort`,
    url: `http://127.0.0.1:${PREVIEW_PORT}`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
