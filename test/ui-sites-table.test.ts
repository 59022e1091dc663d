// The sites table at scale: 2,000 sites seeded through the verb the API calls (createSite: the
// same rules, transaction, audit and revision, without 2,000 HTTP round trips); search narrows as
// you type, headers sort, and every page (first, next, previous, last) is reachable through cursors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { pglite, postgres } from './helpers/databases.js';
import { createSite } from '../src/hosting/operations-sites.js';
import { siteCreate } from '../src/hosting/model.js';
import { systemCaller } from '../src/platform/actor.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, tableRows } from './helpers/browser.js';

const count = 2000;
const pageSize = 25;
const domainOf = (i: number) => `site-${String(i).padStart(4, '0')}.example.org`;

test(`the sites table with ${count} sites`, browserTest(), async (t) => {
  // seeding 2,000 sites one at a time is quicker on the PostgreSQL server the test command starts
  const m = await startTestManager({ database: process.env.ABRI_TEST_DATABASE_URL ? postgres : pglite, settings: { ABRI_PHP_VERSIONS: '8.2,8.3' } });
  t.after(() => m.close());
  const { hosting } = await seedHosting(m, { offer: { maxSites: 10_000, phpVersions: ['8.2', '8.3'] } });
  const started = performance.now();
  const staff = systemCaller('test', 'console');
  for (let n = 0; n < count; n++) {
    const site = await createSite(m.manager.app, staff, hosting.id, siteCreate.parse({ domain: domainOf(n), phpVersion: n % 3 === 0 ? '8.3' : '8.2' }));
    assert.equal(site.domain, domainOf(n));
  }
  t.diagnostic(`seeded ${count} sites through createSite in ${Math.round(performance.now() - started)} ms`);
  const sorted = Array.from({ length: count }, (_, i) => domainOf(i)).sort();

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);
  await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
  await page.goto(`${m.url}/hostings/${hosting.id}`);
  await heading(page, `Hosting ${hosting.name}`);
  // the sites table is the page's first (the hosting's invoices have one further down)
  const sites = page.locator('.data-table').first();
  const status = sites.getByTestId('table-status');
  const position = sites.getByTestId('pager-position');
  const domains = async () => (await tableRows(page)).map((r) => r[0]);

  await t.test('the first page shows the first 25 domains and the total', async () => {
    await status.getByText('2,000 in all').waitFor();
    assert.equal(await position.innerText(), `Page 1 of ${count / pageSize}`);
    assert.deepEqual(await domains(), sorted.slice(0, pageSize));
    await assertAccessible(page, 'hosting page with 2,000 sites');
    await screenshot(page, 'sites-table-2000');
  });

  await t.test('typing in search narrows the rows (time reported, not asserted: speed is npm run bench)', async () => {
    const search = page.getByLabel('Search sites');
    const t0 = performance.now();
    await search.pressSequentially('site-1999', { delay: 30 });
    const typed = performance.now();
    await page.waitForFunction(() => document.querySelector('.data-table')!.querySelectorAll('tbody tr').length === 1 && document.querySelector('[data-testid="table-status"]')?.textContent === '1 in all');
    const narrowed = performance.now();
    t.diagnostic(`search: typed in ${Math.round(typed - t0)} ms, one row ${Math.round(narrowed - typed)} ms after the last key`);
    assert.deepEqual(await domains(), ['site-1999.example.org']);
    await search.fill('site-19');
    await status.getByText('100 in all').waitFor();
    assert.deepEqual(await domains(), sorted.filter((d) => d.includes('site-19')).slice(0, pageSize));
    await search.fill('');
    await status.getByText('2,000 in all').waitFor();
  });

  await t.test('clicking a header sorts, and clicking again reverses', async () => {
    await sites.getByRole('button', { name: /^Domain/ }).click();
    await page.waitForFunction((first) => document.querySelector('.data-table tbody tr th')?.textContent === first, sorted.at(-1));
    assert.deepEqual(await domains(), sorted.slice(-pageSize).reverse());
    assert.match(await sites.locator('th[aria-sort="descending"]').innerText(), /^Domain/);
    await sites.getByRole('button', { name: /^PHP/ }).click();
    await page.waitForFunction(() => document.querySelector('th[aria-sort="ascending"]')?.textContent?.startsWith('PHP'));
    await page.waitForFunction(() => [...document.querySelector('.data-table')!.querySelectorAll('tbody tr')].every((r) => r.children[3]?.textContent === '8.2'));
    await sites.getByRole('button', { name: /^Domain/ }).click();
    await page.waitForFunction((first) => document.querySelector('.data-table tbody tr th')?.textContent === first, sorted[0]);
  });

  await t.test('next, last, previous and first pages', async () => {
    await sites.getByRole('button', { name: 'Next page' }).click();
    await position.getByText(`Page 2 of ${count / pageSize}`).waitFor();
    await page.waitForFunction((first) => document.querySelector('.data-table tbody tr th')?.textContent === first, sorted[pageSize]);
    assert.deepEqual(await domains(), sorted.slice(pageSize, 2 * pageSize));
    await sites.getByRole('button', { name: 'Last page' }).click();
    await position.getByText(`Page ${count / pageSize} of ${count / pageSize}`).waitFor();
    await page.waitForFunction((last) => document.querySelector('.data-table tbody tr:last-child th')?.textContent === last, sorted.at(-1));
    assert.deepEqual(await domains(), sorted.slice(-pageSize));
    assert.ok(await sites.getByRole('button', { name: 'Next page' }).isDisabled());
    await sites.getByRole('button', { name: 'Previous page' }).click();
    await position.getByText(`Page ${count / pageSize - 1} of ${count / pageSize}`).waitFor();
    await page.waitForFunction((first) => document.querySelector('.data-table tbody tr th')?.textContent === first, sorted[count - 2 * pageSize]);
    assert.deepEqual(await domains(), sorted.slice(count - 2 * pageSize, count - pageSize));
    await sites.getByRole('button', { name: 'First page' }).click();
    await position.getByText(`Page 1 of ${count / pageSize}`).waitFor();
    await page.waitForFunction((first) => document.querySelector('.data-table tbody tr th')?.textContent === first, sorted[0]);
    assert.deepEqual(await domains(), sorted.slice(0, pageSize));
  });

  await t.test('an uneven last page under a search keeps pages aligned', async () => {
    // the search covers every column: "8.3" finds the sites on PHP 8.3 (every third one: 667, so 27 pages, the last of 17)
    await page.getByLabel('Search sites').fill('8.3');
    const expected = sorted.filter((d) => Number(d.slice(5, 9)) % 3 === 0);
    assert.equal(expected.length % pageSize, 17);
    await status.getByText(`${expected.length} in all`).waitFor();
    const pages = Math.ceil(expected.length / pageSize);
    await sites.getByRole('button', { name: 'Last page' }).click();
    await position.getByText(`Page ${pages} of ${pages}`).waitFor();
    await page.waitForFunction((last) => document.querySelector('.data-table tbody tr:last-child th')?.textContent === last, expected.at(-1));
    assert.deepEqual(await domains(), expected.slice((pages - 1) * pageSize));
    await sites.getByRole('button', { name: 'Previous page' }).click();
    await position.getByText(`Page ${pages - 1} of ${pages}`).waitFor();
    await page.waitForFunction((first) => document.querySelector('.data-table tbody tr th')?.textContent === first, expected[(pages - 2) * pageSize]);
    assert.deepEqual(await domains(), expected.slice((pages - 2) * pageSize, (pages - 1) * pageSize));
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });
});
