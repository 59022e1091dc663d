// Customers, delegations (owner/manager/readonly), audit entries and the desired-state revision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { currentRevision } from '../src/platform/store-revision.js';

for (const database of testDatabases()) {
  test(`customers and delegations (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const { customer, hosting } = await seedHosting(m, { customer: 'Les Amis du Vélo' });
    const owner = await m.user('owner@velo.test');
    const inv = await m.join(customer.id, 'owner@velo.test', 'owner');
    assert.equal(inv.status, 201);
    assert.equal(inv.body.invitationUrl, undefined, 'staff attach an existing account directly');

    await t.test('customer numbers are sequential and searchable', async () => {
      const other = (await m.api('POST', '/api/v1/customers', { name: 'Autre', contactEmail: 'a@autre.test', postalAddress: '1 rue X\n75001 Paris' })).body;
      assert.equal(other.number, customer.number + 1);
      assert.equal(other.postalAddress, '1 rue X\n75001 Paris');
      const found = await m.api('GET', `/api/v1/customers?q=${encodeURIComponent('vélo')}`);
      assert.deepEqual(found.body.items.map((c: { id: string }) => c.id), [customer.id]);
      assert.equal((await m.api('GET', `/api/v1/customers/${other.number}`)).body.id, other.id);
    });

    await t.test('an owner invites a readonly user with a link; staff attach existing accounts directly', async () => {
      const r = await m.api('POST', `/api/v1/customers/${customer.id}/invitations`, { email: 'Treso@Velo.test', role: 'readonly' }, { token: owner.token });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.match(r.body.invitationUrl, /\/invitation#/);
      assert.equal(r.body.email, 'treso@velo.test');
      const joined = await m.api('POST', '/api/v1/auth/accept-invitation', { token: r.body.invitationUrl.split('#')[1], password: 'treso password' }, { token: null });
      assert.equal(joined.status, 200);
      const dup = await m.api('POST', `/api/v1/customers/${customer.id}/invitations`, { email: 'treso@velo.test', role: 'manager' }, { token: owner.token });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.code, 'delegation.exists');
      const staffDup = await m.join(customer.id, 'treso@velo.test', 'manager');
      assert.equal(staffDup.body.code, 'delegation.exists');
      // a staff account cannot join a customer: refused when it accepts, and the inviter learned nothing
      assert.equal((await m.join(customer.id, 'admin@abri.test')).body.code, 'invitation.staff_account');
      const list = await m.api('GET', `/api/v1/customers/${customer.id}/delegations`, undefined, { token: owner.token });
      assert.deepEqual(list.body.items.map((d: { email: string; role: string }) => `${d.email}:${d.role}`).sort(), ['owner@velo.test:owner', 'treso@velo.test:readonly']);
    });

    await t.test('a readonly user reads but cannot change anything (403 on visible objects)', async () => {
      const ro = await m.user('ro@velo.test');
      await m.join(customer.id, 'ro@velo.test', 'readonly');
      assert.equal((await m.api('GET', `/api/v1/hostings/${hosting.id}`, undefined, { token: ro.token })).status, 200);
      const add = await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'ro.org' }, { token: ro.token });
      assert.equal(add.status, 403);
      assert.equal(add.body.code, 'site.forbidden');
      const invite = await m.api('POST', `/api/v1/customers/${customer.id}/invitations`, { email: 'x@velo.test' }, { token: ro.token });
      assert.equal(invite.status, 403);
      assert.equal(invite.body.code, 'invitation.forbidden');
    });

    await t.test('a manager changes sites but not delegations; owners cannot change the customer status', async () => {
      const mg = await m.user('mg@velo.test');
      await m.join(customer.id, 'mg@velo.test', 'manager');
      assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: 'velo.org' }, { token: mg.token })).status, 201);
      assert.equal((await m.api('POST', `/api/v1/customers/${customer.id}/invitations`, { email: 'y@velo.test' }, { token: mg.token })).body.code, 'invitation.forbidden');
      assert.equal((await m.api('PATCH', `/api/v1/customers/${customer.id}`, { status: 'closed' }, { token: owner.token })).body.code, 'customer.forbidden');
      assert.equal((await m.api('PATCH', `/api/v1/customers/${customer.id}`, { name: 'Les Amis du Vélo (Lyon)' }, { token: owner.token })).status, 200);
      assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/suspend`, {}, { token: owner.token })).status, 403);
    });

    await t.test('the last owner cannot be removed or demoted', async () => {
      const list = (await m.api('GET', `/api/v1/customers/${customer.id}/delegations`)).body.items;
      const own = list.find((d: { role: string }) => d.role === 'owner');
      const r = await m.api('PATCH', `/api/v1/customers/${customer.id}/delegations/${own.id}`, { role: 'manager' }, { token: owner.token });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'delegation.last_owner');
      const treso = list.find((d: { email: string }) => d.email === 'treso@velo.test');
      assert.equal((await m.api('DELETE', `/api/v1/customers/${customer.id}/delegations/${treso.id}`, undefined, { token: owner.token })).status, 204);
    });

    await t.test('a customer with live hostings cannot be deleted', async () => {
      const r = await m.api('DELETE', `/api/v1/customers/${customer.id}`);
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'customer.not_empty');
    });

    await t.test('every mutation is audited with actor, target, address and a secret-free summary', async () => {
      const audit = await m.api('GET', `/api/v1/audit?customerId=${customer.id}&limit=100`);
      const actions = audit.body.items.map((e: { action: string }) => e.action);
      for (const a of ['customer.create', 'hosting.create', 'invitation.create', 'invitation.accept', 'site.create', 'customer.update', 'delegation.delete']) assert.ok(actions.includes(a), a);
      const site = audit.body.items.find((e: { action: string }) => e.action === 'site.create');
      assert.equal(site.actor, 'mg@velo.test');
      assert.equal(site.address, '127.0.0.1');
      assert.equal(site.target, 'velo.org');
      const byActor = await m.api('GET', '/api/v1/audit?actor=mg@velo&action=site.');
      assert.ok(byActor.body.items.length >= 1 && byActor.body.items.every((e: { actor: string }) => e.actor === 'mg@velo.test'));
      const tokens = await m.api('GET', '/api/v1/audit?action=user.');
      assert.ok(!JSON.stringify(tokens.body).includes('correct horse battery'));
    });

    await t.test('changes to desired state bump the revision with the servers they affect', async () => {
      const edge = (await m.api('POST', '/api/v1/servers', { name: 'edge1', roles: ['edge'], addresses: ['192.0.2.1'] })).body;
      assert.match(edge.agentToken, /^abria_/);
      const web = (await m.api('POST', '/api/v1/servers', { name: 'web1', roles: ['web'], addresses: ['192.0.2.2'] })).body;
      const { hosting: h2 } = await seedHosting(m);
      assert.equal(h2.serverId, web.id, 'a new hosting goes to the least loaded web server');
      const before = await currentRevision(m.manager.app.db);
      await m.api('POST', `/api/v1/hostings/${h2.id}/sites`, { domain: 'rev.org' });
      const after = await currentRevision(m.manager.app.db);
      assert.equal(after, before + 1);
      const row = await m.manager.app.db.selectFrom('revisions').selectAll().where('id', '=', after).executeTakeFirstOrThrow();
      assert.deepEqual([...row.serverIds].sort(), [edge.id, web.id].sort());
      const failed = await m.api('POST', `/api/v1/hostings/${h2.id}/sites`, { domain: 'rev.org' });
      assert.equal(failed.status, 409);
      assert.equal(await currentRevision(m.manager.app.db), after, 'a refused change bumps nothing');
      const servers = await m.api('GET', '/api/v1/servers');
      assert.ok(!JSON.stringify(servers.body).includes('agentToken'));
      assert.equal((await m.api('DELETE', `/api/v1/servers/${web.id}`)).body.code, 'server.in_use');
    });
  });
}

