// The SFTP tab of a hosting in a real browser against a real manager (no sshd here: the web server is
// registered and its agent's reports are recorded by hand; test/agent-sftp.test.ts applies users for
// real). A customer's owner sees where to connect, adds a user with a password (shown once, only its
// hash kept) and one with a key (a bad key refused next to its field), watches the state turn live
// without reloading, changes a folder, keys and sign-in, gives a first password, removes; the offer's
// maxFtpUsers is said in French; once the offer allows SSH, a shell is given and taken back. A read-only
// person sees no actions; another customer gets "not found".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { recordReport } from '../src/agent/store.js';
import { currentRevision } from '../src/platform/store-revision.js';
import { sha512Crypt } from '../src/files/sha512-crypt.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAID0QT+0emWvDI0mychwQ8nFBIRtKIcT81KL+nx2hrJTH me@laptop';
const ECDSA = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFRvYRv587HBRS7ovgEbG4HwJKyx6p8MdX+6gv7SaC4yVCDl782DARRCJxg0homIAHRUk/0UQ3+0DPvOkReBBj8=';

const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
const rowsOf = async (page: Page) => {
  const section = page.getByRole('region', { name: /^(SFTP users|Utilisateurs SFTP)$/ }).first();
  await section.locator('table:not([aria-busy="true"]) tbody tr').first().waitFor();
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.filter((r) => !r.querySelector('td.empty')).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
  return rows.map((r) => r.map(plain));
};

