// The page benchmark (not a test): gzipped sizes of the wasm and of every page asset,
// and the time from navigation start to the first engine answer in Debian's Chromium.
// Run: node tests/e2e/bench-page.mjs (after scripts/serve.sh or test.sh built pkg/).
// The time to the first *build* result is reported once the engine can build, and the
// seed example's rebuild after a one-file edit through a <layer-lab> element (the whole
// round trip: element, worker message, engine, answer), to compare with one frame.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, openBrowser, repoRoot } from './harness.mjs';

const RUNS = 7;

function files(dir, keep) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full, keep);
    return keep(name) ? [full] : [];
  });
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const wasm = path.join(repoRoot, 'pkg', 'layerlab_bg.wasm');
const assets = [
  ...files(path.join(repoRoot, 'www'), (name) => /\.(html|js|css)$/.test(name)),
  path.join(repoRoot, 'pkg', 'layerlab.js'),
  wasm,
];
const raw = assets.reduce((sum, file) => sum + statSync(file).size, 0);
const zipped = assets.reduce((sum, file) => sum + gz(file), 0);

const server = await startServer();
const browser = await openBrowser(server.url.replace(/\/$/, ''));
const parse = [];
const build = [];
let rebuild = [];
try {
  const { page } = browser;
  for (let run = 0; run < RUNS; run += 1) {
    await page.goto('about:blank');
    await page.goto(server.url);
    await page.waitForSelector('body[data-first-parse-ms]', { timeout: 20000 });
    parse.push(Number(await page.getAttribute('body', 'data-first-parse-ms')));
    // The page builds the Dockerfile by itself as soon as the engine is ready (when
    // the engine can build): time from navigation start to that build's result.
    if (await page.$eval('#build', (button) => !button.disabled)) {
      await page.waitForSelector('body[data-first-build-ms]', { timeout: 60000 });
      build.push(Number(await page.getAttribute('body', 'data-first-build-ms')));
    }
  }
  await page.goto(new URL('embed-demo.html', server.url).href);
  rebuild = await page.evaluate(async (runs) => {
    await customElements.whenDefined('layer-lab');
    const lab = document.getElementById('seed');
    const first = await lab.build();
    if (!first.ok) throw new Error(`the seed example did not build: ${first.error}`);
    const times = [];
    for (let run = 0; run < runs; run += 1) {
      lab.setFile('main.py', `print("edit ${run}")\n`);
      const start = performance.now();
      const result = await lab.build();
      times.push(performance.now() - start);
      if (!result.ok || result.steps.filter((step) => step.cached).length < 3) {
        throw new Error('the rebuild after an edit did not reuse the cache');
      }
    }
    return times.map((ms) => Math.round(ms * 10) / 10);
  }, RUNS * 3);
} finally {
  await browser.close();
  server.stop();
}

console.log(`| wasm (pkg/layerlab_bg.wasm), gzip -9 | ${kb(gz(wasm))} (raw ${kb(statSync(wasm).size)}) |`);
console.log(`| all page assets (${assets.length} files: www/ html, js, css + pkg js, wasm), gzip -9 | ${kb(zipped)} (raw ${kb(raw)}) |`);
console.log(`| page load to first parse result (seed example), median of ${RUNS} | ${median(parse)} ms (runs: ${parse.join(', ')}) |`);
console.log(build.length > 0
  ? `| page load to first build result (seed example, built on load), median of ${build.length} | ${median(build)} ms |`
  : '| page load to first build result | not measurable yet: this engine has no Session |');
console.log(`| seed example rebuilt after editing main.py, through <layer-lab> and the worker, median of ${rebuild.length} | ${median(rebuild)} ms (fastest ${Math.min(...rebuild)} ms; one frame at 60 Hz is 16.7 ms) |`);
