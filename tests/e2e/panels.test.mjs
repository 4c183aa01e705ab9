// The panels' contract with the engine: the deck shows the pending state while an
// export is missing and mounts the real panel as soon as the engine reports it. The
// engine here is a stand-in object with the capability check and a recorded session,
// because this version's wasm has no Session yet; the panels are the shipped modules.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('panels light up when the engine reports their exports, and arrow keys step through', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(`${server.url}embed-demo.html`);
    const outcome = await page.evaluate(async () => {
      const { PanelDeck } = await import('./views/deck.js');
      const { timelinePanel } = await import('./views/timeline.js');
      const { filmsPanel } = await import('./views/films.js');
      const capabilities = new Set(['parseDockerfile']);
      const engine = { state: 'ready', error: null, has: (name) => capabilities.has(name) };
      const calls = [];
      let step = null;
      const build = {
        ok: true,
        imageId: 'sha256:feed',
        steps: [
          { instruction: 'FROM alpine:3.20', cached: true, reason: 'base image', diffId: 'sha256:aaaaaaaaaaaaaaaa', size: 0 },
          { instruction: 'COPY hello.txt /', cached: false, reason: 'hello.txt changed', diffId: 'sha256:bbbbbbbbbbbbbbbb', size: 1536 },
          { instruction: 'CMD ["cat", "/hello.txt"]', cached: true, reason: 'metadata only', diffId: null, size: 0 },
        ],
      };
      const host = document.createElement('div');
      const switchHost = document.createElement('nav');
      document.body.append(switchHost, host);
      const deck = new PanelDeck(switchHost, host, [timelinePanel, filmsPanel], engine, {
        parsed: () => null,
        build: () => build,
        step: () => step,
        select: (next) => { step = next; deck.update(); },
        session: async (method, args) => {
          calls.push([method, ...args]);
          return {
            layers: [
              { index: 0, diffId: 'sha256:aaaa', size: 3_500_000, createdBy: 'ADD alpine-minirootfs.tar.gz / # buildkit', step: null },
              { index: 1, diffId: 'sha256:bbbb', size: 1536, createdBy: 'COPY hello.txt / # buildkit', step: 1 },
            ],
            history: [
              { createdBy: 'COPY hello.txt / # buildkit', emptyLayer: false },
              { createdBy: '/bin/sh -c #(nop)  CMD ["/bin/sh"]', emptyLayer: true },
              { createdBy: 'ADD alpine-minirootfs.tar.gz / # buildkit', emptyLayer: false },
            ],
            waste: { totalBytes: 3_501_536, wastedBytes: 0, efficiency: 1, files: [], deleted: [] },
            changes: [{ kind: 'A', path: 'hello.txt' }],
          }[method];
        },
        goToLine: () => {},
      });
      deck.update();
      const pendingBefore = host.querySelector('[data-pending="timeline"]')?.textContent;

      capabilities.add('Session');
      deck.update();
      const rows = [...host.querySelectorAll('.timeline-step')].map((row) => row.textContent);
      const list = host.querySelector('.timeline');
      list.focus();
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
      const selectedAfterUp = step;
      list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
      const selected = host.querySelector('[aria-selected="true"]').dataset.step;

      deck.show('layers');
      const layersPending = host.querySelector('[data-pending="layers"]')?.textContent;
      for (const name of ['layers', 'history', 'changes', 'waste']) capabilities.add(`Session.${name}`);
      deck.update();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const films = [...host.querySelectorAll('[data-panel="layers"] .films > li')].map((li) => li.className);
      const own = host.querySelector('.film[aria-current="step"]')?.dataset.layer;
      const changes = host.querySelector('.change-list')?.textContent;
      return { pendingBefore, rows, selectedAfterUp, selected, layersPending, calls, films, own, changes };
    });
    assert.match(outcome.pendingBefore, /^The build engine arrives in the next release\..*Session/);
    assert.deepEqual(outcome.rows, [
      '#1FROM alpine:3.20CACHED0Baaaaaaaaaaaa',
      '#2COPY hello.txt /1.5kBbbbbbbbbbbbb',
      '#3CMD ["cat", "/hello.txt"]CACHED0B',
    ]);
    assert.equal(outcome.selectedAfterUp, 0);
    assert.equal(outcome.selected, '1');
    assert.match(outcome.layersPending, /Session\.layers/);
    assert.deepEqual(outcome.calls, [['layers', 1], ['history', 1], ['waste', 1], ['changes', 1, 1]]);
    // Top first: the COPY layer, the base image's empty CMD as a marker, the base layer.
    assert.deepEqual(outcome.films, ['film-item', 'film-marker', 'film-item']);
    assert.equal(outcome.own, '1');
    assert.equal(outcome.changes, 'A/hello.txt');
    await screenshot(page, 'panels-light-up');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
