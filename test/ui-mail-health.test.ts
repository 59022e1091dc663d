// A mail server's sending health in the back office, in a real browser against a real manager that
// asks a throw-away PowerDNS (test/harness/pdns-world.ts) as its resolver: staff open it from the
// Servers page, see "not checked", check now, and read what to fix in English and in French.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager } from './helpers/manager.js';
import { startPdnsWorld } from './harness/pdns-world.js';
import { findExecutable } from './harness/run.js';

const missing = ['pdns_server', 'sqlite3'].filter((b) => !findExecutable(b));
if (missing.length && process.env.CI === 'true') test('DNS services are installed (CI=true)', () => { throw new Error(`missing: ${missing.join(', ')}`); });

test('a mail server\'s sending health in the back office', { ...browserTest(), skip: browserTest().skip ?? (missing.length ? `missing ${missing.join(', ')}` : undefined) }, async (t) => {
  const world = await startPdnsWorld();
  t.after(() => world.stop());
  const m = await startTestManager({ settings: { ABRI_DNS_RESOLVER: world.resolver, ABRI_MAIL_DNSBL: 'bl.ui-health.test' } });
  t.after(() => m.close());
  await world.setZone('2.0.192.in-addr.arpa', [{ name: '26.2.0.192.in-addr.arpa', type: 'PTR', records: ['static-26.provider.test.'] }]);
  await world.setZone('ui-health.test', [{ name: 'mail2.ui-health.test', type: 'A', records: ['192.0.2.26'] }]);
  await world.setZone('bl.ui-health.test', [{ name: '26.2.0.192.bl.ui-health.test', type: 'A', records: ['127.0.0.2'] }]);
  assert.equal((await m.api('POST', '/api/v1/servers', { name: 'mail2.ui-health.test', roles: ['mail'], addresses: ['192.0.2.26'] })).status, 201);
  await m.user('staff@abri.test', 'staff');

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('staff open it from the Servers page, check now and read what to fix', async () => {
    await logIn(page, m.url, 'staff@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/staff/servers`);
    await page.getByRole('link', { name: 'Sending health' }).click();
    await heading(page, 'Sending health of mail2.ui-health.test');
    await page.getByText('Not checked yet: check now.').waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByText('The PTR of 192.0.2.26 is static-26.provider.test, not the name the server greets with (mail2.ui-health.test): set the PTR of 192.0.2.26 to mail2.ui-health.test at your IP provider.').waitFor();
    await page.getByText('192.0.2.26 is listed on bl.ui-health.test (127.0.0.2)', { exact: false }).waitFor();
    assert.equal(await page.getByTestId('mail-health-status').innerText(), 'to fix');
    await settled(page);
    await assertAccessible(page, 'mail health page');
    assert.deepEqual(await missingKeys(page), []);
  });

  await step('in French', async () => {
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await heading(page, 'Santé d\'envoi de mail2.ui-health.test');
    await page.getByText('faites pointer le PTR de 192.0.2.26 vers mail2.ui-health.test chez votre fournisseur d\'adresses IP', { exact: false }).waitFor();
    await page.getByText('192.0.2.26 est listée sur bl.ui-health.test (127.0.0.2)', { exact: false }).waitFor();
    assert.equal(await page.getByTestId('mail-health-status').innerText(), 'à corriger');
    assert.deepEqual(await missingKeys(page), []);
  });
});
