// The end-to-end chain: the served page loads the wasm engine, which answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot } from './harness.mjs';

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