test('lists: q, sort, limit and cursor walk every row exactly once', async (t) => {
  const m = await startTestManager();
  t.after(() => m.close());
  const { hosting } = await seedHosting(m, { offer: { maxSites: 500 } });
  const domains: string[] = [];
  for (let i = 0; i < 57; i++) {
    const d = `site${String(i).padStart(3, '0')}.${i % 3 === 0 ? 'asso' : 'shop'}.org`;
    domains.push(d);
    assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain: d, phpVersion: '8.2' })).status, 201);
  }
  for (const sort of ['domain', '-domain', 'createdAt', '-createdAt', 'phpVersion']) {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { body: { items: { domain: string }[]; nextCursor: string | null; total: number } } =
        await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?sort=${sort}&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.body.total, 57);
      seen.push(...r.body.items.map((s) => s.domain));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 6);
    assert.equal(new Set(seen).size, 57, `sort=${sort} visits every row once`);
    if (sort === 'domain') assert.deepEqual(seen, [...domains].sort());
    if (sort === '-domain') assert.deepEqual(seen, [...domains].sort().reverse());
  }
  const q = await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=ASSO&limit=1000`);
  assert.equal(q.body.total, 19);
  assert.equal(q.body.items.length, 19);
  const like = await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?q=${encodeURIComponent('%')}`);
  assert.equal(like.body.total, 0, 'LIKE wildcards in q are literal');
  for (const bad of ['sort=password', 'limit=0', 'limit=1001', 'cursor=garbage', 'limit=abc']) {
    const r = await m.api('GET', `/api/v1/hostings/${hosting.id}/sites?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.match(r.headers.get('content-type')!, /problem\+json/);
  }
});
