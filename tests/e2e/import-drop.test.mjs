// Importing by drag and drop: a small real oci-archive (written by image-tar.mjs) is
// dropped on the import panel's zone as a browser would deliver it (a DataTransfer
// with a File), read in the page, imported in the worker and explored; the page keeps
// painting frames meanwhile, and the image then shows in the image store.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';
import { writeImageArchive } from './image-tar.mjs';

let server;
let scratch;
before(async () => {
  server = await startServer();
  scratch = mkdtempSync(path.join(tmpdir(), 'layerlab-drop-'));
});
after(() => {
  server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('an image tar dropped on the import zone is imported and explorable, and joins the image store', async () => {
  const archive = path.join(scratch, 'dropped.tar');
  writeImageArchive(archive, { files: 90, churn: 6, sizeOf: (i) => 64 + i, tag: 'dropped:1' });
  const bytes = readFileSync(archive).toString('base64');
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.panel-toggle[data-panel="import"]');
    const zone = page.locator('.drop-zone');
    await zone.waitFor();
    await page.evaluate(async (base64) => {
      const raw = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([raw], 'dropped.tar', { type: 'application/x-tar' }));
      const target = document.querySelector('.drop-zone');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, bytes);
    await page.waitForSelector('.import-entry[data-path="/data"]', { timeout: 60000 });
    assert.match(await page.textContent('.import-status'), /^Imported dropped\.tar: 1 image\(s\)\.$/);
    assert.deepEqual(await page.$$eval('.import-tags li', (n) => n.map((x) => x.textContent)), ['dropped:1']);
    assert.equal(await page.locator('.import-layer').count(), 3);
    // The top layer rewrote 6 files of the first and deleted 6 more: waste shows.
    assert.match(await page.textContent('.import-waste'), /^Wasted [1-9]/);
    await page.getByRole('button', { name: 'Open /data' }).click();
    await page.waitForSelector('.import-entry[data-path="/data/d000"]');
    await page.getByRole('button', { name: 'Open /data/d000' }).click();
    await page.waitForSelector('.import-entry[data-path="/data/d000/f00000"]');
    // f00000 was rewritten by the top layer (layer 2); f00006, alone in d006, was
    // whited out there, so the merged d006 is empty.
    assert.match(await page.textContent('.import-entry[data-path="/data/d000/f00000"]'), /layer 2$/);
    await page.getByRole('button', { name: 'Up to /data' }).click();
    await page.getByRole('button', { name: 'Open /data/d006' }).click();
    await page.waitForFunction(() => document.querySelector('.import-path code')?.textContent === '/data/d006');
    assert.equal(await page.locator('.import-entry').count(), 0);
    await screenshot(page, 'import-dropped');

    await page.click('.panel-toggle[data-panel="store"]');
    await page.waitForSelector('.store-image');
    // The store also holds the seed example the page built on load.
    const tags = await page.$$eval('.store-image .tags', (n) => n.map((x) => x.textContent));
    assert.ok(tags.includes('dropped:1'), `store tags: ${tags}`);
    const usedBy = await page.$$eval('.grid-image', (n) => n.map((x) => x.title));
    assert.ok(usedBy.some((t) => t.startsWith('dropped:1 ')), `grid columns: ${usedBy}`);
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
