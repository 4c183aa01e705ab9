// Build secrets: a RUN --mount=type=secret step reads what the "Build secrets" box
// holds, a required secret that is missing fails with BuildKit's message, and a
// share link never carries the secret.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean, share } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const DOCKERFILE = 'FROM busybox\nRUN --mount=type=secret,id=token,required wc -c < /run/secrets/token\n';

test('a secret reaches its RUN step, and neither the layer nor a share link keeps it', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.panel-toggle[data-panel="log"]');
    await page.fill('.ce-input', DOCKERFILE);
    await page.click('#build');
    await page.waitForFunction(() => document.querySelector('.build-error')?.textContent.includes('secret token not found'), null, { timeout: 60000 });

    await page.click('summary:has-text("Build secrets")');
    await page.fill('#build-secrets', 'token=s3cr3t-value');
    await page.click('#build');
    await page.waitForFunction(() => /RUN --mount=type=secret,id=token,required[^]*\n#\d+ 12\n/.test(document.querySelector('.build-log')?.textContent || ''), null, { timeout: 60000 });
    assert.equal(await page.textContent('.build-error'), '');
    await screenshot(page, 'secrets-build');

    // The secret is kept for a reload, but a share link leaves it out.
    const link = await share(page);
    const shared = await page.evaluate(async (hash) => {
      const { decodeFragment } = await import('./state.js');
      return decodeFragment(hash);
    }, new URL(link).hash);
    assert.equal(shared.dockerfile, DOCKERFILE);
    assert.deepEqual(shared.secrets, []);
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.state')).state.secrets);
    assert.deepEqual(saved, [['token', 's3cr3t-value']]);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
