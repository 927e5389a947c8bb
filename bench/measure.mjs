#!/usr/bin/env node
// Measures the explorer in Chromium against a production build: (a) load to
// first render, cold, against the 1.5 s goal; (b) frame times while the
// timeline is scrubbed across a run of ~100k events, against 16 ms. A
// measurement, not a test: it reports, it does not fail on a slow machine.
//
// usage: node bench/measure.mjs [--loads N] [--iterations N] [--moves N] [--no-build] [--trace FILE] [--json FILE]
//   --loads       cold loads for (a) (default 5)
//   --iterations  iterations of the generated program (default 7700: about 100k events)
//   --moves       frames of the scrub, one pointer move each, left to right across the overview (default 300)
//   --no-build    use the existing dist/ (default: `vite build` first)
//   --trace FILE  also save the Chrome performance trace of the scrub (open it in DevTools)
//   --json FILE   also write the figures as JSON
// The browser is Debian's Chromium (/usr/bin/chromium) or LJSCOPE_CHROMIUM.

/* global document, PointerEvent, requestAnimationFrame -- used in code that runs in the page */
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LOAD_GOAL_MS = 1500;
const FRAME_GOAL_MS = 16;
/** One frame at 60 Hz: animation frames come this far apart when nothing is late (+1 ms of timer jitter is allowed). */
const VSYNC_MS = 1000 / 60;
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

function parseArgs(argv) {
  const opt = { loads: 5, iterations: 7700, moves: 300, build: true, trace: null, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer`);
      return v;
    };
    if (a === "--loads") opt.loads = num();
    else if (a === "--iterations") opt.iterations = num();
    else if (a === "--moves") opt.moves = num();
    else if (a === "--no-build") opt.build = false;
    else if (a === "--trace") opt.trace = argv[++i];
    else if (a === "--json") opt.json = argv[++i];
    else fail(`unknown argument ${a}`);
  }
  return opt;
}

function fail(msg) {
  console.error(`measure: ${msg}`);
  process.exit(1);
}

/** A port nobody listens on right now (other test servers may run beside us). */
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function startPreview(port) {
  const proc = spawn("npx", ["vite", "preview", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: root, stdio: ["ignore", "ignore", "pipe"], detached: true,
  });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 150; i++) {
    if (proc.exitCode !== null) fail(`vite preview exited (${proc.exitCode}): ${stderr}`);
    try {
      if ((await fetch(url)).ok) return { url, stop: () => { try { process.kill(-proc.pid); } catch { /* gone */ } } };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(-proc.pid);
  fail(`vite preview did not answer at ${url}`);
}

const pct = (xs, p) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const median = (xs) => pct(xs, 50);
const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(v < 100 ? 1 : 0)} ms` : "n/a");
const verdict = (v, goal) => (v <= goal ? "meets the goal" : "MISSES the goal");

// ---- (a) Load to first render -----------------------------------------------

async function measureLoads(browser, url, loads) {
  const samples = [];
  for (let i = 0; i < loads; i++) {
    // A new context each time: empty cache, as a first visit.
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('[data-testid="editor"][data-ready="true"]').waitFor();
    await page.locator('[data-testid="timeline-event"][data-kind="end"]').waitFor();
    samples.push(await page.evaluate(async () => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      // LCP entries are only handed to observers (buffered: the ones already recorded).
      const lcp = await new Promise((res) => {
        new PerformanceObserver((list) => res(list.getEntries().at(-1)?.startTime ?? NaN)).observe({ type: "largest-contentful-paint", buffered: true });
        setTimeout(() => res(NaN), 1000);
      });
      return {
        fcp: at("first-contentful-paint"), lcp, mounted: at("ljscope:app-mounted"),
        editor: at("ljscope:editor-ready"), firstRun: at("ljscope:first-run-done"),
      };
    }));
    await context.close();
  }
  return samples;
}

// ---- (b) Scrubbing a long run --------------------------------------------------

/** A program whose run has ~13 events per iteration (flush, hot, start, patches, stop, unpatches). */
function longProgram(iterations) {
  return `-- luajit-args: -Ohotloop=1\nfor i = 1, ${iterations} do\n  jit.flush()\n  for _ = 1, 4 do end\n  if i % 1000 == 0 then print(i) end\nend\n`;
}

