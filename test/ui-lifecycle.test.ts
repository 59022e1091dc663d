// In the browser (Chromium): a customer's owner (in French) previews a change of offer on the
// hosting's page, sees the amounts, confirms it; ends the service at term and keeps it again; staff
// (in English) credit part of an invoice and see how much of it is credited. Accessible pages, no
// missing translation, no console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';

test('a service\'s lifecycle in the browser: change of offer, end and keep, partial credit', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const small = (await m.api('POST', '/api/v1/offers', { name: 'Petite', priceCents: 1000, selfService: true })).body;
  const big = (await m.api('POST', '/api/v1/offers', { name: 'Grande', priceCents: 3100, selfService: true })).body;
  await m.api('POST', '/api/v1/offers', { name: 'Réservée', priceCents: 5000 });
  assert.equal((await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon' })).status, 200);
  const customer = (await m.api('POST', '/api/v1/customers', { name: 'Les Jardins', contactEmail: 'contact@jardins.test', postalAddress: '3 allée des Tilleuls\n75011 Paris' })).body;
  const hosting = (await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: small.id })).body;
  const today = new Date().toISOString().slice(0, 10);
  await m.api('PATCH', `/api/v1/hostings/${hosting.id}/service`, { dueDate: today });
  const invoice = (await m.api('POST', '/api/v1/invoices', { hostingId: hosting.id })).body;
  await m.api('PATCH', `/api/v1/hostings/${hosting.id}/service`, { dueDate: invoice.periodEnd }); // as the renewals job moves it
  await m.user('claire@jardins.test');
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  assert.equal((await m.join(customer.id, 'claire@jardins.test', 'owner')).status, 201);
  const browser = await launchBrowser();
  t.after(() => browser.close());

  await t.test('the customer previews a change of offer, then confirms it', async () => {
    const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
    await logIn(page, m.url, 'claire@jardins.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${hosting.name}`);
    await page.getByRole('heading', { name: 'Changement d’offre' }).waitFor();
    const select = page.getByLabel('Nouvelle offre');
    assert.deepEqual((await select.locator('option').allInnerTexts()).filter(Boolean).map((o) => o.split(' — ')[0]), ['Grande'], 'only self-service offers');
    await select.selectOption(big.id);
    await page.getByRole('button', { name: 'Voir les montants' }).click();
    const preview = page.getByTestId('offer-change-preview');
    await preview.getByText('Solde pour la période en cours').waitFor();
    await preview.getByText(/Avoir : \d+ jours non utilisés sur \d+/).waitFor();
    await assertAccessible(page, 'offer change preview (fr)');
    await screenshot(page, 'offer-change-fr');
    assert.equal((await m.api('GET', `/api/v1/invoices?hostingId=${hosting.id}`)).body.items.length, 1, 'a preview issues nothing');
    await page.getByRole('button', { name: 'Passer à « Grande »' }).click();
    await page.getByText('L’hébergement a maintenant l’offre « Grande ».').waitFor();
    assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}`)).body.offerName, 'Grande');
    assert.equal((await m.api('GET', `/api/v1/invoices?hostingId=${hosting.id}`)).body.items.length, 3, 'a credit note and the prorated invoice');

    await page.getByRole('button', { name: 'Résilier à l’échéance' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Résilier le service' }).click();
    await page.getByTestId('service-ending').getByText(/Se termine le/).waitFor();
    assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}/service`)).body.ending.mode, 'term');
    await assertAccessible(page, 'service ending (fr)');
    await page.getByRole('button', { name: 'Garder le service' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Garder le service' }).click();
    await page.getByRole('button', { name: 'Résilier par anticipation' }).waitFor();
    assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}/service`)).body.ending, null);
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });

  await t.test('staff credit part of an invoice and see what is credited', async () => {
    const { page, problems } = await openPage(browser, { locale: 'en-GB' });
    const grande = (await m.api('GET', `/api/v1/invoices?hostingId=${hosting.id}&kind=invoice`)).body.items.find((i: { number: string }) => i.number !== invoice.number);
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/invoices/${grande.number}`);
    await heading(page, `Invoice ${grande.number}`);
    await page.getByLabel('An amount').check();
    await page.getByLabel('Amount, VAT included').fill('1.50');
    await page.getByLabel('Reason').fill('Two days of outage');
    await page.getByRole('button', { name: 'Issue the credit note' }).click();
    await heading(page, /^Credit note A\d{4}-00000\d$/);
    await page.getByRole('link', { name: grande.number }).click();
    await heading(page, `Invoice ${grande.number}`);
    await page.getByTestId('invoice-credited').getByText(/^€1\.50 \//).waitFor();
    await assertAccessible(page, 'partly credited invoice');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });
});
