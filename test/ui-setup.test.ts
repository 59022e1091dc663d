// First start in the browser: the manager serves the built UI, prints /setup#token, and the setup
// screen creates the first administrator; plus how the UI is served (SPA fallback, caching, API 404s)
// and a 360 px phone layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.js';
import { startManager } from '../src/manager.js';
import { builtUiDir } from '../src/platform/http/static-ui.js';
import { pglite } from './helpers/databases.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, settled, withEvidence } from './helpers/browser.js';

async function freshManager() {
  const database = await pglite.open();
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent/abri.conf', ABRI_LISTEN: '127.0.0.1:0', ABRI_DATA_DIR: '/nonexistent/abri-data', ABRI_LOG_LEVEL: 'silent', ABRI_LOCAL_AGENT: '0' });
  let printed = '';
  const manager = await startManager({ config, log: pino({ level: 'silent' }), database, port: 0, announce: (text) => (printed += text) });
  return { manager, printed, close: async () => { await manager.close(); await database.close(); } };
}

test('the manager serves the built UI with SPA fallback and immutable assets', async (t) => {
  const { manager, close } = await freshManager();
  t.after(close);
  const index = await fetch(`${manager.url}/hostings/some-id/sites/new`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type')!, /text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  assert.match(index.headers.get('content-security-policy')!, /default-src 'self'/);
  const html = await index.text();
  assert.match(html, /<div id="root">/);
  const asset = /\/assets\/[\w.-]+\.js/.exec(html)![0];
  const js = await fetch(`${manager.url}${asset}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type')!, /javascript/);
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.ok((await readdir(join(builtUiDir, 'assets'))).length > 0);
  for (const path of ['/api/v1/nothing-here', '/api/nothing']) {
    const r = await fetch(`${manager.url}${path}`);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type')!, /application\/problem\+json/, path);
  }
  assert.equal((await fetch(`${manager.url}/assets/missing-abc123.js`)).status, 404);
  for (const path of ['/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json']) {
    const r = await fetch(`${manager.url}${path}`);
    assert.doesNotMatch(await r.text(), /"name": "abri"/, path);
  }
});

test('first start: the setup screen creates the first administrator', browserTest(), async (t) => {
  const fresh = await freshManager();
  t.after(fresh.close);
  const link = /https?:\/\/\S+\/setup#\S+/.exec(fresh.printed)![0];
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser, { locale: 'fr-FR' });

  await t.test('without the token, the screen explains where the link is', async () => {
    await page.goto(`${fresh.manager.url}/setup`);
    await page.getByText('Ce lien est incomplet').waitFor();
    await assertAccessible(page, 'setup without token');
  });

  await t.test('with the printed link, the first admin is created and lands in the staff area', async () => {
    await page.goto(link);
    await heading(page, 'Créer le premier administrateur');
    await assertAccessible(page, 'setup screen');
    await screenshot(page, 'setup-fr');
    await page.getByLabel('Adresse e-mail').fill('admin@asso-hebergement.test');
    await page.getByLabel('Nouveau mot de passe').fill('court');
    await page.getByRole('button', { name: 'Créer l’administrateur' }).click();
    const error = page.locator('.field', { has: page.getByLabel('Nouveau mot de passe') }).getByTestId('field-error');
    assert.equal(await error.innerText(), 'Au moins 10 caractères.');
    await page.getByLabel('Nouveau mot de passe').fill('une phrase de passe solide');
    await page.getByRole('button', { name: 'Créer l’administrateur' }).click();
    await heading(page, 'Clients');
    assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.user.role, 'admin');
    await page.goto(`${fresh.manager.url}/setup`);
    await page.getByText('Un administrateur existe déjà sur cette plateforme.').waitFor();
  });

  await t.test('a 360 px wide phone: no horizontal scrolling, navigation reachable', async () => {
    const phone = await openPage(browser, { locale: 'fr-FR', width: 360, height: 740 });
    await withEvidence(phone, 'phone login', () => logIn(phone.page, fresh.manager.url, 'admin@asso-hebergement.test', 'une phrase de passe solide'));
    await heading(phone.page, 'Clients');
    for (const path of ['/staff/customers', '/staff/offers/new', '/account']) {
      await phone.page.goto(`${fresh.manager.url}${path}`);
      await settled(phone.page);
      const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${path} is ${width} px wide at 360 px`);
      await assertAccessible(phone.page, `${path} at 360 px`);
    }
    await phone.page.goto(`${fresh.manager.url}/staff/customers`);
    await phone.page.locator('h1').waitFor();
    await screenshot(phone.page, 'phone-customers-fr');
    assert.deepEqual(phone.problems, []);
  });

  assert.deepEqual(await missingKeys(page), []);
  assert.deepEqual(problems, []);
});
