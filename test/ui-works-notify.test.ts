// In the browser (Chromium): a customer chooses in My account what they receive about works (in
// French), and the choice holds; the staff add a webhook on "Webhooks and Mastodon" (in English),
// its secret never shown again, see the delivery of a work announced afterwards (to a real HTTP
// listener on loopback), disable and remove it. Both pages pass axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { startHttpListener } from './helpers/http-listener.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';

test('works notices in the browser: a customer\'s choice, the staff\'s channels', browserTest(), async (t) => {
  const hook = await startHttpListener();
  t.after(() => hook.close());
  const m = await startTestManager();
  t.after(() => m.close());
  const claire = await m.user('claire@jardins.test');
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  const browser = await launchBrowser();
  t.after(() => browser.close());

  await t.test('a customer chooses to receive only incidents', async () => {
    const { page, problems } = await openPage(browser, { locale: 'fr-FR' });
    await logIn(page, m.url, 'claire@jardins.test', 'correct horse battery');
    await page.goto(`${m.url}/account`);
    await heading(page, 'Mon compte');
    const section = page.getByRole('region', { name: 'E-mails sur les travaux' });
    assert.equal(await section.getByLabel('Tout').isChecked(), true, 'everything until they choose');
    await section.getByLabel('Seulement les incidents').check();
    await section.getByRole('button', { name: 'Enregistrer mon choix' }).click();
    await page.getByText('Votre choix est enregistré.').waitFor();
    await assertAccessible(page, 'my account with the works e-mail choice');
    await screenshot(page, 'account-work-notices-fr');
    assert.equal((await m.api('GET', '/api/v1/me/work-notices', undefined, { token: claire.token })).body.receive, 'incidents');
    await page.reload();
    assert.equal(await page.getByRole('region', { name: 'E-mails sur les travaux' }).getByLabel('Seulement les incidents').isChecked(), true);
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });

  await t.test('the staff add a webhook, see its delivery, disable and remove it', async () => {
    const { page, problems } = await openPage(browser, { locale: 'en-GB' });
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/staff/works`);
    await page.getByRole('link', { name: 'Webhooks and Mastodon' }).click();
    await heading(page, 'Webhooks and Mastodon');
    const form = page.getByRole('form', { name: 'Add a channel' });
    await form.getByLabel('Name', { exact: true }).fill('status-bot');
    await form.getByLabel('Address', { exact: true }).fill(`${hook.url}/abri`);
    await form.getByLabel('Secret', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByTestId('field-error').waitFor(); // the API's refusal, shown on the field
    await form.getByLabel('Secret', { exact: true }).fill('a-shared-secret-of-the-receiver');
    await form.getByRole('button', { name: 'Add' }).click();
    await page.getByText('status-bot is added').waitFor();
    assert.ok(!(await page.content()).includes('a-shared-secret-of-the-receiver'), 'the secret is not shown again');
    const created = await m.api('POST', '/api/v1/works', {
      kind: 'incident', title: { fr: 'Lenteurs', en: 'Slowness' }, affects: { platform: true },
    });
    assert.equal(created.status, 201);
    await m.manager.jobs.runDue();
    for (let i = 0; i < 600 && !hook.received.length; i++) await new Promise((r) => setTimeout(r, 100)); // the runner's own loop may be delivering it
    assert.equal(hook.received[0]?.headers['abri-event'], 'work.announced');
    await page.reload();
    const row = page.getByRole('row', { name: /status-bot/ }).filter({ has: page.getByTestId('delivery-status') }).last();
    await row.getByText('delivered').waitFor();
    await assertAccessible(page, 'webhooks and Mastodon');
    await screenshot(page, 'work-channels-en');
    await page.getByRole('button', { name: 'Disable status-bot' }).click();
    await page.getByRole('button', { name: 'Enable status-bot' }).waitFor();
    await page.getByRole('button', { name: 'Remove status-bot' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No channel yet.').waitFor();
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(problems, []);
  });
});
