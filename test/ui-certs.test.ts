// The Certificate tab of a site, and the staff's Certificates and Zones pages, in a real browser
// against a real manager (its local render-only agent plays the edge at 127.0.0.1). A French-speaking
// customer: a certificate being obtained, an upload refused (wrong key) then valid, back to automatic
// certificates. Staff list certificates and zones and edit the platform's zone. axe-core on every
// page, and no horizontal scrolling at 360 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, logIn, missingKeys, openPage, screenshot, tableRows, withEvidence } from './helpers/browser.js';
import { DOMAIN, noSideScroll, PLATFORM, recordRow, selfSigned, settle, startDnsCertsUi } from './helpers/ui-dns-certs.js';

test('the certificate tab, and the staff’s certificates and zones', browserTest(), async (t) => {
  const started = Date.now();
  const { m, customer, hosting, site, zone, certDir, browser, ui, page, step } = await startDnsCertsUi(t);
  const good = await selfSigned(certDir, 'good', DOMAIN);
  const other = await selfSigned(certDir, 'other', DOMAIN);
  // a second site, its zone published by the platform (ui-dns does it through the DNS tab)
  const jardin = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'jardin-partage.org', platformSubdomain: 'jardin', dns: 'external' });
  assert.equal(jardin.status, 201, JSON.stringify(jardin.body));
  const jardinZone = (await m.api('GET', '/api/v1/zones/jardin-partage.org')).body;
  assert.equal((await m.api('PATCH', `/api/v1/zones/${jardinZone.id}`, { dns: 'managed' })).status, 200);
  await logIn(page, m.url, 'tresoriere@amis-du-jardin.test', 'correct horse battery');

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
