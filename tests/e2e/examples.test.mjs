// Every example project builds in the page's engine as its lesson says: the one on
// ubuntu fails at pip, every other one builds and leaves an image.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, screenshot, waitForApp, assertClean } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(() => server.stop());

test('every example builds as its lesson says', async () => {
  const browser = await openBrowser(server.url.replace(/\/$/, ''));
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForApp(page);
    const results = await page.evaluate(async () => {
      const { sharedEngine, parseThenBuild } = await import('./engine.js');
      const { examples } = await import('./examples.js');
      const { stateFromExample } = await import('./state.js');
      const engine = sharedEngine(new URL('./worker.js', location.href));
      const out = {};
      for (const example of examples) {
        const result = await parseThenBuild(engine, `example-${example.name}`, stateFromExample(example));
        out[example.name] = { ok: result.ok, error: result.error, steps: result.steps.length, imageId: result.imageId };
      }
      // The Spring Boot lesson: a source edit leaves the dependency download cached.
      const spring = stateFromExample(examples.find((e) => e.name === 'spring-boot'));
      const app = 'src/main/java/com/example/demo/DemoApplication.java';
      spring.files.set(app, spring.files.get(app).replace('args);', 'args); // edited'));
      const again = await parseThenBuild(engine, 'example-spring-boot', spring);
      out.springRebuild = Object.fromEntries(again.steps.map((s) => [s.instruction, s.cached]));
      return out;
    });
    const rebuild = results.springRebuild;
    delete results.springRebuild;
    assert.equal(rebuild['RUN mvn dependency:go-offline'], true);
    assert.equal(rebuild['RUN mvn package -DskipTests'], false);
    for (const [name, result] of Object.entries(results)) {
      if (name === 'python-ubuntu') {
        assert.equal(result.ok, false, name);
        assert.match(result.error, /pip: not found/, name);
      } else {
        assert.equal(result.ok, true, `${name}: ${result.error}`);
        assert.match(result.imageId, /^sha256:[0-9a-f]{64}$/, name);
      }
    }
    assert.ok(Object.keys(results).length >= 7);
    // The Go example in the page itself: the second stage's two steps after the first's.
    await page.selectOption('#examples', 'go-multistage');
    await page.click('#examples-form button[type=submit]');
    await page.click('.panel-toggle[data-panel="timeline"]');
    await page.click('#build');
    await page.waitForSelector('.timeline-step:has-text("COPY --from=build")', { timeout: 60000 });
    await screenshot(page, 'examples-go-multistage');
    assertClean(assert, browser);
  } finally {
    await browser.close();
  }
});
