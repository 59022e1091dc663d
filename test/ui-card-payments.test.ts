// In the browser (Chromium), in French: a customer's user opens an unpaid invoice, clicks "Payer … par
// carte", lands on the local stand-in for Stripe's Checkout page (test/helpers/stripe-local.ts: the
// card is a test token charged by stripe-stateful-mock, never a real card), a declined card there says
// why and records nothing; a Visa pays, the signed webhook reaches Abri, and back on the invoice the
// payment is thanked and no button is offered any more. Accessible, no missing translation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';
import { startLocalStripe } from './helpers/stripe-local.js';

test('a customer pays an invoice by card in the browser', browserTest(), async (t) => {
  const stripe = await startLocalStripe();
  t.after(() => stripe.close());
  const m = await startTestManager({ settings: { ABRI_STRIPE_SECRET_KEY: stripe.secretKey, ABRI_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, ABRI_STRIPE_API_BASE: stripe.url } });
  t.after(() => m.close());
  stripe.deliverTo = m.url;
  stripe.returnTo = (url) => url.replace(m.manager.app.config.publicUrl, m.url);
  await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon' });
  const offer = (await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 1250 })).body;
  const customer = (await m.api('POST', '/api/v1/customers', { name: 'Les Jardins', contactEmail: 'contact@jardins.test', postalAddress: '3 allée des Tilleuls\n75011 Paris' })).body;
  const hosting = (await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id })).body;
  const invoice = (await m.api('POST', '/api/v1/invoices', { hostingId: hosting.id })).body;
  await m.user('claire@jardins.test');
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  assert.equal((await m.join(customer.id, 'claire@jardins.test', 'owner')).status, 201);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
  await logIn(page, m.url, 'claire@jardins.test', 'correct horse battery');

  await page.goto(`${m.url}/invoices/${invoice.number}`);
  await heading(page, `Facture ${invoice.number}`);
  const pay = page.getByRole('button', { name: /^Payer 12,50\s€ par carte$/ });
  await pay.waitFor();
  await assertAccessible(page, 'invoice with card payment (fr)');
  await screenshot(page, 'invoice-card-fr');

  await pay.click();
  await page.waitForURL(`${stripe.url}/pay/**`);
  await page.getByText('1250 eur').waitFor();
  await page.getByLabel('Test card').selectOption('tok_chargeDeclined');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('alert').getByText('Your card was declined.').waitFor();
  assert.equal((await m.api('GET', `/api/v1/invoices/${invoice.id}`)).body.status, 'unpaid', 'a declined card records nothing');

  await page.getByLabel('Test card').selectOption('tok_visa');
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(`${m.url}/invoices/${invoice.number}?card=done`);
  await page.getByText('Merci : votre paiement par carte est bien reçu.').waitFor();
  assert.equal(await page.getByRole('button', { name: /par carte$/ }).count(), 0, 'nothing left to pay: no button');
  const paid = (await m.api('GET', `/api/v1/invoices/${invoice.id}`)).body;
  assert.deepEqual([paid.status, paid.balanceCents], ['paid', 0]);
  await assertAccessible(page, 'paid invoice (fr)');
  assert.deepEqual(await missingKeys(page), []);
  // the stand-in page's declined answer (402) is the only console complaint
  assert.deepEqual(problems.filter((p) => !/402/.test(p)), []);
});
