// Servers over the API: registering, changing, replacing the agent token, removing; who may do it;
// and whether each server's agent is reachable (from its last contact, an open long poll, the Clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { currentRevision } from '../src/platform/store-revision.js';
import { UNREACHABLE_AFTER_SECONDS } from '../src/servers/rules.js';
import { seedHosting, startTestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';

test('servers: register, change, token, remove, reachability', async (t) => {
  const clock = new ManualClock('2026-03-01T10:00:00Z');
  const m = await startTestManager({ clock });
  t.after(() => m.close());
  const db = m.manager.app.db;
  const agentGet = (token: string, path: string, signal?: AbortSignal) =>
    fetch(`${m.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal });
  const status = async (id: string) => (await m.api('GET', `/api/v1/servers/${id}`)).body.status as string;

  const edge = await m.api('POST', '/api/v1/servers', { name: 'edge-1', roles: ['edge'], addresses: ['192.0.2.1'] });
  assert.equal(edge.status, 201, JSON.stringify(edge.body));
  assert.match(edge.body.agentToken, /^abria_/);
  assert.equal(edge.body.status, 'never');
  const dns = (await m.api('POST', '/api/v1/servers', { name: 'dns-1', roles: ['dns'], addresses: ['192.0.2.53'] })).body;
  const web = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.2'] })).body;

  await t.test('a taken name is refused on the name field', async () => {
    const r = await m.api('POST', '/api/v1/servers', { name: 'EDGE-1', roles: ['web'] });
    assert.equal(r.status, 409);
    assert.equal(r.body.code, 'server.name_taken');
    assert.deepEqual(r.body.errors.map((e: { path: string }) => e.path), ['body.name']);
    assert.equal((await m.api('PATCH', `/api/v1/servers/${web.id}`, { name: 'dns-1' })).body.code, 'server.name_taken');
  });

  await t.test('reachable while its agent calls or waits, unreachable after three long polls without', async () => {
    assert.equal((await agentGet(edge.body.agentToken, '/agent/v1/spec')).status, 200);
    const shown = (await m.api('GET', '/api/v1/servers/edge-1')).body;
    assert.equal(shown.status, 'reachable');
    assert.equal(shown.lastContactAt, clock.now().toISOString(), 'the contact is stamped by the Clock');
    clock.advance(UNREACHABLE_AFTER_SECONDS * 1000);
    assert.equal(await status(edge.body.id), 'reachable');
    clock.advance(1000);
    assert.equal(await status(edge.body.id), 'unreachable');
    const list = (await m.api('GET', '/api/v1/servers')).body.items;
    assert.deepEqual(Object.fromEntries(list.map((s: { name: string; status: string }) => [s.name, s.status])), { 'dns-1': 'never', 'edge-1': 'unreachable', 'web-1': 'never' });

    // a long poll open: reachable whatever the clock says; closed by the agent (gone): unreachable again
    const gone = new AbortController();
    const poll = agentGet(edge.body.agentToken, `/agent/v1/spec?since=${await currentRevision(db)}&wait=60`, gone.signal).catch((e: Error) => e);
    await until('the open poll makes the edge reachable', async () => (await status(edge.body.id)) === 'reachable');
    clock.advance(3600_000);
    assert.equal(await status(edge.body.id), 'reachable');
    gone.abort();
    assert.equal(((await poll) as Error).name, 'AbortError');
    await until('the edge is unreachable once its poll closed', async () => (await status(edge.body.id)) === 'unreachable');

    // a poll that ends with a new revision stamps the contact as of its end
    const answered = agentGet(edge.body.agentToken, `/agent/v1/spec?since=${await currentRevision(db)}&wait=60`);
    await until('the poll is open', async () => (await status(edge.body.id)) === 'reachable');
    clock.advance(3600_000);
    assert.equal((await m.api('PATCH', `/api/v1/servers/${edge.body.id}`, { publicAddresses: ['198.51.100.1'] })).status, 200);
    assert.equal((await answered).status, 200);
    assert.equal((await m.api('GET', `/api/v1/servers/${edge.body.id}`)).body.lastContactAt, clock.now().toISOString());
  });

  await t.test('an edge renumbered: its revision reaches the DNS servers and every managed zone, not the web servers', async () => {
    const customer = (await m.api('POST', '/api/v1/customers', { name: 'Zoned', contactEmail: 'contact@zoned.test' })).body;
    const zone = await m.api('POST', '/api/v1/zones', { name: 'renumber.test', customerId: customer.id });
    assert.equal(zone.status, 201, JSON.stringify(zone.body));
    const r = await m.api('PATCH', `/api/v1/servers/${edge.body.id}`, { publicAddresses: ['198.51.100.2', '2001:db8::2'] });
    assert.deepEqual(r.body.publicAddresses, ['198.51.100.2', '2001:db8::2']);
    const rev = await currentRevision(db);
    const row = await db.selectFrom('revisions').selectAll().where('id', '=', rev).executeTakeFirstOrThrow();
    assert.deepEqual([...row.serverIds].sort(), [edge.body.id, dns.id].sort());
    const z = await db.selectFrom('zones').select('revision').where('name', '=', 'renumber.test').executeTakeFirstOrThrow();
    assert.equal(Number(z.revision), rev);
    // a web server renamed: the edges forward to it by name, so they follow
    await m.api('PATCH', `/api/v1/servers/${web.id}`, { name: 'web-one' });
    const renamed = await db.selectFrom('revisions').selectAll().where('id', '=', await currentRevision(db)).executeTakeFirstOrThrow();
    assert.deepEqual([...renamed.serverIds].sort(), [edge.body.id, web.id].sort());
    const audit = (await m.api('GET', '/api/v1/audit?action=server.update')).body.items;
    assert.ok(audit.some((e: { target: string }) => e.target === 'web-one'));
  });

  await t.test('a replaced agent token stops working at once', async () => {
    const r = await m.api('POST', `/api/v1/servers/${dns.id}/token`);
    assert.equal(r.status, 200);
    assert.notEqual(r.body.agentToken, undefined);
    const tokens = [dns.agentToken, r.body.agentToken];
    assert.equal((await agentGet(tokens[0], '/agent/v1/spec')).status, 401);
    assert.equal((await agentGet(tokens[1], '/agent/v1/spec')).status, 200);
  });

  await t.test('customers and staff cannot manage servers; nobody removes one a hosting lives on', async () => {
    const customer = await m.user('someone@customer.test');
    const staff = await m.user('staff@abri.test', 'staff');
    for (const [method, path, body] of [['GET', '/api/v1/servers'], ['GET', `/api/v1/servers/${web.id}`], ['POST', '/api/v1/servers', { name: 'mine', roles: ['web'] }],
      ['PATCH', `/api/v1/servers/${web.id}`, { addresses: ['203.0.113.9'] }], ['POST', `/api/v1/servers/${web.id}/token`], ['DELETE', `/api/v1/servers/${web.id}`]] as const) {
      const r = await m.api(method, path, body, { token: customer.token });
      assert.equal(r.body.code, 'auth.staff_only', `${method} ${path} by a customer`);
    }
    assert.equal((await m.api('GET', '/api/v1/servers', undefined, { token: staff.token })).status, 200);
    for (const [method, path] of [['POST', `/api/v1/servers/${web.id}/token`], ['DELETE', `/api/v1/servers/${web.id}`]] as const) {
      assert.equal((await m.api(method, path, undefined, { token: staff.token })).body.code, 'auth.staff_only', `${method} ${path} by staff`);
    }
    const { hosting } = await seedHosting(m, { customer: 'Placed' });
    await m.api('PATCH', `/api/v1/hostings/${hosting.id}`, { serverId: web.id });
    const refused = await m.api('DELETE', `/api/v1/servers/${web.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'server.in_use');
    assert.equal((await m.api('DELETE', '/api/v1/servers/no-such-server')).body.code, 'server.not_found');
    assert.equal((await m.api('DELETE', `/api/v1/servers/${dns.id}`)).status, 204);
    assert.equal((await m.api('GET', `/api/v1/servers/${dns.id}`)).status, 404);
  });
});
