#!/usr/bin/env node
// Interpreter benchmark: runs ../shared/bench/programs on ljscope and its
// peers (luajit -joff, lua5.1, wasmoon, fengari) side by side in one run,
// checks every output, and prints median wall times and ratios to luajit -joff.
//
//   node bench/run.mjs [--runs N] [--quick] [--only a,b] [--peers luajit,lua5.1,wasmoon,fengari]
//   node bench/run.mjs --overhead [--runs N] [--quick] [--only a,b]
//
// ljscope runs with -joff, like its yardstick luajit -joff: plain interpretation.
// --overhead instead compares ljscope with the JIT simulation and event capture
// on (--events=FILE) against ljscope -joff: the cost of simulating (goal 1.5x).
//
// --quick uses smaller sizes (outputs are then compared across runners only,
// not with the programs' EXPECT lines). Whole-process wall time is measured,
// so start-up is included for every runner alike.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = resolve(root, "../shared/bench");
const programsDir = join(shared, "programs");

const argv = process.argv.slice(2);
const opt = { runs: 3, quick: false, only: null, overhead: false, peers: ["luajit", "lua5.1", "wasmoon", "fengari"] };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--runs") opt.runs = Number(argv[++i]);
  else if (a === "--quick") opt.quick = true;
  else if (a === "--only") opt.only = argv[++i].split(",");
  else if (a === "--peers") opt.peers = argv[++i].split(",").filter(Boolean);
  else if (a === "--overhead") opt.overhead = true;
  else { console.error(`bench: unknown argument ${a}`); process.exit(2); }
}

/** Sizes for --quick: roughly a tenth of the default work. */
const QUICK = {
  binarytrees: "12", fannkuch: "8", fib: "27", loop_sum: "10000000", matmul: "100",
  nbody: "100000", oop: "50000", spectralnorm: "100", strings: "20000", tables: "20000",
};

const which = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const env = { ...process.env, PEERS_DIR: root };

const ljscope = join(root, "bin/ljscope");
const eventsDir = mkdtempSync(join(tmpdir(), "ljscope-bench-"));
const eventsFile = join(eventsDir, "events.jsonl");
const runners = opt.overhead
  ? [{ name: "ljscope -joff", cmd: [ljscope, "-joff"] }, { name: "ljscope sim", cmd: [ljscope, `--events=${eventsFile}`] }]
  : [{ name: "ljscope", cmd: [ljscope, "-joff"] }];
if (opt.overhead) opt.peers = [];
if (opt.peers.includes("luajit") && which("luajit")) runners.push({ name: "luajit -joff", cmd: ["luajit", "-joff"] });
if (opt.peers.includes("lua5.1") && which("lua5.1")) runners.push({ name: "lua5.1", cmd: ["lua5.1"] });
if (opt.peers.includes("wasmoon") && existsSync(join(root, "node_modules/wasmoon"))) {
  runners.push({ name: "wasmoon", cmd: ["node", join(shared, "runners/wasmoon-run.js")] });
}
if (opt.peers.includes("fengari") && existsSync(join(root, "node_modules/fengari"))) {
  runners.push({ name: "fengari", cmd: ["node", join(shared, "runners/fengari-run.js")] });
}

const programs = readdirSync(programsDir).filter((f) => f.endsWith(".lua") && f !== "empty.lua")
  .map((f) => f.slice(0, -4)).filter((p) => !opt.only || opt.only.includes(p)).sort();

function expected(name) {
  const src = readFileSync(join(programsDir, name + ".lua"), "utf8");
  return [...src.matchAll(/^-- EXPECT: (.*)$/gm)].map((m) => m[1]).join("\n") + "\n";
}

function timeRun(runner, name) {
  const args = [...runner.cmd.slice(1), join(programsDir, name + ".lua")];
  if (opt.quick) args.push(QUICK[name] ?? "");
  const t0 = process.hrtime.bigint();
  const r = spawnSync(runner.cmd[0], args, { cwd: programsDir, env, encoding: "latin1", maxBuffer: 1 << 26 });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return { secs, out: r.stdout, ok: r.status === 0, err: r.stderr };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const results = {};
let failures = 0;
for (const name of programs) {
  const times = Object.fromEntries(runners.map((r) => [r.name, []]));
  const outs = {};
  for (let run = 0; run < opt.runs; run++) {
    for (const r of runners) {
      const t = timeRun(r, name);
      if (!t.ok) { console.error(`bench: ${r.name} failed on ${name}: ${t.err.trim().split("\n")[0]}`); failures++; }
      times[r.name].push(t.secs);
      outs[r.name] = t.out;
    }
  }
  const want = opt.quick ? outs["luajit -joff"] ?? outs[runners[0].name] : expected(name);
  for (const r of runners) {
    if (outs[r.name] !== want && !(r.name === "fengari" || r.name === "wasmoon") ) {
      console.error(`bench: ${r.name} printed a wrong checksum for ${name}:\n${outs[r.name]}`);
      failures++;
    }
  }
  results[name] = Object.fromEntries(runners.map((r) => [r.name, median(times[r.name])]));
}

const base = opt.overhead ? "ljscope -joff" : "luajit -joff";
const cols = runners.map((r) => r.name);
const pad = (s, n) => " " + String(s).padStart(n - 1);
console.log(`median wall seconds of ${opt.runs} runs${opt.quick ? " (quick sizes)" : ""}; ratio = time / ${base}`);
console.log("program".padEnd(14) + cols.map((c) => pad(c, 14)).join("") + (results[programs[0]]?.[base] ? cols.filter((c) => c !== base).map((c) => pad(`${c}/${base.split(" ")[0]}`, 18)).join("") : ""));
const logs = Object.fromEntries(cols.map((c) => [c, []]));
for (const name of programs) {
  const row = results[name];
  let line = name.padEnd(14) + cols.map((c) => pad(row[c].toFixed(3), 14)).join("");
  if (row[base]) {
    for (const c of cols.filter((c) => c !== base)) {
      const ratio = row[c] / row[base];
      logs[c].push(Math.log(ratio));
      line += pad(ratio.toFixed(2) + "x", 18);
    }
  }
  console.log(line);
}
if (results[programs[0]]?.[base]) {
  let line = "geomean".padEnd(14) + " ".repeat(14 * cols.length);
  for (const c of cols.filter((c) => c !== base)) {
    const g = Math.exp(logs[c].reduce((a, b) => a + b, 0) / logs[c].length);
    line += pad(g.toFixed(2) + "x", 18);
  }
  console.log(line);
  if (cols.includes("fengari")) {
    const speedups = programs.map((p) => results[p].fengari / results[p].ljscope);
    console.log(`ljscope vs fengari: ${Math.min(...speedups).toFixed(2)}x faster at worst, ${Math.max(...speedups).toFixed(2)}x at best`);
  }
}
rmSync(eventsDir, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
