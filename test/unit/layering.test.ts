// The folder import rule of STYLE.md: each folder under src/ imports only from
// itself and the folders before it in LAYERS (util is a leaf everyone may use).
// Also keeps Node built-ins out of everything but cli/, since the engine, the
// compiler and the UI run in the browser.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/oracle.ts";

const LAYERS = ["util", "bc", "lang", "vm", "jit", "engine", "ui", "cli"];
const rank = new Map(LAYERS.map((layer, i) => [layer, i]));
const srcDir = join(repoRoot, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(m?[jt]sx?)$/.test(entry) ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports, dynamic import() and new URL(..., import.meta.url). */
function importSpecifiers(code: string): string[] {
  const stripped = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\b[^;'"`]*?\bfrom\s*["']([^"']+)["']/gm, // import x from "m" / export { x } from "m"
    /^\s*import\s*["']([^"']+)["']/gm, // import "m"
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("m")
    /\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g, // workers and assets
  ];
  for (const re of patterns) for (const m of stripped.matchAll(re)) found.push(m[1]);
  return found;
}

/** The top-level folder under src/ that a path lies in, or null if outside src/ or directly in it. */
function layerOf(path: string): string | null {
  const rel = relative(srcDir, path);
  if (rel.startsWith("..") || !rel.includes(sep)) return null;
  return rel.split(sep)[0];
}

describe("importSpecifiers", () => {
  it("finds every kind of import and ignores comments", () => {
    const code = [
      'import { a } from "../bc/opcodes.ts";',
      "import type {",
      "  Proto,",
      '} from "../bc/proto.ts";',
      'export * from "./x.ts";',
      'import "./side.css";',
      'const w = new Worker(new URL("../engine/worker.ts", import.meta.url), { type: "module" });',
      'const m = await import("../vm/lib.ts");',
      '// import { no } from "../cli/main.ts";',
      '/* import { no2 } from "../ui/x.ts"; */',
      'const s = "http://example/x"; // a string with // inside',
    ].join("\n");
    expect(importSpecifiers(code)).toEqual([
      "../bc/opcodes.ts", "../bc/proto.ts", "./x.ts", "./side.css", "../vm/lib.ts", "../engine/worker.ts",
    ]);
  });
});

describe("src/ layering (STYLE.md)", () => {
  const files = sourceFiles(srcDir);

  it("finds the source files and their imports", () => {
    expect(files.length).toBeGreaterThan(0);
    const compile = files.find((f) => f.endsWith(join("lang", "compile.ts")));
    expect(compile && importSpecifiers(readFileSync(compile, "utf8"))).toContain("../bc/proto.ts");
  });

  it("has every file inside a known layer folder", () => {
    const stray = files.map((f) => relative(repoRoot, f)).filter((f) => {
      const layer = layerOf(resolve(repoRoot, f));
      return layer === null || !rank.has(layer);
    });
    expect(stray, `files outside the layers ${LAYERS.join(", ")}; add the folder to LAYERS in STYLE.md order`).toEqual([]);
  });

  it("imports only from the same or an earlier layer", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (from === null) continue;
      for (const spec of importSpecifiers(readFileSync(file, "utf8"))) {
        if (!spec.startsWith(".")) continue; // packages are checked below
        const target = resolve(dirname(file), spec);
        const to = layerOf(target);
        const rel = relative(repoRoot, file);
        if (to === null) {
          violations.push(`${rel}: imports ${spec}, outside the src/ layer folders`);
        } else if ((rank.get(to) ?? Infinity) > (rank.get(from) ?? -1)) {
          violations.push(`${rel}: ${from} must not import from ${to} (${spec})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("uses Node built-ins only in cli/", () => {
    const violations: string[] = [];
    for (const file of files) {
      if (layerOf(file) === "cli") continue;
      for (const spec of importSpecifiers(readFileSync(file, "utf8"))) {
        if (spec.startsWith("node:") || builtinModules.includes(spec)) violations.push(`${relative(repoRoot, file)}: imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
