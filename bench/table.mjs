#!/usr/bin/env node
// Micro benchmark for Lua tables (src/vm/table.ts): get/set/next/create
// throughput against a plain JS Map (and a JS array for the array part).
//
// usage: node bench/table.mjs [--n N] [--rounds N]
//   --n       keys per workload (default 100000)
//   --rounds  timed rounds per workload, best one reported (default 7)

import { buildSync } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function parseArgs(argv) {
  const opt = { n: 100000, rounds: 7 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = Number(argv[++i]);
    if (!Number.isInteger(v) || v <= 0) fail(`${a} needs a positive integer`);
    if (a === "--n") opt.n = v;
    else if (a === "--rounds") opt.rounds = v;
    else fail(`unknown argument ${a}`);
  }
  return opt;
}

function fail(msg) {
  console.error(`bench:table: ${msg}`);
  process.exit(1);
}

async function loadTable() {
  const dir = mkdtempSync(join(tmpdir(), "ljscope-bench-"));
  const outfile = join(dir, "table.mjs");
  try {
    buildSync({
      stdin: {
        contents: 'export * from "./src/vm/table.ts"; export * from "./src/vm/hash.ts";',
        resolveDir: root, sourcefile: "bench-entry.ts", loader: "ts",
      },
      bundle: true, format: "esm", platform: "node", target: "node20",
      outfile, logLevel: "silent", sourcemap: false, tsconfig: join(root, "tsconfig.json"),
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const msgs = (e.errors ?? []).map((m) => `  ${m.location?.file ?? ""}:${m.location?.line ?? ""}: ${m.text}`);
    fail(`cannot bundle src/vm/table.ts:\n${msgs.join("\n") || e.message}`);
  }
  const mod = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  return mod;
}

/** Best-of-rounds time per operation in ns; `run` returns a checksum so work is not dropped. */
function measure(rounds, ops, run) {
  let best = Infinity;
  let sink = 0;
  run(); // warm-up (and JIT tier-up)
  run();
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    sink += run();
    best = Math.min(best, performance.now() - t0);
  }
  if (sink === 0.5) console.log(""); // keep `sink` alive
  return (best * 1e6) / ops;
}

const { n, rounds } = parseArgs(process.argv.slice(2));
const { LuaTable, iterOut, strHash } = await loadTable();

const strKeys = Array.from({ length: n }, (_, i) => "key" + i);
const strHashes = Int32Array.from(strKeys, strHash);
const fieldNames = ["x", "y", "z", "name", "next", "value", "count", "parent"];
const fieldHashes = fieldNames.map(strHash);
const sparse = Array.from({ length: n }, (_, i) => i * 1048576 + 3);
const floats = Array.from({ length: n }, (_, i) => i + 0.5);
const template = { kind: "template", asize: 0, hbits: 2, sets: [["x", 1], ["y", 2], ["z", 3]], minAsize: 0 };

const rows = [];
function bench(name, ops, lua, map) {
  rows.push([name, measure(rounds, ops, lua), map ? measure(rounds, ops, map) : NaN]);
}

bench("array part: set 1..n, then get (per op)", 2 * n, () => {
  const t = new LuaTable();
  for (let i = 1; i <= n; i++) t.setInt(i, i);
  let s = 0;
  for (let i = 1; i <= n; i++) s += t.getInt(i);
  return s;
}, () => {
  const m = new Map();
  for (let i = 1; i <= n; i++) m.set(i, i);
  let s = 0;
  for (let i = 1; i <= n; i++) s += m.get(i);
  return s;
});

{
  const t = new LuaTable();
  const m = new Map();
  for (let i = 1; i <= n; i++) {
    t.setInt(i, i);
    m.set(i, i);
  }
  bench("array part: get only", 10 * n, () => {
    let s = 0;
    for (let r = 0; r < 10; r++) for (let i = 1; i <= n; i++) s += t.getInt(i);
    return s;
  }, () => {
    let s = 0;
    for (let r = 0; r < 10; r++) for (let i = 1; i <= n; i++) s += m.get(i);
    return s;
  });
  bench("array part: generic get(key)", 10 * n, () => {
    let s = 0;
    for (let r = 0; r < 10; r++) for (let i = 1; i <= n; i++) s += t.get(i);
    return s;
  });
  bench("#t on a full array (length())", 1000, () => {
    let s = 0;
    for (let r = 0; r < 1000; r++) s += t.length();
    return s;
  });
}

/** Build-from-empty and lookup-only workloads for one kind of hash key. */
function hashWorkloads(label, keys, setFn, getFn) {
  bench(`${label}: build table of n keys (set)`, n, () => {
    const t = new LuaTable();
    for (let i = 0; i < n; i++) setFn(t, keys[i], i);
    return t.hmask;
  }, () => {
    const m = new Map();
    for (let i = 0; i < n; i++) m.set(keys[i], i);
    return m.size;
  });
  const t = new LuaTable();
  const m = new Map();
  for (let i = 0; i < n; i++) {
    setFn(t, keys[i], i);
    m.set(keys[i], i);
  }
  bench(`${label}: get`, n, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += getFn(t, keys[i]);
    return s;
  }, () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += m.get(keys[i]);
    return s;
  });
}

