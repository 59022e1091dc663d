// The main story in a real browser (ui-journey-*.test.ts): a manager running its local agent
// (render-only into a temporary data directory, as `abri serve` does), a browser with the staff's page,
// and, for the parts that start later in the story, what the staff made through the UI before
// (customer "Les Amis du Jardin", offer "Association 5 Go", a hosting, the owner's invitation),
// made through the API.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerBody, startTestManager, type TestManager } from './manager.js';
import { launchBrowser, openPage } from './browser.js';

/** The secret of an invitation link (after #). */
export const secretOf = (link: string) => link.split('#')[1];

export const stateLabels: Record<string, string> = { unknown: 'Not provisioned yet', pending: 'Pending', rendered: 'Rendered only', live: 'Live', error: 'Error' };

/** The owner the story follows, and the password they choose when accepting. */
export const owner = { email: 'tresoriere@amis-du-jardin.test', password: 'tomates et courgettes' };

export async function startJourney(t: TestContext) {
  const dataDir = await mkdtemp(join(tmpdir(), 'abri-ui-'));
  const m: TestManager = await startTestManager({ settings: { ABRI_PHP_VERSIONS: '8.2,8.3', ABRI_LOCAL_AGENT: '1', ABRI_DATA_DIR: dataDir, ABRI_RECONCILE_SECONDS: '1', ABRI_LOGIN_MAX_FAILURES: '2' } });
  t.after(async () => {
    await m.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const staff = await openPage(browser);
  return { m, browser, staff, page: staff.page };
}

/** What the staff part of the story makes in the UI: the customer, the offer, its hosting, the owner's invitation link. */
export async function staffMadeTheCustomer(m: TestManager) {
  const created = async (path: string, body: unknown) => {
    const a = await m.api('POST', path, body);
    assert.equal(a.status, 201, `POST ${path}: ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const customer = await created('/api/v1/customers', { name: 'Les Amis du Jardin', contactEmail: 'bureau@amis-du-jardin.test', postalAddress: '12 rue des Lilas\n44000 Nantes' });
  const offer = await created('/api/v1/offers', offerBody({
    name: 'Association 5 Go', priceCents: 450, billingCycle: 'yearly', diskMb: 5000, maxSites: 10, maxMailboxes: 10, mailMb: 5000, maxDatabases: 3, databaseMb: 1000, maxFtpUsers: 2, phpVersions: ['8.2', '8.3'],
  }));
  const hosting = await created('/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
  const invitation = (await created(`/api/v1/customers/${customer.id}/invitations`, { email: owner.email, role: 'owner' })).invitationUrl as string;
  return { customer, offer, hosting, invitation };
}

/** The owner accepts the invitation (as the customer part of the story does in the UI, from an English page). */
export async function ownerAccepted(m: TestManager, invitation: string) {
  const accepted = await m.api('POST', '/api/v1/auth/accept-invitation', { token: secretOf(invitation), password: owner.password, locale: 'en' }, { token: null });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
}
