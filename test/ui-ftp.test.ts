// The FTP tab of a hosting in a real browser against a real manager (no Pure-FTPd here: the web server
// is registered, its users stay "pending"; test/agent-ftp.test.ts applies them for real). A
// customer's owner sees where to connect (host, port, passive ports), creates users (the password
// shown once, only its hash kept) under the quota bar SFTP and FTP users share, is refused past the
// offer's maxFtpUsers in French, changes a user's folder and disables it, gives a new password and
// removes; a read-only person sees the list without the actions; another customer's
// owner gets "not found".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';

const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
const rowsOf = async (page: Page) => {
  const section = page.getByRole('region', { name: /^(FTP users|Utilisateurs FTP)$/ }).first();
  await section.locator('table:not([aria-busy="true"]) tbody tr').first().waitFor();
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.filter((r) => !r.querySelector('td.empty')).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
  return rows.map((r) => r.map(plain));
};

test('a hosting’s FTP users in the web UI', browserTest(), async (t) => {
  const m = await startTestManager({ settings: { ABRI_FTP_PORT: '2121', ABRI_FTP_PASSIVE: '30000-30099' } });
  t.after(() => m.close());
  const db = m.manager.app.db;
  assert.equal((await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.60'] })).status, 201);
  const { customer, hosting } = await seedHosting(m, { customer: 'Alpha', offer: { maxFtpUsers: 2 } });
  const bravo = await seedHosting(m, { customer: 'Bravo' });
  for (const [c, email, role] of [[customer.id, 'owner@alpha.test', 'owner'], [customer.id, 'reader@alpha.test', 'readonly'], [bravo.customer.id, 'owner@bravo.test', 'owner']] as const) {
    await m.user(email);
    assert.equal((await m.join(c, email, role)).status, 201);
  }
  const h = hosting.name as string;
  const tab = `${m.url}/hostings/${h}/ftp`;
  const hashOf = async (name: string) => (await db.selectFrom('ftpUsers').select('passwordHash').where('name', '=', name).executeTakeFirstOrThrow()).passwordHash;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));
  const secret = () => page.getByTestId('secret-value').innerText();

  await step('the owner opens the FTP tab: no user yet; creates one, sees its password once and where to connect', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}`);
    await heading(page, `Hosting ${h}`);
    await page.getByRole('navigation', { name: 'Parts of the hosting' }).getByRole('link', { name: 'FTP', exact: true }).click();
    await page.getByRole('region', { name: 'FTP users' }).first().waitFor();
    await settled(page);
    assert.deepEqual(await rowsOf(page), []);
    await assertAccessible(page, 'empty FTP tab');
    const form = page.getByRole('form', { name: 'Create an FTP user', exact: true });
    await form.getByLabel('Name', { exact: true }).fill('Web Site');
    await form.getByRole('button', { name: 'Create the user' }).click();
    assert.equal(await form.getByTestId('field-error').innerText(), 'Lower-case letters (a-z) and digits, with single - or _ between them.');
    await form.getByLabel('Name', { exact: true }).fill('web');
    await form.getByRole('button', { name: 'Create the user' }).click();
    await page.getByText(`Password of ${h}-web`, { exact: true }).waitFor();
    const password = await secret();
    assert.match(password, /^[A-Za-z0-9]{24}$/);
    const hash = await hashOf(`${h}-web`);
    assert.equal(hash, sha512Crypt(password, hash.split('$')[2]!), 'only its hash is kept');
    await settled(page);
    assert.deepEqual((await rowsOf(page)).map((r) => r.slice(0, 3)), [[`${h}-web`, 'the whole hosting', 'allowed']]);
    assert.equal(plain(await page.getByTestId('ftp-connection').innerText()), 'Host 192.0.2.60 Port 2121 Passive ports 30000-30099');
    assert.match(plain(await page.getByTestId('transfer-quota').innerText()), /^FTP\/SFTP users 1 of 2 SFTP and FTP users share/);
    await screenshot(page, 'ftp-tab-en');
  });

  await step('a second user in a folder; past the offer’s maxFtpUsers the refusal is said in French', async () => {
    const form = page.getByRole('form', { name: 'Create an FTP user', exact: true });
    await form.getByLabel('Name', { exact: true }).fill('blog');
    await form.getByLabel('Folder', { exact: true }).fill('var/www/blog');
    await form.getByRole('button', { name: 'Create the user' }).click();
    await page.getByText(`Password of ${h}-blog`, { exact: true }).waitFor();
    await settled(page);
    assert.deepEqual((await rowsOf(page)).map((r) => r.slice(0, 2)), [[`${h}-blog`, 'var/www/blog'], [`${h}-web`, 'the whole hosting']]);
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    const fr = page.getByRole('form', { name: 'Créer un utilisateur FTP', exact: true });
    await fr.getByLabel('Nom', { exact: true }).fill('third');
    await fr.getByRole('button', { name: 'Créer l’utilisateur' }).click();
    await fr.getByText(/L’offre « .* » permet 2 utilisateurs de transfert de fichiers \(SFTP et FTP ensemble\) par hébergement\./).waitFor();
    assert.deepEqual(await missingKeys(page), []);
    await screenshot(page, 'ftp-tab-fr');
  });

  await step('the quota bar is full; a user’s folder is changed and it is disabled (its password kept)', async () => {
    assert.match(plain(await page.getByTestId('transfer-quota').innerText()), /^Utilisateurs FTP\/SFTP 2 sur 2/);
    const hash = await hashOf(`${h}-blog`);
    await page.getByRole('button', { name: `Modifier l’utilisateur FTP ${h}-blog` }).click();
    const form = page.getByRole('form', { name: `Modifier ${h}-blog`, exact: true });
    await form.getByLabel('Dossier', { exact: true }).fill('var/www/../etc');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await form.getByText(/Ce dossier ne peut pas être donné/).waitFor();
    await form.getByLabel('Dossier', { exact: true }).fill('var/www/news');
    await form.getByLabel('Peut se connecter').uncheck();
    await assertAccessible(page, 'FTP user edit');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await form.waitFor({ state: 'detached' });
    await settled(page);
    assert.deepEqual((await rowsOf(page)).map((r) => r.slice(0, 3))[0], [`${h}-blog`, 'var/www/news', 'désactivée']);
    const row = await db.selectFrom('ftpUsers').select(['folder', 'enabled', 'passwordHash']).where('name', '=', `${h}-blog`).executeTakeFirstOrThrow();
    assert.deepEqual(row, { folder: 'var/www/news', enabled: false, passwordHash: hash });
    await page.getByRole('button', { name: `Modifier l’utilisateur FTP ${h}-blog` }).click();
    await page.getByRole('form', { name: `Modifier ${h}-blog`, exact: true }).getByLabel('Peut se connecter').check();
    await page.getByRole('form', { name: `Modifier ${h}-blog`, exact: true }).getByRole('button', { name: 'Enregistrer' }).click();
    await settled(page);
    assert.equal((await rowsOf(page))[0]![2], 'permise');
  });

  await step('a new password (the old hash is gone), then a removal', async () => {
    const before = await hashOf(`${h}-web`);
    await page.getByRole('button', { name: `Donner un nouveau mot de passe à ${h}-web` }).click();
    await page.getByRole('dialog', { name: `Donner un nouveau mot de passe à ${h}-web ?` }).getByRole('button', { name: 'Oui, faire un nouveau mot de passe' }).click();
    await page.getByText(`Mot de passe de ${h}-web`, { exact: true }).waitFor();
    assert.notEqual(await hashOf(`${h}-web`), before);
    await page.getByRole('button', { name: `Supprimer l’utilisateur FTP ${h}-blog` }).click();
    await page.getByRole('dialog', { name: `Supprimer l’utilisateur FTP ${h}-blog ?` }).getByRole('button', { name: 'Oui, supprimer l’utilisateur' }).click();
    await settled(page);
    assert.deepEqual((await rowsOf(page)).map((r) => r[0]), [`${h}-web`]);
    assert.match(plain(await page.getByTestId('transfer-quota').innerText()), /^Utilisateurs FTP\/SFTP 1 sur 2/);
  });

  await step('a read-only person sees the list without the actions; another customer gets “not found”', async () => {
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'reader@alpha.test', 'correct horse battery');
    await reader.page.goto(tab);
    await reader.page.getByRole('region', { name: 'FTP users' }).first().waitFor();
    await settled(reader.page);
    assert.deepEqual((await rowsOf(reader.page)).map((r) => r[0]), [`${h}-web`]);
    assert.equal(await reader.page.locator('main').getByRole('button', { name: /^(Create the user|Give .* a new password|Remove the FTP user|Change the FTP user)/ }).count(), 0);
    await reader.page.goto(`${m.url}/hostings/${h}/sftp`);
    await reader.page.getByTestId('transfer-quota').waitFor();
    assert.match(plain(await reader.page.getByTestId('transfer-quota').innerText()), /^FTP\/SFTP users 1 of 2/, 'the SFTP tab shows the same shared quota');
    const other = await openPage(browser, { locale: 'en-GB' });
    await logIn(other.page, m.url, 'owner@bravo.test', 'correct horse battery');
    await other.page.goto(tab);
    await heading(other.page, 'Not found');
    assert.doesNotMatch(await other.page.locator('body').innerText(), new RegExp(`${h}-`));
  });
});
