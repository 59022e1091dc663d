// In the browser (Chromium): staff fill in the seller's settings, issue a hosting's invoice from its
// page and credit it (in English); the customer, whose hosting is suspended, lists its invoices and
// downloads the PDF (in French). Accessible pages, no missing translation, no console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';

test('billing in the browser: seller settings, issue and credit, the customer downloads', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const offer = (await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 1250 })).body;
  const customer = (await m.api('POST', '/api/v1/customers', { name: 'Les Jardins', contactEmail: 'contact@jardins.test', postalAddress: '3 allée des Tilleuls\n75011 Paris' })).body;
  const hosting = (await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id })).body;
  await m.user('claire@jardins.test');
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  assert.equal((await m.join(customer.id, 'claire@jardins.test', 'owner')).status, 201);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const staff = await openPage(browser, { locale: 'en-GB' });
  let number = '';

  await t.test('staff fill in the seller\'s settings', async () => {
    await logIn(staff.page, m.url, 'admin@abri.test', 'correct horse battery');
    await staff.page.goto(`${m.url}/staff/billing`);
    await heading(staff.page, 'Billing settings');
    await staff.page.getByText('Fill in at least the name and the address').waitFor();
    await assertAccessible(staff.page, 'seller settings');
    await staff.page.getByLabel('Legal name').fill('Hébergeurs Associés');
    await staff.page.getByLabel('Address').fill('12 place de la Mairie\n69001 Lyon');
    await staff.page.getByLabel('RNA / SIREN number').fill('W691234567');
    await staff.page.getByRole('button', { name: 'Save' }).click();
    await staff.page.getByText('What every new invoice says about you').waitFor();
    const seller = (await m.api('GET', '/api/v1/billing/seller')).body;
    assert.equal(seller.address, '12 place de la Mairie\n69001 Lyon');
    assert.equal(seller.vatMode, 'franchise');
  });

  await t.test('staff issue the hosting\'s invoice from its page, then credit it', async () => {
    await staff.page.goto(`${m.url}/hostings/${hosting.name}`);
    await staff.page.getByTestId('service').waitFor();
    await staff.page.getByRole('button', { name: 'Issue the next invoice now' }).click();
    await heading(staff.page, /^Invoice F\d{4}-000001$/);
    number = (await staff.page.getByRole('heading', { level: 1 }).innerText()).replace('Invoice ', '');
    await staff.page.getByText('TVA non applicable, art. 293 B du CGI').waitFor();
    await assertAccessible(staff.page, 'invoice');
    await screenshot(staff.page, 'invoice-en');
    await staff.page.getByLabel('Reason').fill('Wrong price');
    await staff.page.getByRole('button', { name: 'Issue the credit note' }).click();
    await heading(staff.page, /^Credit note A\d{4}-000001$/);
    await staff.page.getByRole('link', { name: number }).waitFor();
    assert.deepEqual(await missingKeys(staff.page), []);
    assert.deepEqual(staff.problems, []);
  });

  await t.test('the customer, suspended, lists its invoices and downloads the PDF', async () => {
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/suspend`, {})).status, 200);
    const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
    await logIn(page, m.url, 'claire@jardins.test', 'correct horse battery');
    await page.getByRole('link', { name: 'Factures' }).first().click();
    await heading(page, 'Factures');
    await page.getByRole('link', { name: number, exact: true }).waitFor();
    await assertAccessible(page, 'invoices (fr)');
    await screenshot(page, 'invoices-fr');
    const href = await page.getByRole('link', { name: `Télécharger ${number} en PDF` }).getAttribute('href');
    const pdf = await page.context().request.get(`${m.url}${href}`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });
});
