// Tenant isolation: a customer user of customer B walks EVERY operation of the OpenAPI document with
// the ids (and other references) of customer A's objects, and must learn nothing and change nothing:
// tenant routes answer 404, staff routes 403 auth.staff_only, other routes never show A's data.
// A readonly user of A may read A's objects and gets <what>.forbidden on every change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, offerBody, type Answer, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { counter, exampleBody, fillPath, operations, paramKinds, type Kind, type Operation } from './helpers/api-walk.js';
import { insertNotices } from '../src/notices/store.js';

// claims are verified against this resolver: nothing answers there, no packet leaves the machine
const settings = { ABRI_DNS_RESOLVER: '127.0.0.1:9' };

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

/** Two customers, each with a hosting, a site and an owner; a readonly user on A; a token of a. */
async function seed(m: TestManager) {
  const offer = await created(m, '/api/v1/offers', offerBody({ name: 'Shared offer' }));
  const server = await created(m, '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.1'] });
  const customerA = await created(m, '/api/v1/customers', { name: 'Alpha Corp', contactEmail: 'contact@alpha-corp.test', postalAddress: '1 Alpha street' });
  const customerB = await created(m, '/api/v1/customers', { name: 'Bravo Org', contactEmail: 'contact@bravo-org.test' });
  const hostingA = await created(m, '/api/v1/hostings', { customerId: customerA.id, offerId: offer.id });
  const hostingB = await created(m, '/api/v1/hostings', { customerId: customerB.id, offerId: offer.id });
  const siteA = await created(m, `/api/v1/hostings/${hostingA.id}/sites`, { domain: 'alpha-site.test', aliases: ['www.alpha-site.test'] });
  const siteB = await created(m, `/api/v1/hostings/${hostingB.id}/sites`, { domain: 'bravo-site.test' });
  const a = await m.user('a@alpha-corp.test');
  const b = await m.user('b@bravo-org.test');
  const r = await m.user('r@alpha-corp.test');
  const delegationA = await joined(m, customerA.id, 'a@alpha-corp.test', 'owner');
  const delegationB = await joined(m, customerB.id, 'b@bravo-org.test', 'owner');
  const delegationR = await joined(m, customerA.id, 'r@alpha-corp.test', 'readonly');
  // A's owner invites an existing account that acts for nobody yet; B's owner someone new
  await m.user('x@elsewhere.test');
  const invitationA = await created(m, `/api/v1/customers/${customerA.id}/invitations`, { email: 'x@elsewhere.test', role: 'owner' }, a.token);
  const invitationB = await created(m, `/api/v1/customers/${customerB.id}/invitations`, { email: 'new@bravo-org.test', role: 'manager' }, b.token);
  const tokenA = await created(m, '/api/v1/tokens', { name: 'alpha-secret-token' }, a.token);
  const tokenB = await created(m, '/api/v1/tokens', { name: 'bravo-token' }, b.token);
  // sites create the zones of their domains
  const zoneA = (await m.api('GET', '/api/v1/zones/alpha-site.test')).body;
  const zoneB = (await m.api('GET', '/api/v1/zones/bravo-site.test')).body;
  const recordA = await created(m, `/api/v1/zones/${zoneA.id}/records`, { name: 'mail', type: 'A', content: '192.0.2.99' });
  const recordB = await created(m, `/api/v1/zones/${zoneB.id}/records`, { name: 'mail', type: 'A', content: '192.0.2.98' });
  // the certificate jobs of the sites (staff only: b and r must be refused them)
  const certA = (await m.api('GET', `/api/v1/sites/${siteA.id}/certificate`)).body;
  const jobA = (await m.api('GET', `/api/v1/jobs?kind=certificate&q=${certA.id}`)).body.items[0];
  assert.ok(jobA, 'the certificate of A has a job');
  // claims of domains, and notices (what a zone takeover leaves), one each
  const claimA = await created(m, '/api/v1/zone-claims', { name: 'alpha-claim.test', customerId: customerA.id });
  const claimB = await created(m, '/api/v1/zone-claims', { name: 'bravo-claim.test', customerId: customerB.id });
  await insertNotices(m.manager.app.db, [
    { customerId: customerA.id, kind: 'zone.lost', message: 'alpha-notice: Another customer proved alpha-lost.test', params: { zone: 'alpha-lost.test' } },
    { customerId: customerB.id, kind: 'zone.won', message: 'bravo-notice', params: {} },
  ], new Date());
  const noticeOf = async (customerId: string) => (await m.api('GET', `/api/v1/notices?customerId=${customerId}`)).body.items[0];
  const noticeA = await noticeOf(customerA.id);
  const noticeB = await noticeOf(customerB.id);
  return { jobA, offer, server, customerA, customerB, hostingA, hostingB, siteA, siteB, a, b, r, delegationA, delegationB, delegationR, invitationA, invitationB, tokenA, tokenB, zoneA, zoneB, recordA, recordB, claimA, claimB, noticeA, noticeB };
}
type Seed = Awaited<ReturnType<typeof seed>>;

