import { startServer, openBrowser, screenshot } from './harness.mjs';
const server = await startServer();
const b = await openBrowser(server.url.replace(/\/$/, ''));
const { page } = b;
await page.goto(server.url + 'embed-demo.html');
await page.waitForTimeout(1500);
await screenshot(page, 'peek2');
console.log('errors', b.consoleErrors, 'foreign', b.foreignRequests);
await b.close(); server.stop();
