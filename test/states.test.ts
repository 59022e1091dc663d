// The states mean the same on every route (issue 9, finding 8): an owner of a suspended or closed
// customer, or of a suspended hosting, walks EVERY state-changing tenant operation of the OpenAPI
// document with its own objects and is refused with the state's code — reads still answer — while
// the staff may still change the same objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, offerBody, type Answer, type TestManager } from './helpers/manager.js';
import { counter, exampleBody, fillPath, operations, paramKinds, type Kind, type Operation } from './helpers/api-walk.js';

const ok = (a: Answer, status: number, what: string) => assert.equal(a.status, status, `${what}: ${a.status} ${JSON.stringify(a.body)}`);

async function joined(m: TestManager, customerId: string, email: string, role: 'owner' | 'manager' | 'readonly') {
  const a = await m.join(customerId, email, role);
  ok(a, 201, `${email} joins as ${role}`);
  return a.body;
}

async function created(m: TestManager, path: string, body: unknown, token?: string) {
  const a = await m.api('POST', path, body, token ? { token } : {});
  ok(a, 201, `POST ${path}`);
  return a.body;
}

async function seed(m: TestManager) {
  const offer = await created(m, '/api/v1/offers', offerBody({ name: 'State offer' }));
  await created(m, '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.1'] });
  const customer = await created(m, '/api/v1/customers', { name: 'Gamma', contactEmail: 'contact@gamma.test' });
  const hosting = await created(m, '/api/v1/hostings', { customerId: customer.id, offerId: offer.id });
  const site = await created(m, `/api/v1/hostings/${hosting.id}/sites`, { domain: 'gamma-site.test', aliases: ['www.gamma-site.test'] });
  const owner = await m.user('owner@gamma.test');
  const other = await m.user('other@gamma.test');
  await joined(m, customer.id, 'owner@gamma.test', 'owner');
  const delegation = await joined(m, customer.id, 'other@gamma.test', 'manager');
  const zone = (await m.api('GET', '/api/v1/zones/gamma-site.test')).body;
  const record = await created(m, `/api/v1/zones/${zone.id}/records`, { name: 'mail', type: 'A', content: '192.0.2.99' });
  return { offer, customer, hosting, site, owner, other, delegation, zone, record };
}
type Seed = Awaited<ReturnType<typeof seed>>;

/** The owner's own objects, per kind of path parameter (undefined: not a customer's object). */
function refOf(s: Seed, kind: Kind): string | undefined {
  const refs: Partial<Record<Kind, string>> = {
    customers: s.customer.id, hostings: s.hosting.id, sites: s.site.id, delegations: s.delegation.id, zones: s.zone.id, records: s.record.id,
  };
  return refs[kind];
}

/** Does this operation act on an object of the hosting (suspending the hosting makes it read-only)? */
const ofHosting = (op: Operation) => /^\/api\/v1\/(hostings|sites)\//.test(op.path);

const writes = (ops: Operation[]) => ops.filter((op) => op.method !== 'GET' && op.access === 'user' && op.tenant);

async function walk(m: TestManager, s: Seed, expected: (op: Operation) => string | null) {
  const unique = counter('st');
  const refused: string[] = [];
  for (const op of writes(await operations(m))) {
    const values: Record<string, string> = {};
    let skip = false;
    for (const { name, kind } of paramKinds(op)) {
      const v = refOf(s, kind);
      if (v === undefined) skip = true;
      else values[name] = v;
    }
    if (skip) continue;
    const body = exampleBody(op, { customerId: s.customer.id, offerId: s.offer.id, loginEmail: 'owner@gamma.test', loginPassword: 'correct horse battery', unique });
    const a = await m.api(op.method, fillPath(op.path, values), body, { token: s.owner.token });
    const code = expected(op);
    if (code) {
      assert.equal(a.status, 409, `${op.key} as the owner: expected 409 ${code}, got ${a.status} ${JSON.stringify(a.body)}`);
      assert.equal(a.body.code, code, `${op.key}: ${JSON.stringify(a.body)}`);
      refused.push(op.key);
    } else {
      assert.ok(!['customer.suspended', 'customer.closed', 'hosting.suspended'].includes(a.body?.code), `${op.key} is not concerned by this state: ${JSON.stringify(a.body)}`);
    }
  }
  return refused;
}