/** What b must never see: A's ids, names, e-mails, domains. */
function secretsOfA(s: Seed): string[] {
  return [
    s.customerA.id, s.customerA.name, s.customerA.contactEmail, s.customerA.postalAddress,
    s.hostingA.id, s.hostingA.name, s.hostingA.home,
    s.siteA.id, s.siteA.domain, 'www.alpha-site.test',
    s.delegationA.id, s.delegationR.id, s.invitationA.id, 'x@elsewhere.test', s.invitationA.invitationUrl.split('#')[1],
    s.a.id, 'a@alpha-corp.test', s.r.id, 'r@alpha-corp.test',
    s.tokenA.id, s.tokenA.name, s.tokenA.prefix,
    s.zoneA.id, s.recordA.id, '192.0.2.99',
    s.claimA.id, s.claimA.txtValue, 'alpha-claim.test', s.noticeA.id, 'alpha-notice', 'alpha-lost.test',
  ];
}

function assertNoLeak(s: Seed, a: Answer, what: string) {
  // a problem's `instance` is the request path b sent: an echo, not a leak
  const { instance: _echo, ...rest } = a.body && typeof a.body === 'object' ? a.body : { instance: undefined };
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body && typeof a.body === 'object' ? rest : a.body ?? '');
  for (const secret of secretsOfA(s)) {
    assert.ok(!text.toLowerCase().includes(String(secret).toLowerCase()), `${what} shows A's "${secret}" to b: ${text.slice(0, 500)}`);
  }
}

function assertProblem(a: Answer, status: number, code: RegExp, what: string) {
  assert.equal(a.status, status, `${what}: expected ${status}, got ${a.status} ${JSON.stringify(a.body)}`);
  assert.match(a.headers.get('content-type') ?? '', /^application\/problem\+json/, `${what}: content-type`);
  assert.match(String(a.body?.code), code, `${what}: code ${JSON.stringify(a.body)}`);
}

/** A's references per kind (ids first, then the other references the stores accept), and B's id. */
function references(s: Seed): Record<Kind, { a: string[]; b: string; ownedByA: boolean }> {
  return {
    customers: { a: [s.customerA.id, String(s.customerA.number)], b: s.customerB.id, ownedByA: true },
    hostings: { a: [s.hostingA.id, s.hostingA.name], b: s.hostingB.id, ownedByA: true },
    sites: { a: [s.siteA.id, s.siteA.domain, 'www.alpha-site.test'], b: s.siteB.id, ownedByA: true },
    delegations: { a: [s.delegationA.id, s.a.id], b: s.delegationB.id, ownedByA: true },
    invitations: { a: [s.invitationA.id], b: s.invitationB.id, ownedByA: true },
    users: { a: [s.a.id, 'a@alpha-corp.test'], b: s.b.id, ownedByA: true },
    tokens: { a: [s.tokenA.id], b: s.tokenB.id, ownedByA: true },
    offers: { a: [s.offer.id, s.offer.name], b: s.offer.id, ownedByA: false },
    servers: { a: [s.server.id, s.server.name], b: s.server.id, ownedByA: false },
    zones: { a: [s.zoneA.id, s.zoneA.name], b: s.zoneB.id, ownedByA: true },
    records: { a: [s.recordA.id], b: s.recordB.id, ownedByA: true },
    jobs: { a: [s.jobA.id], b: s.jobA.id, ownedByA: false },
    'zone-claims': { a: [s.claimA.id], b: s.claimB.id, ownedByA: true },
    notices: { a: [s.noticeA.id], b: s.noticeB.id, ownedByA: true },
  };
}

