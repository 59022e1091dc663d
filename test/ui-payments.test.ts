// In the browser (Chromium): staff give the seller's IBAN (a wrong one refused next to its field),
// then on an invoice's page record a cheque in part, are refused more than the balance, record the
// rest as a bank transfer, credit it and record the refund (in English); the customer (in French)
// sees the invoice paid with its payments and no form; another customer finds no such invoice.
// Accessible pages, no missing translation, no console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';

test('payments in the browser: staff record a cheque and a transfer, then a refund; the customer sees them', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const offer = (await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 3000 })).body;
  const customer = async (name: string, email: string) => {
    const c = (await m.api('POST', '/api/v1/customers', { name, contactEmail: email, postalAddress: '3 allée des Tilleuls\n75011 Paris' })).body;
    const h = (await m.api('POST', '/api/v1/hostings', { customerId: c.id, offerId: offer.id })).body;
    await m.user(email);
    await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', email).execute();
    assert.equal((await m.join(c.id, email, 'owner')).status, 201);
    return h;
  };
  const hosting = await customer('Les Jardins', 'claire@jardins.test');
  await customer('Autre Asso', 'paul@autre.test');
  assert.equal((await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon' })).status, 200);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const staff = await openPage(browser, { locale: 'en-GB' });
  let number = '';

  await t.test('staff give the seller\'s IBAN; a wrong one is refused next to its field', async () => {
    await logIn(staff.page, m.url, 'admin@abri.test', 'correct horse battery');
    await staff.page.goto(`${m.url}/staff/billing`);
    await heading(staff.page, 'Billing settings');
    await staff.page.getByLabel('Account number (IBAN)').fill('FR76 3000 6000 0112 3456 7890 188');
    await staff.page.getByRole('button', { name: 'Save' }).click();
    await staff.page.getByText('This IBAN is not valid').waitFor();
    await staff.page.getByLabel('Account number (IBAN)').fill('FR76 3000 6000 0112 3456 7890 189');
    await staff.page.getByLabel('Bank code (BIC)').fill('AGRIFRPP');
    await staff.page.getByRole('button', { name: 'Save' }).click();
    await staff.page.getByText('What every new invoice says about you').waitFor();
    const seller = (await m.api('GET', '/api/v1/billing/seller')).body;
    assert.deepEqual([seller.iban, seller.bic], ['FR7630006000011234567890189', 'AGRIFRPP']);
  });

  await t.test('staff record a cheque in part, are refused more than the balance, record the rest by transfer', async () => {
    number = (await m.api('POST', '/api/v1/invoices', { hostingId: hosting.id })).body.number;
    await staff.page.goto(`${m.url}/invoices/${number}`);
    await heading(staff.page, `Invoice ${number}`);
    const balance = staff.page.getByTestId('invoice-balance');
    await balance.getByText('Unpaid').waitFor();
    await staff.page.getByTestId('transfer').getByText('FR76 3000 6000 0112 3456 7890 189').waitFor();
    await staff.page.getByText('No payment recorded yet.').waitFor();
    await assertAccessible(staff.page, 'invoice with payments');
    await staff.page.getByLabel('Amount (EUR)').fill('12.50');
    await staff.page.getByLabel('Method').selectOption('cheque');
    await staff.page.getByLabel('Reference', { exact: true }).fill('chèque 1234567');
    await staff.page.getByRole('button', { name: 'Record the payment' }).click();
    await balance.getByText('Partially paid').waitFor();
    await staff.page.getByTestId('payments').getByText('chèque 1234567').waitFor();
    await staff.page.getByLabel('Amount (EUR)').fill('17.51');
    await staff.page.getByRole('button', { name: 'Record the payment' }).click();
    await staff.page.getByTestId('form-error').getByText(`That is more than what is left to pay on ${number}.`).waitFor();
    await staff.page.getByLabel('Amount (EUR)').fill('17.50');
    await staff.page.getByLabel('Method').selectOption('transfer');
    await staff.page.getByRole('button', { name: 'Record the payment' }).click();
    await balance.getByText('Paid', { exact: true }).waitFor();
    assert.equal(await staff.page.getByRole('button', { name: 'Record the payment' }).count(), 0, 'no form once paid');
    await screenshot(staff.page, 'invoice-paid-en');
    assert.deepEqual(await missingKeys(staff.page), []);
  });

  await t.test('the customer sees the invoice paid and its payments, in French, without a form', async () => {
    const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
    await logIn(page, m.url, 'claire@jardins.test', 'correct horse battery');
    await page.goto(`${m.url}/invoices/${number}`);
    await heading(page, `Facture ${number}`);
    await page.getByTestId('invoice-balance').getByText('Payée', { exact: true }).waitFor();
    await page.getByTestId('payments').getByText('Chèque', { exact: true }).waitFor();
    await page.getByTestId('payments').getByText('Virement', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Enregistrer le paiement' }).count(), 0);
    await assertAccessible(page, 'invoice (fr, customer)');
    await screenshot(page, 'invoice-paid-fr');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });

  await t.test('another customer finds no such invoice', async () => {
    const { page } = await openPage(browser, { locale: 'fr-FR' });
    await logIn(page, m.url, 'paul@autre.test', 'correct horse battery');
    await page.goto(`${m.url}/invoices/${number}`);
    await heading(page, 'Introuvable');
    assert.equal(await page.getByText('chèque 1234567').count(), 0);
  });

  await t.test('staff credit the paid invoice and record the refund', async () => {
    await staff.page.goto(`${m.url}/invoices/${number}`);
    await staff.page.getByLabel('Reason').fill('Doublon');
    await staff.page.getByRole('button', { name: 'Issue the credit note' }).click();
    await heading(staff.page, /^Credit note A\d{4}-000001$/);
    await staff.page.goto(`${m.url}/invoices/${number}`);
    const balance = staff.page.getByTestId('invoice-balance');
    await balance.getByText('Credited').waitFor();
    await balance.getByText('To pay back').waitFor();
    await staff.page.getByLabel('Amount (EUR)').fill('30');
    await staff.page.getByRole('button', { name: 'Record the refund' }).click();
    await staff.page.getByTestId('payments').getByText(/€30\.00 paid back \(A\d{4}-000001\)/).waitFor();
    await balance.getByText('Left to pay').waitFor();
    assert.equal((await m.api('GET', `/api/v1/invoices/${number}`)).body.balanceCents, 0);
    assert.deepEqual(await missingKeys(staff.page), []);
    assert.deepEqual(staff.problems, []);
  });
});
