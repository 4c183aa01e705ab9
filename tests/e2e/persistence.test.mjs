// Never lose what was typed: a reload restores everything, a shared link restores the
// same state in a fresh browser profile, and the work a link replaced stays restorable.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser, screenshot, waitForApp, assertClean, share } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const origin = () => server.url.replace(/\/$/, '');

async function typeAtEnd(page, text) {
  await page.evaluate(() => {
    const input = document.querySelector('.ce-input');
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
  await page.keyboard.type(text);
}

async function addFile(page, name, text) {
  await page.click('.ctx-toolbar button:has-text("+ File")');
  await page.fill('.ctx-form input', name);
  await page.press('.ctx-form input', 'Enter');
  await page.keyboard.type(text);
}

/** What the page holds: the Dockerfile, the context files and their contents. */
async function snapshot(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('layerlab.state')).state);
}

test('a reload loses nothing: Dockerfile edits and context files', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await typeAtEnd(page, 'EXPOSE 8000\n');
    await addFile(page, 'config/settings.toml', 'debug = true\n');
    await page.click('.build-args summary');
    await page.fill('#build-args', 'VERSION=1.2');
    // Reload at once, before the throttled URL update could run.
    await page.reload();
    await waitForApp(page);
    // The file that was open is open again, with its text.
    assert.equal(await page.textContent('.editor-tabs [aria-pressed="true"]'), 'config/settings.toml');
    assert.equal(await page.inputValue('.ce-input'), 'debug = true\n');
    await page.click('.editor-tabs button:has-text("Dockerfile")');
    assert.match(await page.inputValue('.ce-input'), /CMD \["python", "main\.py"\]\nEXPOSE 8000\n$/);
    await page.click('.build-args summary');
    assert.equal(await page.inputValue('#build-args'), 'VERSION=1.2');
    await screenshot(page, 'persistence-reload');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('a reload restores the tab\'s newest work even when the address it reloads is older', async () => {
  // The browser may reload the URL it knew before the page's last replaceState
  // reached it (a CI flake: the reload showed the state of one write earlier).
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await typeAtEnd(page, 'EXPOSE 8000\n');
    await page.waitForFunction(() => location.hash.startsWith('#v1'));
    const older = await page.evaluate(() => location.hash);
    await typeAtEnd(page, 'LABEL newest=yes\n');
    await page.waitForFunction((h) => location.hash !== h, older);
    // Put the older address back, as the browser's stale reload would use it.
    await page.evaluate((h) => history.replaceState(null, '', h), older);
    await page.reload();
    await waitForApp(page);
    assert.match(await page.inputValue('.ce-input'), /EXPOSE 8000\nLABEL newest=yes\n$/);
    assert.equal(await page.isVisible('#notice'), false);
    // The address bar catches up with the restored work.
    await page.waitForFunction((h) => location.hash !== h, older);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('a shared link opens the same state in a fresh profile, and local work stays restorable', async () => {
  const profile = mkdtempSync(path.join(tmpdir(), 'layerlab-e2e-author-'));
  const author = await openBrowser(origin(), { profileDir: profile });
  let link;
  let shared;
  try {
    const { page } = author;
    await page.goto(server.url);
    await waitForApp(page);
    await page.selectOption('#examples', 'go-multistage');
    await page.click('#examples-form button[type=submit]');
    await typeAtEnd(page, 'LABEL lesson=shared\n');
    await addFile(page, 'README.md', '# shared ünïcode ✓\n');
    link = await share(page);
    assert.match(link, /#v1p?:[A-Za-z0-9_-]+$/);
    shared = await snapshot(page);
    assertClean(assert, author);
  } finally {
    await author.close({ keepProfile: true });
  }

  const reader = await openBrowser(origin());
  try {
    const { page } = reader;
    await page.goto(link);
    await waitForApp(page);
    assert.deepEqual(await snapshot(page), shared);
    // The author had README.md open; so does the reader.
    assert.equal(await page.textContent('.editor-tabs [aria-pressed="true"]'), 'README.md');
    assert.equal(await page.inputValue('.ce-input'), '# shared ünïcode ✓\n');
    assert.equal(await page.textContent('#lesson-title'), 'About this example: Go, multi-stage build');
    await page.click('.editor-tabs button:has-text("Dockerfile")');
    assert.match(await page.inputValue('.ce-input'), /^# syntax=docker\/dockerfile:1\nFROM golang:1\.22 AS build\n[\s\S]*LABEL lesson=shared\n$/);
    await screenshot(page, 'persistence-shared-link');
    assertClean(assert, reader);
  } finally {
    await reader.close();
  }

  // Back in the author's profile: newer local work, then the old link is opened again.
  const again = await openBrowser(origin(), { profileDir: profile });
  try {
    const { page } = again;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.editor-tabs button:has-text("Dockerfile")');
    await typeAtEnd(page, 'USER nobody\n');
    const newer = await page.inputValue('.ce-input');
    await page.goto('about:blank');
    await page.goto(link);
    await waitForApp(page);
    assert.deepEqual(await snapshot(page), shared);
    await page.click('#notice button:has-text("Restore your previous session")');
    await page.waitForFunction((text) => document.querySelector('.ce-input').value === text, newer);
    await screenshot(page, 'persistence-restore-previous');
    assertClean(assert, again);
  } finally {
    await again.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('when the browser refuses to store, the page says so instead of losing work silently', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.evaluate(() => {
      Storage.prototype.setItem = () => { throw new DOMException('the quota has been exceeded', 'QuotaExceededError'); };
    });
    await typeAtEnd(page, 'USER nobody\n');
    await page.waitForSelector('#notice:not([hidden])');
    assert.match(await page.textContent('#notice'), /refused to save your work.*Share link/);
    assert.match(await page.inputValue('.ce-input'), /USER nobody\n$/);
    await screenshot(page, 'persistence-storage-refused');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('a slow URL write that finishes last never puts an older state into the address bar', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    // The CompressionStream numbered `__slowFrom` holds its output back 800 ms, so
    // the URL write that uses it finishes after the share button's own, newer one.
    await page.addInitScript(() => {
      const Real = window.CompressionStream;
      window.__slowFrom = Infinity;
      let made = 0;
      window.CompressionStream = class {
        constructor(format) {
          const real = new Real(format);
          made += 1;
          this.writable = real.writable;
          this.readable = made === window.__slowFrom
            ? real.readable.pipeThrough(new TransformStream({
              async transform(chunk, out) {
                await new Promise((resolve) => setTimeout(resolve, 800));
                out.enqueue(chunk);
              },
            }))
            : real.readable;
        }
      };
      window.__made = () => made;
    });
    await page.goto(server.url);
    await waitForApp(page);
    await page.evaluate(() => { window.__slowFrom = window.__made() + 1; });
    await typeAtEnd(page, 'LABEL first=1\n');
    // The throttled write (400 ms) starts, and is slowed down.
    await page.waitForFunction(() => window.__made() >= window.__slowFrom);
    await typeAtEnd(page, 'LABEL second=2\n');
    await share(page);
    // Let the slow write finish; it must not overwrite the newer fragment.
    await page.waitForTimeout(1200);
    const decoded = await page.evaluate(async () => {
      const { decodeFragment } = await import('./state.js');
      return (await decodeFragment(location.hash)).dockerfile;
    });
    assert.match(decoded, /LABEL first=1\nLABEL second=2\n$/);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
