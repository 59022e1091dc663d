// App passwords in the Mail tab, in a real browser against a real manager (signing in with them on a
// real Dovecot is test/agent-mail-clients.test.ts): the owner adds one for a device (shown once, only
// its hash kept), revokes it; the tab says mail clients set themselves up; a read-only person sees the
// names without the actions; in French too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';

test('app passwords of a mailbox in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const db = m.manager.app.db;
  assert.equal((await m.api('POST', '/api/v1/servers', { name: 'mail1.ui-apps.example', roles: ['mail'], addresses: ['192.0.2.26'] })).status, 201);
  const { customer, hosting } = await seedHosting(m, { customer: 'Alpha', offer: { maxMailboxes: 2, mailMb: 100 } });
  assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'alpha-ui-apps.test' })).status, 201);
  assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: 'alpha-ui-apps.test' })).status, 201);
  assert.equal((await m.api('POST', '/api/v1/mail-domains/alpha-ui-apps.test/mailboxes', { localPart: 'joe', quotaMb: 10 })).status, 201);
  for (const [email, role] of [['owner@alpha.test', 'owner'], ['reader@alpha.test', 'readonly']] as const) {
    await m.user(email);
    assert.equal((await m.join(customer.id, email, role)).status, 201);
  }
  const tab = `${m.url}/hostings/${hosting.name}/mail`;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('the owner adds an app password for a device (shown once), then revokes it', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(tab);
    await page.getByRole('region', { name: /^Mailboxes of / }).first().waitFor();
    await settled(page);
    assert.match(await page.getByTestId('mail-autoconfig').innerText(), /Thunderbird, Outlook and most phone mail apps set themselves up/);
    await page.getByRole('button', { name: 'App passwords of joe@alpha-ui-apps.test' }).click();
    const section = page.getByRole('region', { name: 'App passwords of joe@alpha-ui-apps.test' });
    await section.getByText('No app password yet.').waitFor();
    const form = section.getByRole('form', { name: 'Add an app password' });
    await form.getByRole('button', { name: 'Create the app password' }).click();
    assert.equal(await form.getByTestId('field-error').innerText(), 'Give it a name, like Phone.');
    await form.getByLabel('Device', { exact: true }).fill('Phone');
    await form.getByRole('button', { name: 'Create the app password' }).click();
    await section.getByText('App password “Phone”', { exact: true }).waitFor();
    const password = await section.getByTestId('secret-value').innerText();
    assert.match(password, /^[A-Za-z0-9]{24}$/);
    const hash = (await db.selectFrom('mailAppPasswords').select('passwordHash').where('name', '=', 'Phone').executeTakeFirstOrThrow()).passwordHash;
    assert.equal(hash, sha512Crypt(password, hash.split('$')[2]!), 'only its hash is kept');
    await settled(page);
    assert.equal(await section.getByRole('rowheader', { name: 'Phone' }).count(), 1);
    // the same name again, said in French
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    const fr = page.getByRole('region', { name: 'Mots de passe d’application de joe@alpha-ui-apps.test' });
    await fr.getByLabel('Appareil', { exact: true }).fill('phone');
    await fr.getByRole('button', { name: 'Créer le mot de passe d’application' }).click();
    await fr.getByText('Cette boîte a déjà un mot de passe d’application nommé « phone ».').waitFor();
    assert.deepEqual(await missingKeys(page), []);
    await assertAccessible(page, 'app passwords');
    await screenshot(page, 'mail-app-passwords-fr');
    await page.getByRole('banner').getByTestId('lang-en').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await section.getByRole('button', { name: 'Revoke the app password Phone' }).click();
    await page.getByRole('dialog', { name: 'Revoke the app password “Phone”?' }).getByRole('button', { name: 'Yes, revoke it' }).click();
    await section.getByText('No app password yet.').waitFor();
    assert.equal((await db.selectFrom('mailAppPasswords').select('id').execute()).length, 0);
  });

  await step('a read-only person sees the names without the actions', async () => {
    assert.equal((await m.api('POST', '/api/v1/mailboxes/joe@alpha-ui-apps.test/app-passwords', { name: 'Laptop' })).status, 201);
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'reader@alpha.test', 'correct horse battery');
    await reader.page.goto(tab);
    await reader.page.getByRole('button', { name: 'App passwords of joe@alpha-ui-apps.test' }).click();
    const section = reader.page.getByRole('region', { name: 'App passwords of joe@alpha-ui-apps.test' });
    await section.getByRole('rowheader', { name: 'Laptop' }).waitFor();
    assert.equal(await section.getByRole('button', { name: /^(Revoke|Create the app password)/ }).count(), 0);
  });
});
