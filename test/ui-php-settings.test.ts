// A site's PHP settings in a real browser against a real manager (the web server side:
// test/web-php-settings.test.ts): the owner sees the values against the offer's maxima, changes them,
// is refused beyond the offer and for post_max_size below upload_max_filesize in English and French,
// puts one back to its default; a read-only person sees the table without the form; another
// customer's owner gets "not found".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';

const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
const row = async (page: Page, key: string) => (await page.getByTestId(`php-${key}`).locator('td').allInnerTexts()).map(plain);

async function switchTo(page: Page, locale: 'fr' | 'en') {
  await page.getByRole('banner').getByTestId(`lang-${locale}`).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, locale);
}

test('a site’s PHP settings in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { customer, offer, hosting } = await seedHosting(m, { customer: 'Alpha', offer: { phpMemoryMb: 512, phpUploadMaxMb: 100 } });
  const bravo = await seedHosting(m, { customer: 'Bravo' });
  for (const [email, id, role] of [['owner@alpha.test', customer.id, 'owner'], ['reader@alpha.test', customer.id, 'readonly'], ['owner@bravo.test', bravo.customer.id, 'owner']] as const) {
    await m.user(email);
    assert.equal((await m.join(id, email, role)).status, 201);
  }
  assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'php-ui.example.org' })).status, 201);
  const url = `${m.url}/sites/php-ui.example.org`;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));
  const form = () => page.getByRole('form', { name: 'Change the PHP settings', exact: true });

  await step('the owner sees the defaults against the offer’s maxima', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(url);
    await heading(page, 'php-ui.example.org');
    await page.getByTestId('php-settings').waitFor();
    await settled(page);
    assert.deepEqual(await row(page, 'memoryLimit'), ['Memory per request memory_limit', '512M', '512M', 'default']);
    assert.deepEqual(await row(page, 'maxExecutionTime'), ['Longest script run max_execution_time', '30 seconds', '300 seconds', 'default']);
    assert.deepEqual(await row(page, 'displayErrors'), ['Show PHP errors in pages display_errors', 'off', '', 'default']);
    await assertAccessible(page, 'PHP settings (en)');
  });

  await step('changing settings; refused beyond the offer and below the upload size, next to the field', async () => {
    await form().getByLabel('Memory per request').fill('2G');
    await form().getByRole('button', { name: 'Save the PHP settings' }).click();
    assert.equal(await form().getByTestId('field-error').innerText(), `memory_limit may be at most 512M with the offer “${offer.name}”.`);
    await form().getByLabel('Memory per request').fill('12x');
    await form().getByRole('button', { name: 'Save the PHP settings' }).click();
    assert.equal(await form().getByTestId('field-error').innerText(), 'Write a size like 256M or 1G (whole megabytes or gigabytes).');
    await form().getByLabel('Memory per request').fill('256m');
    await form().getByLabel('Largest uploaded file').fill('64M');
    await form().getByLabel('Largest form sent').fill('32M');
    await form().getByRole('button', { name: 'Save the PHP settings' }).click();
    assert.match(await form().getByTestId('field-error').innerText(), /must be at least the largest uploaded file \(upload_max_filesize, 64M\)/);
    await form().getByLabel('Largest form sent').fill('80M');
    await form().getByLabel('Show PHP errors in pages').check();
    await form().getByRole('button', { name: 'Save the PHP settings' }).click();
    await page.getByTestId('php-memoryLimit').getByText('chosen').waitFor();
    await settled(page);
    assert.deepEqual(await row(page, 'memoryLimit'), ['Memory per request memory_limit', '256M', '512M', 'chosen']);
    assert.deepEqual(await row(page, 'postMaxSize'), ['Largest form sent post_max_size', '80M', '100M', 'chosen']);
    assert.equal((await row(page, 'displayErrors'))[1], 'on');
    const api = (await m.api('GET', '/api/v1/sites/php-ui.example.org/php')).body;
    assert.deepEqual(api.chosen, { memoryLimit: '256M', uploadMaxFilesize: '64M', postMaxSize: '80M', displayErrors: true });
  });

  await step('in French: the refusal is said in French; an empty field goes back to the default', async () => {
    await switchTo(page, 'fr');
    const fr = page.getByRole('form', { name: 'Modifier les réglages PHP', exact: true });
    await fr.getByLabel('Durée maximale d’un script').fill('400');
    await fr.getByRole('button', { name: 'Enregistrer les réglages PHP' }).click();
    await fr.getByTestId('field-error').getByText(`max_execution_time vaut au plus 300 avec l’offre « ${offer.name} ».`).waitFor();
    await fr.getByLabel('Durée maximale d’un script').fill('');
    await fr.getByLabel('Mémoire par requête').fill('');
    await fr.getByRole('button', { name: 'Enregistrer les réglages PHP' }).click();
    await page.getByTestId('php-memoryLimit').getByText('par défaut').waitFor();
    await settled(page);
    assert.deepEqual(await row(page, 'memoryLimit'), ['Mémoire par requête memory_limit', '512M', '512M', 'par défaut']);
    assert.deepEqual(await missingKeys(page), []);
    await assertAccessible(page, 'PHP settings (fr)');
    await screenshot(page, 'php-settings-fr');
    assert.deepEqual(ui.problems.filter((p) => !/status of 400/.test(p)), []);
  });

  await step('a read-only person sees the table without the form; another customer gets not found', async () => {
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'reader@alpha.test', 'correct horse battery');
    await reader.page.goto(url);
    await reader.page.getByTestId('php-settings').waitFor();
    await settled(reader.page);
    assert.equal((await row(reader.page, 'postMaxSize'))[1], '80M');
    assert.equal(await reader.page.getByRole('form', { name: 'Change the PHP settings' }).count(), 0);
    const other = await openPage(browser, { locale: 'en-GB' });
    await logIn(other.page, m.url, 'owner@bravo.test', 'correct horse battery');
    await other.page.goto(url);
    await settled(other.page);
    assert.equal(await other.page.getByTestId('php-settings').count(), 0);
    assert.match(await other.page.locator('main').innerText(), /not found|does not exist/i);
  });
});
