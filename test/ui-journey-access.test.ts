// The main story in a real browser, who reaches what: a full site quota offers no "Add a site"; a
// customer cannot reach another customer's hosting by editing the URL; an existing account joins two
// more customers (logged in, then from the login form, in French); staff look at the background jobs
// and run one again; a suspended hosting is read-only for its customer. axe-core on every main page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, logIn, missingKeys, openPage, screenshot, tableRows, type UiPage } from './helpers/browser.js';
import { seedHosting } from './helpers/manager.js';
import { owner, ownerAccepted, secretOf, staffMadeTheCustomer, startJourney } from './helpers/ui-journey.js';

test('who reaches what in the web UI: quotas, other customers, joining, jobs, suspension', browserTest(), async (t) => {
  const { m, browser, staff, page } = await startJourney(t);
  const { hosting, invitation } = await staffMadeTheCustomer(m);
  await ownerAccepted(m, invitation);
  const site = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'amis-du-jardin.fr', aliases: ['www.amis-du-jardin.fr'], phpVersion: '8.3' });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const siteUrl = '/sites/amis-du-jardin.fr';
  // the invited person reads English: the account it creates keeps English (the API's default is French)
  const customer: UiPage = await openPage(browser, { locale: 'en-GB' });
  const cpage = customer.page;

  await logIn(cpage, m.url, owner.email, owner.password);

  await t.test('at a full site quota, "Add a site" is not offered, and the page says why', async () => {
    const full = await seedHosting(m, { customer: 'Petit Jardin', offer: { maxSites: 1 } });
    assert.equal((await m.api('POST', `/api/v1/hostings/${full.hosting.id}/sites`, { domain: 'petit-jardin.test' })).status, 201);
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${full.hosting.name}`);
    await heading(page, `Hosting ${full.hosting.name}`);
    await page.getByTestId('sites-full').waitFor();
    assert.match(await page.getByTestId('sites-full').innerText(), /has the one site its offer “Offer \w+” allows/);
    assert.equal(await page.getByRole('link', { name: 'Add a site' }).count(), 0);
    await assertAccessible(page, 'hosting at its site quota');
  });

  await t.test('another customer’s hosting, site or customer answers "Not found" in the UI', async () => {
    const other = await seedHosting(m, { customer: 'Someone Else' });
    const otherSite = (await m.api('POST', `/api/v1/hostings/${other.hosting.id}/sites`, { domain: 'someone-else.test' })).body;
    for (const path of [`/hostings/${other.hosting.id}`, `/hostings/${other.hosting.name}`, `/sites/${otherSite.id}`, `/customers/${other.customer.id}`, '/staff/customers']) {
      await cpage.goto(`${m.url}${path}`);
      await heading(cpage, 'Not found');
      assert.doesNotMatch(await cpage.locator('main').innerText(), /someone/i, path);
    }
  });

  await t.test('an existing account joins another customer: logged in as itself, it consents', async () => {
    const verger = (await m.api('POST', '/api/v1/customers', { name: 'Le Verger', contactEmail: 'verger@asso.test' })).body;
    const link = (await m.api('POST', `/api/v1/customers/${verger.id}/invitations`, { email: 'tresoriere@amis-du-jardin.test', role: 'manager' })).body.invitationUrl;
    await cpage.goto(`${m.url}/invitation#${secretOf(link)}`);
    await heading(cpage, 'Welcome to Abri');
    await cpage.getByText('You are logged in as tresoriere@amis-du-jardin.test.').waitFor();
    await assertAccessible(cpage, 'invitation consent');
    await cpage.getByRole('button', { name: `Join Le Verger (customer no. ${verger.number}) as a manager` }).click();
    await heading(cpage, `Customer ${verger.number} · Le Verger`);
    await cpage.getByTestId('people').getByText('tresoriere@amis-du-jardin.test (you)').waitFor(); // the list loads after the heading
    assert.match(await cpage.getByTestId('people').innerText(), /tresoriere@amis-du-jardin\.test \(you\)\s+manager/);
    assert.equal(await cpage.getByRole('form', { name: 'Invite someone' }).count(), 0, 'a manager does not invite');
  });

  await t.test('an existing account logs in from the link (in French) and joins; another account is told to switch', async () => {
    const ruches = (await m.api('POST', '/api/v1/customers', { name: 'Les Ruches', contactEmail: 'ruches@asso.test' })).body;
    const link = (await m.api('POST', `/api/v1/customers/${ruches.id}/invitations`, { email: 'tresoriere@amis-du-jardin.test', role: 'readonly' })).body.invitationUrl;
    // staff logged in open it: the link is for someone else
    await page.goto(`${m.url}/invitation#${secretOf(link)}`);
    await page.getByText('This invitation is for another account').waitFor();
    assert.match(await page.locator('main').innerText(), /You are logged in as admin@abri\.test, but this invitation is for tresoriere@amis-du-jardin\.test\. Log out, then log in as tresoriere@amis-du-jardin\.test to accept it\./);
    await assertAccessible(page, 'invitation for another account');
    // the invited person, in a French browser, not logged in
    const fr = await openPage(browser, { locale: 'fr-FR' });
    await fr.page.goto(`${m.url}/invitation#${secretOf(link)}`);
    await heading(fr.page, 'Bienvenue sur Abri');
    const summary = fr.page.getByTestId('invitation-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), new RegExp(`^Vous êtes invité·e à agir pour Les Ruches \\(client n° ${ruches.number}\\) en lecture seule\\.\\s+Le rôle « lecture seule » permet : voit tout, ne modifie rien\\.$`));
    assert.match(await fr.page.locator('main').innerText(), /Un compte tresoriere@amis-du-jardin\.test existe déjà sur cette plateforme\. Connectez-vous à ce compte pour rejoindre Les Ruches/);
    assert.equal(await fr.page.getByLabel('Adresse e-mail').inputValue(), 'tresoriere@amis-du-jardin.test', 'the invited email is filled in');
    await assertAccessible(fr.page, 'invitation log in (fr)');
    await screenshot(fr.page, 'invitation-log-in-fr');
    await fr.page.getByLabel('Mot de passe').fill('tomates et courgettes');
    await fr.page.getByRole('button', { name: 'Se connecter et rejoindre' }).click();
    // logged in, the account's own language (English) is adopted
    await heading(fr.page, `Customer ${ruches.number} · Les Ruches`);
    const me = await fr.page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.deepEqual(me.customers.map((c: { name: string; role: string }) => `${c.name} ${c.role}`).sort(), ['Le Verger manager', 'Les Amis du Jardin owner', 'Les Ruches readonly']);
    // the link is spent (opened afresh: the same address with its #secret would not load the page again)
    await page.goto(`${m.url}/staff/customers`);
    await page.goto(`${m.url}/invitation#${secretOf(link)}`);
    await page.getByTestId('invitation-unusable').waitFor();
    assert.deepEqual(await missingKeys(fr.page), []);
    assert.deepEqual(fr.problems, []);
    await fr.context.close();
  });

  await t.test('staff see the background jobs, open one and run it again', async () => {
    await page.goto(`${m.url}/staff/customers`);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Jobs' }).click();
    await heading(page, 'Jobs');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
    const rows = await tableRows(page);
    assert.ok(rows.length > 0, 'the site’s certificate has a job');
    const certificate = rows.find((r) => r[1].startsWith('Certificate'));
    assert.ok(certificate, JSON.stringify(rows));
    assert.match(certificate[0], /^(scheduled|running|done|failed)$/);
    await assertAccessible(page, 'jobs page');
    await screenshot(page, 'staff-jobs');
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByText('Nothing matches this search.').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.locator('.data-table').getByRole('link', { name: 'Certificate', exact: true }).first().click(); // not the menu's Certificates
    await heading(page, 'Job: Certificate');
    await assertAccessible(page, 'job page');
    const retry = page.getByRole('button', { name: 'Run again now' });
    if (await retry.isEnabled()) {
      await retry.click();
      await page.locator('.notice-success, .notice-error').first().waitFor();
      assert.match(await page.locator('main').innerText(), /The job will run again in a moment\.|This job is running: it can be run again once it ends\./);
    }
  });

  await t.test('a suspended hosting (with a reason) is read-only for its customer, and says so', async () => {
    const hostingName = (await m.api('GET', '/api/v1/sites/amis-du-jardin.fr')).body.hostingName;
    await page.goto(`${m.url}/hostings/${hostingName}`);
    await heading(page, `Hosting ${hostingName}`);
    await page.getByRole('button', { name: 'Suspend' }).click();
    const dialog = page.getByRole('dialog', { name: `Suspend ${hostingName}?` });
    await dialog.getByLabel('Reason (optional)').fill('unpaid invoice 2024-07');
    await assertAccessible(page, 'suspension dialog');
    await dialog.getByRole('button', { name: 'Suspend' }).click();
    // the dialog closes once the change is saved and what is on screen was asked again (a loaded machine takes a while)
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Reactivate' }).waitFor();
    const audit = (await m.api('GET', '/api/v1/audit?action=hosting.suspend')).body.items;
    assert.match(JSON.stringify(audit[0] ?? {}), /unpaid invoice 2024-07/);
    await cpage.goto(`${m.url}/hostings/${hostingName}`);
    await heading(cpage, `Hosting ${hostingName}`);
    assert.match(await cpage.getByTestId('read-only-notice').innerText(), /^This hosting is suspended: .*you can read its settings but not change them/);
    assert.equal(await cpage.getByRole('link', { name: 'Add a site' }).count(), 0);
    await assertAccessible(cpage, 'suspended hosting');
    await cpage.goto(`${m.url}${siteUrl}`);
    await heading(cpage, 'amis-du-jardin.fr');
    await cpage.getByTestId('read-only-notice').waitFor();
    assert.equal(await cpage.getByRole('link', { name: 'Change the settings' }).count(), 0);
    assert.equal(await cpage.getByRole('button', { name: 'Remove this site' }).count(), 0);
    // the API refuses all the same, and the refusal is translated by its code
    const refused = await cpage.evaluate(async (url) => {
      const me = await (await fetch('/api/v1/me')).json();
      const r = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify({ phpVersion: '8.2' }) });
      return (await r.json()).code;
    }, '/api/v1/sites/amis-du-jardin.fr');
    assert.equal(refused, 'hosting.suspended');
    await page.getByRole('button', { name: 'Reactivate' }).click();
    const reactivate = page.getByRole('dialog', { name: `Reactivate ${hostingName}?` });
    await reactivate.getByRole('button', { name: 'Reactivate' }).click();
    await reactivate.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Suspend' }).waitFor();
  });

  await t.test('no missing translation and no page error along the way', async () => {
    assert.deepEqual(await missingKeys(page), []);
    assert.deepEqual(await missingKeys(cpage), []);
    assert.deepEqual([...staff.problems, ...customer.problems], []);
  });
});
