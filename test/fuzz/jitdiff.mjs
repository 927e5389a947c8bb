// Differential check of the JIT simulation against real LuaJIT: runs
// `bin/ljscope ARGS -jv NAME.lua` inside test/fixtures/jit-diff for every
// NAME.lua there (ARGS from the program's first line, `-- luajit-args: ...`)
// and compares its stderr line by line with NAME.jv, the stderr of
// `luajit ARGS -jv NAME.lua` (see test/fixtures/jit-diff/regen.sh).
//   node test/fuzz/jitdiff.mjs [-v] [-j N] [--ljscope PATH] [NAME ...]
// -v prints the whole want/got listings of every differing program;
// -j N runs N programs at a time (default 4); --ljscope PATH uses another
// launcher (e.g. one in a git worktree); NAMEs restrict the run.
// Exit status: 0 if every program matched, 1 otherwise.

import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, "test", "fixtures", "jit-diff");

let verbose = false;
let jobs = 4;
let ljscope = join(root, "bin", "ljscope");
const only = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "-v") verbose = true;
  else if (a === "-j") jobs = Math.max(1, Number(argv[++i]) || 1);
  else if (a === "--ljscope") ljscope = resolve(argv[++i]);
  else only.push(a.replace(/\.(lua|jv)$/, ""));
}

const names = readdirSync(dir)
  .filter((f) => f.endsWith(".lua") && existsSync(join(dir, f.replace(/\.lua$/, ".jv"))))
  .map((f) => f.slice(0, -4))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

function luajitArgs(name) {
  const first = readFileSync(join(dir, name + ".lua"), "utf8").split("\n", 1)[0];
  const m = /^-- luajit-args:(.*)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}

const lines = (text) => {
  const l = text.split("\n");
  if (l.length && l[l.length - 1] === "") l.pop();
  return l;
};

function runOne(name) {
  const args = [...luajitArgs(name), "-jv", name + ".lua"];
  return new Promise((done) => {
    execFile(process.execPath, [ljscope, ...args], { cwd: dir, timeout: 60000, maxBuffer: 1 << 26 },
      (err, _stdout, stderr) => {
        const want = lines(readFileSync(join(dir, name + ".jv"), "utf8"));
        const got = lines(stderr);
        if (err && err.killed) got.push(`(ljscope killed: ${err.signal})`);
        done({ name, args, want, got });
      });
  });
}

// The first run alone, so that a stale bundle is rebuilt only once.
const results = [];
if (names.length) results.push(await runOne(names[0]));
let next = 1;
await Promise.all(Array.from({ length: jobs }, async () => {
  while (next < names.length) results.push(await runOne(names[next++]));
}));
results.sort((a, b) => (a.name < b.name ? -1 : 1));

let same = 0;
for (const { name, args, want, got } of results) {
  const n = Math.max(want.length, got.length);
  let k = 0;
  while (k < n && want[k] === got[k]) k++;
  if (k === n) { same++; continue; }
  console.log(`${name}${args.length > 2 ? "  (" + args.slice(0, -2).join(" ") + ")" : ""}: line ${k + 1}`);
  console.log(`  want: ${want[k] ?? "(end)"}`);
  console.log(`  got:  ${got[k] ?? "(end)"}`);
  if (verbose) {
    console.log("  -- want:"); for (const l of want) console.log("    " + l);
    console.log("  -- got:"); for (const l of got) console.log("    " + l);
  }
}
console.log(`${same}/${results.length} identical`);
process.exitCode = same === results.length ? 0 : 1;
