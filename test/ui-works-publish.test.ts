// Publication of the works page in a real browser against a real manager, in English then French:
// the staff open Works → Publication, see the status server, add an outside host (a refused folder
// shown by its field first), read the public key to authorize, see the target's state and last
// error (nothing listens where it points: its push fails and says why), push it now, remove it.
// Axe on each state of the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAccessible, browserTest, heading, launchBrowser, logIn, openPage, settled, withEvidence, type UiPage } from './helpers/browser.js';
import { startTestManager } from './helpers/manager.js';
import { TEST_HOST_KEY } from './helpers/isolation.js';

test('publication of the works page in the web UI', browserTest(), async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  assert.equal((await m.api('POST', '/api/v1/servers', { name: 'status-1', roles: ['status'], addresses: ['192.0.2.90'] })).status, 201);
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'en-GB' });
  const { page } = ui;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  await step('the staff add an outside host and see its push fail with its reason', async () => {
    await logIn(page, m.url, 'admin@abri.test', 'correct horse battery');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Works' }).click();
    await heading(page, 'Works');
    await page.getByRole('link', { name: 'Publication' }).click();
    await heading(page, 'Publication of the works page');
    await settled(page);
    await page.getByRole('region', { name: 'Status servers', exact: true }).getByRole('link', { name: 'status-1' }).waitFor();
    await page.getByText('No outside host yet.').waitFor();
    await assertAccessible(page, 'publication (empty)');
    const form = page.getByRole('form', { name: 'Add an outside host' });
    await form.getByLabel('Name', { exact: true }).fill('mirror');
    await form.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await form.getByLabel('SSH port').fill('9');
    await form.getByLabel('SSH user').fill('abri');
    await form.getByLabel('Folder').fill('srv/status');
    await form.getByLabel('Host key').fill(TEST_HOST_KEY);
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByText('This value of the target is refused: path.').waitFor();
    await form.getByLabel('Folder').fill('/srv/status');
    await form.getByRole('button', { name: 'Add' }).click();
    await page.getByText('Target mirror added').waitFor();
    assert.match(await page.getByLabel('Public key to authorize').innerText(), /^ecdsa-sha2-nistp256 \S+ abri-works-mirror$/);
    const table = page.getByRole('region', { name: 'Outside hosts', exact: true });
    await table.getByText('failing (retried)').waitFor({ timeout: 60_000 });
    await table.getByText(/Connection refused|connect/).first().waitFor();
    await assertAccessible(page, 'publication (a failing target)');
    await table.getByRole('button', { name: 'Push now to mirror' }).click();
    await settled(page);
  });

  await step('in French, then the target is removed', async () => {
    await page.getByTestId('lang-fr').click();
    await heading(page, 'Publication de la page des travaux');
    await settled(page);
    const table = page.getByRole('region', { name: 'Hôtes extérieurs', exact: true });
    await table.getByText('en échec (réessayé)').waitFor();
    await assertAccessible(page, 'publication (fr)');
    await table.getByRole('button', { name: 'Retirer la cible mirror' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retirer' }).click();
    await page.getByText('Aucun hôte extérieur pour l’instant.').waitFor();
  });
});
