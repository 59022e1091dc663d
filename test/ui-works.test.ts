// Works in a real browser against a real manager: the staff announce a maintenance on a server
// (a missing plan refused with its reason), move its plan (kept in the history), start and end it
// with updates, in English; the customer whose hosting is on that server reads it on the dashboard,
// on the hosting and on its page, in French; the other customer sees no work. Axe on each page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, logOut, missingKeys, openPage, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { alphaAndBravo, startTestManager } from './helpers/manager.js';

const plain = (s: string) => s.replace(/\s+/g, ' ').trim();

test('works in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  for (const [name, address] of [['web-1', '192.0.2.61'], ['web-2', '192.0.2.62']]) {
    assert.equal((await m.api('POST', '/api/v1/servers', { name, roles: ['web'], addresses: [address] })).status, 201);
  }
  const { a, b } = await alphaAndBravo(m);
  assert.equal((await m.api('PATCH', `/api/v1/hostings/${a.hosting.id}`, { serverId: 'web-1' })).status, 200);
  assert.equal((await m.api('PATCH', `/api/v1/hostings/${b.hosting.id}`, { serverId: 'web-2' })).status, 200);
  await m.manager.app.db.updateTable('users').set({ locale: 'fr' }).where('email', '=', 'owner@alpha.test').execute();

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('the staff announce a maintenance on web-1', async () => {
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Works' }).click();
    await heading(page, 'Works');
    await settled(page);
    await assertAccessible(page, 'works list');
    await page.getByRole('link', { name: 'Announce a work' }).click();
    await heading(page, 'Announce a work');
    const form = page.getByRole('form', { name: 'Announce a work' });
    await form.getByLabel('Title in French').fill('Mise à jour de web-1');
    await form.getByLabel('Title in English').fill('Upgrade of web-1');
    await form.getByLabel('Text in English').fill('Apache restarts.');
    await form.getByLabel('web-1', { exact: true }).check();
    await form.getByRole('button', { name: 'Announce' }).click();
    await form.getByText('A maintenance or an evolution is announced with its planned start and duration.').waitFor();
    await form.getByLabel('Planned start (UTC)').fill('2030-01-15T02:30:00Z');
    await form.getByLabel('Planned duration (minutes)').fill('30');
    await assertAccessible(page, 'announce form');
    await form.getByRole('button', { name: 'Announce' }).click();
    await heading(page, 'Work #1: Upgrade of web-1');
    await settled(page);
    assert.match(plain(await page.getByTestId('work-planned').innerText()), /\(30 minutes\)$/);
    assert.match(plain(await page.locator('dl.facts').innerText()), /1 hostings of 1 customers/);
    await assertAccessible(page, 'work page (staff)');
  });

  await step('the staff move the plan: the move stays in the history', async () => {
    const form = page.getByRole('form', { name: 'Change the plan' });
    await form.getByLabel('Planned start (UTC)').fill('2030-01-15T03:00:00Z');
    await form.getByLabel('Why, in English').fill('Moved by half an hour.');
    await form.getByRole('button', { name: 'Move' }).click();
    await page.getByTestId('work-history').getByText('Moved by half an hour.').waitFor();
    assert.match(plain(await page.getByTestId('work-history').innerText()), /Moved from .*2030.* \(30 minutes\) to .*2030.* \(30 minutes\) by admin@abri\.test/);
  });

  await step('the staff tell an update and start the work', async () => {
    const form = page.getByRole('form', { name: 'Tell an update' });
    await form.getByLabel('New state').selectOption('in_progress');
    await form.getByLabel('Text in English').fill('Started.');
    await form.getByRole('button', { name: 'Publish the update' }).click();
    await page.getByTestId('work-state').filter({ hasText: 'in progress' }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Change the plan' }).count(), 0, 'a started work keeps its plan');
    await logOut(page);
  });

  await step('the customer on web-1 reads it, in French, on the dashboard, the hosting and its page', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await settled(page);
    const section = page.getByRole('region', { name: 'Travaux sur la plateforme' });
    await section.getByRole('link', { name: 'Mise à jour de web-1' }).waitFor();
    await page.goto(`${m.url}/hostings/${a.hosting.name}`);
    await settled(page);
    await page.getByRole('region', { name: 'Travaux concernant cet hébergement' }).getByRole('link', { name: 'Mise à jour de web-1' }).click();
    await heading(page, 'Travail n° 1 : Mise à jour de web-1');
    await settled(page);
    assert.match(plain(await page.locator('dl.facts').innerText()), new RegExp(`Vos hébergements concernés ${a.hosting.name}`));
    assert.match(plain(await page.getByTestId('work-history').innerText()), /Déplacé du .* au .*Nouvel état : en cours/);
    assert.doesNotMatch(plain(await page.getByTestId('work-history').innerText()), /admin@abri\.test/, 'customers do not see who wrote it');
    assert.equal(await page.getByRole('form').count(), 0, 'customers only read');
    await assertAccessible(page, 'work page (customer)');
    assert.deepEqual(await missingKeys(page), []);
    await logOut(page);
  });

  await step('the customer elsewhere sees no work', async () => {
    await logIn(page, m.url, 'owner@bravo.test', 'correct horse battery');
    await settled(page);
    await page.getByRole('region', { name: 'Works on the platform' }).getByText('No work affects your hostings.').waitFor();
    await page.goto(`${m.url}/works/1`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.equal(await page.getByText('Upgrade of web-1').count(), 0);
  });
});
