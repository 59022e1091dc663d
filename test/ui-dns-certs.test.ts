// The DNS and Certificate tabs of a site, and the staff's Zones and Certificates pages, in a real
// browser against a real manager (its local render-only agent plays the edge at 127.0.0.1).
// A French-speaking customer: adds a site whose DNS is elsewhere with a platform address, reads the
// records to set, lets the platform publish the zone; on a managed zone adds an MX and a TXT
// record, meets a field error in French, changes then removes a record with confirmation, sees the
// platform's records without buttons; switches to English and back; uploads a certificate (wrong key
// first), sees it valid, goes back to automatic certificates. A read-only person sees no change
// control. Staff list certificates and zones and edit the platform's zone. axe-core on every page,
// and no horizontal scrolling at 360 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, missingKeys, openPage, screenshot, tableRows, withEvidence, type UiPage } from './helpers/browser.js';
import { compareLanguages, visibleTexts } from './helpers/i18n-check.js';

const run = promisify(execFile);
const PLATFORM = 'web4me.test';
const DOMAIN = 'amis-du-jardin.fr';

/** A self-signed certificate for the domain and its www, made the way a customer would (openssl). */
async function selfSigned(dir: string, name: string, domain: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${domain}`,
    '-addext', `subjectAltName=DNS:${domain},DNS:www.${domain}`, '-addext', 'basicConstraints=critical,CA:FALSE', '-days', '30', '-keyout', key, '-out', cert]);
  return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
}

async function settle(page: Page) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
}

/** The row of the records table whose cells start with these texts (name, type, value…). */
const recordRow = (page: Page, ...cells: string[]) =>
  page.locator('.data-table tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${cells[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .filter({ hasText: cells.slice(1).join(' ') ? new RegExp(cells.slice(1).map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')) : /./ });

async function noSideScroll(page: Page, label: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${label} is ${width} px wide at 360 px`);
}

