// Vitest config: unit, golden, invariant and property tests under test/, in
// Node. Playwright scenarios (e2e/) run separately with `npm run test:e2e`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**", "dist/**"],
  },
});
