// In a real browser, on a node that applies for real (root: Apache, PHP-FPM, HAProxy on loopback):
// a customer adds a site, watches its state turn from pending to live by itself, and the site
// answers through the edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, type TestNode } from './helpers/node.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, openPage, screenshot } from './helpers/browser.js';
import path from 'node:path';
import { httpGet } from './harness/http.js';
import { putAs } from './harness/isolation-checks.js';

const missing = requireNodeServices('test/ui-live.test.ts', test);

test('a customer adds a site in the browser and sees it go live on the servers', { ...browserTest(), ...(missing.length ? { skip: 'node services missing' } : {}) }, async (t) => {
  const node: TestNode = await createTestNode(194_400, 10);
  const m: TestManager = await startTestManager({ settings: { ...node.settings, ABRI_LOCAL_AGENT: '1' } });
  t.after(async () => {
    await m.close();
    await node.cleanup();
  });
  const { hosting, customer } = await seedHosting(m);
  await m.user('vivi@jardin-vivant.test');
  assert.equal((await m.join(customer.id, 'vivi@jardin-vivant.test', 'owner')).status, 201);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page } = await openPage(browser);

  await logIn(page, m.url, 'vivi@jardin-vivant.test', 'correct horse battery');
  await page.goto(`${m.url}/hostings/${hosting.id}`);
  await heading(page, `Hosting ${hosting.name}`);
  await page.getByRole('link', { name: 'Add a site' }).click();
  await page.getByLabel('Domain').fill('jardin-vivant.test');
  await page.getByRole('button', { name: 'Add a site' }).click();
  await heading(page, 'jardin-vivant.test');
  // the page asks again by itself while the servers apply: no reload by the customer
  const live = page.locator('.provisioning[data-state="live"]').first();
  await live.waitFor({ timeout: 60_000 });
  assert.match(await live.innerText(), /^Live/);
  assert.match(await page.locator('.section', { hasText: 'State on the servers' }).innerText(), /local\s+Live/);
  await assertAccessible(page, 'site page, live');
  await screenshot(page, 'customer-site-live');
  // the customer's own page, served by Apache as the hosting: nothing else (no error page, no 5xx) will do
  const docroot = path.join(hosting.home, 'var/www', 'jardin-vivant.test');
  await putAs(hosting, path.join(docroot, 'index.html'), 'Le jardin vivant\n', 0o644);
  const served = await httpGet(node.edgePort, 'jardin-vivant.test', '/');
  assert.equal(served.status, 200, served.body);
  assert.equal(served.body, 'Le jardin vivant\n');
});
