// The layer stack as films on the real engine: one film per layer the engine reports,
// the selected step's own film emphasised, config-only steps as markers, the change
// list and the efficiency score; hovering a film (or its chip in Files) highlights
// that layer's files; a container event draws a writable film on top.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Asks the page's engine Session directly, for expectations independent of the view. */
function session(page, method, args) {
  return page.evaluate(async ([m, a]) => {
    const { sharedEngine } = await import('./engine.js');
    return sharedEngine(new URL('./worker.js', location.href)).request('session', { session: 'main', method: m, args: a });
  }, [method, args]);
}

test('one film per layer, hover highlights the layer\'s files, and the container film sits on top', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('#build');
    await page.waitForSelector('.timeline-step', { timeout: 120000 });
    const last = (await page.$$('.timeline-step')).length - 1;

    await page.click('.panel-toggle[data-panel="layers"]');
    await page.waitForSelector('.films .film');
    const layers = await session(page, 'layers', [last]);
    const history = await session(page, 'history', [last]);
    assert.equal(await page.$$eval('.films .film', (n) => n.length), layers.length, 'films count = layers count');
    assert.equal(await page.$$eval('.films .film-marker', (n) => n.length), history.filter((h) => h.emptyLayer).length);
    // Top first, so the last layer's film comes first; its digest is short with the full one in title.
    const top = layers[layers.length - 1];
    assert.equal(await page.getAttribute('.films .film >> nth=0', 'data-layer'), String(top.index));
    assert.equal(await page.textContent('.films .film >> nth=0 >> .film-digest'), top.diffId.slice(7, 19));
    assert.equal(await page.getAttribute('.films .film >> nth=0 >> .film-digest', 'title'), top.diffId);
    // The last step (CMD) has no layer of its own; select COPY . . (step 5) and it is emphasised.
    assert.equal(await page.$('.film.own'), null);
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('.timeline-step[data-step="4"]');
    await page.click('.panel-toggle[data-panel="layers"]');
    await page.waitForSelector('.film.own');
    const own = (await session(page, 'layers', [4])).find((f) => f.step === 4);
    assert.equal(await page.getAttribute('.film.own', 'data-layer'), String(own.index));
    await page.waitForSelector('.change-list');
    assert.match(await page.textContent('.film-changes h3'), new RegExp(`Changes in layer ${own.index}$`));
    const changes = await page.$$eval('.change-list .change', (n) => n.map((c) => c.textContent));
    assert.ok(changes.includes('A/app/main.py'), changes.join(' '));
    assert.match(await page.textContent('.waste-efficiency'), /^\d+\.\d %$/);
    await screenshot(page, 'films-stack');

    // Files first (so its tree is loaded), then hover the own film: its files light up.
    await page.click('.panel-toggle[data-panel="files"]');
    await page.click('.fs-row[data-path="/app"]');
    await page.waitForSelector('.fs-row[data-path="/app/main.py"]');
    await page.click('.panel-toggle[data-panel="layers"]');
    await page.hover('.film.own');
    const lit = await page.$$eval('.fs-row.highlight', (n) => n.map((r) => [r.dataset.path, r.dataset.layer]));
    assert.ok(lit.some(([path]) => path === '/app/main.py'), lit.join(' '));
    assert.ok(lit.every(([, layer]) => layer === String(own.index)), lit.join(' '));
    assert.equal(await page.getAttribute('.fs-row[data-path="/bin"]', 'class'), 'fs-row kind-l', '/bin comes from the base image');
    await page.mouse.move(0, 0);
    assert.equal(await page.$$eval('.fs-row.highlight', (n) => n.length), 0);

    // The same from the legend chips above the tree, by keyboard focus.
    await page.click('.panel-toggle[data-panel="files"]');
    await page.focus(`.legend-film[data-layer="${own.index}"]`);
    assert.ok(await page.$eval('.fs-tree', (t) => t.classList.contains('highlighting')));
    assert.equal(await page.getAttribute('.fs-row[data-path="/app/main.py"]', 'class'), 'fs-row kind-f highlight');
    await screenshot(page, 'films-hover-highlights-files');

    // A container panel announces its writable layer; the films draw it on top.
    await page.click('.panel-toggle[data-panel="layers"]');
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('layerlab:container', {
      detail: { id: 'c0ffee', layer: { index: 99, diffId: 'sha256:' + 'e'.repeat(64), size: 2048, createdBy: 'container c0ffee', step: null } },
    })));
    await page.waitForSelector('.films .film.writable');
    assert.equal(await page.getAttribute('.films .film >> nth=0', 'data-layer'), 'container');
    assert.equal(await page.$$eval('.films .film:not(.writable)', (n) => n.length), (await session(page, 'layers', [4])).length);
    await screenshot(page, 'films-container');
    await page.evaluate(() => document.dispatchEvent(new CustomEvent('layerlab:container', { detail: { id: 'c0ffee', layer: null } })));
    assert.equal(await page.$('.films .film.writable'), null);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('<layer-lab panels="layers,files"> draws the same films and file browser in its shadow root', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(`${server.url}embed-demo.html`);
    const outcome = await page.evaluate(async () => {
      await import('./layer-lab.js');
      const lab = document.createElement('layer-lab');
      lab.setAttribute('src', 'whiteouts');
      lab.setAttribute('panels', 'editor,layers,files');
      document.body.append(lab);
      const summary = await lab.build();
      const root = lab.shadowRoot;
      const until = async (test) => {
        for (let i = 0; i < 100 && !test(); i += 1) await new Promise((r) => setTimeout(r, 50));
        return test();
      };
      await until(() => root.querySelectorAll('.films .film').length > 0);
      const films = root.querySelectorAll('.films .film').length;
      root.querySelector('.panel-toggle[data-panel="files"]').click();
      await until(() => root.querySelector('.fs-row[data-path="/etc"]'));
      const legend = root.querySelectorAll('.legend-film').length;
      return { ok: summary.ok, films, legend, tree: root.querySelector('.fs-tree').getAttribute('role') };
    });
    assert.equal(outcome.ok, true);
    // alpine's layer, COPY, and the two RUNs.
    assert.equal(outcome.films, 4);
    assert.equal(outcome.legend, 4);
    assert.equal(outcome.tree, 'tree');
    await screenshot(page, 'films-embedded');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
