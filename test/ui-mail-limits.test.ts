// Mail limits in a real browser against a real manager (no Postfix here: the held counts are reported
// as a mail server's agent reports them; test/agent-mail-limits.test.ts holds real mail). The customer
// sees "sending held" on the mailbox and may write a catch-all alias; staff see the Held mail page (in
// French too) and the offer's sending limits; the customer cannot open the staff page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';

test('mail limits in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const server = (await m.api('POST', '/api/v1/servers', { name: 'mail1.ui-limits.example', roles: ['mail'], addresses: ['192.0.2.25'] })).body;
  const { customer, hosting, offer } = await seedHosting(m, { customer: 'Alpha', offer: { maxMailboxes: 2, mailMb: 1000 } });
  assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'alpha-ui-limits.test' })).status, 201);
  assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: 'alpha-ui-limits.test' })).status, 201);
  const joe = (await m.api('POST', '/api/v1/mail-domains/alpha-ui-limits.test/mailboxes', { localPart: 'joe', quotaMb: 100 })).body;
  await m.user('owner@alpha.test');
  assert.equal((await m.join(customer.id, 'owner@alpha.test', 'owner')).status, 201);
  const r = await fetch(`${m.url}/agent/v1/report`, {
    method: 'POST', headers: { authorization: `Bearer ${server.agentToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ revision: 0, mode: 'apply', objects: [], usage: [{ kind: 'mailbox-held', id: joe.id, bytes: 2 }] }),
  });
  assert.equal(r.status, 204);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('the customer sees "sending held" on the mailbox, adds a catch-all, and cannot open the staff page', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${hosting.name}/mail`);
    await page.getByTestId('sending-held').waitFor();
    assert.equal(await page.getByTestId('sending-held').innerText(), 'sending held (2 messages)');
    const alias = page.getByRole('form', { name: 'Create an alias', exact: true });
    await alias.getByLabel('Name before the @', { exact: true }).fill('*');
    await alias.getByLabel('Forwarded to', { exact: true }).fill('joe@alpha-ui-limits.test');
    await alias.getByRole('button', { name: 'Create the alias' }).click();
    await page.getByRole('region', { name: /^Aliases of / }).first().getByText('*@alpha-ui-limits.test', { exact: true }).waitFor();
    await settled(page);
    await assertAccessible(page, 'Mail tab with held mail');
    await page.goto(`${m.url}/staff/held-mail`);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.getByTestId('held-mail').count(), 0);
  });

  await step('staff see the held mail (in French too) and the offer\'s sending limits', async () => {
    const staff = await openPage(browser, { locale: 'en-GB' });
    await logIn(staff.page, m.url, 'admin@abri.test', 'correct horse battery');
    await staff.page.goto(`${m.url}/staff/held-mail`);
    await heading(staff.page, 'Held mail');
    await staff.page.getByRole('region', { name: 'joe@alpha-ui-limits.test: 2 messages held' }).waitFor();
    await settled(staff.page);
    await assertAccessible(staff.page, 'Held mail page');
    await staff.page.getByRole('banner').getByTestId('lang-fr').click();
    await staff.page.getByRole('region', { name: 'joe@alpha-ui-limits.test : 2 messages retenus' }).waitFor();
    assert.deepEqual(await missingKeys(staff.page), []);
    await staff.page.getByRole('banner').getByTestId('lang-en').click();
    await staff.page.goto(`${m.url}/staff/offers/${offer.id}`);
    const perHour = staff.page.getByLabel('Mail sent per hour', { exact: true });
    await perHour.waitFor();
    assert.equal(await perHour.inputValue(), '100');
  });
});
