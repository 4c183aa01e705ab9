// Images in and out of the page through the UI: the seed example's image is
// downloaded as an OCI tar and unpacked by real umoci, and a real image tar (the
// oracle's busybase, exported by real tools) is imported and explored.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser, screenshot, waitForApp, assertClean, repoRoot } from './harness.mjs';

const oracle = path.join(repoRoot, '../shared/oracle');

let server;
let scratch;
before(async () => {
  server = await startServer();
  scratch = mkdtempSync(path.join(tmpdir(), 'layerlab-export-'));
});
after(() => {
  server.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('the seed image downloads as an OCI tar that umoci unpacks with the app files', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('#build');
    await page.click('.panel-toggle[data-panel="export"]');
    const oci = page.getByRole('button', { name: 'Download OCI tar' });
    await oci.waitFor();
    await page.waitForFunction(
      () => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Download OCI tar' && !b.disabled),
      null, { timeout: 120000 });
    const [download] = await Promise.all([page.waitForEvent('download'), oci.click()]);
    assert.match(download.suggestedFilename(), /^layerlab-step\d+-oci\.tar$/);
    const tar = path.join(scratch, 'seed.tar');
    await download.saveAs(tar);
    await page.waitForFunction(() => /Saved layerlab-step/.test(document.body.textContent));
    await screenshot(page, 'export-seed');

    const out = path.join(scratch, 'unpacked');
    execFileSync('bash', [path.join(oracle, 'unpack.sh'), tar, out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const rootfs = readFileSync(path.join(out, 'rootfs.txt'), 'utf8');
    assert.match(rootfs, /(^|[\s/])app\/main\.py(\s|$)/m, 'umoci unpacked app/main.py');
    assert.match(rootfs, /(^|[\s/])app\/requirements\.txt(\s|$)/m, 'umoci unpacked app/requirements.txt');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});

test('a real image tar imports through the file input and its tree is explorable', async () => {
  const made = execFileSync('bash', [path.join(oracle, 'make-base.sh')], { encoding: 'utf8' });
  const archive = made.match(/^archive=(.+)$/m)?.[1];
  assert.ok(archive, `make-base.sh printed no archive=: ${made}`);
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('.panel-toggle[data-panel="import"]');
    await page.setInputFiles('#import-file', archive);
    await page.waitForSelector('.import-entry[data-path="/bin"]', { timeout: 60000 });
    const status = await page.textContent('.import-status');
    assert.match(status, /Imported busybase\.tar: 1 image/);
    const tags = await page.$$eval('.import-tags li', (n) => n.map((x) => x.textContent));
    assert.ok(tags.length > 0 && tags.every((t) => /busybase/.test(t)), `tags: ${tags}`);
    assert.equal(await page.locator('.import-layer').count(), 1);
    assert.match(await page.textContent('.import-layer .digest'), /^[0-9a-f]{12}$/);
    assert.match(await page.textContent('.import-waste'), /efficiency \d+(\.\d)?%/);
    await page.getByRole('button', { name: 'Open /bin' }).click();
    await page.waitForSelector('.import-entry[data-path="/bin/busybox"]');
    await screenshot(page, 'import-busybase');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
