// The provisioning API of a billing tool (WHMCS, FOSSBilling), on PGlite and PostgreSQL: every call
// made twice answers the same and makes or audits nothing the second time; a create naming a known
// service ref with another customer, offer or domain is a conflict; a client ref makes one customer
// reused by its other services; five identical creates at once make one hosting; a customer's token
// is refused, and so is every change while the platform is read-only (reads go on).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type Answer, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';

const is = (a: Answer, status: number, code?: string) => {
  assert.equal(a.status, status, JSON.stringify(a.body));
  if (code) assert.equal(a.body.code, code);
  return a.body;
};

const P = '/api/v1/provisioning/hostings';

for (const database of testDatabases()) describe(`provisioning API (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let staff: string;
  const client = { ref: 'whmcs-client-42', name: 'Association Alpha', contactEmail: 'contact@alpha.test' };
  const body = { customer: client, offer: 'Asso', domain: 'alpha-asso.test' };
  const as = (method: string, path: string, b?: unknown) => m.api(method, path, b, { token: staff });
  const audits = async (action: string, targetId: string) =>
    Number((await m.manager.app.db.selectFrom('auditLog').select((e) => e.fn.countAll().as('n')).where('action', '=', action).where('targetId', '=', targetId).executeTakeFirstOrThrow()).n);

  before(async () => {
    m = await startTestManager({ database, clock });
    staff = (await m.user('billing-tool@abri.test', 'staff')).token;
    is(await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 1200, maxSites: 3 }), 201);
    is(await m.api('POST', '/api/v1/offers', { name: 'Pro', priceCents: 3000, maxSites: 10 }), 201);
  });
  after(async () => {
    await m?.close();
  });

  test('create twice: 201 then 200, one customer, one hosting, its first site; conflicting repeats are 409', async () => {
    const first = is(await as('PUT', `${P}/svc-1`, body), 201);
    assert.deepEqual([first.ref, first.customerRef, first.domain, first.offerName, first.status, first.customerName], ['svc-1', client.ref, 'alpha-asso.test', 'Asso', 'active', client.name]);
    const again = is(await as('PUT', `${P}/svc-1`, body), 200);
    assert.equal(again.id, first.id);
    assert.equal(again.usage.sites.used, 1);
    assert.equal(await audits('hosting.create', first.id), 1);
    const entry = await m.manager.app.db.selectFrom('auditLog').select(['after', 'customerId']).where('action', '=', 'hosting.create').where('targetId', '=', first.id).executeTakeFirstOrThrow();
    assert.deepEqual([entry.customerId, (entry.after as { provisioning: unknown }).provisioning], [first.customerId, { ref: 'svc-1', domain: 'alpha-asso.test', customer: client }]);
    const sites = is(await as('GET', `/api/v1/hostings/${first.id}/sites`), 200);
    assert.deepEqual(sites.items.map((s: { domain: string }) => s.domain), ['alpha-asso.test']);
    const conflict = is(await as('PUT', `${P}/svc-1`, { ...body, offer: 'Pro' }), 409, 'provisioning.conflict');
    assert.equal(conflict.params.field, 'offer');
    assert.equal(is(await as('PUT', `${P}/svc-1`, { ...body, customer: { ...client, ref: 'whmcs-client-43' } }), 409, 'provisioning.conflict').params.field, 'customer.ref');
    assert.equal(is(await as('PUT', `${P}/svc-1`, { ...body, domain: 'other.test' }), 409, 'provisioning.conflict').params.field, 'domain');
    // the offer named by its id is the same offer
    is(await as('PUT', `${P}/svc-1`, { ...body, offer: first.offerId }), 200);
    const shown = is(await as('GET', `${P}/svc-1`), 200);
    assert.deepEqual([shown.id, shown.status, shown.ref], [first.id, 'active', 'svc-1']);
    assert.ok('provisioning' in shown, 'the provisioning state is shown');
  });

  test("a client ref names one customer: its second service reuses it", async () => {
    const one = is(await as('GET', `${P}/svc-1`), 200);
    const two = is(await as('PUT', `${P}/svc-2`, { customer: { ...client, name: 'ignored: known ref' }, offer: 'Pro' }), 201);
    assert.equal(two.customerId, one.customerId);
    assert.notEqual(two.id, one.id);
    assert.equal(two.domain, null);
    const rows = await m.manager.app.db.selectFrom('customers').select('id').where('contactEmail', '=', client.contactEmail).execute();
    assert.equal(rows.length, 1);
  });

  test('suspend, unsuspend, change offer, terminate: each twice, the second a 200 that changes nothing', async () => {
    const h = is(await as('GET', `${P}/svc-2`), 200);
    for (let i = 0; i < 2; i++) assert.equal(is(await as('POST', `${P}/svc-2/suspend`, { reason: 'unpaid' }), 200).status, 'suspended');
    assert.equal(await audits('hosting.suspend', h.id), 1);
    for (let i = 0; i < 2; i++) assert.equal(is(await as('POST', `${P}/svc-2/unsuspend`), 200).status, 'active');
    assert.equal(await audits('hosting.reactivate', h.id), 1);
    for (let i = 0; i < 2; i++) assert.equal(is(await as('PUT', `${P}/svc-2/offer`, { offer: 'Asso' }), 200).offerName, 'Asso');
    assert.equal(await audits('hosting.update', h.id), 1);
    is(await as('PUT', `${P}/svc-2/offer`, { offer: 'Nope' }), 404, 'offer.not_found');
    // the hosting's own offer now: a create naming it is the same call again
    is(await as('PUT', `${P}/svc-2`, { customer: client, offer: 'Asso' }), 200);
    for (let i = 0; i < 2; i++) assert.equal(is(await as('POST', `${P}/svc-2/terminate`), 200).status, 'terminated');
    assert.equal(await audits('hosting.terminate', h.id), 1);
    is(await as('POST', `${P}/svc-2/suspend`), 409, 'hosting.terminated');
    is(await as('POST', `${P}/svc-2/unsuspend`), 409, 'hosting.terminated');
    is(await as('PUT', `${P}/svc-2/offer`, { offer: 'Pro' }), 409, 'hosting.terminated');
  });

  test('unknown refs, bad refs, and a customer\'s token', async () => {
    is(await as('GET', `${P}/svc-404`), 404, 'provisioning.not_found');
    is(await as('POST', `${P}/svc-404/suspend`), 404, 'provisioning.not_found');
    is(await as('PUT', `${P}/svc-404/offer`, { offer: 'Pro' }), 404, 'provisioning.not_found');
    is(await as('PUT', `${P}/bad%20ref`, body), 400, 'request.validation');
    is(await as('PUT', `${P}/${'x'.repeat(101)}`, body), 400, 'request.validation');
    is(await as('PUT', `${P}/svc-3`, { ...body, customer: { ...client, ref: 'a/b' } }), 400, 'request.validation');
    const c = is(await m.api('POST', '/api/v1/customers', { name: 'Bravo', contactEmail: 'owner@bravo.test' }), 201);
    const u = await m.user('owner@bravo.test');
    is(await m.join(c.id, 'owner@bravo.test', 'owner'), 201);
    is(await m.api('GET', `${P}/svc-1`, undefined, { token: u.token }), 403, 'auth.staff_only');
    is(await m.api('PUT', `${P}/svc-9`, body, { token: u.token }), 403, 'auth.staff_only');
    is(await m.api('POST', `${P}/svc-1/terminate`, undefined, { token: u.token }), 403, 'auth.staff_only');
    assert.equal(is(await as('GET', `${P}/svc-1`), 200).status, 'active');
  });

  test('five identical creates at once make one hosting (and one customer)', async () => {
    const same = { customer: { ref: 'fb-client-7', name: 'Charlie', contactEmail: 'c@charlie.test' }, offer: 'Pro' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => as('PUT', `${P}/fb-service-7`, same)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 201], JSON.stringify(answers.map((a) => a.body)));
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    const customerId = answers[0]!.body.customerId as string;
    const hostings = await m.manager.app.db.selectFrom('hostings').select('id').where('customerId', '=', customerId).execute();
    assert.equal(hostings.length, 1);
  });

  test('read-only: every call that changes is refused (423), reads go on', async () => {
    const doc = is(await m.api('GET', '/api/v1/openapi.json', undefined, { token: null }), 200);
    const marks = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).filter(([path]) => path.startsWith(P))
      .flatMap(([, ops]) => Object.entries(ops).filter(([method]) => method !== 'get').map(([, op]) => op['x-abri-read-only']));
    assert.deepEqual(marks, Array(5).fill('refused'), 'the OpenAPI document says so');
    is(await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message: { fr: 'Fermeture', en: 'Closing' } }), 200);
    try {
      is(await as('PUT', `${P}/svc-ro`, body), 423, 'platform.read_only');
      is(await as('PUT', `${P}/svc-1`, body), 423, 'platform.read_only');
      is(await as('POST', `${P}/svc-1/suspend`), 423, 'platform.read_only');
      is(await as('POST', `${P}/svc-1/terminate`), 423, 'platform.read_only');
      is(await as('PUT', `${P}/svc-1/offer`, { offer: 'Pro' }), 423, 'platform.read_only');
      assert.equal(is(await as('GET', `${P}/svc-1`), 200).status, 'active');
    } finally {
      is(await m.api('PUT', '/api/v1/platform/read-only', { enabled: false, message: { fr: '', en: '' } }), 200);
    }
    is(await as('GET', `${P}/svc-ro`), 404, 'provisioning.not_found');
  });
});
