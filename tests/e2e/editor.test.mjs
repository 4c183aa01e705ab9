// The editor: the seed example on first load, highlighting, and BuildKit's diagnostics
// marked on the broken line (gutter, underline, list) and cleared once fixed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const origin = () => server.url.replace(/\/$/, '');

/** Puts the caret at the end of a 1-based line of the Dockerfile editor. */
async function caretAtEndOfLine(page, line) {
  await page.evaluate((n) => {
    const input = document.querySelector('.ce-input');
    const lines = input.value.split('\n');
    const offset = lines.slice(0, n).join('\n').length;
    input.focus();
    input.setSelectionRange(offset, offset);
  }, line);
}

test('the editor opens on the Python example, highlighted, with no problems', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    const text = await page.inputValue('.ce-input');
    assert.match(text, /^FROM python:3\.12-slim\nWORKDIR \/app\nCOPY requirements\.txt \.\n/);
    assert.match(text, /CMD \["python", "main\.py"\]/);
    const keywords = await page.$$eval('.ce-highlight .tok-keyword', (spans) => spans.map((s) => s.textContent));
    assert.deepEqual(keywords, ['FROM', 'WORKDIR', 'COPY', 'RUN', 'COPY', 'CMD']);
    assert.equal(await page.textContent('.ce-problems-status'), 'No problems: BuildKit would accept this Dockerfile.');
    assert.deepEqual(await page.$$eval('.ctx-label', (labels) => labels.map((l) => l.textContent)), ['main.py', 'requirements.txt']);
    await screenshot(page, 'editor-python-example');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('a broken line shows BuildKit\'s message on that line, and fixing it clears the marker', async () => {
  const browser = await openBrowser(origin());
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);

    // A FROM with no image, typed as a new line 3.
    await caretAtEndOfLine(page, 2);
    await page.keyboard.type('\nFROM');
    const marker = await page.waitForSelector('.ce-line-number[data-line="3"].has-error');
    assert.equal(await marker.getAttribute('title'), 'FROM requires either one or three arguments');
    assert.equal(await page.textContent('.ce-diagnostics li'), 'line 3, column 1 FROM requires either one or three arguments');
    assert.equal(await page.$$eval('.ce-highlight .diag-error', (spans) => spans.map((s) => s.textContent).join('')), 'FROM');
    assert.equal(await page.$$eval('.ce-line-number.has-error', (nodes) => nodes.length), 1);
    await screenshot(page, 'editor-error-marker');

    // Fix it: remove the line again.
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('Backspace');
    await page.waitForSelector('.ce-line-number.has-error', { state: 'detached' });
    assert.equal(await page.$$eval('.ce-highlight .diag', (spans) => spans.length), 0);
    assert.match(await page.textContent('.ce-problems-status'), /^No problems/);

    // An unknown instruction: BuildKit's own wording, and the keyword is flagged while typing.
    await caretAtEndOfLine(page, 4);
    await page.keyboard.type('\nFOO bar');
    const unknown = await page.waitForSelector('.ce-line-number[data-line="5"].has-error');
    assert.equal(await unknown.getAttribute('title'), 'unknown instruction: FOO');
    assert.equal(await page.textContent('.ce-highlight .tok-keyword-unknown'), 'FOO');

    // The problem list jumps to the line.
    await page.click('.ce-jump');
    const caretLine = await page.evaluate(() => {
      const input = document.querySelector('.ce-input');
      return input.value.slice(0, input.selectionStart).split('\n').length;
    });
    assert.equal(caretLine, 5);
    for (let i = 0; i < 'FOO bar\n'.length; i += 1) await page.keyboard.press('Delete');
    await page.waitForSelector('.ce-line-number.has-error', { state: 'detached' });
    assert.equal((await page.inputValue('.ce-input')).split('\n')[4], 'COPY . .');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
