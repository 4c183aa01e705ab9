// The real engine in the page: build the seed example (python:3.12-slim) and see
// its steps, then rebuild after editing main.py and see the steps before
// `COPY . .` marked CACHED.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('the seed example builds in the page, and an edit to main.py keeps the earlier steps cached', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('#build');
    await page.waitForSelector('.timeline-step', { timeout: 120000 });
    const rows = await page.$$eval('.timeline-step .step-instruction', (n) => n.map((x) => x.textContent));
    assert.deepEqual(rows, [
      'FROM python:3.12-slim',
      'WORKDIR /app',
      'COPY requirements.txt .',
      'RUN pip install -r requirements.txt',
      'COPY . .',
      'CMD ["python", "main.py"]',
    ]);
    await screenshot(page, 'build-seed');

    // Rebuild after editing main.py, through the <layer-lab> element's script API.
    const summary = await page.evaluate(async () => {
      await import('./layer-lab.js');
      const el = document.createElement('layer-lab');
      el.setAttribute('src', 'python');
      document.body.append(el);
      await customElements.whenDefined('layer-lab');
      const first = await el.build();
      el.setFile('main.py', 'print("edited")\n');
      const second = await el.build();
      return { first, second };
    });
    assert.equal(summary.first.ok, true, summary.first.error);
    assert.equal(summary.second.ok, true, summary.second.error);
    const cached = summary.second.steps.map((s) => s.cached);
    // FROM has no verdict; WORKDIR, COPY requirements.txt and RUN hit; COPY . . misses.
    assert.deepEqual(cached.slice(1, 5), [true, true, true, false]);
    assert.match(summary.second.steps[4].reason, /main\.py changed/);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
