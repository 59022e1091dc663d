// In the browser (Chromium): the Clock moved past day 30, the customer (in French) sees on its
// hosting's page that an invoice is late and on the invoice's page that its hosting is suspended,
// what to pay and how, and the steps taken; staff (in English) pause the invoice's reminders from its
// page and turn dunning settings on the billing settings page. Accessible pages, no missing
// translation, no console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';

test('dunning in the browser: the customer sees what to do, staff pause and set it up', browserTest(), async (t) => {
  const clock = new ManualClock('2026-03-10T10:00:00Z');
  const m = await startTestManager({ clock });
  t.after(() => m.close());
  const offer = (await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 4800, billingCycle: 'yearly' })).body;
  await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon', paymentDays: 0, iban: 'FR7630006000011234567890189' });
  const customer = (await m.api('POST', '/api/v1/customers', { name: 'Les Jardins', contactEmail: 'contact@jardins.test', postalAddress: '3 allée des Tilleuls\n75011 Paris' })).body;
  const hosting = (await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer.id })).body;
  await m.user('claire@jardins.test');
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  assert.equal((await m.join(customer.id, 'claire@jardins.test', 'owner')).status, 201);
  clock.advance(3_600_000);
  await m.manager.jobs.runDue(); // the renewal job issues the year's invoice, due today
  const invoice = (await m.api('GET', `/api/v1/invoices?hostingId=${hosting.id}`)).body.items[0];
  assert.equal((await m.api('PATCH', '/api/v1/billing/dunning', { enabled: true })).status, 200);
  for (const day of [7, 15, 30]) {
    clock.set(new Date(Date.parse('2026-03-10T11:00:00Z') + day * 86_400_000));
    await m.manager.jobs.runDue();
  }
  assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}`)).body.status, 'suspended');
  const browser = await launchBrowser();
  t.after(() => browser.close());

  await t.test('the customer sees the late invoice, the suspension and what to do', async () => {
    const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
    await logIn(page, m.url, 'claire@jardins.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${hosting.name}`);
    await page.getByTestId('hosting-dunning').waitFor();
    assert.match(await page.getByTestId('hosting-dunning').innerText(), /48,00\s€ dus depuis le .* suspendu pour défaut de paiement/);
    await page.getByTestId('hosting-dunning').getByRole('link', { name: invoice.number }).click();
    await heading(page, `Facture ${invoice.number}`);
    await page.getByText(`L'hébergement ${hosting.name} est suspendu pour défaut de paiement.`).waitFor();
    assert.match(await page.getByTestId('dunning-todo').innerText(), new RegExp(`payez 48,00\\s€\\. Par virement, indiquez la référence ${invoice.paymentReference}`));
    await page.getByText('30 jours de retard').waitFor();
    await page.getByText(`Sans paiement, l'hébergement ${hosting.name} sera résilié le`).waitFor();
    await page.getByRole('cell', { name: 'Relance 2 envoyée' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Mettre les relances en pause' }).count(), 0, 'customers do not pause');
    await assertAccessible(page, 'invoice dunning (fr)');
    await screenshot(page, 'dunning-invoice-fr');
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });

  await t.test('staff pause the invoice\'s reminders and see the settings', async () => {
    const staff = await openPage(browser, { locale: 'en-GB' });
    await logIn(staff.page, m.url, 'admin@abri.test', 'correct horse battery');
    await staff.page.goto(`${m.url}/invoices/${invoice.number}`);
    await staff.page.getByRole('button', { name: 'Pause reminders' }).click();
    await staff.page.getByRole('button', { name: 'Resume reminders' }).waitFor();
    assert.equal((await m.api('GET', `/api/v1/invoices/${invoice.id}/dunning`)).body.state, 'paused');
    await staff.page.goto(`${m.url}/staff/billing`);
    await heading(staff.page, 'Billing settings');
    await staff.page.getByLabel('Reminders (days after the due date)').fill('5, 10');
    const saved = staff.page.waitForResponse((r) => r.url().endsWith('/api/v1/billing/dunning') && r.request().method() === 'PATCH');
    await staff.page.getByRole('form', { name: 'Reminders and suspension of unpaid invoices' }).getByRole('button', { name: 'Apply the reminder settings' }).click();
    assert.equal((await saved).status(), 200);
    assert.deepEqual((await m.api('GET', '/api/v1/billing/dunning')).body.reminderDays, [5, 10]);
    await assertAccessible(staff.page, 'billing settings with dunning');
    await screenshot(staff.page, 'dunning-settings-en');
    assert.deepEqual(await missingKeys(staff.page), []);
    assert.deepEqual(staff.problems, []);
  });
});