test('DNS and certificate tabs, and the staff’s zones and certificates', browserTest(), async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'abri-ui-dns-'));
  const certDir = await mkdtemp(join(tmpdir(), 'abri-ui-certs-'));
  const m: TestManager = await startTestManager({
    settings: { ABRI_LOCAL_AGENT: '1', ABRI_DATA_DIR: dataDir, ABRI_RECONCILE_SECONDS: '1', ABRI_PLATFORM_DOMAIN: PLATFORM, ABRI_DNS_MX: `10 mx.${PLATFORM}`, ABRI_DNS_SPF: 'v=spf1 mx -all' },
  });
  t.after(async () => {
    await m.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(certDir, { recursive: true, force: true });
  });
  const started = Date.now();
  const { customer, hosting } = await seedHosting(m, { customer: 'Les Amis du Jardin', offer: { maxSites: 10 } });
  const owner = await m.user('tresoriere@amis-du-jardin.test');
  await m.user('lecteur@amis-du-jardin.test');
  assert.equal((await m.api('PATCH', `/api/v1/users/${owner.id}`, { locale: 'fr' })).status, 200);
  for (const [email, role] of [['tresoriere@amis-du-jardin.test', 'owner'], ['lecteur@amis-du-jardin.test', 'readonly']] as const) {
    assert.equal((await m.join(customer.id, email, role)).status, 201);
  }
  const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: DOMAIN, aliases: [`www.${DOMAIN}`], httpsMode: 'redirect' })).body;
  const zone = (await m.api('GET', `/api/v1/zones/${DOMAIN}`)).body;
  const good = await selfSigned(certDir, 'good', DOMAIN);
  const other = await selfSigned(certDir, 'other', DOMAIN);

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'fr-FR' });
  const page = ui.page;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('a new site with a platform address, its DNS hosted elsewhere: the records to set, then the platform publishes the zone', async () => {
    await logIn(page, m.url, 'tresoriere@amis-du-jardin.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${hosting.id}/sites/new`);
    await heading(page, `Ajouter un site à ${hosting.name}`);
    await page.getByLabel('Domaine').fill('jardin-partage.org');
    await page.getByLabel('Adresse sur la plateforme (facultatif)').fill('jardin');
    await page.getByLabel('Mon DNS est hébergé ailleurs').check();
    await assertAccessible(page, 'site form with the DNS choice');
    await screenshot(page, 'site-form-dns-fr');
    await page.getByRole('button', { name: 'Ajouter un site' }).click();
    await heading(page, 'jardin-partage.org');
    assert.equal(await page.getByTestId('site-platform-name').innerText(), `jardin.${PLATFORM}`);
    await page.getByRole('link', { name: 'DNS', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'Zone DNS jardin-partage.org' }).waitFor();
    await page.getByText('publiée ailleurs').first().waitFor();
    const required = page.getByTestId('required-records');
    await required.waitFor();
    assert.match(await required.innerText(), /jardin-partage\.org\s+A\s+127\.0\.0\.1\s+pas encore en place/);
    await page.getByText(`jardin.${PLATFORM} est une adresse sous le domaine de la plateforme`).waitFor();
    await page.getByRole('button', { name: 'Vérifier maintenant' }).click();
    await page.getByText('Des enregistrements manquent ou mènent ailleurs.').waitFor();
    await assertAccessible(page, 'DNS tab of an external zone');
    await screenshot(page, 'dns-external-fr');
    await page.getByRole('button', { name: 'Laisser la plateforme publier la zone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Laisser la plateforme publier jardin-partage.org ?' });
    assert.match(await dialog.innerText(), /ne sont pas recopiés/);
    await dialog.getByRole('button', { name: 'Oui, la publier sur la plateforme' }).click();
    await page.getByText('publiée par la plateforme').first().waitFor();
    await page.getByRole('heading', { level: 2, name: 'Enregistrements' }).waitFor();
    assert.equal((await m.api('GET', '/api/v1/zones/jardin-partage.org')).body.dns, 'managed');
  });

  await step('a managed zone: the platform’s records are kept by it, without buttons; the name servers to use', async () => {
    // the site has an alias (www): its zone is found without asking for a zone named after the alias
    const notFound: string[] = [];
    const watch = (r: { url(): string; status(): number }) => void (r.status() === 404 && notFound.push(r.url()));
    page.on('response', watch);
    await page.goto(`${m.url}/sites/${site.id}/dns`);
    await page.getByRole('heading', { level: 2, name: `Zone DNS ${DOMAIN}` }).waitFor();
    await page.getByTestId('table-status').getByText(/au total/).waitFor();
    await page.waitForLoadState('networkidle');
    page.off('response', watch);
    assert.deepEqual(notFound, [], 'no answer 404 on the DNS tab of a site with an alias');
    const soa = recordRow(page, '@', 'SOA');
    assert.match(await soa.innerText(), /tenu par la plateforme\s+réglages de la zone/);
    assert.equal(await soa.getByRole('button').count(), 0);
    const edge = recordRow(page, 'www', 'A', '127.0.0.1');
    assert.match(await edge.innerText(), /tenu par la plateforme\s+dirige le site vers la plateforme/);
    assert.equal(await edge.getByRole('button').count(), 0);
    const spf = recordRow(page, '@', 'TXT', 'v=spf1 mx -all');
    assert.deepEqual(await spf.getByRole('button').allInnerTexts(), ['Modifier', 'Supprimer']);
    assert.deepEqual(await page.getByTestId('nameservers').locator('li').allInnerTexts(), [`ns1.${PLATFORM}`, `ns2.${PLATFORM}`]);
    await page.getByRole('button', { name: 'Vérifier les serveurs de noms' }).click();
    await page.getByText('La plateforme n’a encore aucun serveur de noms à interroger').waitFor();
    await assertAccessible(page, 'DNS tab of a managed zone');
  });

  const form = () => page.getByRole('form', { name: 'Ajouter un enregistrement' });

  await step('the customer adds an MX and a TXT record', async () => {
    await form().getByLabel('Nom').fill('@');
    await form().getByLabel('Type').selectOption('MX');
    assert.match(await form().locator('.field', { has: page.getByLabel('Valeur') }).locator('.hint').innerText(), /priorité, une espace, puis le serveur de mail/);
    await form().getByLabel('Valeur').fill('20 mx2.example.net');
    await form().getByRole('button', { name: 'Ajouter l’enregistrement' }).click();
    await page.getByText('L’enregistrement MX de @ a été ajouté.').waitFor();
    await recordRow(page, '@', 'MX', '20 mx2.example.net.').waitFor();
    await form().getByLabel('Nom').fill('_dmarc');
    await form().getByLabel('Type').selectOption('TXT');
    assert.match(await form().locator('.field', { has: page.getByLabel('Valeur') }).locator('.hint').innerText(), /guillemets sont ajoutés pour vous/);
    await form().getByLabel('Valeur').fill('v=DMARC1; p=none');
    await form().getByLabel('Durée de vie en secondes (facultatif)').fill('600');
    await form().getByRole('button', { name: 'Ajouter l’enregistrement' }).click();
    await page.getByText('L’enregistrement TXT de _dmarc a été ajouté.').waitFor();
    await recordRow(page, '_dmarc', 'TXT', '"v=DMARC1; p=none"', '600').waitFor();
    const records = (await m.api('GET', `/api/v1/zones/${DOMAIN}/records?limit=100`)).body.items;
    assert.ok(records.some((r: any) => r.type === 'TXT' && r.name === `_dmarc.${DOMAIN}` && r.ttl === 600 && !r.managed));
  });

  await step('a wrong IPv4 address: the error shows next to the value (by its code, else the API’s words marked as English)', async () => {
    await form().getByLabel('Nom').fill('intranet');
    await form().getByLabel('Type').selectOption('A');
    await form().getByLabel('Valeur').fill('192.0.2.300');
    await form().getByRole('button', { name: 'Ajouter l’enregistrement' }).click();
    const error = form().locator('.field', { has: page.getByLabel('Valeur') }).getByTestId('field-error');
    assert.match(await error.innerText(), /IPv4/);
    if ((await error.locator('[lang="en"]').count()) === 0) assert.doesNotMatch(await error.innerText(), /must be/, 'a translated text, or the English one marked lang="en"');
    assert.equal(await form().getByLabel('Valeur').getAttribute('aria-invalid'), 'true');
    assert.equal(await form().getByTestId('form-error').innerText(), 'Certains champs sont à corriger : voyez les messages sous chacun d’eux.');
    await form().getByLabel('Durée de vie en secondes (facultatif)').fill('5');
    await form().getByLabel('Valeur').fill('192.0.2.30');
    await form().getByRole('button', { name: 'Ajouter l’enregistrement' }).click();
    const ttlError = form().locator('.field', { has: page.getByLabel('Durée de vie en secondes (facultatif)') }).getByTestId('field-error');
    assert.equal(await ttlError.innerText(), 'Au moins 60 secondes.');
    await assertAccessible(page, 'record form with errors');
    await form().getByLabel('Durée de vie en secondes (facultatif)').fill('');
    await form().getByRole('button', { name: 'Ajouter l’enregistrement' }).click();
    await recordRow(page, 'intranet', 'A', '192.0.2.30').waitFor();
  });

  await step('search and sort the records', async () => {
    await page.getByLabel('Rechercher dans les enregistrements').fill('dmarc');
    await page.getByTestId('table-status').getByText('1 au total').waitFor();
    assert.deepEqual((await tableRows(page)).map((r) => r.slice(0, 2)), [['_dmarc', 'TXT']]);
    await page.getByLabel('Rechercher dans les enregistrements').fill('');
    await page.getByRole('button', { name: /^Type/ }).click();
    await page.waitForFunction(() => document.querySelector('th[aria-sort="ascending"]')?.textContent?.startsWith('Type'));
    await page.waitForFunction(() => document.querySelector('.data-table tbody tr td code')?.textContent === 'A');
    const types = (await tableRows(page)).map((r) => r[1]);
    assert.deepEqual(types, [...types].sort());
  });

  await step('the customer changes a record, then removes it after a confirmation naming it', async () => {
    // with the keyboard: the button, then the form that takes the focus, with a visible focus ring
    await recordRow(page, '@', 'MX', '20 mx2.example.net.').getByRole('button', { name: 'Modifier l’enregistrement MX de @' }).focus();
    await page.keyboard.press('Enter');
    const edit = page.getByRole('form', { name: 'Modifier l’enregistrement MX de @' });
    assert.equal(await edit.getByLabel('Valeur').inputValue(), '20 mx2.example.net.');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'name', 'the form takes the focus');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'none', 'the focused field shows a focus ring');
    await edit.getByLabel('Valeur').fill('30 mx2.example.net');
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('L’enregistrement MX de @ a été modifié.').waitFor();
    await recordRow(page, '@', 'MX', '30 mx2.example.net.').waitFor();
    await recordRow(page, '@', 'MX', '30 mx2.example.net.').getByRole('button', { name: 'Supprimer l’enregistrement MX de @' }).click();
    const dialog = page.getByRole('dialog', { name: 'Supprimer l’enregistrement MX de @ ?' });
    assert.match(await dialog.innerText(), new RegExp(`${DOMAIN} 3600 MX 30 mx2\\.example\\.net\\.`));
    await assertAccessible(page, 'record removal dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await recordRow(page, '@', 'MX', '30 mx2.example.net.').count(), 1, 'Escape cancels');
    await recordRow(page, '@', 'MX', '30 mx2.example.net.').getByRole('button', { name: 'Supprimer l’enregistrement MX de @' }).click();
    await dialog.getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText('L’enregistrement MX de @ a été supprimé.').waitFor();
    // the message comes with the answer; the table reloads right after
    await recordRow(page, '@', 'MX', '30 mx2.example.net.').waitFor({ state: 'detached' });
    const records = (await m.api('GET', `/api/v1/zones/${DOMAIN}/records?limit=100`)).body.items;
    assert.ok(!records.some((r: any) => r.content.includes('mx2.example.net')));
    await screenshot(page, 'dns-tab-fr');
  });

  await step('the DNS and Certificate tabs switch to English and back with nothing left untranslated', async () => {
    for (const tab of ['dns', 'certificate']) {
      await page.goto(`${m.url}/sites/${site.id}/${tab}`);
      await settle(page);
      await page.locator('.tab-panel h2').first().waitFor();
      const texts = { fr: await visibleTexts(page), en: [] as string[] };
      await page.getByRole('banner').getByTestId('lang-en').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      await settle(page);
      texts.en = await visibleTexts(page);
      await assertAccessible(page, `${tab} tab in English`);
      if (tab === 'dns') await screenshot(page, 'dns-tab-en');
      await page.getByRole('banner').getByTestId('lang-fr').click();
      await page.waitForFunction(() => document.documentElement.lang === 'fr');
      await settle(page);
      const report = compareLanguages(texts, ['Les Amis du Jardin', hosting.name, 'Mozilla']);
      assert.deepEqual(report.en, { foreign: [], unchanged: [] }, `${tab} tab in English`);
      assert.deepEqual(report.fr, { foreign: [], unchanged: [] }, `${tab} tab in French`);
      assert.deepEqual(await missingKeys(page), []);
    }
  });

  await step('the certificate is being obtained; the reason says certificates are not ordered here', async () => {
    await page.goto(`${m.url}/sites/${site.id}/certificate`);
    await page.getByTestId('certificate-status').waitFor();
    assert.equal(await page.getByTestId('certificate-status').innerText(), 'En cours d’obtention');
    assert.match(await page.getByTestId('certificate-error').innerText(), /^Dernière erreur : /);
    await page.getByRole('button', { name: 'Renouveler maintenant' }).click();
    await page.getByRole('alert').getByText('Cette plateforme n’obtient pas de certificats automatiquement : envoyez votre propre certificat').waitFor();
    await assertAccessible(page, 'certificate tab (pending)');
  });

  await step('uploading a certificate: a key of another certificate is refused next to the key field, then the right one makes it valid', async () => {
    await page.getByText('Envoyer mon propre certificat').click();
    const upload = page.getByRole('form', { name: 'Envoyer mon propre certificat' });
    assert.match(await upload.locator('.field', { has: page.getByLabel('Clé privée') }).locator('.hint').innerText(), /conservée chiffrée et n’est plus jamais affichée/);
    await upload.getByLabel('Certificat', { exact: true }).fill(good.cert);
    await upload.getByLabel('Clé privée').fill(other.key);
    await upload.getByRole('button', { name: 'Envoyer le certificat' }).click();
    const keyError = upload.locator('.field', { has: page.getByLabel('Clé privée') }).getByTestId('field-error');
    assert.equal(await keyError.innerText(), 'Cette clé privée ne correspond pas au certificat.');
    assert.equal(await upload.locator('.field', { has: page.getByLabel('Certificat', { exact: true }) }).getByTestId('field-error').count(), 0);
    await assertAccessible(page, 'certificate upload with an error');
    await upload.getByLabel('Clé privée').fill(good.key);
    await upload.getByRole('button', { name: 'Envoyer le certificat' }).click();
    await page.getByText('Votre certificat a été enregistré : la plateforme le sert désormais.').waitFor();
    assert.equal(await page.getByTestId('certificate-status').innerText(), 'Valide');
    const api = (await m.api('GET', `/api/v1/sites/${site.id}/certificate`)).body;
    assert.equal(api.source, 'custom');
    const expiry = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium' }).format(new Date(api.notAfter));
    assert.equal(await page.getByTestId('certificate-expiry').innerText(), expiry);
    assert.match(await page.getByTestId('certificate-explained').innerText(), new RegExp(`votre propre certificat, valable jusqu’au ${expiry}`));
    assert.match(await page.locator('main').innerText(), /Où il est déployé/);
    assert.equal(await page.getByRole('button', { name: 'Renouveler maintenant' }).count(), 0, 'an uploaded certificate is not renewed by the platform');
    await assertAccessible(page, 'certificate tab (valid)');
    await screenshot(page, 'certificate-tab-fr');
  });

  await step('going back to automatic certificates, after a confirmation', async () => {
    await page.getByRole('button', { name: 'Revenir aux certificats automatiques' }).click();
    const dialog = page.getByRole('dialog', { name: `Revenir aux certificats automatiques pour ${DOMAIN} ?` });
    assert.match(await dialog.innerText(), /clé privée sont effacés/);
    await dialog.getByRole('button', { name: 'Oui, supprimer mon certificat' }).click();
    await page.getByText('Votre certificat a été supprimé : la plateforme en obtient désormais un d’elle-même.').waitFor();
    assert.equal(await page.getByTestId('certificate-status').innerText(), 'En cours d’obtention');
    assert.equal((await m.api('GET', `/api/v1/sites/${site.id}/certificate`)).body.source, 'acme');
  });

  await step('a read-only person sees the records and the certificate, without any change control', async () => {
    const reader = await openPage(browser, { locale: 'en-GB' });
    await logIn(reader.page, m.url, 'lecteur@amis-du-jardin.test', 'correct horse battery');
    await reader.page.goto(`${m.url}/sites/${site.id}/dns`);
    await reader.page.getByTestId('table-status').getByText(/in all/).waitFor();
    await recordRow(reader.page, '_dmarc', 'TXT').waitFor();
    assert.equal(await reader.page.locator('.data-table tbody').getByRole('button').count(), 0);
    assert.equal(await reader.page.getByRole('form').count(), 0);
    assert.equal(await reader.page.getByRole('button', { name: 'Check the name servers' }).count(), 1, 'checking is reading');
    await reader.page.goto(`${m.url}/sites/${site.id}/certificate`);
    await reader.page.getByTestId('certificate-status').waitFor();
    assert.equal(await reader.page.getByRole('button', { name: /Renew now|Upload/ }).count(), 0);
    assert.equal(await reader.page.getByText('Upload my own certificate').count(), 0);
    assert.deepEqual(reader.problems, []);
  });

  const staff = await openPage(browser, { locale: 'en-GB' });
  const spage = staff.page;
  const staffStep = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(staff, name, f));

  await staffStep('staff list the certificates: filter by status, search, sort by expiry, open a site', async () => {
    await m.api('POST', `/api/v1/sites/${site.id}/certificate`, { certificate: good.cert, privateKey: good.key });
    await logIn(spage, m.url, 'admin@abri.test', 'correct horse battery');
    await spage.getByRole('link', { name: 'Certificates' }).click();
    await heading(spage, 'Certificates');
    await spage.getByTestId('table-status').getByText('3 in all').waitFor();
    const sites = async () => (await tableRows(spage)).map((r) => r[0]);
    assert.deepEqual([...(await sites())].sort(), ['The platform (wildcard)', DOMAIN, 'jardin-partage.org'].sort());
    assert.equal((await sites())[0], DOMAIN, 'the soonest expiry first (the others have none yet)');
    await spage.getByLabel('Status').selectOption('pending');
    await spage.getByTestId('table-status').getByText('2 in all').waitFor();
    assert.ok((await tableRows(spage)).every((r) => r[3] === 'Being obtained'));
    assert.match((await tableRows(spage))[0][5], /certificates are not ordered on this platform|does not obtain certificates automatically/);
    await spage.getByLabel('Status').selectOption('');
    await spage.getByRole('button', { name: /^Expires on/ }).click();
    await spage.waitForFunction(() => document.querySelector('th[aria-sort="descending"]')?.textContent?.startsWith('Expires on'));
    await spage.waitForFunction((d) => document.querySelector('.data-table tbody tr:last-child th')?.textContent === d, DOMAIN);
    await spage.getByLabel('Search certificates').fill('jardin-partage');
    await spage.getByTestId('table-status').getByText('1 in all').waitFor();
    await assertAccessible(spage, 'staff certificates');
    await screenshot(spage, 'staff-certificates');
    await spage.getByLabel('Search certificates').fill(DOMAIN);
    await spage.getByTestId('table-status').getByText('1 in all').waitFor();
    await spage.getByRole('link', { name: DOMAIN }).click();
    await heading(spage, DOMAIN);
    assert.equal(await spage.getByTestId('certificate-status').innerText(), 'Valid');
  });

  await staffStep('staff list the zones and edit the platform’s own zone with the same records editor', async () => {
    await spage.getByRole('link', { name: 'Zones' }).click();
    await heading(spage, 'Zones');
    await spage.getByTestId('table-status').getByText('3 in all').waitFor();
    const rows = await tableRows(spage);
    assert.deepEqual(rows.map((r) => [r[0], r[2]]), [[DOMAIN, 'published by the platform'], ['jardin-partage.org', 'published by the platform'], [PLATFORM, 'published by the platform']]);
    await spage.waitForFunction(() => document.querySelector('.data-table tbody tr td a')?.textContent?.includes('Les Amis du Jardin'));
    assert.equal((await tableRows(spage))[2][1], 'the platform');
    await spage.getByLabel('Customer number').fill(String(customer.number));
    await spage.getByTestId('table-status').getByText('2 in all').waitFor();
    await spage.getByLabel('Customer number').fill('');
    await spage.getByLabel('Search zones').fill(PLATFORM);
    await spage.getByTestId('table-status').getByText('1 in all').waitFor();
    await assertAccessible(spage, 'staff zones');
    await screenshot(spage, 'staff-zones');
    await spage.getByRole('link', { name: PLATFORM }).click();
    await heading(spage, `DNS zone ${PLATFORM}`);
    // the sites' platform addresses are covered by the platform's wildcard record
    await recordRow(spage, '*', 'A', '127.0.0.1').waitFor();
    assert.equal(await recordRow(spage, '*', 'A', '127.0.0.1').getByRole('button').count(), 0);
    const add = spage.getByRole('form', { name: 'Add a record' });
    await add.getByLabel('Name').fill('status');
    await add.getByLabel('Type').selectOption('CNAME');
    await add.getByLabel('Value').fill(`www.${DOMAIN}`);
    await add.getByRole('button', { name: 'Add the record' }).click();
    await recordRow(spage, 'status', 'CNAME', `www.${DOMAIN}.`).waitFor();
    await add.getByLabel('Name').fill('www');
    await add.getByLabel('Type').selectOption('A');
    await add.getByLabel('Value').fill('192.0.2.99');
    await add.getByRole('button', { name: 'Add the record' }).click();
    assert.match(await add.locator('.field', { has: spage.getByLabel('Name') }).getByTestId('field-error').innerText(),
      /^The platform keeps the (A )?records of this name: choose another name\.$/);
    await assertAccessible(spage, 'staff zone page');
    await screenshot(spage, 'staff-zone');
  });

  await t.test('a 360 px wide phone: the tabs and the staff pages do not scroll sideways', async () => {
    const phone = await openPage(browser, { locale: 'fr-FR', width: 360, height: 740 });
    await withEvidence(phone, 'phone', async () => {
      await logIn(phone.page, m.url, 'admin@abri.test', 'correct horse battery');
      for (const path of [`/sites/${site.id}/dns`, `/sites/${site.id}/certificate`, '/staff/zones', `/staff/zones/${zone.id}`, '/staff/certificates']) {
        await phone.page.goto(`${m.url}${path}`);
        await settle(phone.page);
        await phone.page.waitForLoadState('networkidle');
        await noSideScroll(phone.page, path);
        await assertAccessible(phone.page, `${path} at 360 px`);
      }
      await phone.page.goto(`${m.url}/sites/${site.id}/dns`);
      await settle(phone.page);
      await screenshot(phone.page, 'phone-dns-fr');
      assert.deepEqual(phone.problems, []);
    });
  });

  await t.test('no missing translation and no page error along the way', async () => {
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(await missingKeys(spage), []);
    assert.deepEqual([...ui.problems, ...staff.problems], []);
    t.diagnostic(`ran in ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
