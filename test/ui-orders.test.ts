// The browser test, on a node that applies for real (root: Apache, PHP-FPM, HAProxy on
// loopback, the manager's in-process agent): a new customer orders on the public order page (in
// French: the offer, a domain, the account in one step), is signed in and sent to the invoice, pays
// it by card on the local Stripe stand-in (test/helpers/stripe-local.ts: a test token, never a real
// card), and sees the hosting appear in their area and its site go live on the servers. Staff (in
// English) order for another customer, record its bank transfer on the invoice, and that order's
// hosting appears and goes live too. Accessible pages, no missing translation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { createTestNode, requireNodeServices, until, type TestNode } from './helpers/node.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';
import { startLocalStripe } from './helpers/stripe-local.js';

const missing = requireNodeServices('test/ui-orders.test.ts', test);

test('a new customer orders, pays by card and sees the hosting appear; staff record a transfer for another order', { ...browserTest(), ...(missing.length ? { skip: 'node services missing' } : {}) }, async (t) => {
  const stripe = await startLocalStripe();
  t.after(() => stripe.close());
  const node: TestNode = await createTestNode(70_000, 10);
  const m = await startTestManager({
    settings: { ...node.settings, ABRI_LOCAL_AGENT: '1', ABRI_STRIPE_SECRET_KEY: stripe.secretKey, ABRI_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, ABRI_STRIPE_API_BASE: stripe.url },
  });
  t.after(async () => {
    await m.close();
    await node.cleanup();
  });
  stripe.deliverTo = m.url;
  stripe.returnTo = (url) => url.replace(m.manager.app.config.publicUrl, m.url);
  assert.equal((await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon', iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP' })).status, 200);
  assert.equal((await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 1250, billingCycle: 'monthly', orderable: true, maxSites: 3 })).status, 201);
  const other = (await m.api('POST', '/api/v1/customers', { name: 'Autre Asso', contactEmail: 'paul@autre.test', postalAddress: '5 rue du Port\n13002 Marseille' })).body;
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const live = (hostingId: string) => until(`hosting ${hostingId} live`, async () => (await m.api('GET', `/api/v1/hostings/${hostingId}`)).body.provisioning?.status === 'live', 120_000, 250);

  await t.test('a new customer orders on the public page, pays by card and sees the hosting appear', async () => {
    const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
    await page.goto(`${m.url}/order`);
    await heading(page, 'Commander un hébergement');
    const offer = page.getByRole('radio', { name: /^Asso : 12,50\s€ par mois$/ });
    assert.equal(await offer.isChecked(), true);
    await page.getByLabel('Le domaine de votre site (facultatif)').fill('jardins.test');
    await page.getByLabel('Nom (personne, association, entreprise)').fill('Les Jardins');
    await page.getByLabel('Adresse de facturation').fill('3 allée des Tilleuls\n75011 Paris');
    await page.getByLabel('Adresse e-mail').fill('claire@jardins.test');
    await page.getByLabel('Mot de passe').fill('correct horse battery');
    await assertAccessible(page, 'public order page (fr)');
    await screenshot(page, 'order-public-fr');
    await page.getByRole('button', { name: 'Créer mon compte et commander' }).click();
    await page.waitForURL(/\/invoices\/F\d{4}-\d{6}$/);
    const number = decodeURIComponent(page.url().split('/').pop()!);
    await heading(page, `Facture ${number}`);
    await page.getByRole('button', { name: /^Payer 12,50\s€ par carte$/ }).click();
    await page.waitForURL(`${stripe.url}/pay/**`);
    await page.getByLabel('Test card').selectOption('tok_visa');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(`${m.url}/invoices/${number}?card=done`);
    await page.getByText('Merci : votre paiement par carte est bien reçu.').waitFor();
    // in their area: the order, then its hosting, appear by themselves
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Commandes' }).click();
    await heading(page, 'Commandes');
    const row = page.getByRole('row').filter({ hasText: 'jardins.test' });
    await row.getByText('Hébergement créé').waitFor({ timeout: 60_000 });
    const order = (await m.api('GET', '/api/v1/orders?state=provisioned')).body.items[0];
    assert.equal(order.customer.name, 'Les Jardins');
    await row.getByRole('link', { name: order.hosting.name }).click();
    await heading(page, `Hébergement ${order.hosting.name}`);
    // its first site, the domain ordered: the site's page follows it until it is live on the servers
    await page.getByRole('link', { name: 'jardins.test', exact: true }).click();
    await heading(page, 'jardins.test');
    await page.locator('.provisioning[data-state="live"]').first().waitFor({ timeout: 120_000 });
    await live(order.hosting.id);
    const svc = (await m.api('GET', `/api/v1/hostings/${order.hosting.id}/service`)).body;
    assert.equal(svc.dueDate, (await m.api('GET', `/api/v1/invoices/${number}`)).body.periodEnd, 'its service starts after the period paid');
    await assertAccessible(page, 'ordered hosting (fr)');
    await screenshot(page, 'order-hosting-fr');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems.filter((p) => !/402/.test(p)), []);
  });

  await t.test('staff order for another customer and record its bank transfer: its hosting appears too', async () => {
    const { page, problems } = await openPage(browser, { locale: 'en-GB' });
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/orders`);
    await heading(page, 'Orders');
    await page.getByLabel('Customer number').fill(String(other.number));
    await page.getByRole('radio', { name: /^Asso: €12\.50 per month$/ }).check();
    await page.getByRole('form', { name: 'Order for a customer' }).getByRole('button', { name: 'Order', exact: true }).click();
    await page.getByTestId('order-state').getByText('Awaiting payment').waitFor();
    await assertAccessible(page, 'order awaiting payment (en)');
    const invoice = (await page.getByRole('link', { name: /^F\d{4}-\d{6}$/ }).innerText()).trim();
    await page.getByRole('link', { name: invoice }).click();
    await heading(page, `Invoice ${invoice}`);
    await page.getByLabel('Amount (EUR)').fill('12.50');
    await page.getByLabel('Method').selectOption('transfer');
    await page.getByLabel('Reference', { exact: true }).fill('VIR AUTRE ASSO');
    await page.getByRole('button', { name: 'Record the payment' }).click();
    await page.getByTestId('invoice-balance').getByText('Paid', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Orders' }).first().click();
    const row = page.getByRole('row').filter({ hasText: 'Autre Asso' });
    await row.getByText('Hosting created').waitFor({ timeout: 60_000 });
    const order = (await m.api('GET', `/api/v1/orders?customerId=${other.id}`)).body.items[0];
    assert.equal(order.state, 'provisioned');
    await live(order.hosting.id);
    await row.getByRole('link', { name: `Order ${order.number}` }).click();
    await page.getByText(`Your hosting ${order.hosting.name} is ready.`).waitFor();
    await assertAccessible(page, 'provisioned order (en)');
    await screenshot(page, 'order-provisioned-en');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });
});
