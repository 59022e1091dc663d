// Tenant isolation: a customer user of customer B walks EVERY operation of the OpenAPI document with
// the ids (and other references) of customer A's objects, and must learn nothing and change nothing:
// tenant routes answer 404, staff routes 403 auth.staff_only, other routes never show A's data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { exampleBody, fillPath, operations, paramKinds } from './helpers/api-walk.js';
import { assertNoLeak, assertProblem, bodyContext, ok, pathVariants, queryOf, references, seed, settings, snapshotOfA } from './helpers/isolation.js';

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
}
