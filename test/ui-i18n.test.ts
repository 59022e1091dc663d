// French and English: every main page is read in English, switched to French and back; no string of
// the other language may remain, nothing may stay untranslated, and no catalog key may be missing.
// The choice is saved on the user. axe-core also checks each page in French.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { assertAccessible, browserTest, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { compareLanguages, untranslatedErrorCodes, visibleTexts } from './helpers/i18n-check.js';
import { apiRoutes } from '../src/routes.js';
import { openApiDocument } from '../src/platform/http/openapi.js';

async function switchTo(page: Page, locale: 'fr' | 'en') {
  await page.getByRole('banner').getByTestId(`lang-${locale}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
  await settled(page);
}

/** Opens a page in English, reads it, switches to French, reads it, and back. */
async function checkPage(ui: UiPage, url: string, data: string[], shot?: string) {
  await withEvidence(ui, url, () => readBothLanguages(ui.page, url, data, shot));
}

async function readBothLanguages(page: Page, url: string, data: string[], shot?: string) {
  await page.goto(url);
  await settled(page);
  if ((await page.evaluate(() => document.documentElement.lang)) !== 'en') await switchTo(page, 'en');
  const texts = { en: await visibleTexts(page), fr: [] as string[] };
  await switchTo(page, 'fr');
  texts.fr = await visibleTexts(page);
  await assertAccessible(page, `${url} (fr)`);
  if (shot) await screenshot(page, shot);
  await switchTo(page, 'en');
  const back = await visibleTexts(page);
  const report = compareLanguages(texts, data);
  assert.deepEqual(report.fr, { foreign: [], unchanged: [] }, `${url} in French`);
  assert.deepEqual(report.en, { foreign: [], unchanged: [] }, `${url} in English`);
  assert.deepEqual(back, texts.en, `${url}: back in English, the same texts as before`);
  assert.deepEqual(await missingKeys(page), [], `${url}: missing translation keys`);
}

test('every error code the API declares has an English and a French text', () => {
  const doc = openApiDocument(apiRoutes, { version: 'test', serverUrl: '/' }) as unknown as Parameters<typeof untranslatedErrorCodes>[0];
  const { en, fr, declared } = untranslatedErrorCodes(doc);
  assert.ok(declared.length > 20, `the document declares error codes (${declared.length})`);
  assert.deepEqual(en, [], 'codes without an English text (ui/src/i18n/en/errors.ts)');
  assert.deepEqual(fr, [], 'codes without a French text (ui/src/i18n/fr/errors.ts)');
});

// the three page walks use their own browser contexts and users and only read: they run side by side
test('every main page translates between English and French', { ...browserTest(), concurrency: 3 }, async (t) => {
  const m = await startTestManager({ settings: { ABRI_PHP_VERSIONS: '8.2,8.3' } });
  t.after(() => m.close());
  const { customer, offer, hosting } = await seedHosting(m, { customer: 'Crèche Les Lutins', offer: { phpVersions: ['8.2', '8.3'] } });
  const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'crèche-les-lutins.fr', aliases: ['www.crèche-les-lutins.fr'] })).body;
  const client = await m.user('parent@lutins.test', 'customer');
  assert.equal((await m.join(customer.id, 'parent@lutins.test', 'owner')).status, 201);
  await m.join(customer.id, 'invited@lutins.test', 'readonly');
  // invitations waiting for their answer: a new person's link (its page asks for a password) and an existing account's
  const waiting = (await m.api('POST', `/api/v1/customers/${customer.id}/invitations`, { email: 'nouveau@lutins.test', role: 'manager' })).body;
  const other = (await m.api('POST', '/api/v1/customers', { name: 'Potager', contactEmail: 'potager@asso.test' })).body;
  const forAccount = (await m.api('POST', `/api/v1/customers/${other.id}/invitations`, { email: 'parent@lutins.test', role: 'readonly' })).body;
  const secret = (link: string) => new URL(link).hash.slice(1);
  await m.api('POST', '/api/v1/servers', { name: 'web1', roles: ['web'], addresses: ['192.0.2.10'] });
  // the Mail tab with a domain, a mailbox and an alias
  await m.api('POST', '/api/v1/servers', { name: 'mail1', roles: ['mail'], addresses: ['192.0.2.25'] });
  const mailDomain = (await m.api('POST', `/api/v1/hostings/${hosting.id}/mail-domains`, { name: site.domain })).body;
  await m.api('POST', `/api/v1/mail-domains/${mailDomain.id}/mailboxes`, { localPart: 'bureau', quotaMb: 100 });
  await m.api('POST', `/api/v1/mail-domains/${mailDomain.id}/aliases`, { localPart: 'contact', destinations: [`bureau@${site.domain}`] });
  const zone = (await m.api('GET', `/api/v1/zones/${site.domain}`)).body;
  const data = ['Crèche Les Lutins', 'Potager', offer.name, 'contact@asso.test', 'Starter', 'test', 'web1', 'mail1', 'localhost', 'Mozilla'];
  const job = (await m.api('GET', '/api/v1/jobs?limit=1')).body.items[0];
  assert.ok(job, 'the site’s certificate has a job');

  const browser = await launchBrowser();
  t.after(() => browser.close());

  const walks = [t.test('pages before logging in', async () => {
    const ui = await openPage(browser);
    for (const path of ['/login', '/setup', '/invitation', `/invitation#${secret(waiting.invitationUrl)}`, `/invitation#${secret(forAccount.invitationUrl)}`, '/invitation#not-a-link']) {
      await checkPage(ui, `${m.url}${path}`, data, path === '/login' ? 'login-fr' : undefined);
    }
  }),

  t.test('customer pages', async () => {
    const ui = await openPage(browser);
    const { page, problems } = ui;
    await withEvidence(ui, 'customer login', () => logIn(page, m.url, 'parent@lutins.test', 'correct horse battery'));
    const pages: Array<[string, string?]> = [
      ['/', 'customer-dashboard-fr'], [`/hostings/${hosting.id}`], [`/hostings/${hosting.id}/databases`], [`/hostings/${hosting.id}/sftp`], [`/hostings/${hosting.id}/ftp`], [`/hostings/${hosting.id}/mail`], [`/hostings/${hosting.id}/sites/new`], [`/sites/${site.id}`, 'customer-site-fr'],
      [`/sites/${site.id}/dns`], [`/sites/${site.id}/certificate`], [`/sites/${site.id}/edit`], [`/customers/${customer.id}`, 'customer-people-fr'], ['/account'],
      [`/invitation#${secret(forAccount.invitationUrl)}`, 'invitation-consent-fr'],
      [`/hostings/00000000-0000-0000-0000-000000000000`],
    ];
    for (const [path, shot] of pages) await checkPage(ui, `${m.url}${path}`, data, shot);
    assert.deepEqual(problems, []);
  }),

  t.test('staff pages', async () => {
    const ui = await openPage(browser);
    const { page, problems } = ui;
    await withEvidence(ui, 'staff login', () => logIn(page, m.url, 'admin@abri.test', 'correct horse battery'));
    const pages: Array<[string, string?]> = [
      ['/staff/customers'], ['/staff/customers/new'], [`/customers/${customer.id}`], [`/customers/${customer.id}/edit`], ['/staff/offers', 'staff-offers-fr'],
      ['/staff/offers/new'], [`/staff/offers/${offer.id}`], ['/staff/hostings'], ['/staff/hostings/new'], [`/hostings/${hosting.id}`, 'staff-hosting-fr'], [`/hostings/${hosting.id}/databases`],
      ['/staff/servers', 'staff-servers-fr'], ['/staff/servers/new'], ['/staff/zones'], [`/staff/zones/${zone.id}`, 'staff-zone-fr'], ['/staff/certificates', 'staff-certificates-fr'],
      ['/staff/users'], ['/staff/audit', 'staff-audit-fr'], ['/staff/jobs', 'staff-jobs-fr'], [`/staff/jobs/${job.id}`, 'staff-job-fr'], ['/account'], ['/staff/work-channels'],
      [`/invitation#${secret(forAccount.invitationUrl)}`],
    ];
    for (const [path, shot] of pages) await checkPage(ui, `${m.url}${path}`, data, shot);
    assert.deepEqual(problems, []);
  })];
  await Promise.all(walks);

  await t.test('the chosen language is saved on the user and used at the next login', async () => {
    const { page } = await openPage(browser, { locale: 'en-GB' });
    await logIn(page, m.url, 'parent@lutins.test', 'correct horse battery');
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH'),
      switchTo(page, 'fr'),
    ]);
    assert.equal((await m.api('GET', `/api/v1/users/${client.id}`)).body.locale, 'fr');
    const fresh = await openPage(browser, { locale: 'en-GB' });
    await logIn(fresh.page, m.url, 'parent@lutins.test', 'correct horse battery');
    await fresh.page.getByRole('heading', { level: 1, name: 'Mes hébergements' }).waitFor();
    assert.equal(await fresh.page.evaluate(() => document.documentElement.lang), 'fr');
    assert.match(await fresh.page.locator('.quota-value').first().innerText(), /^1 sur 3$/);
  });

  await t.test('a browser in French shows French from the first screen', async () => {
    const { page } = await openPage(browser, { locale: 'fr-FR' });
    await page.goto(`${m.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  });
});
