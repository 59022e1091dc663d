// The databases tab of a hosting in a real browser against a real manager (no MariaDB here: the
// database server is registered, its objects stay "pending"; test/agent-databases.test.ts applies
// them for real). A customer's owner creates a database with its user and sees the password once (the
// manager keeps only its hash), creates a second database and user, grants, resets a password, is
// refused past the offer's maxDatabases in English and in French, sees sizes and the read-only state
// over the database space, and removes; the quota bars count. A read-only person and a suspended
// hosting show the lists without the actions; another customer's owner gets "not found".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { recordDatabaseUsage } from '../src/databases/operations-usage.js';
import { authString, MB } from '../src/databases/rules.js';

/** Text as read, its spaces made plain (French puts narrow no-break spaces before units). */
const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
const quotas = async (page: Page) => (await page.getByTestId('database-quotas').getByTestId('quota').allInnerTexts()).map(plain);
/** The rows of the table of a section (named by its title), as arrays of cell texts. */
const rowsOf = async (page: Page, caption: RegExp) => {
  const section = page.getByRole('region', { name: caption }).first();
  await section.locator('table:not([aria-busy="true"]) tbody tr').first().waitFor();
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.filter((r) => !r.querySelector('td.empty')).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
  return rows.map((r) => r.map(plain));
};

