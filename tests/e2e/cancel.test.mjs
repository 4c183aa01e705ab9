// Cancelling a long build: the build runs in the worker, so the page stays live; the
// progress line shows a spinner and the elapsed time; Cancel terminates the worker,
// starts a fresh one, rebuilds the last good inputs and says "Build cancelled"; the
// user's edit is kept and the page keeps working.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

// Each RUN counts just under the shell's step budget (about a second here); twenty of
// them keep the engine busy far longer than the test waits.
const LONG = ['FROM alpine:3.20',
  ...Array.from({ length: 20 }, (_, n) => `RUN i=0; while [ $i -lt 150000 ]; do i=$((i+1)); done # ${n}`), ''].join('\n');

test('a long build can be cancelled and the page stays usable', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('#build');
    await page.waitForSelector('.timeline-step', { timeout: 120000 });
    assert.equal(await page.$$eval('.timeline-step', (n) => n.length), 6);

    await page.fill('.ce-input', LONG);
    await page.click('#build');
    await page.waitForSelector('#progress:not([hidden]) #cancel:text("Cancel build")');
    assert.equal(await page.textContent('#progress-text'), 'Building…');
    const first = parseFloat(await page.textContent('#progress-elapsed'));
    await page.waitForTimeout(600);
    // The page is not frozen while the worker builds: timers run, the clock advances.
    assert.ok(parseFloat(await page.textContent('#progress-elapsed')) > first);
    await screenshot(page, 'cancel-building');
    await page.click('#cancel');
    await page.waitForSelector('#notice >> text=Build cancelled. The panels show the last good build again; your edits are kept.', { timeout: 60000 });
    await page.waitForSelector('#progress[hidden]', { state: 'attached' });
    // The last good build is back in a fresh engine, and the edit is still in the editor.
    await page.waitForFunction(() => document.querySelectorAll('.timeline-step').length === 6);
    assert.equal(await page.textContent('.timeline-step .step-instruction'), 'FROM python:3.12-slim');
    assert.equal(await page.inputValue('.ce-input'), LONG);
    await page.click('.panel-toggle[data-panel="files"]');
    await page.waitForSelector('.fs-row[data-path="/app"]');
    await screenshot(page, 'cancel-restored');

    // Still usable: a new, quick build runs in the fresh worker.
    await page.fill('.ce-input', 'FROM alpine:3.20\nRUN echo hi > /hi.txt\n');
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('#build');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.timeline-step .step-instruction')].map((n) => n.textContent);
      return rows.length === 2 && rows[1] === 'RUN echo hi > /hi.txt';
    }, null, { timeout: 60000 });
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