async function readTrace(cdp, stream) {
  let text = "";
  for (;;) {
    const chunk = await cdp.send("IO.read", { handle: stream });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString("utf8") : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send("IO.close", { handle: stream });
  return JSON.parse(text);
}

async function measureScrub(browser, url, opt) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid="editor"][data-ready="true"]').waitFor();
  // The program goes in through the editor, as a person would paste it.
  await page.getByTestId("editor").locator(".monaco-editor").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(longProgram(opt.iterations));
  await page.getByTestId("opt-hotloop").fill("1");
  const t0 = Date.now();
  await page.getByTestId("run").click();
  await page.locator(".status-done").waitFor({ timeout: 300_000 });
  const runMs = Date.now() - t0;
  const events = Number(await page.getByRole("slider", { name: "Scrub through the events" }).getAttribute("aria-valuemax"));

  const slider = page.getByRole("slider", { name: "Scrub through the events" });
  const box = await slider.boundingBox();
  const y = box.y + box.height / 2;
  const x0 = box.x + 82, x1 = box.x + box.width - 2; // past the label column
  await page.mouse.move(x0, y);

  const cdp = await context.newCDPSession(page);
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline.frame,toplevel",
    transferMode: "ReturnAsStream",
  });
  // A real press on the overview (it captures the pointer), then one move per
  // animation frame, as a fast drag delivers them, each frame's delta recorded.
  await page.mouse.down();
  const s0 = Date.now();
  const frames = await page.evaluate(([x0, x1, y, moves]) => new Promise((done) => {
    const svg = document.querySelector('svg[role="slider"]');
    const deltas = [];
    let last = 0, i = 0;
    const tick = (t) => {
      if (last) deltas.push(t - last);
      last = t;
      if (i > moves) { done(deltas); return; }
      const x = x0 + ((x1 - x0) * i++) / moves;
      svg.dispatchEvent(new PointerEvent("pointermove", { clientX: x, clientY: y, bubbles: true, pointerId: 1, pointerType: "mouse", buttons: 1 }));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }), [x0, x1, y, opt.moves]);
  const scrubMs = Date.now() - s0;
  await page.mouse.up();
  const cursor = await slider.getAttribute("aria-valuenow");

  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.end");
  const { stream } = await done;
  const trace = await readTrace(cdp, stream);
  if (opt.trace) writeFileSync(opt.trace, JSON.stringify(trace));
  // Main-thread tasks of the renderer during the scrub: the longest one bounds the worst frame.
  const events_ = Array.isArray(trace) ? trace : trace.traceEvents;
  const mains = new Set(events_.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const TASK = new Set(["RunTask", "ThreadControllerImpl::RunTask"]);
  const tasks = events_.filter((e) => e.ph === "X" && TASK.has(e.name) && mains.has(`${e.pid}:${e.tid}`)).map((e) => e.dur / 1000);
  await context.close();
  return { events, runMs, scrubMs, moves: opt.moves, cursor: Number(cursor), frames, tasks };
}

// ---- Main ---------------------------------------------------------------------------

const opt = parseArgs(process.argv.slice(2));
if (opt.build) {
  console.error("measure: vite build…");
  const r = spawnSync("npx", ["vite", "build", "--logLevel", "error"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) fail("vite build failed");
}
const preview = await startPreview(await freePort());
const executablePath = process.env.LJSCOPE_CHROMIUM ?? "/usr/bin/chromium";
let browser;
try {
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  console.error(`measure: ${opt.loads} cold loads…`);
  const loads = await measureLoads(browser, preview.url, opt.loads);
  console.error(`measure: a run of ${opt.iterations} iterations, then ${opt.moves} scrub moves…`);
  const scrub = await measureScrub(browser, preview.url, opt);

  const col = (k) => loads.map((s) => s[k]);
  const frames = scrub.frames;
  const result = {
    machine: { cores: availableParallelism(), chromium: browser.version() },
    load: Object.fromEntries(["fcp", "lcp", "mounted", "editor", "firstRun"].map((k) => [k, { median: median(col(k)), max: Math.max(...col(k)) }])),
    scrub: {
      events: scrub.events, runMs: scrub.runMs, moves: scrub.moves, scrubMs: scrub.scrubMs, cursorAtEnd: scrub.cursor,
      frames: frames.length, frameP50: median(frames), frameP95: pct(frames, 95), frameMax: Math.max(...frames),
      framesOverVsync: frames.filter((f) => f > VSYNC_MS + 1).length,
      longTasksOver16: scrub.tasks.filter((t) => t > FRAME_GOAL_MS).length, longestTask: Math.max(0, ...scrub.tasks),
    },
  };
  const L = result.load, S = result.scrub;
  console.log(`ljscope measure — production build, Chromium ${result.machine.chromium}, ${result.machine.cores} cores`);
  console.log(`\n(a) load to first render, ${opt.loads} cold loads (median / max), goal ${LOAD_GOAL_MS} ms:`);
  console.log(`  first contentful paint           ${ms(L.fcp.median)} / ${ms(L.fcp.max)}  ${verdict(L.fcp.max, LOAD_GOAL_MS)}`);
  console.log(`  app mounted (editor text shown)  ${ms(L.mounted.median)} / ${ms(L.mounted.max)}  ${verdict(L.mounted.max, LOAD_GOAL_MS)}`);
  console.log(`  largest contentful paint         ${ms(L.lcp.median)} / ${ms(L.lcp.max)}`);
  console.log(`  Monaco editor ready              ${ms(L.editor.median)} / ${ms(L.editor.max)}`);
  console.log(`  seed example run and shown       ${ms(L.firstRun.median)} / ${ms(L.firstRun.max)}`);
  console.log(`\n(b) scrubbing ${S.events.toLocaleString("en")} events (the run took ${ms(S.runMs)}): ${S.moves} frames with a pointer move each, ${ms(S.scrubMs)}; the cursor ended at event ${S.cursorAtEnd.toLocaleString("en")}`);
  console.log(`  frame time (between animation frames): p50 ${ms(S.frameP50)}, p95 ${ms(S.frameP95)}, max ${ms(S.frameMax)}`);
  console.log(`  frames longer than one 60 Hz frame (${ms(VSYNC_MS)}): ${S.framesOverVsync} of ${S.frames}`);
  console.log(`  main-thread tasks (Chrome trace): longest ${ms(S.longestTask)}, ${S.longTasksOver16} over ${FRAME_GOAL_MS} ms`);
  console.log(`  goal ${FRAME_GOAL_MS} ms per frame: p95 ${verdict(S.frameP95, VSYNC_MS + 1)}, longest task ${verdict(S.longestTask, FRAME_GOAL_MS)}`);
  if (opt.json) writeFileSync(opt.json, JSON.stringify(result, null, 2) + "\n");
} finally {
  await browser?.close();
  preview.stop();
}
