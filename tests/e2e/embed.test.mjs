// The <layer-lab> element on a host page: it renders from its attributes, its script
// API changes the inputs, and build() reports a broken Dockerfile as BuildKit words it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

const origin = () => server.url.replace(/\/$/, '');

async function openDemo(browser) {
  const { page } = browser;
  await page.goto(`${server.url}embed-demo.html`);
  await page.waitForSelector('#lab[data-engine="ready"]', { timeout: 20000 });
  await page.waitForSelector('#lab .code-editor[data-parsed="true"]');
  await page.waitForSelector('#seed .code-editor[data-parsed="true"]');
  return page;
}

test('<layer-lab> renders an example from src and a Dockerfile from its attribute', async () => {
  const browser = await openBrowser(origin());
  try {
    const page = await openDemo(browser);
    assert.match(await page.inputValue('#seed .ce-input'), /^FROM python:3\.12-slim\n/);
    assert.equal(await page.$eval('#seed .ce-input', (input) => input.readOnly), true);
    assert.equal(await page.textContent('#seed .ll-title'), 'Python app (the seed example)');
    assert.deepEqual(await page.$$eval('#seed .outline-keyword', (nodes) => nodes.map((n) => n.textContent)),
      ['FROM', 'WORKDIR', 'COPY', 'RUN', 'COPY', 'CMD']);
    assert.deepEqual(await page.$eval('#seed', (el) => Object.keys(el.files)), ['main.py', 'requirements.txt']);
    assert.equal(await page.$eval('#lab', (el) => el.dockerfile),
      'FROM alpine:3.20\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n');

    // src can be a same-origin URL of a project as JSON; other origins are refused.
    const loaded = await page.evaluate(async () => {
      const el = document.createElement('layer-lab');
      el.id = 'from-url';
      const project = { dockerfile: 'FROM busybox\nCOPY app.sh /\n', files: { 'app.sh': 'echo hi\n' } };
      el.setAttribute('src', URL.createObjectURL(new Blob([JSON.stringify(project)], { type: 'application/json' })));
      document.body.append(el);
      for (let i = 0; i < 100 && el.dockerfile === ''; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      const foreign = document.createElement('layer-lab');
      foreign.id = 'foreign';
      foreign.setAttribute('src', 'https://example.invalid/Dockerfile');
      document.body.append(foreign);
      return { dockerfile: el.dockerfile, files: el.files };
    });
    assert.deepEqual(loaded, { dockerfile: 'FROM busybox\nCOPY app.sh /\n', files: { 'app.sh': 'echo hi\n' } });
    await page.waitForSelector('#foreign .ll-error:text("src must be an example name or a same-origin URL: https://example.invalid/Dockerfile")');
    await screenshot(page, 'embed-demo');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('<layer-lab> is scriptable: dockerfile, setFile, removeFile and build()', async () => {
  const browser = await openBrowser(origin());
  try {
    const page = await openDemo(browser);

    // el.dockerfile = ... shows in the editor; typing shows in el.dockerfile.
    await page.$eval('#lab', (el) => { el.dockerfile = 'FROM alpine:3.20\nCOPY hello.txt /\n'; });
    assert.equal(await page.inputValue('#lab .ce-input'), 'FROM alpine:3.20\nCOPY hello.txt /\n');
    await page.focus('#lab .ce-input');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('RUN cat /hello.txt\n');
    assert.equal(await page.$eval('#lab', (el) => el.dockerfile), 'FROM alpine:3.20\nCOPY hello.txt /\nRUN cat /hello.txt\n');

    // setFile adds to the context tree (as text); a path that leaves the context throws.
    await page.$eval('#lab', (el) => el.setFile('hello.txt', 'hello\n'));
    await page.$eval('#lab', (el) => el.setFile('data/blob.bin', new Uint8Array([0, 159, 146, 150])));
    assert.deepEqual(await page.$$eval('#lab .ctx-label', (nodes) => nodes.map((n) => n.textContent)),
      ['data', 'blob.bin', 'hello.txt']);
    assert.equal(await page.$eval('#lab', (el) => el.files['hello.txt']), 'hello\n');
    assert.equal(await page.$eval('#lab', (el) => {
      try {
        el.setFile('../outside', 'x');
        return 'accepted';
      } catch (error) {
        return error.message;
      }
    }), 'a context path cannot contain "..": ../outside');
    await page.$eval('#lab', (el) => el.removeFile('data'));
    assert.deepEqual(await page.$eval('#lab', (el) => Object.keys(el.files)), ['hello.txt']);

    // build() on a broken Dockerfile resolves with BuildKit's message, and fires `build`.
    const broken = await page.$eval('#lab', async (el) => {
      const events = [];
      el.addEventListener('build', (event) => events.push(event.detail));
      el.dockerfile = 'FROM alpine:3.20\nCOPY hello.txt /\nFOO bar\n';
      const result = await el.build();
      return { result, events };
    });
    assert.deepEqual(broken.result, { ok: false, error: 'line 3: unknown instruction: FOO', imageId: null, steps: [] });
    assert.deepEqual(broken.events, [broken.result]);
    await page.waitForSelector('#lab .ce-line-number[data-line="3"].has-error');
    assert.equal(await page.textContent('#lab .ll-error'), 'line 3: unknown instruction: FOO');

    const missingFrom = await page.$eval('#lab', (el) => {
      el.dockerfile = 'FROM\n';
      return el.build();
    });
    assert.equal(missingFrom.error, 'line 1: FROM requires either one or three arguments');

    // A valid Dockerfile goes to the build engine, or says plainly that there is none.
    const valid = await page.$eval('#lab', async (el) => {
      el.dockerfile = 'FROM alpine:3.20\nCOPY hello.txt /\n';
      const hasSession = el.engine.has('Session');
      try {
        return { hasSession, result: await el.build() };
      } catch (error) {
        return { hasSession, error: error.message };
      }
    });
    if (valid.hasSession) {
      assert.equal(valid.result.ok, true);
      assert.equal(valid.result.steps.length, 2);
    } else {
      assert.match(valid.error, /^the build engine is not available in this version/);
    }
    await screenshot(page, 'embed-scripted');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