hashWorkloads("sparse integer keys", sparse, (t, k, v) => t.set(k, v), (t, k) => t.get(k));
hashWorkloads("float keys", floats, (t, k, v) => t.set(k, v), (t, k) => t.get(k));
hashWorkloads("string keys (setStr/getStr)", strKeys, (t, k, v) => t.setStr(k, v), (t, k) => t.getStr(k));

bench("string keys: getStrH (precomputed hash)", n, (() => {
  const t = new LuaTable();
  for (let i = 0; i < n; i++) t.setStr(strKeys[i], i);
  return () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += t.getStrH(strKeys[i], strHashes[i]);
    return s;
  };
})());

{
  // Field access on a small object, the TGETS/TSETS pattern.
  const t = new LuaTable();
  const m = new Map();
  fieldNames.forEach((f, i) => {
    t.setStr(f, i);
    m.set(f, i);
  });
  const reps = 10 * n;
  bench("8-field object: getStrH of constant keys", reps, () => {
    let s = 0;
    for (let i = 0; i < reps; i++) s += t.getStrH(fieldNames[i & 7], fieldHashes[i & 7]);
    return s;
  }, () => {
    let s = 0;
    for (let i = 0; i < reps; i++) s += m.get(fieldNames[i & 7]);
    return s;
  });
  bench("8-field object: getStr (hash per lookup)", reps, () => {
    let s = 0;
    for (let i = 0; i < reps; i++) s += t.getStr(fieldNames[i & 7]);
    return s;
  });
}

bench("create {x=1,y=2,z=3}: TDUP fromTemplate + 3 reads", n, () => {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = LuaTable.fromTemplate(template);
    s += t.getStrH("x", fieldHashes[0]) + t.getStrH("y", fieldHashes[1]) + t.getStr("z");
  }
  return s;
}, () => {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const m = new Map();
    m.set("x", 1).set("y", 2).set("z", 3);
    s += m.get("x") + m.get("y") + m.get("z");
  }
  return s;
});

bench("create {} + 3 array appends (TNEW 3,0)", n, () => {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = new LuaTable(4, 0);
    t.setInt(1, i);
    t.setInt(2, i);
    t.setInt(3, i);
    s += t.length();
  }
  return s;
}, () => {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const m = new Map();
    m.set(1, i).set(2, i).set(3, i);
    s += m.size;
  }
  return s;
});

{
  const t = new LuaTable();
  const m = new Map();
  for (let i = 1; i <= n; i++) {
    t.setInt(i, i);
    t.set(floats[i - 1], i);
    m.set(i, i);
    m.set(floats[i - 1], i);
  }
  bench("traversal: iterate() cursor over array + hash", 2 * n, () => {
    let s = 0;
    for (let c = t.iterate(0); c >= 0; c = t.iterate(c)) s += iterOut.val;
    return s;
  }, () => {
    let s = 0;
    for (const v of m.values()) s += v;
    return s;
  });
  bench("traversal: next(key) (pairs via next)", 2 * n, () => {
    let s = 0;
    let k;
    while (t.next(k)) {
      k = iterOut.key;
      s += iterOut.val;
    }
    return s;
  });
}

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`LuaTable vs Map, n = ${n}, best of ${rounds} rounds, node ${process.version}`);
console.log(`${"workload".padEnd(w)}  LuaTable ns/op   Map ns/op   ratio`);
for (const [name, lua, map] of rows) {
  const ratio = Number.isNaN(map) ? "" : (lua / map).toFixed(2) + "x";
  console.log(`${name.padEnd(w)}  ${lua.toFixed(2).padStart(14)}  ${Number.isNaN(map) ? "-".padStart(10) : map.toFixed(2).padStart(10)}   ${ratio}`);
}
