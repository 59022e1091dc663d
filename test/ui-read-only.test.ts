// In the browser (Chromium): an administrator switches the platform to read-only from the back office
// with a message in French and English; the banner then shows on every page — the login page, the
// customer's pages in French, the staff's in English — and the customer's change buttons are gone;
// the administrator switches it off and the banner leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting, startTestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled } from './helpers/browser.js';

/** a banner's text, its paragraphs on one line each */
const lines = async (banner: { innerText(): Promise<string> }) => (await banner.innerText()).split(/\n+/).map((l) => l.trim()).filter(Boolean);
const message = { fr: 'Abri ferme le 31 décembre : vos factures restent téléchargeables.', en: 'Abri closes on 31 December: your invoices stay downloadable.' };

test('the read-only mode in the browser', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { customer, hosting } = await seedHosting(m, { customer: 'Les Jardins' });
  await m.user('claire@jardins.test');
  assert.equal((await m.join(customer.id, 'claire@jardins.test', 'owner')).status, 201);
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const admin = await openPage(browser, { locale: 'en-GB' });
  const claire = await openPage(browser, { locale: 'fr-FR' });
  const hostingPage = `${m.url}/hostings/${hosting.name}`;
  const addSite = () => claire.page.getByRole('link', { name: 'Ajouter un site' });

  await logIn(claire.page, m.url, 'claire@jardins.test', 'correct horse battery');
  await claire.page.goto(hostingPage);
  await settled(claire.page);
  assert.equal(await addSite().count(), 1, 'a writable platform: the customer adds sites');

  await t.test('an administrator switches it on from the back office', async () => {
    await logIn(admin.page, m.url, 'admin@abri.test', 'correct horse battery');
    await admin.page.getByRole('link', { name: 'Read-only mode' }).click();
    await heading(admin.page, 'Read-only mode');
    await admin.page.getByLabel('Message in French').fill(message.fr);
    await admin.page.getByLabel('Message in English').fill(message.en);
    await admin.page.getByRole('button', { name: 'Switch to read-only' }).click();
    await admin.page.getByTestId('read-only-state').getByText(/^Read-only since /).waitFor();
    const banner = admin.page.getByTestId('read-only-banner');
    assert.deepEqual(await lines(banner), [`The platform is read-only. ${message.en}`, 'Customers change nothing; you, staff, still can.']);
    await assertAccessible(admin.page, 'read-only mode (staff)');
    await screenshot(admin.page, 'read-only-staff-en');
  });

  await t.test('the customer sees the banner in French, and no button to change', async () => {
    await claire.page.goto(hostingPage);
    await settled(claire.page);
    assert.deepEqual(await lines(claire.page.getByTestId('read-only-banner')),
      [`La plateforme est en lecture seule. ${message.fr}`, 'Vous pouvez tout consulter et télécharger vos documents ; les modifications ne sont pas possibles pour le moment.']);
    assert.equal(await addSite().count(), 0, 'no "add a site" while read-only');
    await assertAccessible(claire.page, 'hosting page, read-only (fr)');
    await screenshot(claire.page, 'read-only-customer-fr');
    assert.deepEqual(await missingKeys(claire.page), []);
    const anonymous = await openPage(browser, { locale: 'fr-FR' });
    await anonymous.page.goto(`${m.url}/login`);
    await anonymous.page.getByTestId('read-only-banner').getByText(message.fr).waitFor();
  });

  await t.test('the administrator switches it off: the banner leaves', async () => {
    await admin.page.getByRole('button', { name: 'Make the platform writable again' }).click();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Make the platform writable again' }).click();
    await admin.page.getByTestId('read-only-state').getByText('Writable: customers change what they may.').waitFor();
    assert.equal(await admin.page.getByTestId('read-only-banner').count(), 0);
    await claire.page.reload();
    await settled(claire.page);
    assert.equal(await claire.page.getByTestId('read-only-banner').count(), 0);
    assert.equal(await addSite().count(), 1);
    assert.deepEqual([...admin.problems, ...claire.problems], []);
  });
});
