// The container panel: build the seed example, run a container of the final image,
// modify a base-image file and see it copied up into the writable layer, listed as
// `C` in docker diff, announced to the films with a `layerlab:container` event, and
// committed as a new image.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const panel = '.panel-host[data-panel="container"]';

test('a container of the seed example copies up a modified base file', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.evaluate(() => {
      window.containerEvents = [];
      document.addEventListener('layerlab:container', (event) => window.containerEvents.push(event.detail));
    });
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('#build');
    await page.waitForSelector('.timeline-step', { timeout: 120000 });

    await page.click('.panel-toggle[data-panel="container"]');
    await page.click(`${panel} .container-actions .primary`);
    await page.waitForFunction((sel) => /Process it starts: python main\.py/.test(
      document.querySelector(`${sel} [data-role="process"]`)?.textContent ?? ''), panel);
    assert.match(await page.textContent(`${panel} .writable-entries`), /empty/);

    const input = `${panel} .terminal-form input`;
    await page.fill(input, 'echo x >> /etc/debian_version');
    await page.press(input, 'Enter');
    const entry = `${panel} .writable-entry[data-path="/etc/debian_version"]`;
    await page.waitForSelector(entry);
    assert.equal(await page.getAttribute(entry, 'data-kind'), 'copied-up');
    assert.match(await page.textContent(`${entry} .entry-note`), /^copied up from layer \d+$/);
    assert.match(await page.textContent(`${panel} .diff-rows`), /^C \/etc\/debian_version$/m);
    assert.match(await page.textContent(`${panel} .terminal`), /# echo x >> \/etc\/debian_version/);
    await screenshot(page, 'container-copy-up');

    // The films hear about the writable layer: on top of the image's stack, not empty.
    const events = await page.evaluate(() => window.containerEvents);
    const last = events.at(-1);
    assert.ok(last.layer.size > 0, JSON.stringify(last));
    assert.ok(last.layer.index > 0);
    assert.equal(last.layer.step, null);

    // Up-arrow recalls the last command.
    await page.press(input, 'ArrowUp');
    assert.equal(await page.inputValue(input), 'echo x >> /etc/debian_version');
    await page.fill(input, 'rm /etc/debian_version; nosuchcommand');
    await page.press(input, 'Enter');
    await page.waitForSelector(`${panel} .writable-entry[data-kind="whiteout"]`);
    assert.match(await page.textContent(`${panel} .terminal`), /nosuchcommand: not found/);
    assert.match(await page.textContent(`${panel} .diff-rows`), /^D \/etc\/debian_version$/m);
    await screenshot(page, 'container-whiteout');

    await page.click(`${panel} .commit-form button`);
    await page.waitForFunction((sel) => /Committed image [0-9a-f]{12}/.test(
      document.querySelector(`${sel} .commit-result`)?.textContent ?? ''), panel);
    // Named as docker images names it: Docker Hub's docker.io/ prefix left out.
    assert.match(await page.textContent(`${panel} .commit-result`), /\(layerlab\/committed:latest\).* FROM layerlab\/committed:latest now works/);

    await page.click(`${panel} .container-actions button:not(.primary)`);
    await page.waitForFunction(() => window.containerEvents.at(-1)?.layer === null);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