async function switchTo(page: Page, locale: 'fr' | 'en') {
  await page.getByRole('banner').getByTestId(`lang-${locale}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

test('a hosting’s databases and database users in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const db = m.manager.app.db;
  const { customer, offer, hosting } = await seedHosting(m, { customer: 'Alpha', offer: { maxDatabases: 2, databaseMb: 10 } });
  const bravo = await seedHosting(m, { customer: 'Bravo' });
  await m.user('owner@alpha.test');
  assert.equal((await m.join(customer.id, 'owner@alpha.test', 'owner')).status, 201);
  await m.user('reader@alpha.test');
  assert.equal((await m.join(customer.id, 'reader@alpha.test', 'readonly')).status, 201);
  await m.user('owner@bravo.test');
  assert.equal((await m.join(bravo.customer.id, 'owner@bravo.test', 'owner')).status, 201);
  const server = (await m.api('POST', '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.50'] })).body;
  const h = hosting.name as string;
  const tab = `${m.url}/hostings/${h}/databases`;
  const hashOf = async (name: string) => (await db.selectFrom('databaseUsers').select('authString').where('name', '=', name).executeTakeFirstOrThrow()).authString;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));
  const secret = () => page.getByTestId('secret-value').innerText();
  let firstPassword = '';

  await step('the owner opens the Databases tab of the hosting: empty lists, quota bars at 0, no server chosen yet', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}`);
    await heading(page, `Hosting ${h}`);
    await page.getByRole('navigation', { name: 'Parts of the hosting' }).getByRole('link', { name: 'Databases' }).click();
    await page.getByTestId('database-quotas').waitFor();
    await settled(page);
    assert.deepEqual(await quotas(page), ['Databases 0 of 2', 'Database users 0 of 2', 'Database space 0 byte of 10 MB']);
    assert.match(await page.locator('main').innerText(), /The database server is chosen when the first database or user is created/);
    assert.deepEqual(await rowsOf(page, /^Databases$/), []);
    await assertAccessible(page, 'empty databases tab');
  });

  await step('a database with its user: the full name is shown as it is typed, the password once, only its hash is kept', async () => {
    const form = page.getByRole('form', { name: 'Create a database', exact: true });
    await form.getByLabel('Name', { exact: true }).fill('Mon WP');
    await form.getByRole('button', { name: 'Create the database' }).click();
    assert.equal(await form.getByTestId('field-error').innerText(), 'Lower-case letters (a-z), digits and _ only.');
    await form.getByLabel('Name', { exact: true }).fill('wp');
    assert.match(await form.locator('.field', { has: page.getByLabel('Name', { exact: true }) }).locator('.hint').innerText(), new RegExp(`the database is named ${h}_wp\\.`));
    await form.getByLabel('Also create a user of the same name with every privilege on it').check();
    await form.getByRole('button', { name: 'Create the database' }).click();
    await page.getByText(`Password of ${h}_wp`, { exact: true }).waitFor();
    firstPassword = await secret();
    assert.match(firstPassword, /^[A-Za-z0-9]{24}$/);
    assert.equal(await hashOf(`${h}_wp`), authString(firstPassword), 'the password shown is the user’s');
    await settled(page);
    const [row] = await rowsOf(page, /^Databases$/);
    assert.deepEqual(row!.slice(0, 4), [`${h}_wp`, 'not measured yet', `${h}_wp`, 'Pending']);
    assert.deepEqual(await quotas(page), ['Databases 1 of 2', 'Database users 1 of 2', 'Database space not measured yet (up to 10 MB)']);
    const connection = plain(await page.getByTestId('database-connection').innerText());
    assert.equal(connection, 'Host 192.0.2.50 Port 3306');
    await assertAccessible(page, 'databases tab with a password shown');
    await screenshot(page, 'databases-tab-en');
  });

  await step('a second database, and a second user given it in the checklist, its password shown once', async () => {
    const form = page.getByRole('form', { name: 'Create a database', exact: true });
    await form.getByLabel('Name', { exact: true }).fill('shop');
    await form.getByRole('button', { name: 'Create the database' }).click();
    await page.getByRole('rowheader', { name: `${h}_shop`, exact: true }).waitFor();
    const users = page.getByRole('form', { name: 'Create a database user' });
    await users.getByLabel('Name', { exact: true }).fill('shopper');
    await users.getByLabel(`${h}_shop`, { exact: true }).check();
    await users.getByRole('button', { name: 'Create the user' }).click();
    await page.getByText(`Password of ${h}_shopper`, { exact: true }).waitFor();
    assert.equal(await hashOf(`${h}_shopper`), authString(await secret()));
    await settled(page);
    assert.deepEqual((await rowsOf(page, /^Database users$/)).map((r) => r.slice(0, 2)), [[`${h}_shopper`, `${h}_shop`], [`${h}_wp`, `${h}_wp`]]);
    assert.deepEqual((await quotas(page)).slice(0, 2), ['Databases 2 of 2', 'Database users 2 of 2']);
  });

  await step('granting: the second user is given the first database too', async () => {
    await page.getByRole('button', { name: `Choose the databases of ${h}_shopper` }).click();
    const grants = page.getByRole('form', { name: `Databases ${h}_shopper may use` });
    assert.ok(await grants.getByLabel(`${h}_shop`, { exact: true }).isChecked());
    await grants.getByLabel(`${h}_wp`, { exact: true }).check();
    await grants.getByRole('button', { name: 'Save the databases' }).click();
    await grants.waitFor({ state: 'detached' });
    await settled(page);
    const shopper = (await m.api('GET', `/api/v1/database-users/${h}_shopper`)).body;
    assert.deepEqual([...shopper.databases].sort(), [`${h}_shop`, `${h}_wp`]);
    assert.deepEqual((await rowsOf(page, /^Database users$/))[0]!.slice(0, 2), [`${h}_shopper`, `${h}_shop, ${h}_wp`]);
  });

  await step('a new password for the first user, after a confirmation, shown once', async () => {
    await page.getByRole('button', { name: `Give ${h}_wp a new password` }).click();
    const dialog = page.getByRole('dialog', { name: `Give ${h}_wp a new password?` });
    assert.match(await dialog.innerText(), /stops working as soon as the server applies the change/);
    await dialog.getByRole('button', { name: 'Yes, make a new password' }).click();
    await page.getByText(`Password of ${h}_wp`, { exact: true }).waitFor();
    await page.waitForFunction((old) => document.querySelector('[data-testid="secret-value"]')?.textContent !== old, firstPassword);
    const second = await secret();
    assert.notEqual(second, firstPassword);
    assert.equal(await hashOf(`${h}_wp`), authString(second));
  });

  await step('past the offer’s maxDatabases the refusal is said in English, then in French', async () => {
    assert.match(plain(await page.getByTestId('databases-full').innerText()), new RegExp(`has the 2 databases its offer “${offer.name}” allows`));
    const form = page.getByRole('form', { name: 'Create a database', exact: true });
    await form.getByLabel('Name', { exact: true }).fill('extra');
    await form.getByRole('button', { name: 'Create the database' }).click();
    assert.equal(await form.getByTestId('form-error').innerText(), `The offer “${offer.name}” allows 2 databases per hosting.`);
    await switchTo(page, 'fr');
    const fr = page.getByRole('form', { name: 'Créer une base de données', exact: true });
    await fr.getByRole('button', { name: 'Créer la base' }).click();
    await fr.getByTestId('form-error').getByText(`L’offre « ${offer.name} » permet 2 bases par hébergement.`).waitFor();
    const users = page.getByRole('form', { name: 'Créer un utilisateur de bases' });
    await users.getByLabel('Nom', { exact: true }).fill('third');
    await users.getByRole('button', { name: 'Créer l’utilisateur' }).click();
    await users.getByTestId('form-error').getByText(`L’offre « ${offer.name} » permet 2 utilisateurs de bases par hébergement.`).waitFor();
    await assertAccessible(page, 'databases tab with errors (fr)');
  });

  await step('measured sizes over the database space: the bar, the sizes and why writes are refused, in French', async () => {
    const [wp, shop] = [(await m.api('GET', `/api/v1/databases/${h}_wp`)).body, (await m.api('GET', `/api/v1/databases/${h}_shop`)).body];
    await recordDatabaseUsage(m.manager.app, server.id, [{ kind: 'database', id: wp.id, bytes: 6 * MB }, { kind: 'database', id: shop.id, bytes: 5 * MB }]);
    await page.reload();
    await page.getByTestId('database-read-only').waitFor();
    await settled(page);
    assert.match(plain(await page.getByTestId('database-read-only').innerText()), /occupent 11 Mo sur les 10 Mo que permet son offre .* repassent sous 9 Mo/);
    assert.equal((await quotas(page))[2], 'Espace des bases 11 Mo sur 10 Mo');
    const rows = await rowsOf(page, /^Bases de données$/);
    assert.deepEqual(rows.map((r) => r.slice(0, 2)), [[`${h}_shop`, '5 Mo'], [`${h}_wp`, '6 Mo']]);
    assert.ok(rows.every((r) => r[3]!.includes('Lecture seule')), JSON.stringify(rows));
    await assertAccessible(page, 'read-only databases (fr)');
    await screenshot(page, 'databases-read-only-fr');
  });

  await step('removing a user and a database, each after a confirmation', async () => {
    await page.getByRole('button', { name: `Supprimer l’utilisateur de bases ${h}_shopper` }).click();
    const userDialog = page.getByRole('dialog', { name: `Supprimer l’utilisateur de bases ${h}_shopper ?` });
    await userDialog.getByRole('button', { name: 'Oui, supprimer l’utilisateur' }).click();
    await userDialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: `Supprimer la base ${h}_shop` }).click();
    const dialog = page.getByRole('dialog', { name: `Supprimer la base ${h}_shop ?` });
    assert.match(await dialog.innerText(), /toutes ses tables et ses données/);
    await dialog.getByRole('button', { name: 'Oui, supprimer la base et ses tables' }).click();
    await page.getByRole('button', { name: `Supprimer la base ${h}_shop` }).waitFor({ state: 'detached' });
    await settled(page);
    assert.deepEqual((await rowsOf(page, /^Bases de données$/)).map((r) => r[0]), [`${h}_wp`]);
    assert.deepEqual((await rowsOf(page, /^Utilisateurs de bases$/)).map((r) => r[0]), [`${h}_wp`]);
    assert.deepEqual((await quotas(page)).slice(0, 2), ['Bases de données 1 sur 2', 'Utilisateurs de bases 1 sur 2']);
    assert.equal((await m.api('GET', `/api/v1/hostings/${h}/databases`)).body.total, 1);
    await page.getByRole('navigation', { name: 'Parties de l’hébergement' }).getByRole('link', { name: 'Sites et quotas' }).click();
    await settled(page);
    assert.match((await page.getByTestId('quota').allInnerTexts()).join('|').replace(/\s+/g, ' '), /Bases de données 1 sur 2/, 'the hosting’s own bars count its databases');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(ui.problems, []);
  });

  const writeActions = (p: Page) =>
    p.locator('main').getByRole('button', { name: /^(Create the database|Create the user|Remove the database|Give .* a new password|Choose the databases of)/ }).count();

  await step('a read-only person sees the lists without the actions', async () => {
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'reader@alpha.test', 'correct horse battery');
    await reader.page.goto(tab);
    await reader.page.getByTestId('database-quotas').waitFor();
    await settled(reader.page);
    assert.deepEqual((await rowsOf(reader.page, /^Databases$/)).map((r) => r[0]), [`${h}_wp`]);
    assert.equal(await writeActions(reader.page), 0);
    assert.deepEqual(reader.problems, []);
  });

  await step('a suspended hosting: its owner sees the lists without the actions', async () => {
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/suspend`, {})).status, 200);
    await switchTo(page, 'en');
    await page.goto(tab);
    await page.getByTestId('read-only-notice').waitFor();
    await settled(page);
    assert.deepEqual((await rowsOf(page, /^Databases$/)).map((r) => r[0]), [`${h}_wp`]);
    assert.equal(await writeActions(page), 0);
  });

  await step('another customer’s owner gets “not found” at the address typed by hand, and sees only its own hosting', async () => {
    const other = await openPage(browser, { locale: 'en-GB' });
    await logIn(other.page, m.url, 'owner@bravo.test', 'correct horse battery');
    await other.page.goto(tab);
    await heading(other.page, 'Not found');
    assert.doesNotMatch(await other.page.locator('body').innerText(), new RegExp(`${h}_`));
    await other.page.goto(`${m.url}/hostings/${bravo.hosting.name}/databases`);
    await other.page.getByTestId('database-quotas').waitFor();
    await settled(other.page);
    assert.deepEqual(await rowsOf(other.page, /^Databases$/), []);
    assert.deepEqual(await rowsOf(other.page, /^Database users$/), []);
    assert.deepEqual(await missingKeys(other.page), []);
  });
});
