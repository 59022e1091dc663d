// A site's Logs tab in a real browser against a real manager whose local agent applies for real
// (Apache, PHP-FPM, HAProxy on loopback; the API side: test/site-logs.test.ts): requests through the
// edge make lines; the owner sees them, filters them, changes the log and refreshes, in English and
// French; a strange line is shown as text. Uids 66010–66014.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { createTestNode, requireNodeServices } from './helpers/node.js';
import { live } from './helpers/site-stack.js';
import { httpGet } from './harness/http.js';

const DOMAIN = 'logs-ui.example.org';
const missing = requireNodeServices('test/ui-logs.test.ts', test);

test('a site’s Logs tab in the web UI', { ...browserTest(), ...(missing.length ? { skip: `missing ${missing.join(', ')}` } : {}) }, async (t) => {
  const node = await createTestNode(66_010, 5);
  const m = await startTestManager({ settings: { ...node.settings, ABRI_LOCAL_AGENT: '1' } }).catch(async (e: unknown) => {
    await node.cleanup();
    throw e;
  });
  // the manager and its local agent stop first: a running agent would make the accounts again as they go
  t.after(async () => {
    await m.close();
    await node.cleanup();
  });
  const { customer, hosting } = await seedHosting(m, { customer: 'Alpha' });
  await m.user('owner@alpha.test');
  assert.equal((await m.join(customer.id, 'owner@alpha.test', 'owner')).status, 201);
  const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: DOMAIN })).body;
  await live(m, `/api/v1/sites/${site.id}`);
  for (const p of ['/first-visit', '/second-visit', '/nowhere-404']) await httpGet(node.edgePort, DOMAIN, p);
  await writeFile(path.join(hosting.home, 'var/log', `${DOMAIN}-error.log`), '[core:error] odd \u001b[2Jline\n', { flag: 'a' });

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));
  const lines = async () => (await page.getByTestId('log-lines').innerText()).split('\n');

  await step('the owner opens the Logs tab and sees the visits', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/sites/${DOMAIN}`);
    await heading(page, DOMAIN);
    await page.getByRole('link', { name: 'Logs', exact: true }).click();
    await page.getByTestId('log-lines').waitFor();
    await settled(page);
    const shown = await lines();
    assert.equal(shown.length, 3, shown.join('\n'));
    assert.match(shown[0], /GET \/first-visit HTTP/);
    assert.match(await page.getByTestId('logs-summary').innerText(), new RegExp(`var/log/${DOMAIN.replace(/\./g, '\\.')}-access\\.log .*3 lines\\.`));
    await assertAccessible(page, 'Logs (en)');
  });

  await step('filtering, refreshing, another log', async () => {
    await page.getByLabel('Only lines containing').fill('NOWHERE');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByText('1 matching line.').waitFor();
    assert.match((await lines()).join('\n'), /nowhere-404/);
    await httpGet(node.edgePort, DOMAIN, '/nowhere-else');
    await page.getByTestId('logs-refresh').click();
    await page.getByText('2 matching lines.').waitFor();
    await page.getByLabel('Only lines containing').fill('');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByLabel('Log', { exact: true }).selectOption('error');
    await page.getByTestId('log-lines').getByText('odd').waitFor();
    assert.ok((await lines()).includes('[core:error] odd \\x1b[2Jline'));
  });

  await step('in French', async () => {
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.getByLabel('Journal', { exact: true }).selectOption('php');
    await page.getByLabel('Seulement les lignes contenant').fill('introuvable-rien');
    await page.getByRole('button', { name: 'Afficher', exact: true }).click();
    await page.getByTestId('logs-empty').waitFor();
    await settled(page);
    assert.match(await page.getByTestId('logs-empty').innerText(), /Rien n’a encore été écrit dans var\/log\/php\/error\.log|Aucune ligne de ce journal/);
    assert.deepEqual(await missingKeys(page), []);
    await assertAccessible(page, 'Logs (fr)');
    await screenshot(page, 'site-logs-fr');
    assert.deepEqual(ui.problems, []);
  });
});
