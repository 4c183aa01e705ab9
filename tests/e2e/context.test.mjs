// The build-context panel: files and folders are added, edited, renamed, deleted and
// uploaded; user names reach the DOM as text, so a file named like an HTML tag runs nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const origin = () => server.url.replace(/\/$/, '');
const labels = (page) => page.$$eval('.ctx-label', (nodes) => nodes.map((n) => n.textContent));

async function newEntry(page, button, name) {
  await page.click(`.ctx-toolbar button:has-text("${button}")`);
  await page.fill('.ctx-form input', name);
  await page.press('.ctx-form input', 'Enter');
}

test('a context file named <img src=x onerror=alert(1)> is shown as text and runs nothing', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    const name = '<img src=x onerror=alert(1)>';
    await newEntry(page, '+ File', name);
    await page.waitForSelector('.ctx-form', { state: 'detached' });
    assert.ok((await labels(page)).includes(name));
    // It opened in the editor; its tab shows the name as text too.
    assert.equal(await page.textContent('.editor-tabs [aria-pressed="true"]'), name);
    await page.keyboard.type('<script>alert(2)</script>');
    assert.equal(await page.$$eval('img, script:not([src])', (nodes) => nodes.length), 0);
    assert.equal(await page.textContent('.ce-highlight'), '<script>alert(2)</script>\n');
    await page.waitForTimeout(300);
    await screenshot(page, 'context-html-name');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('files and folders can be added, edited, uploaded, renamed and deleted', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);

    await newEntry(page, '+ Folder', 'src');
    await page.click('button[aria-label="New file in src"]');
    assert.equal(await page.inputValue('.ctx-form input'), 'src/');
    await page.fill('.ctx-form input', 'src/app.py');
    await page.press('.ctx-form input', 'Enter');
    await page.keyboard.type('print("hi")');
    assert.deepEqual(await labels(page), ['src', 'app.py', 'main.py', 'requirements.txt']);

    // A name that climbs out of the context is refused with a message.
    await newEntry(page, '+ File', '../etc/passwd');
    assert.equal(await page.textContent('.ctx-form-error'), 'a context path cannot contain ".."');
    await page.press('.ctx-form input', 'Escape');

    // .dockerignore is an ordinary context file, highlighted as such.
    await newEntry(page, '+ File', '.dockerignore');
    await page.keyboard.type('# local junk\n!keep.txt');
    assert.equal(await page.textContent('.ce-highlight .tok-comment'), '# local junk');

    // Upload a text file and a binary one.
    await page.setInputFiles('.ctx-toolbar input[type=file]', [
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\n') },
      { name: 'logo.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 255]) },
    ]);
    await page.waitForSelector('.ctx-label:text-is("logo.bin")');
    await page.click('.ctx-name[data-path="logo.bin"]');
    assert.match(await page.textContent('.binary-view .hex'), /^00000000  00 01 02 ff/);

    // Rename the folder: its files move with it and the open file follows.
    await page.click('.ctx-name[data-path="src/app.py"]');
    await page.click('button[aria-label="Rename src"]');
    await page.fill('.ctx-form input', 'lib');
    await page.press('.ctx-form input', 'Enter');
    await page.waitForSelector('.ctx-name[data-path="lib/app.py"]');
    assert.equal(await page.textContent('.editor-tabs [aria-pressed="true"]'), 'lib/app.py');
    assert.equal(await page.inputValue('.ce-input'), 'print("hi")');

    // Delete it, then undo.
    await page.click('button[aria-label="Delete lib"]');
    await page.waitForSelector('.ctx-name[data-path="lib/app.py"]', { state: 'detached' });
    assert.equal(await page.textContent('.editor-tabs [aria-pressed="true"]'), 'Dockerfile');
    assert.match(await page.inputValue('.ce-input'), /^FROM python:3\.12-slim\n/);
    await page.click('.ctx-status button:has-text("Undo")');
    await page.waitForSelector('.ctx-name[data-path="lib/app.py"]');

    // Files dropped on the panel are added like uploads.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['dropped\n'], 'dropped.txt', { type: 'text/plain' }));
      const panel = document.querySelector('.context-panel');
      panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      panel.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('.ctx-name[data-path="dropped.txt"]');
    assert.equal(await page.textContent('.ctx-status'), 'Added 1 file.');
    await screenshot(page, 'context-tree');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
