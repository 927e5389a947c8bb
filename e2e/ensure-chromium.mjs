#!/usr/bin/env node
// Makes sure the browser for the Playwright scenarios is there before they run:
// Debian's Chromium (/usr/bin/chromium, or LJSCOPE_CHROMIUM). Installs it with
// apt-get when we are root on a machine that has apt-get; otherwise says how.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const wanted = process.env.LJSCOPE_CHROMIUM;
const path = wanted ?? "/usr/bin/chromium";
if (existsSync(path)) process.exit(0);

const fail = (msg) => {
  console.error(`e2e: ${msg}`);
  process.exit(1);
};
if (wanted) fail(`LJSCOPE_CHROMIUM=${wanted} does not exist`);

const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
if (process.getuid?.() !== 0 || !hasApt) {
  fail(`the browser scenarios need Chromium at ${path}: install it (Debian: sudo apt-get install chromium) ` +
    "or point LJSCOPE_CHROMIUM at a Chromium binary");
}
console.error(`e2e: ${path} not found; installing Debian's chromium with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "chromium"]]) {
  const r = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env });
  if (r.status !== 0) fail(`apt-get ${args.join(" ")} failed (status ${r.status})`);
}
if (!existsSync(path)) fail(`chromium was installed but ${path} is still missing`);
