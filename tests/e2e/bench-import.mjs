// The browser import benchmark (not a test): a ~200 MB oci-archive with 30,000 files
// (image-tar.mjs) is fed to the page's import panel through its file input, in Debian's
// Chromium. Reports the time from choosing the file to the explorable tree, the longest
// gap between animation frames on the page meanwhile (a frozen page shows as one long
// gap), and the peak resident memory of all the browser's processes.
// Run: node tests/e2e/bench-import.mjs (after build_pkg).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser, waitForApp } from './harness.mjs';
import { writeImageArchive } from './image-tar.mjs';

const RUNS = 3;
const work = mkdtempSync(path.join(tmpdir(), 'layerlab-bench-import-'));
const archive = path.join(work, 'image.tar');
const started = Date.now();
const made = writeImageArchive(archive);
console.log(`generated ${(made.bytes / 1e6).toFixed(1)} MB, ${made.files} files in ${made.layers} layers, in ${Date.now() - started} ms`);

/** Resident memory (kB) of every Chromium process on the machine started after us. */
function chromiumRss(pids) {
  try {
    const out = execFileSync('ps', ['-o', 'rss=', '-p', pids.join(',')], { encoding: 'utf8' });
    return out.split('\n').filter(Boolean).reduce((sum, line) => sum + Number(line.trim()), 0);
  } catch {
    return 0;
  }
}

function browserPids(before) {
  const out = execFileSync('pgrep', ['-f', 'chromium'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number).filter((pid) => !before.has(pid));
}

const server = await startServer();
const results = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    let before;
    try {
      before = new Set(execFileSync('pgrep', ['-f', 'chromium'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number));
    } catch {
      before = new Set();
    }
    const browser = await openBrowser(server.url.replace(/\/$/, ''));
    try {
      const { page } = browser;
      await page.goto(server.url);
      await waitForApp(page);
      await page.click('.panel-toggle[data-panel="import"]');
      const pids = browserPids(before);
      const baseline = chromiumRss(pids);
      let peak = baseline;
      const sampler = setInterval(() => { peak = Math.max(peak, chromiumRss(browserPids(before))); }, 100);
      await page.evaluate(() => {
        window.frameGaps = [];
        let last = performance.now();
        const tick = (now) => {
          window.frameGaps.push(now - last);
          last = now;
          if (!window.stopFrames) requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      const t = Date.now();
      await page.setInputFiles('#import-file', archive);
      await page.waitForSelector('.import-entry[data-path="/data"]', { timeout: 600000 });
      const explorable = Date.now() - t;
      clearInterval(sampler);
      peak = Math.max(peak, chromiumRss(browserPids(before)));
      const frames = await page.evaluate(() => {
        window.stopFrames = true;
        const gaps = window.frameGaps.slice(1);
        return { count: gaps.length, max: Math.max(...gaps), over100: gaps.filter((g) => g > 100).length };
      });
      const status = await page.textContent('.import-status');
      results.push({ explorable, frames, peakMb: peak / 1024, baselineMb: baseline / 1024, status });
      console.log(`run ${run + 1}: explorable after ${explorable} ms; ${frames.count} frames, longest gap ${frames.max.toFixed(0)} ms, ${frames.over100} gaps over 100 ms; browser RSS ${(baseline / 1024).toFixed(0)} MB before, peak ${(peak / 1024).toFixed(0)} MB; status: ${status}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`| import of a ${(made.bytes / 1e6).toFixed(0)} MB oci-archive (${made.files} files) to explorable tree, median of ${RUNS} | ${median(results.map((r) => r.explorable))} ms (runs: ${results.map((r) => r.explorable).join(', ')}) |`);
console.log(`| longest gap between animation frames during the import, median of ${RUNS} | ${median(results.map((r) => r.frames.max)).toFixed(0)} ms |`);
console.log(`| peak resident memory of the browser's processes, median of ${RUNS} | ${median(results.map((r) => r.peakMb)).toFixed(0)} MB (before the import: ${median(results.map((r) => r.baselineMb)).toFixed(0)} MB) |`);
