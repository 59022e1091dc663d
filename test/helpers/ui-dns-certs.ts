// The DNS and certificate pages in a real browser (ui-dns, ui-certs): a manager whose local
// render-only agent plays the edge at 127.0.0.1, a customer "Les Amis du Jardin" with a French-speaking
// owner and a read-only person, and its site (with www) in a zone the platform publishes.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { startTestManager, seedHosting, type TestManager } from './manager.js';
import { launchBrowser, openPage, settled, withEvidence, type UiPage } from './browser.js';

const run = promisify(execFile);
export const PLATFORM = 'web4me.test';
export const DOMAIN = 'amis-du-jardin.fr';

/** A self-signed certificate for the domain and its www, made the way a customer would (openssl). */
export async function selfSigned(dir: string, name: string, domain: string) {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${domain}`,
    '-addext', `subjectAltName=DNS:${domain},DNS:www.${domain}`, '-addext', 'basicConstraints=critical,CA:FALSE', '-days', '30', '-keyout', key, '-out', cert]);
  return { cert: await readFile(cert, 'utf8'), key: await readFile(key, 'utf8') };
}

/** The page has settled (browser.ts). */
export const settle = settled;

/** The row of the records table whose cells start with these texts (name, type, value…). */
export const recordRow = (page: Page, ...cells: string[]) =>
  page.locator('.data-table tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${cells[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .filter({ hasText: cells.slice(1).join(' ') ? new RegExp(cells.slice(1).map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')) : /./ });

export async function noSideScroll(page: Page, label: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${label} is ${width} px wide at 360 px`);
}

/** The manager, the customer with its people and site, and a browser with the owner's page (in French). */
export async function startDnsCertsUi(t: TestContext) {
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
  const { customer, hosting } = await seedHosting(m, { customer: 'Les Amis du Jardin', offer: { maxSites: 10 } });
  const owner = await m.user('tresoriere@amis-du-jardin.test');
  await m.user('lecteur@amis-du-jardin.test');
  assert.equal((await m.api('PATCH', `/api/v1/users/${owner.id}`, { locale: 'fr' })).status, 200);
  for (const [email, role] of [['tresoriere@amis-du-jardin.test', 'owner'], ['lecteur@amis-du-jardin.test', 'readonly']] as const) {
    assert.equal((await m.join(customer.id, email, role)).status, 201);
  }
  const site = (await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: DOMAIN, aliases: [`www.${DOMAIN}`], httpsMode: 'redirect' })).body;
  const zone = (await m.api('GET', `/api/v1/zones/${DOMAIN}`)).body;

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const ui: UiPage = await openPage(browser, { locale: 'fr-FR' });
  const page = ui.page;
  const step = (name: string, f: () => Promise<void>) => t.test(name, () => withEvidence(ui, name, f));

  return { m, customer, hosting, site, zone, certDir, browser, ui, page, step };
}
