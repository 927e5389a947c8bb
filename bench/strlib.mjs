#!/usr/bin/env node
// Speed of the string library core (src/vm/lib/strlib.ts): gsub, find, gmatch,
// format and friends on large inputs; optionally the same work in LuaJIT.
//
// usage: node bench/strlib.mjs [--runs N] [--luajit PATH]
//   --runs    timed runs per benchmark, median reported (default 7, after 2 warm-ups)
//   --luajit  also time the equivalent Lua code with this luajit binary (reference only)

import { buildSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv) {
  const opt = { runs: 7, luajit: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") opt.runs = Math.max(1, Number(argv[++i]) | 0);
    else if (a === "--luajit") opt.luajit = argv[++i];
    else fail(`unknown argument ${a}`);
  }
  return opt;
}

function fail(msg) {
  console.error(`bench:strlib: ${msg}`);
  process.exit(1);
}

async function loadStrlib() {
  const dir = mkdtempSync(join(tmpdir(), "ljscope-bench-"));
  const outfile = join(dir, "strlib.mjs");
  try {
    buildSync({
      entryPoints: [join(root, "src/vm/lib/strlib.ts")],
      bundle: true, format: "esm", platform: "node", target: "node20",
      outfile, logLevel: "silent", sourcemap: false, tsconfig: join(root, "tsconfig.json"),
    });
    return await import(pathToFileURL(outfile).href);
  } catch (e) {
    const msgs = (e.errors ?? []).map((m) => `  ${m.location?.file ?? ""}:${m.location?.line ?? ""}: ${m.text}`);
    fail(`cannot bundle src/vm/lib/strlib.ts:\n${msgs.join("\n") || e.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const opt = parseArgs(process.argv.slice(2));
const S = await loadStrlib();

// Inputs: ~1.2 MB of words, 1 MB without a match until the end, 100 KB of one byte.
const text = "hello world ".repeat(100_000);
const hay = "ab".repeat(500_000) + "needle 12345";
const xs = "x".repeat(100_000);
const tostr = (v) => (typeof v === "string" ? v : String(v));

// name, JS work, equivalent Lua work (T = text, H = hay, X = xs).
const benches = [
  ["gsub literal 'o'->'0' (1.2 MB)", () => S.gsub(text, "o", "0"), 'T:gsub("o", "0")'],
  ["gsub %w+ -> <%0> (1.2 MB)", () => S.gsub(text, "%w+", "<%0>"), 'T:gsub("%w+", "<%0>")'],
  ["gsub (%w+) (%w+) -> %2 %1", () => S.gsub(text, "(%w+) (%w+)", "%2 %1"), 'T:gsub("(%w+) (%w+)", "%2 %1")'],
  ["gsub %w+ with callback", () => S.gsub(text, "%w+", (c) => c[0].length), 'T:gsub("%w+", function(w) return #w end)'],
  ["gsub . -> '' (1.2 MB, 1.2M matches)", () => S.gsub(text, ".", ""), 'T:gsub(".", "")'],
  ["find plain at end of 1 MB", () => S.find(hay, "needle", 1, true), 'H:find("needle", 1, true)'],
  ["find pattern %d+ at end of 1 MB", () => S.find(hay, "%d+"), 'H:find("%d+")'],
  ["find (.-)$ over 100 KB", () => S.find(xs, "(.-)$"), 'X:find("(.-)$")'],
  ["gmatch %a+ over 1.2 MB", () => { const it = S.gmatch(text, "%a+"); let n = 0; while (it.next()) n++; return n; },
    'local n = 0 for w in T:gmatch("%a+") do n = n + 1 end'],
  ["100k small finds", () => { let n = 0; for (let i = 0; i < 100_000; i++) if (S.find("key=value", "(%w+)=(%w+)")) n++; return n; },
    'local n = 0 for i = 1, 100000 do if ("key=value"):find("(%w+)=(%w+)") then n = n + 1 end end'],
  ["100k format('%d %s %5.2f')", () => { let r; for (let i = 0; i < 100_000; i++) r = S.format("%d %s %5.2f", [i, "ab", i / 7], tostr); return r; },
    'local r for i = 1, 100000 do r = string.format("%d %s %5.2f", i, "ab", i / 7) end'],
  ["format %q of 1.2 MB", () => S.format("%q", [text + "\n\0"], tostr), 'string.format("%q", T .. "\\n\\0")'],
  ["rep 'abc' x 1M with sep", () => S.rep("abc", 1_000_000, ","), '("abc"):rep(1000000, ",")'],
  ["upper + reverse 1.2 MB", () => S.reverse(S.upper(text)), "T:upper():reverse()"],
];

function median(xsArr) {
  const s = [...xsArr].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function luaTimes() {
  if (!opt.luajit) return null;
  const lines = [
    'local T = ("hello world "):rep(100000)',
    'local H = ("ab"):rep(500000) .. "needle 12345"',
    'local X = ("x"):rep(100000)',
    "local clock = os.clock",
  ];
  for (const [, , lua] of benches) {
    lines.push("do local ts = {}",
      `  for run_ = 1, ${opt.runs + 2} do local t0 = clock(); do ${lua} end; ts[run_] = clock() - t0 end`,
      "  local k = {} for i = 3, #ts do k[#k + 1] = ts[i] end table.sort(k)",
      "  print(k[math.floor(#k / 2) + 1] * 1000) end");
  }
  const r = spawnSync(opt.luajit, ["-"], { input: lines.join("\n"), encoding: "latin1" });
  if (r.status !== 0) fail(`luajit failed: ${r.stderr}`);
  return r.stdout.trim().split("\n").map(Number);
}

const lj = luaTimes();
console.log(`bench:strlib: median of ${opt.runs} runs (+2 warm-up), milliseconds${lj ? `; luajit = ${opt.luajit}` : ""}`);
benches.forEach(([name, fn], k) => {
  for (let i = 0; i < 2; i++) fn();
  const ts = [];
  for (let i = 0; i < opt.runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  const ref = lj ? `   luajit ${lj[k].toFixed(2).padStart(8)}` : "";
  console.log(`  ${name.padEnd(38)} ${median(ts).toFixed(2).padStart(8)}${ref}`);
});
