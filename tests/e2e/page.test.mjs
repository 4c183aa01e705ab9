// The page around the editor: examples with their lessons, the concept drawer, the
// theme toggle, and an accessible name on every control.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { concepts } from '../../www/concepts.js';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

/** Controls without an accessible name (aria-label, a <label>, or visible text). */
function unnamedControls(root) {
  const unnamed = [];
  for (const node of root.querySelectorAll('button, input, select, textarea, [role="listbox"], [tabindex="0"]')) {
    const name = node.getAttribute('aria-label')
      || (node.labels && [...node.labels].map((l) => l.textContent.trim()).join(' '))
      || node.textContent.trim();
    if (!name) unnamed.push(node.outerHTML.slice(0, 80));
  }
  return unnamed;
}

test('examples open with their lesson and keep the previous work restorable', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    const names = await page.$$eval('#examples option', (options) => options.map((o) => o.value));
    assert.deepEqual(names, ['python', 'python-ubuntu', 'go-multistage', 'go-distroless', 'node', 'httpd-site', 'spring-boot', 'php-apache', 'apt-cleanup',
      'cache-busting', 'mounts', 'whiteouts']);

    await page.selectOption('#examples', 'python-ubuntu');
    await page.click('#examples-form button[type=submit]');
    assert.match(await page.inputValue('.ce-input'), /^FROM ubuntu:latest\n/);
    assert.equal(await page.textContent('#lesson-title'), 'About this example: Python app on ubuntu (why it fails)');
    assert.match(await page.textContent('#lesson-text'), /ubuntu ships neither Python nor pip/);

    // Every example parses cleanly: the lessons are about building, not typos.
    for (const name of names) {
      await page.selectOption('#examples', name);
      await page.click('#examples-form button[type=submit]');
      await page.waitForSelector('.code-editor[data-parsed="true"]');
      assert.match(await page.textContent('.ce-problems-status'), /^No problems/, name);
      const first = (await page.inputValue('.ce-input')).split('\n').find((line) => /^[A-Z]/.test(line));
      assert.equal(await page.textContent('.outline-text'), first, name);
    }
    await page.selectOption('#examples', 'node');
    await page.click('#examples-form button[type=submit]');
    await page.click('#notice button:has-text("Restore your previous session")');
    assert.match(await page.inputValue('.ce-input'), /^FROM alpine:3\.20\n/);
    await screenshot(page, 'page-examples');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('concepts, themes and accessible names', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    assert.deepEqual(await page.evaluate(`(${unnamedControls})(document)`), []);

    // A "?" opens the drawer at its concept; Escape closes it.
    await page.click('.panel-help .concept-link');
    await page.waitForSelector('#help[open]');
    assert.equal(await page.getAttribute('#concept-intermediate-images', 'open'), '');
    assert.equal(await page.$$eval('#help details', (nodes) => nodes.length), concepts.length);
    await screenshot(page, 'page-concepts');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#help[open]', { state: 'detached' });

    // The container panel is mounted (its engine part exists), and once the page's
    // build on load has finished it can start a container of that image.
    await page.click('.panel-toggle[data-panel="container"]');
    await page.waitForSelector('body[data-first-build-ms]');
    await page.waitForSelector('.panel-host[data-panel="container"] .container-actions .primary:not([disabled])');

    // The theme toggle cycles auto → light → dark and survives a reload.
    await page.click('#theme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    await page.click('#theme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await page.reload();
    await waitForApp(page);
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await screenshot(page, 'page-dark');

    // Keyboard: Tab from the skip link reaches the header controls in order.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'ce-input');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
