// The main story in a real browser: staff create a customer, an offer and a hosting, and invite a
// customer user; the customer accepts (keeping the language of the page), adds a site, sees its
// state, moves between its tabs without reloading it, changes its PHP version; and cannot reach
// another customer's hosting by editing the URL. axe-core checks every main page.
import { test } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, logOut, missingKeys, openPage, screenshot, tableRows, type UiPage } from './helpers/browser.js';

const stateLabels: Record<string, string> = { unknown: 'Not provisioned yet', pending: 'Pending', rendered: 'Rendered only', live: 'Live', error: 'Error' };

test('staff and customer journey in the web UI', browserTest(), async (t) => {
  // the manager runs its local agent (render-only into a temporary data directory), as `abri serve` does
  const dataDir = await mkdtemp(join(tmpdir(), 'abri-ui-'));
  const m: TestManager = await startTestManager({ settings: { ABRI_PHP_VERSIONS: '8.2,8.3', ABRI_LOCAL_AGENT: '1', ABRI_DATA_DIR: dataDir, ABRI_RECONCILE_SECONDS: '1' } });
  t.after(async () => {
    await m.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const browser: Browser = await launchBrowser();
  t.after(() => browser.close());
  const staff: UiPage = await openPage(browser);
  const page: Page = staff.page;
  let customerUrl = '';
  let invitation = '';

  await t.test('staff log in with the keyboard only, with a visible focus', async () => {
    await page.goto(`${m.url}/login`);
    await heading(page, 'Log in');
    await page.keyboard.press('Tab'); // language buttons come first in the header
    let guard = 0;
    while (!(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'email')) && guard++ < 10) await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused field shows a focus ring');
    await page.keyboard.type('admin@abri.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');
    await heading(page, 'Customers');
    await assertAccessible(page, 'staff customers list');
  });

  await t.test('staff create a customer; the API’s field errors show next to the field', async () => {
    await page.getByRole('link', { name: 'New customer' }).click();
    await heading(page, 'New customer');
    await page.getByLabel('Name').fill('Les Amis du Jardin');
    await page.getByLabel('Contact email').fill('not an email');
    await page.getByRole('button', { name: 'New customer' }).click();
    const fieldError = page.locator('.field', { has: page.getByLabel('Contact email') }).getByTestId('field-error');
    // by its code when the API gives a specific one (format email), else the API's English sentence
    assert.match(await fieldError.innerText(), /^(Enter an email address, like name@example\.org\.|must be an email address)$/);
    await assertAccessible(page, 'customer form with errors');
    await page.getByLabel('Contact email').fill('bureau@amis-du-jardin.test');
    await page.getByLabel('Postal address').fill('12 rue des Lilas\n44000 Nantes');
    await page.getByRole('button', { name: 'New customer' }).click();
    await heading(page, /^Customer \d+ · Les Amis du Jardin$/);
    customerUrl = new URL(page.url()).pathname;
    assert.match(customerUrl, /^\/customers\/\d+$/, 'a customer’s address holds its number');
  });

  await t.test('staff create an offer', async () => {
    await page.getByRole('link', { name: 'Offers' }).click();
    await page.getByRole('link', { name: 'New offer' }).click();
    await heading(page, 'New offer');
    // the API's defaults are there from the start; every problem is shown at once, the empty name too
    assert.equal(await page.getByLabel('PHP processes at once', { exact: true }).inputValue(), '5');
    assert.equal(await page.getByLabel('PHP memory per process (MB)', { exact: true }).inputValue(), '256');
    await page.getByLabel('Disk (MB)', { exact: true }).fill('lots');
    await page.getByRole('button', { name: 'New offer' }).click();
    const errorOf = (label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).getByTestId('field-error');
    assert.equal(await errorOf('Name').innerText(), 'This field is required.');
    assert.equal(await errorOf('Price per billing cycle').innerText(), 'Enter a number.');
    assert.equal(await errorOf('Disk (MB)').innerText(), 'Enter a number.');
    assert.equal(await errorOf('Sites').innerText(), 'Enter a number.');
    await assertAccessible(page, 'offer form with errors');
    await page.getByLabel('Name').fill('Association 5 Go');
    await page.getByLabel('Price per billing cycle').fill('4.50');
    await page.getByLabel('Billing cycle', { exact: true }).selectOption('yearly');
    for (const [label, value] of [['Disk (MB)', '5000'], ['Sites', '10'], ['Mailboxes', '10'], ['Mail storage (MB)', '5000'], ['Databases', '3'], ['Database storage (MB)', '1000'], ['FTP users', '2']]) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByLabel('PHP versions').fill('8.2, 8.3');
    await page.getByRole('button', { name: 'New offer' }).click();
    await heading(page, 'Offers');
    const rows = await tableRows(page);
    assert.ok(rows.some((r) => r[0] === 'Association 5 Go' && r[1].includes('4.50') && r[2] === '5 GB'), JSON.stringify(rows));
    await assertAccessible(page, 'offers list');
    await screenshot(page, 'staff-offers');
  });

  await t.test('staff create a hosting for the customer with the offer', async () => {
    await page.goto(`${m.url}${customerUrl}`);
    await page.getByRole('link', { name: 'New hosting' }).click();
    await heading(page, 'New hosting');
    await page.getByLabel('Offer', { exact: true }).selectOption({ label: 'Association 5 Go' });
    await page.getByRole('button', { name: 'New hosting' }).click();
    await heading(page, /^Hosting h\d+$/);
    assert.match(new URL(page.url()).pathname, /^\/hostings\/h\d+$/, 'a hosting’s address holds its name');
    assert.match(await page.getByTestId('quota').first().innerText(), /Sites\s+0 of 10/);
    await assertAccessible(page, 'staff hosting page');
  });

  await t.test('staff invite a customer user as owner and get the invitation link', async () => {
    await page.goto(`${m.url}${customerUrl}`);
    await heading(page, /Les Amis du Jardin/);
    const invite = page.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('Email').fill('tresoriere@amis-du-jardin.test');
    await invite.getByLabel('Role').selectOption('owner');
    await invite.getByRole('button', { name: 'Invite' }).click();
    invitation = await page.getByTestId('secret-value').innerText();
    assert.match(invitation, /\/invitation#.{16,}/);
    const person = page.locator('.people li', { hasText: 'tresoriere@amis-du-jardin.test' });
    await person.waitFor();
    assert.match(await person.innerText(), /tresoriere@amis-du-jardin\.test\s+owner\s+invitation not accepted yet/);
    await assertAccessible(page, 'customer page');
    await screenshot(page, 'staff-customer');
    await logOut(page);
  });

  // the invited person reads English: the account it creates keeps English (the API's default is French)
  const customer: UiPage = await openPage(browser, { locale: 'en-GB' });
  const cpage = customer.page;
  let siteUrl = '';

  await t.test('the customer accepts the invitation and sees the dashboard with quota bars', async () => {
    await cpage.goto(`${m.url}/invitation#${invitation.split('#')[1]}`);
    await heading(cpage, 'Welcome to Abri');
    await assertAccessible(cpage, 'invitation page');
    await cpage.getByLabel('New password').fill('tomates et courgettes');
    await cpage.getByLabel('Confirm the password').fill('tomates et courgettes');
    await cpage.getByRole('button', { name: 'Choose this password' }).click();
    await heading(cpage, 'My hostings');
    assert.equal(await cpage.evaluate(() => document.documentElement.lang), 'en', 'the language of the invitation page is kept');
    const users = (await m.api('GET', '/api/v1/users?q=tresoriere')).body.items;
    assert.equal(users[0].locale, 'en', 'and saved on the new account');
    await cpage.getByTestId('quota').first().waitFor();
    const quotas = await cpage.getByTestId('quota').allInnerTexts();
    assert.match(quotas[0], /Sites\s+0 of 10/);
    assert.match(quotas[1], /Disk\s+not measured yet \(up to 5 GB\)/);
    await assertAccessible(cpage, 'customer dashboard');
  });

  await t.test('the customer logs in again and adds a site (field errors first)', async () => {
    await logOut(cpage);
    await logIn(cpage, m.url, 'tresoriere@amis-du-jardin.test', 'tomates et courgettes');
    await heading(cpage, 'My hostings');
    await cpage.locator('.card h3 a').first().click();
    await heading(cpage, /^Hosting h\d+$/);
    await cpage.getByRole('link', { name: 'Add a site' }).click();
    await heading(cpage, /^Add a site to h\d+$/);
    assert.equal(await cpage.getByLabel('Platform address (optional)').count(), 0, 'no platform address without a platform domain');
    assert.ok(await cpage.getByLabel('Always HTTPS (recommended)').isChecked(), 'the recommended HTTPS mode is the default');
    await cpage.getByLabel('Domain').fill('localhost');
    await cpage.getByRole('button', { name: 'Add a site' }).click();
    const domainError = cpage.locator('.field', { has: cpage.getByLabel('Domain') }).getByTestId('field-error');
    await domainError.waitFor();
    assert.equal(await cpage.getByLabel('Domain').getAttribute('aria-invalid'), 'true');
    await cpage.getByLabel('Domain').fill('amis-du-jardin.fr');
    await cpage.getByLabel('Other names (aliases)').fill('www.amis-du-jardin.fr');
    await cpage.getByLabel('PHP version').selectOption('8.2');
    await assertAccessible(cpage, 'site form');
    await screenshot(cpage, 'customer-site-form');
    await cpage.getByRole('button', { name: 'Add a site' }).click();
    await heading(cpage, 'amis-du-jardin.fr');
    siteUrl = new URL(cpage.url()).pathname;
    assert.equal(siteUrl, '/sites/amis-du-jardin.fr', 'a site’s address holds its domain');
  });

  await t.test('the site page shows its render-only state, settings and tabs', async () => {
    // pending at first, then the local render-only agent reports "rendered" and the page updates by itself
    // (it would say "live" on a node that applies configs)
    const state = cpage.locator('.provisioning').first();
    await cpage.locator('.provisioning[data-state="rendered"], .provisioning[data-state="live"]').first().waitFor({ timeout: 30_000 });
    const status = (await state.getAttribute('data-state'))!;
    assert.match(await state.innerText(), new RegExp(`^${stateLabels[status]}`));
    assert.match(await cpage.locator('.section', { hasText: 'State on the servers' }).innerText(), /local\s+Rendered only/);
    assert.doesNotMatch(await cpage.locator('main').innerText(), /no web server:|render-only node:/, 'agent messages are translated');
    if (status === 'rendered') {
      const main = await cpage.locator('main').innerText();
      assert.equal(main.split('render-only server').length - 1, 1, 'the render-only explanation is given once');
    }
    assert.equal(await cpage.getByTestId('site-php').innerText(), 'PHP 8.2');
    await assertAccessible(cpage, 'site page (Web)');
    await screenshot(cpage, 'customer-site');
    // the site is read once for its three tabs; its DNS tab asks for no zone it cannot have
    const asked: string[] = [];
    const notFound: string[] = [];
    const watch = (r: { url(): string; request(): { method(): string }; status(): number }) => {
      if (r.request().method() === 'GET') asked.push(new URL(r.url()).pathname);
      if (r.status() === 404) notFound.push(r.url());
    };
    cpage.on('response', watch);
    await cpage.getByRole('link', { name: 'DNS' }).click();
    await cpage.getByRole('heading', { level: 2, name: 'DNS zone amis-du-jardin.fr' }).waitFor();
    await cpage.getByRole('form', { name: 'Add a record' }).waitFor();
    await assertAccessible(cpage, 'site page (DNS)');
    await cpage.getByRole('link', { name: 'Certificate' }).click();
    assert.equal(await cpage.getByTestId('certificate-status').innerText(), 'Being obtained');
    assert.match(await cpage.locator('.tab-panel').innerText(), /HTTPS mode of this site: Always HTTPS/);
    await assertAccessible(cpage, 'site page (Certificate)');
    await cpage.getByRole('link', { name: 'Web', exact: true }).click();
    await cpage.getByTestId('site-php').waitFor();
    cpage.off('response', watch);
    assert.deepEqual(asked.filter((p) => p === '/api/v1/sites/amis-du-jardin.fr'), [], `the site is not asked again from tab to tab: ${asked.join(' ')}`);
    assert.ok(!asked.some((p) => p.startsWith('/api/v1/zones/www.')), `no zone is asked for by an alias: ${asked.join(' ')}`);
    assert.deepEqual(notFound, []);
    // the removal names the site's other name in words (plural rules, not "name(s)")
    await cpage.getByRole('button', { name: 'Remove this site' }).click();
    const dialog = cpage.getByRole('dialog');
    assert.match(await dialog.innerText(), /amis-du-jardin\.fr and its other name will stop being served/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  await t.test('the customer changes the PHP version and sees the change', async () => {
    await cpage.goto(`${m.url}${siteUrl}`);
    await cpage.getByRole('link', { name: 'Change the settings' }).click();
    await heading(cpage, 'Change amis-du-jardin.fr');
    await cpage.getByLabel('PHP version').selectOption('8.3');
    await cpage.getByRole('button', { name: 'Save' }).click();
    await heading(cpage, 'amis-du-jardin.fr');
    assert.equal(await cpage.getByTestId('site-php').innerText(), 'PHP 8.3');
    const api = await m.api('GET', `/api/v1/sites/amis-du-jardin.fr`);
    assert.equal(api.body.phpVersion, '8.3');
    await cpage.getByRole('link', { name: /^h\d+$/ }).click();
    const rows = await tableRows(cpage);
    assert.deepEqual(rows.map((r) => [r[0], r[3]]), [['amis-du-jardin.fr', '8.3']]);
    assert.ok(Object.values(stateLabels).some((label) => rows[0][5].startsWith(label)), rows[0][5]);
    await assertAccessible(cpage, 'customer hosting page');
    await screenshot(cpage, 'customer-hosting');
  });

  await t.test('a name already used, given as an alias, is refused under Aliases', async (tt) => {
    // the API says which field holds the name in errors[].path; until it names the alias, this is a todo
    const probe = await m.api('POST', `/api/v1/hostings/${(await m.api('GET', '/api/v1/sites/amis-du-jardin.fr')).body.hostingId}/sites`, { domain: 'autre-jardin.fr', aliases: ['www.amis-du-jardin.fr'] });
    const path = probe.body.errors?.[0]?.path as string | undefined;
    if (!path?.startsWith('body.aliases')) tt.todo(`the API puts site.domain_taken of an alias at ${path}`);
    await cpage.goto(`${m.url}${siteUrl}`);
    await cpage.getByRole('link', { name: /^h\d+$/ }).click();
    await cpage.getByRole('link', { name: 'Add a site' }).click();
    await cpage.getByLabel('Domain').fill('autre-jardin.fr');
    await cpage.getByLabel('Other names (aliases)').fill('www.amis-du-jardin.fr');
    await cpage.getByRole('button', { name: 'Add a site' }).click();
    await cpage.getByTestId('form-error').waitFor();
    const aliasError = cpage.locator('.field', { has: cpage.getByLabel('Other names (aliases)') }).getByTestId('field-error');
    assert.equal(await aliasError.count(), path?.startsWith('body.aliases') ? 1 : 0);
    if (path?.startsWith('body.aliases')) assert.equal(await aliasError.innerText(), 'This name is already used by a site on this platform.');
  });

  await t.test('at a full site quota, "Add a site" is not offered, and the page says why', async () => {
    const full = await seedHosting(m, { customer: 'Petit Jardin', offer: { maxSites: 1 } });
    assert.equal((await m.api('POST', `/api/v1/hostings/${full.hosting.id}/sites`, { domain: 'petit-jardin.test' })).status, 201);
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${full.hosting.name}`);
    await heading(page, `Hosting ${full.hosting.name}`);
    await page.getByTestId('sites-full').waitFor();
    assert.match(await page.getByTestId('sites-full').innerText(), /has the one site its offer “Offer \w+” allows/);
    assert.equal(await page.getByRole('link', { name: 'Add a site' }).count(), 0);
    await assertAccessible(page, 'hosting at its site quota');
  });

  await t.test('another customer’s hosting, site or customer answers "Not found" in the UI', async () => {
    const other = await seedHosting(m, { customer: 'Someone Else' });
    const otherSite = (await m.api('POST', `/api/v1/hostings/${other.hosting.id}/sites`, { domain: 'someone-else.test' })).body;
    for (const path of [`/hostings/${other.hosting.id}`, `/hostings/${other.hosting.name}`, `/sites/${otherSite.id}`, `/customers/${other.customer.id}`, '/staff/customers']) {
      await cpage.goto(`${m.url}${path}`);
      await heading(cpage, 'Not found');
      assert.doesNotMatch(await cpage.locator('main').innerText(), /someone/i, path);
    }
  });

  await t.test('API tokens: created once, then revoked with confirmation', async () => {
    await cpage.goto(`${m.url}/account`);
    await heading(cpage, 'My account');
    const form = cpage.getByRole('form', { name: 'Create a token' });
    await form.getByLabel('Name').fill('backup script');
    await form.getByRole('button', { name: 'Create the token' }).click();
    assert.match(await cpage.getByTestId('secret-value').innerText(), /^abri_/);
    await assertAccessible(cpage, 'account page');
    await screenshot(cpage, 'customer-account');
    await cpage.getByRole('row', { name: /backup script/ }).getByRole('button', { name: 'Revoke' }).click();
    const dialog = cpage.getByRole('dialog', { name: 'Revoke the token “backup script”?' });
    assert.match(await dialog.innerText(), /Scripts using “backup script” will stop working at once/);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await cpage.getByText('No token.').waitFor();
  });

  await t.test('no missing translation and no page error along the way', async () => {
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(await missingKeys(cpage), []);
    assert.deepEqual([...staff.problems, ...customer.problems], []);
  });
});
