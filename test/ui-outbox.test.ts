// In the browser (Chromium), against a real SMTP listener: "Forgot your password?" from the login
// page — the link arrives by e-mail, opens the page that chooses the new password, which then logs
// in — in French; and the staff's Outbox shows the message, its link masked, in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot } from './helpers/browser.js';

test('forgot password in the browser, and the staff\'s outbox', browserTest(), async (t) => {
  const sink = await startSmtpSink();
  t.after(() => sink.close());
  const m = await startTestManager({ settings: { ABRI_SMTP_URL: sink.url } });
  t.after(() => m.close());
  await m.user('claire@jardins.test');
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'claire@jardins.test').execute();
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { locale: 'fr-FR' });

  await t.test('the login page leads to the request form; the answer is the same for any address', async () => {
    await page.goto(`${m.url}/login`);
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await heading(page, 'Mot de passe oublié ?');
    await assertAccessible(page, 'forgot password');
    await page.getByLabel('Adresse e-mail').fill('claire@jardins.test');
    await page.getByRole('button', { name: 'M’envoyer un lien' }).or(page.getByRole('button', { name: 'M\'envoyer un lien' })).click();
    await page.getByTestId('reset-sent').waitFor();
    assert.match(await page.getByTestId('reset-sent').innerText(), /claire@jardins\.test/);
  });

  await t.test('the e-mailed link chooses the new password, once', async () => {
    await m.manager.jobs.runDue();
    for (let i = 0; i < 600 && !sink.received.length; i++) await new Promise((r) => setTimeout(r, 100)); // the runner's own loop may be sending it
    const mail = sink.received.find((r) => r.to.includes('claire@jardins.test'));
    assert.ok(mail, 'the message arrived');
    assert.match(mail.decoded, /Réinitialisation de votre mot de passe/);
    const link = /https?:\/\/\S+?\/password-reset#[A-Za-z0-9_-]+/.exec(mail.decoded)![0];
    await page.goto(link.replace(/^https?:\/\/[^/]+/, m.url));
    await heading(page, 'Choisir un nouveau mot de passe');
    await assertAccessible(page, 'choose a new password');
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('une nouvelle phrase solide');
    await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill('une nouvelle phrase solide');
    await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
    await page.getByTestId('reset-done').waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the secret leaves the address bar');
    await screenshot(page, 'password-reset-done-fr');
    await logIn(page, m.url, 'claire@jardins.test', 'une nouvelle phrase solide');
    await page.goto(link.replace(/^https?:\/\/[^/]+/, m.url));
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('encore une autre phrase');
    await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill('encore une autre phrase');
    await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
    await page.getByText('Ce lien n\'est pas valable').waitFor();
  });

  await t.test('staff see the message in the outbox, its link masked', async () => {
    const staff = await openPage(browser, { locale: 'en-GB' });
    await logIn(staff.page, m.url, 'admin@abri.test', 'correct horse battery');
    await staff.page.goto(`${m.url}/staff/outbox`);
    await heading(staff.page, 'Outbox');
    await assertAccessible(staff.page, 'outbox');
    await staff.page.getByRole('link', { name: 'claire@jardins.test' }).click();
    await heading(staff.page, 'Réinitialisation de votre mot de passe');
    const text = await staff.page.getByTestId('mail-text').innerText();
    assert.match(text, /password-reset#…/);
    assert.doesNotMatch(text, /password-reset#[A-Za-z0-9_-]{10}/);
    assert.equal(await staff.page.getByRole('button', { name: 'Send again' }).count(), 0, 'a sent message is not sent again');
    await screenshot(staff.page, 'outbox-message-en');
    assert.deepEqual(await missingKeys(staff.page), []);
    assert.deepEqual(staff.problems, []);
  });

  assert.deepEqual(await missingKeys(page), []);
  assert.deepEqual(problems, []);
});
