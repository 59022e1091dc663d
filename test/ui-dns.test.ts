// The DNS tab of a site in a real browser against a real manager (its local render-only agent plays
// the edge at 127.0.0.1). A French-speaking customer: adds a site whose DNS is elsewhere with a
// platform address, reads the records to set, lets the platform publish the zone; on a managed zone
// adds an MX and a TXT record, meets a field error in French, changes then removes a record with
// confirmation, sees the platform's records without buttons; switches the DNS and Certificate tabs to
// English and back. A read-only person sees no change control. axe-core on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, logIn, missingKeys, openPage, screenshot, tableRows } from './helpers/browser.js';
import { compareLanguages, visibleTexts } from './helpers/i18n-check.js';
import { DOMAIN, PLATFORM, recordRow, settle, startDnsCertsUi } from './helpers/ui-dns-certs.js';

test('the DNS tab of a site: external and managed zones, records, languages, a read-only person', browserTest(), async (t) => {
  const started = Date.now();
  const { m, hosting, site, browser, ui, page, step } = await startDnsCertsUi(t);

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
    await settle(page); // every request answered
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

  await t.test('no missing translation and no page error along the way', async () => {
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(ui.problems, []);
    t.diagnostic(`ran in ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