async function reads(m: TestManager, s: Seed) {
  for (const path of [`/api/v1/customers/${s.customer.id}`, `/api/v1/hostings/${s.hosting.id}`, `/api/v1/hostings/${s.hosting.id}/sites`,
    `/api/v1/sites/${s.site.id}`, `/api/v1/sites/${s.site.id}/certificate`, `/api/v1/zones/${s.zone.id}/records`, `/api/v1/customers/${s.customer.id}/delegations`]) {
    ok(await m.api('GET', path, undefined, { token: s.owner.token }), 200, `GET ${path} (reading stays allowed)`);
  }
}

for (const state of ['suspended', 'closed'] as const) {
  test(`a ${state} customer: its users read everything and change nothing; staff still change`, async () => {
    const m = await startTestManager();
    try {
      const s = await seed(m);
      ok(await m.api('PATCH', `/api/v1/customers/${s.customer.id}`, { status: state }), 200, `staff sets the customer ${state}`);
      await reads(m, s);
      const refused = await walk(m, s, () => `customer.${state}`);
      assert.ok(refused.length >= 10, `every write was tried (${refused.length}: ${refused.join(', ')})`);
      // staff are not bound by the customer's state
      ok(await m.api('PATCH', `/api/v1/sites/${s.site.id}`, { phpVersion: '8.2' }), 200, 'staff change the site');
      ok(await m.api('POST', `/api/v1/zones/${s.zone.id}/records`, { name: 'staff', type: 'A', content: '192.0.2.5' }), 201, 'staff add a record');
      // the user's own account stays theirs
      ok(await m.api('POST', '/api/v1/tokens', { name: 'still mine' }, { token: s.owner.token }), 201, 'own tokens');
    } finally {
      await m.close();
    }
  });
}

test('a suspended hosting: its objects are read-only for the customer; the customer\'s other objects are not', async () => {
  const m = await startTestManager();
  try {
    const s = await seed(m);
    ok(await m.api('POST', `/api/v1/hostings/${s.hosting.id}/reactivate`), 409, 'an active hosting is not reactivated');
    ok(await m.api('POST', `/api/v1/hostings/${s.hosting.id}/suspend`, { reason: 'abuse' }), 200, 'staff suspend the hosting');
    const again = await m.api('POST', `/api/v1/hostings/${s.hosting.id}/suspend`, { reason: 'twice' });
    assert.equal(again.body.code, 'hosting.already_suspended', 'a second suspension says the hosting already is');
    await reads(m, s);
    const refused = await walk(m, s, (op) => (ofHosting(op) ? 'hosting.suspended' : null));
    assert.ok(refused.some((k) => k.startsWith('POST /api/v1/hostings/{id}/sites')), `adding a site is refused (${refused.join(', ')})`);
    ok(await m.api('PATCH', `/api/v1/sites/${s.site.id}`, { phpVersion: '8.2' }), 200, 'staff change the site');
    ok(await m.api('POST', `/api/v1/hostings/${s.hosting.id}/reactivate`), 200, 'staff reactivate');
    ok(await m.api('PATCH', `/api/v1/sites/${s.site.id}`, { phpVersion: '8.2' }, { token: s.owner.token }), 200, 'the owner changes the site again');
  } finally {
    await m.close();
  }
});

test('a terminated hosting is read-only for everyone', async () => {
  const m = await startTestManager();
  try {
    const s = await seed(m);
    ok(await m.api('DELETE', `/api/v1/hostings/${s.hosting.id}`), 200, 'staff terminate');
    ok(await m.api('GET', `/api/v1/hostings/${s.hosting.id}`, undefined, { token: s.owner.token }), 200, 'the owner still reads it');
    for (const token of [undefined, s.owner.token]) {
      const a = await m.api('POST', `/api/v1/hostings/${s.hosting.id}/sites`, { domain: 'late.gamma-site.test' }, token ? { token } : {});
      assert.equal(a.status, 409, JSON.stringify(a.body));
      assert.equal(a.body.code, 'hosting.terminated');
    }
  } finally {
    await m.close();
  }
});
