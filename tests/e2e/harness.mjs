// Shared set-up for the browser end-to-end tests: serves the app on a free
// loopback port, launches Debian's Chromium through playwright-core with a fresh
// profile, and records console errors and any request that leaves the origin.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
/** Screenshots land here; the folder is git-ignored. */
export const outputDir = path.join(repoRoot, 'test-output', 'e2e');

const CHROMIUM = process.env.LAYERLAB_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts scripts/serve.py on a free port and resolves to { url, stop }. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(repoRoot, 'scripts/serve.py'), '--port', '0'], {
      env: { ...process.env, LAYERLAB_QUIET: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const match = buffer.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) resolve({ url: match[0], stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

/**
 * Launches a browser with a fresh profile (or the given one) and returns the page
 * plus the lists of console errors and foreign requests seen so far.
 */
export async function openBrowser(origin, { profileDir } = {}) {
  const userDataDir = profileDir || mkdtempSync(path.join(tmpdir(), 'layerlab-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 720 },
  });
  const consoleErrors = [];
  const foreignRequests = [];
  const watch = (page) => {
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    page.on('dialog', (dialog) => { consoleErrors.push(`unexpected dialog: ${dialog.message()}`); dialog.dismiss(); });
  };
  context.on('page', watch);
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  const page = context.pages()[0] || (await context.newPage());
  watch(page);
  return {
    context,
    page,
    consoleErrors,
    foreignRequests,
    userDataDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile && !profileDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot named after the test. */
export async function screenshot(page, name) {
  mkdirSync(outputDir, { recursive: true });
  const file = path.join(outputDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Waits until the playground has its engine and has parsed the Dockerfile once. */
export async function waitForApp(page) {
  await page.waitForSelector('[data-engine-ready="true"]', { timeout: 20000 });
  await page.waitForSelector('.code-editor[data-parsed="true"]', { timeout: 20000 });
}

/**
 * Clicks Share and waits until the page says the link was copied (or offers it to
 * copy): only then is the address bar the shared state. Another notice may already
 * be showing (opening an example leaves one), so waiting for any notice races the
 * throttled URL write of the last edit.
 */
export async function share(page) {
  await page.click('#share');
  await page.waitForFunction(() => {
    const notice = document.querySelector('#notice');
    return notice && !notice.hidden && /Link copied|Copy this link/.test(notice.textContent);
  });
  return page.url();
}

/** Fails the test when the page logged an error or asked another origin for anything. */
export function assertClean(assert, browser) {
  assert.deepEqual(browser.consoleErrors, [], 'console errors');
  assert.deepEqual(browser.foreignRequests, [], 'requests to other origins');
}