/** Every assignment of path values with at least one of A's references (B's parent with A's child, too). */
function pathVariants(op: Operation, s: Seed): Array<Record<string, string>> {
  const refs = references(s);
  let variants: Array<{ values: Record<string, string>; anyA: boolean }> = [{ values: {}, anyA: false }];
  const kinds = paramKinds(op);
  for (const { name, kind } of kinds) {
    const choices = [...refs[kind].a.map((v) => ({ v, isA: true })), ...(kinds.length > 1 ? [{ v: refs[kind].b, isA: false }] : [])];
    variants = variants.flatMap((x) => choices.map((c) => ({ values: { ...x.values, [name]: c.v }, anyA: x.anyA || c.isA })));
  }
  return variants.filter((x) => x.anyA || !kinds.length).map((x) => x.values);
}

function queryOf(op: Operation, s: Seed): string {
  const q = new URLSearchParams();
  for (const p of op.queryParams) {
    if (p.name === 'customerId') q.set('customerId', s.customerA.id);
    else if (p.required) throw new Error(`${op.key}: required query parameter ${p.name} has no test value; add one in test/isolation.test.ts`);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** A's objects as the admin sees them, to prove nothing changed. */
async function snapshotOfA(m: TestManager, s: Seed) {
  const get = async (path: string) => {
    const a = await m.api('GET', path);
    ok(a, 200, `admin GET ${path}`);
    return a.body;
  };
  const tokens = await m.manager.app.db
    .selectFrom('apiTokens').select(['id', 'name', 'userId', 'expiresAt', 'tokenHash'])
    .where('userId', 'in', [s.a.id, s.r.id]).orderBy('id').execute();
  const audit = await m.manager.app.db.selectFrom('auditLog').select(['id', 'action']).where('customerId', '=', s.customerA.id).orderBy('id').execute();
  return {
    customer: await get(`/api/v1/customers/${s.customerA.id}`),
    delegations: await get(`/api/v1/customers/${s.customerA.id}/delegations`),
    invitations: await get(`/api/v1/customers/${s.customerA.id}/invitations`),
    hosting: await get(`/api/v1/hostings/${s.hostingA.id}`),
    sites: await get(`/api/v1/hostings/${s.hostingA.id}/sites`),
    site: await get(`/api/v1/sites/${s.siteA.id}`),
    userA: await get(`/api/v1/users/${s.a.id}`),
    userR: await get(`/api/v1/users/${s.r.id}`),
    offer: await get(`/api/v1/offers/${s.offer.id}`),
    server: await get(`/api/v1/servers/${s.server.id}`),
    zone: await get(`/api/v1/zones/${s.zoneA.id}`),
    records: await get(`/api/v1/zones/${s.zoneA.id}/records`),
    certificate: await get(`/api/v1/sites/${s.siteA.id}/certificate`),
    claims: await get(`/api/v1/zone-claims?customerId=${s.customerA.id}`),
    notices: await get(`/api/v1/notices?customerId=${s.customerA.id}`),
    tokens: JSON.parse(JSON.stringify(tokens)),
    audit,
  };
}

const bodyContext = (s: Seed, loginEmail: string) => ({
  customerId: s.customerA.id,
  offerId: s.offer.id,
  loginEmail,
  loginPassword: 'correct horse battery',
  unique: counter('iso'),
});

for (const database of testDatabases()) {
  test(`a user of customer B walking every route with customer A's ids learns and changes nothing (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings });
    t.after(() => m.close());
    const s = await seed(m);
    const before = await snapshotOfA(m, s);
    const ops = await operations(m);
    const ctx = bodyContext(s, 'b@bravo-org.test');
    const refs = references(s);
    let calls = 0;

    for (const op of ops) {
      for (const values of pathVariants(op, s)) {
        const path = fillPath(op.path, values) + queryOf(op, s);
        const what = `b: ${op.method} ${path}`;
        const answer = await m.api(op.method, path, exampleBody(op, ctx), { token: s.b.token });
        calls++;
        assert.ok(answer.status < 500, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
        assertNoLeak(s, answer, what);
        if (op.access === 'staff' || op.access === 'admin') {
          assertProblem(answer, 403, /^auth\.staff_only$/, what);
        } else if (op.tenant) {
          assertProblem(answer, 404, /\.not_found$/, what);
        } else if (paramKinds(op).some(({ kind }) => refs[kind].ownedByA)) {
          // a route of the user's own objects (tokens…) named with one of A's
          assertProblem(answer, 404, /\.not_found$/, what);
        }
      }
    }
    assert.ok(calls > ops.length, `walked ${calls} calls over ${ops.length} operations`);
    assert.ok(ops.some((o) => o.tenant) && ops.some((o) => o.access === 'staff'), 'the document marks tenant and staff routes');

    // the lists b reads show B's objects and none of A's
    const customers = await m.api('GET', '/api/v1/customers', undefined, { token: s.b.token });
    ok(customers, 200, 'b lists customers');
    assert.deepEqual(customers.body.items.map((c: { id: string }) => c.id), [s.customerB.id]);
    assert.equal(customers.body.total, 1);
    const searched = await m.api('GET', `/api/v1/customers?q=${encodeURIComponent('Alpha')}`, undefined, { token: s.b.token });
    ok(searched, 200, 'b searches customers');
    assert.equal(searched.body.total, 0);
    const hostings = await m.api('GET', '/api/v1/hostings', undefined, { token: s.b.token });
    ok(hostings, 200, 'b lists hostings');
    assert.deepEqual(hostings.body.items.map((h: { id: string }) => h.id), [s.hostingB.id]);
    const hostingsOfA = await m.api('GET', `/api/v1/hostings?customerId=${s.customerA.id}`, undefined, { token: s.b.token });
    ok(hostingsOfA, 200, 'b filters hostings by A');
    assert.equal(hostingsOfA.body.total, 0);
    const sites = await m.api('GET', `/api/v1/hostings/${s.hostingB.id}/sites`, undefined, { token: s.b.token });
    ok(sites, 200, 'b lists its sites');
    assert.deepEqual(sites.body.items.map((x: { id: string }) => x.id), [s.siteB.id]);
    const me = await m.api('GET', '/api/v1/me', undefined, { token: s.b.token });
    ok(me, 200, 'b reads me');
    assert.deepEqual(me.body.customers.map((c: { customerId: string }) => c.customerId), [s.customerB.id]);
    assertProblem(await m.api('GET', '/api/v1/audit', undefined, { token: s.b.token }), 403, /^auth\.staff_only$/, 'b reads the audit log');
    const claims = await m.api('GET', '/api/v1/zone-claims', undefined, { token: s.b.token });
    ok(claims, 200, 'b lists claims');
    assert.deepEqual(claims.body.items.map((c: { id: string }) => c.id), [s.claimB.id]);
    const notices = await m.api('GET', '/api/v1/notices', undefined, { token: s.b.token });
    ok(notices, 200, 'b lists notices');
    assert.deepEqual(notices.body.items.map((n: { id: string }) => n.id), [s.noticeB.id]);
    const staffNotices = await m.api('GET', '/api/v1/notices?staff=true', undefined, { token: s.b.token });
    ok(staffNotices, 200, 'b asks for the staff\'s notices');
    assert.equal(staffNotices.body.total, 0);
    const zones = await m.api('GET', '/api/v1/zones?q=alpha', undefined, { token: s.b.token });
    ok(zones, 200, 'b searches zones');
    assert.equal(zones.body.total, 0);
    for (const a of [customers, searched, hostings, hostingsOfA, sites, me, claims, notices, staffNotices, zones]) assertNoLeak(s, a, 'list');

    // a link of A's that reached b does nothing: it is for another account, which b is not logged in as
    const linkA = s.invitationA.invitationUrl.split('#')[1];
    assertProblem(await m.api('POST', '/api/v1/auth/accept-invitation', { token: linkA }, { token: s.b.token }), 403, /^invitation\.wrong_account$/, 'b accepts A\'s link');
    assertProblem(await m.api('POST', '/api/v1/auth/accept-invitation', { token: linkA, password: 'b tries a password' }, { token: null }), 401, /^invitation\.login_required$/, 'A\'s link without logging in');
    // nor does B's own link reach A
    const linkB = s.invitationB.invitationUrl.split('#')[1];
    const joined = await m.api('POST', '/api/v1/auth/accept-invitation', { token: linkB, password: 'new person password' }, { token: null });
    ok(joined, 200, 'B\'s link accepted');
    assert.deepEqual(joined.body.customers.map((c: { customerId: string }) => c.customerId), [s.customerB.id]);
    assertNoLeak(s, joined, 'B\'s link');

    assert.deepEqual(await snapshotOfA(m, s), before, 'customer A\'s objects changed during b\'s walk');
  });

  test(`a readonly user of customer A reads everything of A and changes nothing (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings });
    t.after(() => m.close());
    const s = await seed(m);
    const before = await snapshotOfA(m, s);
    const ops = await operations(m);
    const ctx = bodyContext(s, 'r@alpha-corp.test');
    let reads = 0;
    let changes = 0;
    for (const op of ops.filter((o) => o.tenant)) {
      const values = Object.fromEntries(paramKinds(op).map(({ name, kind }) => [name, references(s)[kind].a[0]]));
      const path = fillPath(op.path, values);
      const what = `readonly r: ${op.method} ${path}`;
      const answer = await m.api(op.method, path, exampleBody(op, ctx), { token: s.r.token });
      if (op.access === 'staff' || op.access === 'admin') {
        assertProblem(answer, 403, /^auth\.staff_only$/, what);
      } else if (op.method === 'GET') {
        ok(answer, 200, what);
        reads++;
      } else {
        assertProblem(answer, 403, /^[a-z]+\.forbidden$/, what);
        changes++;
      }
    }
    assert.ok(reads >= 4 && changes >= 6, `readonly walk covered ${reads} reads and ${changes} changes`);
    assert.deepEqual(await snapshotOfA(m, s), before, 'customer A\'s objects changed during the readonly walk');
  });
}

