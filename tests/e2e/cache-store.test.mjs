// The cache panel, the image store and the builders side by side, in the page with
// the real engine: build the seed example, edit main.py, and see the steps before
// `COPY . .` hit while the later ones miss with their reason and cause; then the
// store's shared layers and both builders' step lists.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Opens the page, which builds the seed example once by itself, and waits for the cache table. */
async function buildSeed(page) {
  await page.goto(server.url);
  await waitForApp(page);
  await page.click('.panel-toggle[data-panel="cache"]');
  await page.waitForSelector('.cache-row', { timeout: 120000 });
}

test('cache panel: editing main.py keeps the early steps hits and says why the later ones miss', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await buildSeed(page);
    const first = await page.$$eval('.cache-row', (rows) => rows.map((r) => r.className));
    assert.equal(first.length, 6);
    assert.ok(first.slice(1).every((c) => /\bmiss\b/.test(c)), `first build misses: ${first}`);
    assert.match(await page.textContent('.cache-row[data-step="1"] .cache-why'), /first build/);
    await page.waitForSelector('.history-table .history-row');

    // Edit main.py in the editor: the page rebuilds by itself (debounced).
    await page.click('.ctx-name[data-path="main.py"]');
    await page.click('.ce-input');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nprint("edited")\n');
    await page.waitForFunction(() => document.querySelectorAll('.cache-row.hit').length >= 3, null, { timeout: 120000 });
    const rows = await page.$$eval('.cache-row', (list) => list.map((r) => ({
      verdict: r.querySelector('.cache-verdict').textContent,
      why: r.querySelector('.cache-why').textContent,
      instruction: r.querySelector('.cache-instruction').textContent,
      cause: r.classList.contains('cause'),
    })));
    assert.deepEqual(rows.map((r) => r.verdict), ['—', 'HIT', 'HIT', 'HIT', 'MISS', 'MISS']);
    assert.equal(rows[4].instruction, 'COPY . .');
    assert.match(rows[4].why, /main\.py changed/);
    assert.ok(rows[4].cause, 'COPY . . is marked as where the misses start');
    assert.match(rows[5].why, /an earlier step missed/);
    // The later miss links its cause; following the link selects that step.
    await page.click('.cache-row[data-step="5"] .cause-link');
    await page.waitForSelector('.cache-row[data-step="4"][aria-current="true"]');
    await page.waitForFunction(() => /step #5/.test(document.querySelector('.cache-history h3')?.textContent || ''));
    // docker history of step 5: newest first, the base image's rows are <missing>.
    const history = await page.$$eval('.history-table .history-row', (list) => list.map((r) => ({
      image: r.querySelector('td').textContent,
      createdBy: r.querySelector('.created-by').textContent,
      full: r.querySelector('.created-by').title,
    })));
    assert.match(history[0].image, /^[0-9a-f]{12}$/);
    assert.match(history[0].full, /COPY \. \. # buildkit/);
    assert.ok(history.some((h) => h.image === '<missing>'), 'base image rows show <missing>');
    assert.ok(history.every((h) => h.createdBy.length <= 45), 'created-by is cut to docker\'s width');
    assert.ok(history.some((h) => h.full.length > 45 && h.createdBy.endsWith('…')), 'the full text is on hover');
    await screenshot(page, 'cache-panel-after-edit');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('image store: shared layers are counted once and the saving is shown', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await buildSeed(page);
    await page.click('.panel-toggle[data-panel="store"]');
    await page.waitForSelector('.store-grid .grid-layer', { timeout: 60000 });
    const images = await page.$$eval('.store-image', (rows) => rows.map((r) => r.dataset.image));
    assert.ok(images.length >= 2, `the build and its intermediate images: ${images.length}`);
    const shared = await page.$$eval('.grid-layer.shared .grid-users', (cells) => cells.map((c) => c.textContent));
    assert.ok(shared.length > 0 && shared.every((t) => /^\d+ images, stored once$/.test(t)), `shared: ${shared}`);
    const bars = await page.$$eval('.saving-size', (cells) => cells.map((c) => c.textContent));
    assert.equal(bars.length, 2);
    assert.match(await page.textContent('.saving-note'), /^Downloaded once, reused: \S+ of layers are shared/);
    // Each row's cells match the layer's "used by" count.
    const consistent = await page.$$eval('.grid-layer', (rows) => rows.every((r) => {
      const uses = r.querySelectorAll('.grid-cell.uses').length;
      const text = r.querySelector('.grid-users').textContent;
      return uses === (text === '1 image' ? 1 : Number.parseInt(text, 10));
    }));
    assert.ok(consistent, 'grid cells agree with the used-by counts');
    await page.click('[data-panel="store"] .concept-link[data-concept="shared-layers"]');
    await page.waitForSelector('#concept-shared-layers[open]');
    await screenshot(page, 'image-store');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('builders side by side: BuildKit and the classic builder differ where documented', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await buildSeed(page);
    await page.click('.panel-toggle[data-panel="builders"]');
    await page.waitForSelector('.builder-row .builder-side[data-builder="legacy"] .created-by', { timeout: 120000 });
    const column = (builder) => page.$$eval('.builder-row', (rows, b) => rows.map((r) => ({
      createdBy: r.querySelector(`.builder-side[data-builder="${b}"] .created-by`).textContent,
      leaves: r.querySelector(`.builder-side[data-builder="${b}"] .leaves`).textContent,
      differs: r.classList.contains('differs'),
    })), builder);
    const buildkit = await column('buildkit');
    const legacy = await column('legacy');
    assert.equal(buildkit.length, 6);
    assert.equal(legacy.length, 6);
    // Metadata steps: BuildKit's plain words vs the classic builder's #(nop).
    assert.match(buildkit[5].createdBy, /^CMD \["python" "main\.py"\]/);
    assert.match(legacy[5].createdBy, /#\(nop\)/);
    assert.ok(buildkit[5].differs && legacy[5].differs);
    assert.equal(buildkit[3].leaves, 'layer');
    assert.equal(buildkit[5].leaves, 'empty layer');
    assert.match(await page.textContent('.builders-status'), /^\d+ of 6 steps differ between the builders\.$/);
    const histories = await page.$$eval('.builder-column .history-table', (tables) => tables.length);
    assert.equal(histories, 2);
    // The documented list appears only when the engine exports it.
    const documented = await page.evaluate(async () => {
      const { sharedEngine } = await import('./engine.js');
      const engine = sharedEngine(new URL('./worker.js', location.href));
      return engine.has('personalityDifferences');
    });
    assert.equal(await page.locator('.differences-table').count() > 0, documented);
    await screenshot(page, 'builders-side-by-side');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('cache panel: reorder advice shows when the build has some, highlights its lines, and is absent otherwise', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(`${server.url}embed-demo.html`);
    const outcome = await page.evaluate(async () => {
      const { cachePanel } = await import('./views/cache.js');
      const { CodeEditor } = await import('./views/editor.js');
      const editorHost = document.createElement('div');
      document.body.append(editorHost);
      const editor = new CodeEditor(editorHost, { label: 'Dockerfile' });
      editor.setValue('FROM alpine\nCOPY . .\nRUN make\nCMD ["app"]\n');
      const steps = [
        { instruction: 'FROM alpine', kind: 'from', cached: null, reason: null, stage: 0, position: 1, imageId: 'sha256:a' },
        { instruction: 'COPY . .', kind: 'layer', cached: false, reason: 'miss: app.c changed', stage: 0, position: 2, imageId: 'sha256:b' },
        { instruction: 'RUN make', kind: 'layer', cached: false, reason: 'miss: an earlier step missed (step 2)', stage: 0, position: 3, imageId: 'sha256:c' },
      ];
      const make = (build) => {
        const host = document.createElement('div');
        document.body.append(host);
        const shown = [];
        const panel = cachePanel.create(host, {
          build: () => build, step: () => null, select: () => {},
          session: async () => [], showLines: (lines) => { shown.push(lines); editor.selectLines(Math.min(...lines), Math.max(...lines)); },
        });
        return { host, panel, shown };
      };
      const without = make({ ok: true, steps });
      await without.panel.update();
      const withAdvice = make({ ok: true, steps, advice: [{ message: 'Copy only what the install needs before RUN make.', lines: [2, 3] }] });
      await withAdvice.panel.update();
      withAdvice.host.querySelector('.advice-lines').click();
      const selected = editor.input.value.slice(editor.input.selectionStart, editor.input.selectionEnd);
      return {
        absent: without.host.querySelectorAll('.cache-advice').length,
        advice: withAdvice.host.querySelector('.advice-item')?.textContent,
        shown: withAdvice.shown,
        selected,
        cause: [...withAdvice.host.querySelectorAll('.cache-row.cause')].map((r) => r.dataset.step),
      };
    });
    assert.equal(outcome.absent, 0);
    assert.match(outcome.advice, /^Copy only what the install needs before RUN make\. Show lines 2, 3$/);
    assert.deepEqual(outcome.shown, [[2, 3]]);
    assert.equal(outcome.selected, 'COPY . .\nRUN make');
    assert.deepEqual(outcome.cause, ['1']);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
