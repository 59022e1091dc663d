// In the browser (Chromium): staff set the FEC's SIREN, bank account and Factur-X on the billing settings page, then
// download the CSV and the FEC of a range from the invoices page (the files a browser saves, read
// back); a reversed range is said next to its field; the same page in French. Accessible pages, no
// missing translation, no console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage } from './helpers/browser.js';
import { fecEntries, parseCsv } from './helpers/billing-exports.js';
import type { Page } from 'playwright-core';

const today = new Date().toISOString().slice(0, 10);

async function downloaded(page: Page, button: string) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
}

test('accounting exports in the browser: settings, CSV and FEC downloads, in English and French', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const offer = (await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 1250 })).body;
  const customer = (await m.api('POST', '/api/v1/customers', { name: 'Les Jardins', contactEmail: 'contact@jardins.test', postalAddress: '3 allée des Tilleuls\n75011 Paris' })).body;
  const hosting = (await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id })).body;
  assert.equal((await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon' })).status, 200);
  const invoice = (await m.api('POST', '/api/v1/invoices', { hostingId: hosting.id })).body;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { locale: 'en-GB' });

  await t.test('staff set the SIREN and Factur-X', async () => {
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/staff/billing`);
    await heading(page, 'Billing settings');
    await page.getByRole('heading', { name: 'Accounting and Factur-X' }).waitFor();
    assert.equal(await page.getByLabel('Customers account').inputValue(), '411');
    await page.getByLabel('SIREN', { exact: true }).fill('55210055');
    await page.getByRole('button', { name: 'Apply the accounting settings' }).click();
    await page.getByText('must be a SIREN: 9 digits').or(page.getByTestId('field-error')).first().waitFor();
    await page.getByLabel('SIREN', { exact: true }).fill('552 100 554');
    assert.equal(await page.getByLabel('Bank account').inputValue(), '512');
    await page.getByLabel('Bank account').fill('5121');
    await page.getByLabel('Factur-X invoices').check();
    await page.getByRole('button', { name: 'Apply the accounting settings' }).click();
    await page.getByRole('button', { name: 'Apply the accounting settings' }).and(page.locator(':enabled')).waitFor();
    await assertAccessible(page, 'accounting settings');
    const seller = (await m.api('GET', '/api/v1/billing/seller')).body;
    assert.deepEqual([seller.siren, seller.facturX, seller.revenueAccount, seller.bankAccount], ['552100554', true, '706', '5121']);
  });

  await t.test('staff download the CSV and the FEC of a range; a reversed range is refused', async () => {
    await page.goto(`${m.url}/invoices`);
    await page.getByRole('heading', { name: 'Accounting exports' }).waitFor();
    assert.equal(await page.getByLabel('From').inputValue(), `${today.slice(0, 4)}-01-01`, 'from the first day of the year');
    const csv = await downloaded(page, 'Download the CSV');
    assert.equal(csv.name, `invoices-${today.slice(0, 4)}-01-01-${today}.csv`);
    assert.deepEqual(parseCsv(csv.text).map((r) => [r.number, r.total]), [[invoice.number, '12.50']]);
    await page.getByLabel('FEC columns separated by').selectOption('pipe');
    const fec = await downloaded(page, 'Download the FEC');
    assert.equal(fec.name, `552100554FEC${today.replace(/-/g, '')}.txt`);
    assert.equal(fecEntries(fec.text, '|').entries.size, 1);
    await page.getByLabel('To (included)').fill('2019-12-31');
    await page.getByRole('button', { name: 'Download the CSV' }).click();
    await page.getByText('The range ends before it starts.').waitFor();
    await assertAccessible(page, 'invoices with exports');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });

  await t.test('the same in French', async () => {
    await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'admin@abri.test').execute();
    const fr = await openPage(browser, { locale: 'fr-FR' });
    await logIn(fr.page, m.url, 'admin@abri.test', 'correct horse battery');
    await fr.page.goto(`${m.url}/invoices`);
    await fr.page.getByRole('heading', { name: 'Exports comptables' }).waitFor();
    await fr.page.getByLabel('Du', { exact: true }).fill('2010-01-01');
    await fr.page.getByRole('button', { name: 'Télécharger le CSV' }).click();
    await fr.page.getByText(/Un export va d'un jour à un jour ultérieur/).waitFor(); // the API's problem, translated
    await fr.page.goto(`${m.url}/staff/billing`);
    await fr.page.getByRole('heading', { name: 'Comptabilité et Factur-X' }).waitFor();
    assert.equal(await fr.page.getByLabel('Compte de banque').inputValue(), '5121');
    await assertAccessible(fr.page, 'réglages comptables');
    assert.deepEqual(await missingKeys(fr.page), []);
    assert.deepEqual(fr.problems, []);
  });
});
