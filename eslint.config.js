// ESLint flat config: @eslint/js and typescript-eslint recommended, kept small.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import globals from "globals";

export default defineConfig(
  { ignores: ["dist/", "build/", "node_modules/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  // Plain JS here is Node scripts (bench/, configs); TS files get no-undef from tsc instead.
  { files: ["**/*.{js,mjs,cjs}"], languageOptions: { globals: globals.node } },
  {
    rules: {
      // Lua strings are binary strings here: matching control bytes (\x00-\x1f) is ordinary work.
      "no-control-regex": "off",
      // As in tsc (noUnusedParameters): a leading underscore marks a name unused on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
