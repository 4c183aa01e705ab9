// The worker protocol as the page uses it: one answer per request, errors as values,
// unknown types answered (and logged, not thrown), and cancel by restarting the worker.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('the engine worker answers, reports what it exports, and restarts on cancel', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    const outcome = await page.evaluate(async () => {
      const { Engine } = await import('./engine.js');
      const engine = new Engine(new URL('./worker.js', location.href));
      const states = [];
      engine.addEventListener('state', () => states.push(engine.state));
      await engine.whenReady();
      const parsed = await engine.request('parse', { text: 'FROM scratch\nCOPY a /b\n' });
      const unknown = await engine.request('teleport').then(() => 'resolved', (error) => error.message);
      const doomed = engine.request('parse', { text: 'FROM scratch\n' });
      engine.restart('cancelled');
      const cancelled = await doomed.then(() => 'resolved', (error) => error.message);
      await engine.whenReady();
      const after = await engine.request('parse', { text: 'RUN x\n' });
      return {
        states,
        functions: engine.capabilities.functions,
        keywords: parsed.instructions.map((i) => i.keyword),
        unknown,
        cancelled,
        afterDiagnostics: after.diagnostics.map((d) => `line ${d.line}: ${d.message}`),
        pending: engine.pending.size,
      };
    });
    assert.deepEqual(outcome.states.slice(0, 1), ['ready']);
    assert.deepEqual(outcome.states.slice(-2), ['loading', 'ready']);
    assert.ok(outcome.functions.includes('parseDockerfile'));
    assert.ok(outcome.functions.includes('engineVersion'));
    assert.deepEqual(outcome.keywords, ['FROM', 'COPY']);
    assert.equal(outcome.unknown, 'unknown request type: teleport');
    assert.equal(outcome.cancelled, 'cancelled');
    assert.equal(outcome.afterDiagnostics.length, 1);
    assert.match(outcome.afterDiagnostics[0], /^line 1: /);
    assert.equal(outcome.pending, 0);
    await screenshot(page, 'engine-protocol');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