for (const database of testDatabases()) {
  test(`a customer cannot take another customer's names: zones, sites in its zone, claims without proof, platform labels (${database.name})`, async (t) => {
    const m = await startTestManager({ database, settings: { ...settings, ABRI_PLATFORM_DOMAIN: 'abri-iso.test' } });
    t.after(() => m.close());
    const s = await seed(m);
    const asB = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: s.b.token });
    const labelA = await m.api('PATCH', `/api/v1/sites/${s.siteA.id}`, { platformSubdomain: 'alpha' });
    ok(labelA, 200, 'A takes a platform label');
    const zoneUnderSuffix = await m.api('POST', '/api/v1/zones', { name: 'alpha.github.io', customerId: s.customerA.id });
    ok(zoneUnderSuffix, 201, 'A\'s zone under a private public suffix');
    const before = await snapshotOfA(m, s);

    // the zone itself, a zone inside it, a zone around it
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'alpha-site.test' }), 409, /^zone\.taken$/, 'b adds A\'s zone');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'ALPHA-SITE.test.' }), 409, /^zone\.taken$/, 'b adds A\'s zone, spelt otherwise');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'sub.alpha-site.test' }), 400, /^zone\.invalid$/, 'b adds a zone inside A\'s');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'beta.alpha.github.io' }), 400, /^zone\.invalid$/, 'b adds a zone inside A\'s (private suffix)');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'github.io' }), 400, /^request\.validation$/, 'b adds the public suffix above A\'s zone');
    assertProblem(await asB('POST', '/api/v1/zones', { name: 'abri-iso.test' }), 409, /^zone\.taken$/, 'b adds the platform\'s zone');
    // a site in A's zone, or on A's platform label
    for (const domain of ['x.alpha-site.test', 'www.alpha-site.test', 'x.alpha.github.io']) {
      const r = await asB('POST', `/api/v1/hostings/${s.hostingB.id}/sites`, { domain });
      assertProblem(r, 409, /^site\.(zone_taken|domain_taken)$/, `b's site ${domain}`);
    }
    assertProblem(await asB('PATCH', `/api/v1/sites/${s.siteB.id}`, { aliases: ['alias.alpha-site.test'] }), 409, /^site\.zone_taken$/, 'b aliases a name of A\'s zone');
    assertProblem(await asB('PATCH', `/api/v1/sites/${s.siteB.id}`, { platformSubdomain: 'alpha' }), 409, /^site\.domain_taken$/, 'b takes A\'s platform label');
    assertProblem(await asB('PATCH', `/api/v1/sites/${s.siteB.id}`, { platformSubdomain: 'www' }), 409, /^site\.platform_label_reserved$/, 'b takes a reserved label');
    // a claim is allowed, but without the proof it takes nothing
    const claim = await asB('POST', '/api/v1/zone-claims', { name: 'alpha-site.test' });
    ok(claim, 201, 'b claims A\'s domain');
    assert.equal(claim.body.heldByAnotherCustomer, true);
    assertProblem(await asB('POST', `/api/v1/zone-claims/${claim.body.id}/verify`), 409, /^claim\.not_proven$/, 'b verifies without proof');
    assertProblem(await asB('POST', '/api/v1/zone-claims', { name: 'alpha-site.test', customerId: s.customerA.id }), 404, /^customer\.not_found$/, 'b claims for A');
    // B's names in the isolated lists were not A's
    assert.deepEqual(await snapshotOfA(m, s), before, 'customer A\'s objects changed');
  });
}