test('a hosting’s SFTP users in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const db = m.manager.app.db;
  const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
  const { customer, offer, hosting } = await seedHosting(m, { customer: 'Alpha', offer: { maxFtpUsers: 2 } });
  const bravo = await seedHosting(m, { customer: 'Bravo' });
  for (const [email, role, c] of [['owner@alpha.test', 'owner', customer], ['reader@alpha.test', 'readonly', customer], ['owner@bravo.test', 'owner', bravo.customer]] as const) {
    await m.user(email);
    assert.equal((await m.join(c.id, email, role)).status, 201);
  }
  const h = hosting.name as string;
  const port = m.manager.app.config.sftpPort;
  const tab = `${m.url}/hostings/${h}/sftp`;
  const hashOf = async (name: string) => (await db.selectFrom('sftpUsers').select('passwordHash').where('name', '=', name).executeTakeFirstOrThrow()).passwordHash;
  const matches = (password: string, hash: string | null) => !!hash && sha512Crypt(password, hash.split('$')[2]!) === hash;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));
  const secret = () => page.getByTestId('secret-value').innerText();

  await step('the owner opens the SFTP tab: no user yet', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}`);
    await heading(page, `Hosting ${h}`);
    await page.getByRole('navigation', { name: 'Parts of the hosting' }).getByRole('link', { name: 'SFTP' }).click();
    await page.getByRole('form', { name: 'Add an SFTP user' }).waitFor();
    await settled(page);
    assert.deepEqual(await rowsOf(page), []);
    assert.equal(await page.getByLabel('An SSH shell').count(), 0, 'no shell while the offer does not allow SSH');
    await assertAccessible(page, 'empty SFTP tab');
  });

  await step('a user with a password: shown once, only its hash kept; where to connect is shown', async () => {
    const form = page.getByRole('form', { name: 'Add an SFTP user' });
    await form.getByLabel('Name', { exact: true }).fill('web');
    assert.match(await form.locator('.field', { has: page.getByLabel('Name', { exact: true }) }).locator('.hint').innerText(), new RegExp(`the user is named ${h}-web\\.`));
    await form.getByRole('button', { name: 'Add the user' }).click();
    await page.getByText(`Password of ${h}-web`, { exact: true }).waitFor();
    const password = await secret();
    assert.match(password, /^[A-Za-z0-9]{24}$/);
    assert.ok(matches(password, await hashOf(`${h}-web`)), 'the password shown is the user’s');
    await settled(page);
    const [row] = await rowsOf(page);
    assert.deepEqual(row!.slice(0, 5), [`${h}-web`, `192.0.2.10, port ${port} sftp -P ${port} ${h}-web@192.0.2.10`, '(the whole hosting)', 'password', 'Pending']);
    await assertAccessible(page, 'SFTP tab with a password shown');
    await screenshot(page, 'sftp-tab-en');
  });

  await step('the state turns live by itself once the web server reports it (the list is asked again while pending)', async () => {
    const web = (await m.api('GET', `/api/v1/sftp-users/${h}-web`)).body;
    await recordReport(db, server.id, { revision: await currentRevision(db), mode: 'apply', objects: [{ kind: 'sftp-user', id: web.id, status: 'live' }] });
    await page.locator('tbody tr', { hasText: `${h}-web` }).locator('.provisioning[data-state="live"]').waitFor();
    await settled(page);
    assert.equal((await rowsOf(page))[0]![4], 'Live');
  });

  await step('a user with a key only, in a folder: a bad key is refused next to its field', async () => {
    const form = page.getByRole('form', { name: 'Add an SFTP user' });
    await form.getByLabel('Name', { exact: true }).fill('blog');
    await form.getByLabel('Folder', { exact: true }).fill('var/www/blog');
    await form.getByLabel('A password').uncheck();
    await form.getByLabel('Public keys').fill('ssh-rsa AAAA not-a-key');
    await form.getByRole('button', { name: 'Add the user' }).click();
    assert.match(await form.getByTestId('field-error').innerText(), /not a public key the platform accepts/);
    await form.getByLabel('Public keys').fill(ED25519);
    await form.getByRole('button', { name: 'Add the user' }).click();
    await page.getByRole('rowheader', { name: `${h}-blog`, exact: true }).waitFor();
    await settled(page);
    assert.deepEqual((await rowsOf(page))[0]!.filter((_, i) => i !== 1).slice(0, 3), [`${h}-blog`, 'var/www/blog', '1 key']);
    assert.equal(await hashOf(`${h}-blog`), null);
  });

  await step('changing it: another folder, a second key, the first removed, no sign-in; then a first password', async () => {
    await page.getByRole('button', { name: `Change the SFTP user ${h}-blog` }).click();
    const edit = page.getByRole('form', { name: `Change ${h}-blog` });
    await edit.getByLabel('Folder', { exact: true }).fill('var/www/shop');
    await page.getByRole('form', { name: `Add a public key to ${h}-blog` }).getByLabel('New public key').fill(ECDSA);
    await page.getByRole('button', { name: 'Add the key' }).click();
    await page.getByTestId('sftp-keys').locator('li').nth(1).waitFor();
    await page.getByRole('button', { name: 'Remove the key SHA256:Vsurzi/I6L8qsYlCEgfkHJfCf7SAwv+aMs0FB2gtl6U' }).click();
    await page.getByRole('dialog', { name: 'Remove this key?' }).getByRole('button', { name: 'Yes, remove the key' }).click();
    await page.getByRole('button', { name: 'Remove the key SHA256:Vsurzi/I6L8qsYlCEgfkHJfCf7SAwv+aMs0FB2gtl6U' }).waitFor({ state: 'detached' });
    await edit.getByLabel('May sign in').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await settled(page);
    const blog = (await m.api('GET', `/api/v1/sftp-users/${h}-blog`)).body;
    assert.deepEqual([blog.folder, blog.enabled, blog.keys.map((k: { type: string }) => k.type)], ['var/www/shop', false, ['ecdsa-sha2-nistp256']]);
    const row = (await rowsOf(page))[0]!;
    assert.deepEqual([row[2], row[3]], ['var/www/shop', '1 key']);
    assert.match(row[4]!, /^disabled/);
    await page.getByRole('button', { name: `Give ${h}-blog a new password` }).click();
    const dialog = page.getByRole('dialog', { name: `Give ${h}-blog a new password?` });
    assert.match(await dialog.innerText(), /signs in with keys only today/);
    await dialog.getByRole('button', { name: 'Yes, make a new password' }).click();
    await page.getByText(`Password of ${h}-blog`, { exact: true }).waitFor();
    assert.ok(matches(await secret(), await hashOf(`${h}-blog`)));
  });

  await step('past the offer’s maxFtpUsers the refusal is said in French; a removal asks first', async () => {
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    const form = page.getByRole('form', { name: 'Ajouter un utilisateur SFTP' });
    await form.getByLabel('Nom', { exact: true }).fill('third');
    await form.getByRole('button', { name: 'Ajouter l’utilisateur' }).click();
    await form.getByTestId('form-error').getByText(`L’offre « ${offer.name} » permet 2 utilisateurs de transfert de fichiers par hébergement.`).waitFor();
    await page.getByRole('button', { name: `Supprimer l’utilisateur SFTP ${h}-web` }).click();
    const dialog = page.getByRole('dialog', { name: `Supprimer l’utilisateur SFTP ${h}-web ?` });
    assert.match(await dialog.innerText(), /Les fichiers restent/);
    await dialog.getByRole('button', { name: 'Oui, supprimer l’utilisateur' }).click();
    await page.getByRole('rowheader', { name: `${h}-web`, exact: true }).waitFor({ state: 'detached' });
    await settled(page);
    assert.deepEqual((await rowsOf(page)).map((r) => r[0]), [`${h}-blog`]);
    await assertAccessible(page, 'SFTP tab (fr)');
    await screenshot(page, 'sftp-tab-fr');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(ui.problems, []);
  });

  await step('a read-only person sees the list without the actions', async () => {
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'reader@alpha.test', 'correct horse battery');
    await reader.page.goto(tab);
    await settled(reader.page);
    assert.deepEqual((await rowsOf(reader.page)).map((r) => r[0]), [`${h}-blog`]);
    assert.equal(await reader.page.locator('main').getByRole('button', { name: /^(Add the user|Change the SFTP user|Give .* a new password|Remove the SFTP user)/ }).count(), 0);
    assert.deepEqual(reader.problems, []);
  });

  await step('once the offer allows SSH, a user is given a shell in the jail: the whole hosting, the ssh command shown', async () => {
    assert.equal((await m.api('PATCH', `/api/v1/offers/${offer.id}`, { sshAllowed: true })).status, 200);
    await page.getByRole('banner').getByTestId('lang-en').click();
    await page.goto(tab);
    await settled(page);
    const form = page.getByRole('form', { name: 'Add an SFTP user' });
    await form.getByLabel('Name', { exact: true }).fill('dev');
    await form.getByLabel('Folder', { exact: true }).fill('var/www');
    await form.getByLabel('An SSH shell').check();
    await form.getByRole('button', { name: 'Add the user' }).click();
    await form.getByText('A user with a shell sees the whole hosting: remove its restriction folder first.').waitFor();
    await form.getByLabel('Folder', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Add the user' }).click();
    await page.getByRole('rowheader', { name: `${h}-dev`, exact: true }).waitFor();
    await settled(page);
    const row = (await rowsOf(page)).find((r) => r[0] === `${h}-dev`)!;
    assert.match(row[1]!, new RegExp(`ssh -p ${port} ${h}-dev@192\\.0\\.2\\.10`));
    assert.equal(row[3], 'password · SSH shell');
    assert.equal((await m.api('GET', `/api/v1/sftp-users/${h}-dev`)).body.shell, true);
    // taken back from the edit form
    await page.getByRole('button', { name: `Change the SFTP user ${h}-dev` }).click();
    const edit = page.getByRole('form', { name: `Change ${h}-dev` });
    await edit.getByLabel('An SSH shell').uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await settled(page);
    assert.equal((await m.api('GET', `/api/v1/sftp-users/${h}-dev`)).body.shell, false);
    assert.deepEqual(await missingKeys(page), []);
  });

  await step('another customer’s owner gets “not found” at the address typed by hand', async () => {
    const other = await openPage(browser, { locale: 'en-GB' });
    await logIn(other.page, m.url, 'owner@bravo.test', 'correct horse battery');
    await other.page.goto(tab);
    await heading(other.page, 'Not found');
    assert.doesNotMatch(await other.page.locator('body').innerText(), new RegExp(`${h}-`));
  });
});
