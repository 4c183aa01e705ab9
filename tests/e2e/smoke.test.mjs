// The end-to-end chain: the served page loads the wasm engine, which answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('the page loads the wasm engine and it answers', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForSelector('[data-engine-ready="true"]', { timeout: 20000 });
    const version = await page.textContent('#engine-version');
    assert.match(version, /^\d+\.\d+\.\d+$/);
    await screenshot(page, 'smoke');
    assert.deepEqual(browser.consoleErrors, []);
    assert.deepEqual(browser.foreignRequests, []);
  } finally {
    await browser.close();
  }
});

test('early.js compiles the wasm once for the worker, and the worker loads it itself if that fails', async () => {
  const wasmRequests = async (failFirst) => {
    const browser = await openBrowser(server.url.replace(/\/$/, ''));
    try {
      const { context, page } = browser;
      let seen = 0;
      await context.route('**/pkg/layerlab_bg.wasm', (route) => {
        seen += 1;
        return failFirst && seen === 1 ? route.abort('failed') : route.continue();
      });
      await page.goto(server.url);
      await waitForApp(page);
      const version = await page.textContent('#engine-version');
      // The failed early fetch is the browser's own console error, expected here.
      const errors = browser.consoleErrors.filter((text) => !(failFirst && /ERR_FAILED/.test(text)));
      return { seen, version, errors, foreign: browser.foreignRequests };
    } finally {
      await browser.close();
    }
  };
  const normal = await wasmRequests(false);
  assert.equal(normal.seen, 1, 'the worker compiled the module early.js posted instead of fetching again');
  assert.match(normal.version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(normal.errors, []);
  const fallback = await wasmRequests(true);
  assert.equal(fallback.seen, 2, 'after the early fetch failed, the worker fetched the wasm itself');
  assert.match(fallback.version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(fallback.errors, []);
  assert.deepEqual(fallback.foreign, []);
});
