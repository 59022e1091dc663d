// The Mail tab of a hosting in a real browser against a real manager (no Postfix or Dovecot here: the
// mail server is registered, its objects stay "pending"; test/agent-mail.test.ts applies them for
// real). A customer's owner adds a domain of its site (another name is refused, said in French),
// creates a mailbox (the password shown once, only its hash kept) and an alias, sees the client
// settings and makes a new DKIM key; a read-only person sees the lists without the actions; another
// customer gets "not found".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';

const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
const rowsOf = async (page: Page, region: RegExp) => {
  const section = page.getByRole('region', { name: region }).first();
  await section.locator('table:not([aria-busy="true"]) tbody tr').first().waitFor();
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.filter((r) => !r.querySelector('td.empty')).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
  return rows.map((r) => r.map(plain));
};

test('a hosting’s mail in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const db = m.manager.app.db;
  assert.equal((await m.api('POST', '/api/v1/servers', { name: 'mail1.ui-mail.example', roles: ['mail'], addresses: ['192.0.2.25'] })).status, 201);
  const { customer, hosting } = await seedHosting(m, { customer: 'Alpha', offer: { maxMailboxes: 2, mailMb: 1000 } });
  const bravo = await seedHosting(m, { customer: 'Bravo' });
  assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'alpha-ui-mail.test' })).status, 201);
  for (const [c, email, role] of [[customer.id, 'owner@alpha.test', 'owner'], [customer.id, 'reader@alpha.test', 'readonly'], [bravo.customer.id, 'owner@bravo.test', 'owner']] as const) {
    await m.user(email);
    assert.equal((await m.join(c, email, role)).status, 201);
  }
  const h = hosting.name as string;
  const tab = `${m.url}/hostings/${h}/mail`;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('the owner adds a domain of its site (not another name, said in French), a mailbox with its password once, and an alias', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}`);
    await heading(page, `Hosting ${h}`);
    await page.getByRole('navigation', { name: 'Parts of the hosting' }).getByRole('link', { name: 'Mail', exact: true }).click();
    await page.getByRole('region', { name: 'Mail domains' }).first().waitFor();
    await settled(page);
    await assertAccessible(page, 'empty Mail tab');
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    const fr = page.getByRole('form', { name: 'Recevoir le courrier d’un domaine', exact: true });
    await fr.getByLabel('Domaine', { exact: true }).fill('elsewhere.test');
    await fr.getByRole('button', { name: 'Ajouter le domaine' }).click();
    await fr.getByText('elsewhere.test n’est ni un domaine ni un alias de l’un des sites de cet hébergement : ajoutez-le d’abord à un site.').waitFor();
    await fr.getByLabel('Domaine', { exact: true }).fill('alpha-ui-mail.test');
    await fr.getByRole('button', { name: 'Ajouter le domaine' }).click();
    await page.getByRole('region', { name: 'Boîtes de alpha-ui-mail.test' }).first().waitFor();
    assert.deepEqual(await missingKeys(page), []);
    await page.getByRole('banner').getByTestId('lang-en').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const form = page.getByRole('form', { name: 'Create a mailbox', exact: true });
    await form.getByLabel('Name before the @', { exact: true }).fill('Joe Smith');
    await form.getByRole('button', { name: 'Create the mailbox' }).click();
    assert.equal(await form.getByTestId('field-error').innerText(), 'Lower-case letters (a-z) and digits, with single . _ or - between them.');
    await form.getByLabel('Name before the @', { exact: true }).fill('joe.smith');
    await form.getByLabel('Space (MB)', { exact: true }).fill('300');
    await form.getByRole('button', { name: 'Create the mailbox' }).click();
    await page.getByText('Password of joe.smith@alpha-ui-mail.test', { exact: true }).waitFor();
    const password = await page.getByTestId('secret-value').innerText();
    assert.match(password, /^[A-Za-z0-9]{24}$/);
    const hash = (await db.selectFrom('mailboxes').select('passwordHash').where('localPart', '=', 'joe.smith').executeTakeFirstOrThrow()).passwordHash;
    assert.equal(hash, sha512Crypt(password, hash.split('$')[2]!), 'only its hash is kept');
    await settled(page);
    assert.deepEqual((await rowsOf(page, /^Mailboxes of /)).map((r) => r.slice(0, 1).concat(r[3]!)), [['joe.smith@alpha-ui-mail.test', 'allowed']]);
    const alias = page.getByRole('form', { name: 'Create an alias', exact: true });
    await alias.getByLabel('Name before the @', { exact: true }).fill('contact');
    await alias.getByLabel('Forwarded to', { exact: true }).fill('joe.smith@alpha-ui-mail.test, friend@elsewhere.test');
    await alias.getByRole('button', { name: 'Create the alias' }).click();
    await settled(page);
    assert.deepEqual((await rowsOf(page, /^Aliases of /)).map((r) => r.slice(0, 2)), [['contact@alpha-ui-mail.test', 'joe.smith@alpha-ui-mail.test, friend@elsewhere.test']]);
    assert.match(plain(await page.getByTestId('mail-connection').innerText()), /^Incoming \(IMAP\) 192\.0\.2\.25 · 993 \(TLS\) or 143 \(STARTTLS\)/);
    const dns = await rowsOf(page, /^DNS records of alpha-ui-mail\.test/);
    assert.ok(dns.some((r) => r.join(' ') === 'alpha-ui-mail.test MX 10 mail1.ui-mail.example.'), JSON.stringify(dns));
    assert.ok(dns.some((r) => r.join(' ') === '_submission._tcp.alpha-ui-mail.test SRV 0 1 587 mail1.ui-mail.example.'), JSON.stringify(dns));
    await assertAccessible(page, 'Mail tab');
    await screenshot(page, 'mail-tab-en');
  });

  await step('the owner sees the DKIM selector and makes a new key: the old one is listed until it goes', async () => {
    const first = (await m.api('GET', '/api/v1/mail-domains/alpha-ui-mail.test')).body.dkim.selector as string;
    assert.equal(plain(await page.getByTestId('mail-dkim-selector').innerText()), `Mail sent from this domain is signed with the key of selector ${first}.`);
    const dns = await rowsOf(page, /^DNS records of alpha-ui-mail\.test/);
    assert.ok(dns.some((r) => r[0] === `${first}._domainkey.alpha-ui-mail.test` && r[1] === 'TXT' && r[2]!.startsWith('v=DKIM1; k=rsa; p=')), JSON.stringify(dns));
    await page.getByRole('button', { name: 'Make a new DKIM key for alpha-ui-mail.test' }).click();
    await page.getByRole('dialog', { name: 'Sign the mail of alpha-ui-mail.test with a new key?' }).getByRole('button', { name: 'Yes, make a new key' }).click();
    await page.getByTestId('mail-dkim-selector').getByText(`${first}-2`).waitFor();
    await settled(page);
    const keys = await rowsOf(page, /^DKIM signature of alpha-ui-mail\.test/);
    assert.deepEqual(keys.map((r) => [r[0], r[1]!.replace(/until .*/, 'until')]), [[`${first}-2`, 'signs'], [first, 'replaced, published until']]);
    await assertAccessible(page, 'Mail tab after a DKIM rotation');
  });

  await step('the owner sets an out-of-office reply with its days (reversed days refused, said in French too)', async () => {
    await page.getByRole('button', { name: 'Out-of-office reply of joe.smith@alpha-ui-mail.test', exact: true }).click();
    const form = page.getByRole('form', { name: 'Out-of-office reply of joe.smith@alpha-ui-mail.test', exact: true });
    await page.getByTestId('vacation-state').getByText('No out-of-office reply.').waitFor();
    await form.getByLabel('Subject', { exact: true }).fill('Away "until" Monday');
    await form.getByLabel('Message', { exact: true }).fill('Back on Monday.\n"; discard;');
    await form.getByLabel('First day (optional)', { exact: true }).fill('2027-01-04');
    await form.getByLabel('Last day (optional)', { exact: true }).fill('2026-12-20');
    await form.getByRole('button', { name: 'Save the reply' }).click();
    await form.getByText('The last day (2026-12-20) comes before the first (2027-01-04).').waitFor();
    await form.getByLabel('First day (optional)', { exact: true }).fill('2026-12-20');
    await form.getByLabel('Last day (optional)', { exact: true }).fill('2027-01-04');
    await form.getByRole('button', { name: 'Save the reply' }).click();
    await page.getByTestId('vacation-state').getByText(/^On: each sender gets the reply at most once every 7 days/).waitFor();
    const row = await db.selectFrom('mailboxVacations').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.enabled, row.subject, row.message], [true, 'Away "until" Monday', 'Back on Monday.\n"; discard;']);
    await assertAccessible(page, 'out-of-office reply');
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.getByTestId('vacation-state').getByText(/^Active : chaque expéditeur la reçoit au plus une fois tous les 7 jours/).waitFor();
    assert.deepEqual(await missingKeys(page), []);
    await page.getByRole('banner').getByTestId('lang-en').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  await step('a read-only person sees the lists without the actions; another customer gets “not found”', async () => {
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'reader@alpha.test', 'correct horse battery');
    await reader.page.goto(tab);
    await reader.page.getByRole('region', { name: /^Mailboxes of / }).first().waitFor();
    await settled(reader.page);
    assert.deepEqual((await rowsOf(reader.page, /^Mailboxes of /)).map((r) => r[0]), ['joe.smith@alpha-ui-mail.test']);
    assert.equal(await reader.page.locator('main').getByRole('button', { name: /^(Create the mailbox|Give .* a new password|Remove the mailbox|Add the domain|Make a new DKIM key)/ }).count(), 0);
    const other = await openPage(browser, { locale: 'en-GB' });
    await logIn(other.page, m.url, 'owner@bravo.test', 'correct horse battery');
    await other.page.goto(tab);
    await heading(other.page, 'Not found');
    assert.doesNotMatch(await other.page.locator('body').innerText(), /alpha-ui-mail/);
  });
});
