// The file browser on the real engine: build the seed example, select step 3
// (COPY requirements.txt .), expand /app with the keyboard and find requirements.txt
// coloured as that step's layer; read it in the viewer; search by path; then, on
// the whiteout lesson, show the shadowed and deleted entries.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Builds what the editor holds and waits for the steps' instructions. */
async function buildAndWait(page, firstInstruction, count) {
  await page.click('.panel-toggle[data-panel="timeline"]');
  await page.click('#build');
  await page.waitForFunction(([first, n]) => {
    const rows = [...document.querySelectorAll('.timeline-step .step-instruction')];
    return rows.length === n && rows[0].textContent === first;
  }, [firstInstruction, count], { timeout: 120000 });
}

test('step 3 has requirements.txt under /app from its own layer; the viewer and the search work', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await buildAndWait(page, 'FROM python:3.12-slim', 6);

    // Step 3 with the keyboard: the timeline is a listbox, Home then two steps down.
    await page.focus('.timeline');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.textContent('.timeline-step[aria-selected="true"] .step-instruction'), 'COPY requirements.txt .');

    await page.click('.panel-toggle[data-panel="files"]');
    const app = '.fs-row[data-path="/app"]';
    await page.waitForSelector(app);
    assert.equal(await page.getAttribute('.fs-tree', 'role'), 'tree');
    assert.equal(await page.getAttribute(app, 'aria-expanded'), 'false');
    await page.focus(app);
    await page.keyboard.press('ArrowRight');
    const file = '.fs-row[data-path="/app/requirements.txt"]';
    await page.waitForSelector(file);
    assert.equal(await page.getAttribute(app, 'aria-expanded'), 'true');
    assert.equal(await page.getAttribute(file, 'role'), 'treeitem');
    assert.equal(await page.getAttribute(file, 'aria-level'), '2');

    // Its origin layer is the layer step 3 made: the one the engine says step 2 (0-based) owns.
    const layers = await page.evaluate(async () => {
      const { sharedEngine } = await import('./engine.js');
      const engine = sharedEngine(new URL('./worker.js', location.href));
      return engine.request('session', { session: 'main', method: 'layers', args: [2] });
    });
    const own = layers.find((film) => film.step === 2);
    assert.ok(own, 'step 3 made a layer');
    assert.equal(own.index, layers.length - 1, 'it is the top layer of the step-3 image');
    assert.equal(await page.getAttribute(file, 'data-layer'), String(own.index));
    assert.equal(await page.textContent(`${file} .fs-layers .layer-chip`), `L${own.index}`);
    assert.equal(await page.textContent(`${file} .fs-mode`), '-rw-r--r--');
    assert.equal(await page.textContent(`${file} .fs-owner`), '0:0');
    assert.equal(await page.textContent(`${file} .fs-size`), '6B');
    assert.match(await page.getAttribute(file, 'aria-label'), new RegExp(`^requirements\\.txt, file, 6B, -rw-r--r--, owner 0:0, from layer ${own.index}$`));
    assert.equal(await page.textContent(`${app} .fs-mode`), 'drwxr-xr-x');
    assert.equal(await page.getAttribute('.legend-film.own', 'data-layer'), String(own.index));
    await screenshot(page, 'fs-step3-requirements');

    // The viewer: Enter opens the file, with line numbers.
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.path), '/app/requirements.txt');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.viewer-text');
    assert.equal(await page.textContent('.viewer-text'), 'flask');
    assert.equal(await page.textContent('.viewer-gutter'), '1');
    assert.equal(await page.textContent('.viewer-title code'), '/app/requirements.txt');
    assert.equal(await page.getAttribute(file, 'aria-selected'), 'true');

    // A binary file is a hex dump (python's interpreter is an ELF file).
    await page.fill('.fs-search input', 'python3.12');
    await page.press('.fs-search input', 'Enter');
    await page.waitForSelector('.fs-found-path');
    await page.getByRole('button', { name: 'Show /usr/local/bin/python3.12 in the tree' }).click();
    await page.waitForSelector('.viewer-hex, .viewer-text');
    await screenshot(page, 'fs-viewer');

    // Search by substring and by glob; a result reveals its path in the tree.
    await page.fill('.fs-search input', 'requirements');
    await page.press('.fs-search input', 'Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('.fs-found-path')].some((b) => b.textContent === '/app/requirements.txt'));
    await page.fill('.fs-search input', '/app/*.txt');
    await page.press('.fs-search input', 'Enter');
    await page.waitForFunction(() => {
      const found = [...document.querySelectorAll('.fs-found-path')].map((b) => b.textContent);
      return found.length === 1 && found[0] === '/app/requirements.txt';
    });
    await page.click('.fs-found-path');
    await page.waitForFunction(() => document.activeElement?.dataset?.path === '/app/requirements.txt');
    await page.fill('.fs-search input', 'no-such-file-anywhere');
    await page.press('.fs-search input', 'Enter');
    await page.waitForSelector('.fs-results >> text=Nothing matches no-such-file-anywhere.');
    await screenshot(page, 'fs-search');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('the whiteout lesson shows deleted entries and shadowed versions, in both themes', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.selectOption('#examples', 'whiteouts');
    await page.click('#examples-form button[type=submit]');
    await buildAndWait(page, 'FROM alpine:3.20', 4);
    await page.click('.panel-toggle[data-panel="files"]');
    await page.waitForSelector('.fs-row[data-path="/etc"]');
    await page.click('.fs-row[data-path="/etc"]');
    await page.click('.fs-row[data-path="/etc/demo"]');
    await page.waitForSelector('.fs-row[data-path="/etc/demo/new.conf"]');
    assert.equal(await page.$('.fs-deleted'), null, 'deleted entries are hidden by default');

    await page.check('.fs-toggle input');
    const old = '.fs-deleted[data-path="/etc/demo/old.conf"]';
    await page.waitForSelector(old);
    // Layers: alpine's one layer (0), COPY (1), RUN rm (2), RUN rm -rf && mkdir (3).
    assert.match(await page.getAttribute(old, 'aria-label'), /^old\.conf, deleted by layer 2 \(written by layer 1\)$/);
    assert.match(await page.getAttribute('.fs-deleted[data-path="/etc/demo/app.conf"]', 'aria-label'), /deleted by layer 3 \(written by layer 1\)/);
    // /etc/demo was written by the COPY, changed by the first RUN and made again by the
    // last: two shadowed versions, newest first.
    assert.deepEqual(await page.$$eval('.fs-row[data-path="/etc/demo"] .layer-chip.shadowed', (n) => n.map((c) => c.textContent)), ['L2', 'L1']);
    await screenshot(page, 'fs-whiteouts');

    // Dark theme: auto → light → dark.
    await page.click('#theme');
    await page.click('#theme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await screenshot(page, 'fs-whiteouts-dark');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
