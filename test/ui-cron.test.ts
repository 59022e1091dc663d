// The scheduled tasks tab of a hosting in a real browser against a real manager (no web server runs
// them here: test/agent-cron.test.ts does; a run is recorded as a web server reports it). The owner
// adds a task (a wrong schedule refused with its reason), runs it now, disables it, reads its runs
// with their output, in English and in French, and removes it; a read-only person sees no actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, logOut, missingKeys, openPage, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { recordCronRuns } from '../src/cron/store.js';

const plain = (s: string) => s.replace(/\s+/g, ' ').trim();
const rowsOf = async (page: Page) => {
  const section = page.getByRole('region', { name: /^(Scheduled tasks|Tâches planifiées)$/ }).first();
  await section.locator('table:not([aria-busy="true"]) tbody tr').first().waitFor();
  const rows = await section.locator('tbody tr').evaluateAll((trs) =>
    trs.filter((r) => !r.querySelector('td.empty')).map((r) => [...r.children].map((c) => (c as HTMLElement).innerText)));
  return rows.map((r) => r.map(plain));
};

test('a hosting’s scheduled tasks in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const db = m.manager.app.db;
  const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.60'] })).body;
  const { customer, hosting, offer } = await seedHosting(m, { customer: 'Alpha', offer: { maxCronTasks: 2, cronMaxRunSeconds: 120 } });
  await m.user('owner@alpha.test');
  assert.equal((await m.join(customer.id, 'owner@alpha.test', 'owner')).status, 201);
  await m.user('reader@alpha.test');
  assert.equal((await m.join(customer.id, 'reader@alpha.test', 'readonly')).status, 201);
  const h = hosting.name as string;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));
  const taskId = async () => (await db.selectFrom('cronTasks').select('id').executeTakeFirstOrThrow()).id;

  await step('the owner adds a task; a wrong schedule is refused with its reason', async () => {
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}`);
    await heading(page, `Hosting ${h}`);
    await page.getByRole('navigation', { name: 'Parts of the hosting' }).getByRole('link', { name: 'Scheduled tasks' }).click();
    await settled(page);
    assert.deepEqual(await rowsOf(page), []);
    assert.equal(plain(await page.getByTestId('cron-quota').innerText()), 'Scheduled tasks 0 of 2');
    const form = page.getByRole('form', { name: 'Add a scheduled task', exact: true });
    assert.equal(await form.getByLabel('Time limit', { exact: true }).inputValue(), '120', 'the offer\'s bound, lower than 300 s');
    await form.getByLabel('Command', { exact: true }).fill('php var/www/cron.php');
    await form.getByLabel('Schedule', { exact: true }).fill('@daily');
    await form.getByLabel('Time limit', { exact: true }).fill('600');
    await form.getByRole('button', { name: 'Add the task' }).click();
    await form.getByText(`The offer “${offer.name}” allows runs of at most 120 seconds.`).waitFor();
    await form.getByLabel('Time limit', { exact: true }).fill('120');
    await form.getByLabel('Command', { exact: true }).fill('php var/www/cron.php');
    await form.getByLabel('Schedule', { exact: true }).fill('61 * * * *');
    await form.getByRole('button', { name: 'Add the task' }).click();
    await page.getByText('This schedule is not valid', { exact: false }).first().waitFor();
    await form.getByLabel('Schedule', { exact: true }).fill('*/15 * * * *');
    await form.getByRole('button', { name: 'Add the task' }).click();
    await page.getByRole('cell', { name: 'php var/www/cron.php', exact: true }).waitFor();
    await settled(page);
    const [row] = await rowsOf(page);
    assert.deepEqual(row!.slice(0, 3), ['*/15 * * * *', 'php var/www/cron.php', '120 seconds']);
    assert.equal(plain(await page.getByTestId('cron-quota').innerText()), 'Scheduled tasks 1 of 2');
    assert.match(row![4]!, /never run/);
    await assertAccessible(page, 'scheduled tasks tab');
  });

  await step('run now and disable, each after a confirmation', async () => {
    await page.getByRole('button', { name: 'Run now: php var/www/cron.php' }).click();
    await page.getByRole('dialog', { name: 'Run php var/www/cron.php now?' }).getByRole('button', { name: 'Run now' }).click();
    await settled(page);
    assert.equal((await db.selectFrom('cronTasks').select('runRequests').executeTakeFirstOrThrow()).runRequests, 1);
    await page.getByRole('button', { name: 'Disable php var/www/cron.php' }).click();
    await page.getByRole('dialog', { name: 'Disable php var/www/cron.php?' }).getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('cell', { name: 'disabled', exact: true }).waitFor();
  });

  await step('its runs with their output, in French too', async () => {
    await recordCronRuns(db, server.id, [
      { taskId: await taskId(), startedAt: '2026-12-01T07:00:00Z', endedAt: '2026-12-01T07:00:09Z', exitCode: 137, timedOut: false, output: '', truncated: false, requested: false, stoppedBy: 'memory' },
      { taskId: await taskId(), startedAt: '2026-12-01T08:00:00Z', endedAt: '2026-12-01T08:00:03Z', exitCode: 2, timedOut: false, output: 'PHP Warning: oops\n', truncated: false, requested: true },
    ], 20);
    await page.reload();
    await settled(page);
    await page.getByRole('button', { name: 'Runs of php var/www/cron.php' }).click();
    await page.getByTestId('cron-runs').waitFor();
    const text = await page.getByTestId('cron-runs').innerText();
    assert.match(text, /exit status 2/);
    assert.match(text, /run on request/);
    assert.match(text, /PHP Warning: oops/);
    assert.match(text, /exit status 137 · stopped: out of its memory limit/, 'the limit that stopped a run');
    await page.getByRole('banner').getByTestId('lang-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await settled(page);
    assert.match(await page.getByTestId('cron-runs').innerText(), /code de sortie 2/);
    assert.match(await page.getByTestId('cron-runs').innerText(), /arrêtée : limite de mémoire atteinte/);
    assert.deepEqual(await missingKeys(page), []);
    await page.getByRole('banner').getByTestId('lang-en').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  });

  await step('a read-only person sees the tasks without the actions; the owner removes the task', async () => {
    await logOut(page);
    await logIn(page, m.url, 'reader@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}/cron`);
    await settled(page);
    assert.equal((await rowsOf(page)).length, 1);
    assert.equal(await page.getByRole('button', { name: /^Remove / }).count(), 0);
    assert.equal(await page.getByRole('form', { name: 'Add a scheduled task' }).count(), 0);
    await logOut(page);
    await logIn(page, m.url, 'owner@alpha.test', 'correct horse battery');
    await page.goto(`${m.url}/hostings/${h}/cron`);
    await settled(page);
    await page.getByRole('button', { name: 'Remove php var/www/cron.php' }).click();
    await page.getByRole('dialog', { name: 'Remove php var/www/cron.php?' }).getByRole('button', { name: 'Remove' }).click();
    await settled(page);
    assert.deepEqual(await rowsOf(page), []);
  });

  await step('staff raise the offer\'s cron limits in the offer form; the tab follows', async () => {
    await logOut(page);
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.goto(`${m.url}/staff/offers/${offer.id}`);
    const tasks = page.getByLabel('Scheduled tasks', { exact: true });
    const longest = page.getByLabel('Longest scheduled run (seconds)', { exact: true });
    assert.deepEqual([await tasks.inputValue(), await longest.inputValue()], ['2', '120']);
    await tasks.fill('5');
    await longest.fill('900');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/staff\/offers$/);
    const row = await db.selectFrom('offers').select(['maxCronTasks', 'cronMaxRunSeconds']).where('id', '=', offer.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { maxCronTasks: 5, cronMaxRunSeconds: 900 });
    await page.goto(`${m.url}/hostings/${h}/cron`);
    await settled(page);
    assert.equal(plain(await page.getByTestId('cron-quota').innerText()), 'Scheduled tasks 0 of 5');
  });
});
