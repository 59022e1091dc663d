// The web database admin's tickets through the API (no MariaDB here: test/agent-dbadmin.test.ts signs
// in to a real Adminer with them): a ticket opens one user once, within a minute, only with the
// database admin's service key; replayed, expired, forged, altered or another customer's, it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, seedHosting } from './helpers/manager.js';
import { ManualClock } from '../src/platform/clock.js';
import { buildDesiredState } from '../src/agent/store.js';
import { authString } from '../src/databases/rules.js';
import { signTicket, verifyTicket } from '../src/databases/rules-dbadmin.js';

const KEY = 'k'.repeat(40);
const settings = { ABRI_DBADMIN_URL: 'https://panel.example.test/dbadmin/', ABRI_DBADMIN_KEY: KEY };

test('tickets are signed: another key, another user, a later time or a changed character is refused', () => {
  const [key, other] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
  const now = new Date('2026-01-01T00:00:00Z');
  const { ticket, claims } = signTicket(key, '0b0e8d0c-1111-4222-8333-944455556666', now);
  assert.deepEqual(verifyTicket(key, ticket, now), claims);
  assert.equal(verifyTicket(other, ticket, now), null, 'another key');
  assert.equal(verifyTicket(key, ticket, new Date(now.getTime() + 60_000)), null, 'expired after a minute');
  assert.ok(verifyTicket(key, ticket, new Date(now.getTime() + 59_999)));
  assert.equal(verifyTicket(key, ticket.replace('0b0e8d0c', '0b0e8d0d'), now), null, 'another user');
  const [u, exp, n, sig] = ticket.split('.');
  assert.equal(verifyTicket(key, [u, String(Number(exp) + 3_600_000), n, sig].join('.'), now), null, 'a later expiry');
  for (const bad of ['', 'x', `${ticket}.x`, ticket.slice(0, -1), `${ticket.slice(0, -1)}${ticket.endsWith('A') ? 'B' : 'A'}`]) assert.equal(verifyTicket(key, bad, now), null, bad);
});

test('the database admin’s tickets through the API', async (t) => {
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  const m = await startTestManager({ settings, clock });
  t.after(() => m.close());
  const db = m.manager.app.db;
  const server = (await m.api('POST', '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.50'] })).body;
  const a = await seedHosting(m, { customer: 'Alpha' });
  const b = await seedHosting(m, { customer: 'Bravo' });
  const owner = await m.user('owner@alpha.test');
  assert.equal((await m.join(a.customer.id, 'owner@alpha.test', 'owner')).status, 201);
  const reader = await m.user('reader@alpha.test');
  assert.equal((await m.join(a.customer.id, 'reader@alpha.test', 'readonly')).status, 201);
  const other = await m.user('owner@bravo.test');
  assert.equal((await m.join(b.customer.id, 'owner@bravo.test', 'owner')).status, 201);
  const made = await m.api('POST', `/api/v1/hostings/${a.hosting.id}/database-users`, { name: 'wp' }, { token: owner.token });
  assert.equal(made.status, 201);
  const theirs = (await m.api('POST', `/api/v1/hostings/${b.hosting.id}/database-users`, { name: 'shop' }, { token: other.token })).body;
  const ticketFor = (id: string, token = owner.token) => m.api('POST', `/api/v1/database-users/${id}/dbadmin-ticket`, undefined, { token });
  const exchange = (ticket: string, key: string | null = KEY) =>
    m.api('POST', '/api/v1/dbadmin/exchange', { ticket }, { token: null, headers: key === null ? {} : { 'x-abri-dbadmin-key': key } });

  await t.test('a ticket opens the user once, with a console password that is not the customer’s and reaches its server', async () => {
    const issued = await ticketFor(made.body.id);
    assert.equal(issued.status, 200);
    assert.equal(issued.body.url, settings.ABRI_DBADMIN_URL);
    assert.equal(issued.body.expiresAt, '2026-03-01T10:01:00.000Z');
    assert.doesNotMatch(JSON.stringify(issued.body), new RegExp(made.body.password));
    const opened = await exchange(issued.body.ticket);
    assert.equal(opened.status, 200);
    assert.deepEqual({ ...opened.body, password: undefined }, { host: '192.0.2.50', port: 3306, user: made.body.name, password: undefined, databases: [] });
    assert.notEqual(opened.body.password, made.body.password);
    const want = (await buildDesiredState(db, { platformDomain: null, apacheInstances: 1, dns: m.manager.app.config.dns } as never, server.id)).database!.users.find((u) => u.name === made.body.name)!;
    assert.deepEqual([want.authString, want.consoleAuth], [authString(made.body.password), authString(opened.body.password)]);
    assert.equal((await exchange(issued.body.ticket)).body.code, 'dbadmin.ticket_refused', 'replayed');
    const audit = (await m.api('GET', `/api/v1/audit?q=${made.body.name}`)).body.items.map((e: { action: string }) => e.action);
    assert.ok(audit.includes('database_user.dbadmin_ticket') && audit.includes('database_user.dbadmin_open'), audit.join());
    assert.doesNotMatch(JSON.stringify(await db.selectFrom('auditLog').selectAll().execute()), new RegExp(opened.body.password), 'never in the audit');
  });

  await t.test('expired, forged, altered, or without the service key: refused (and a refusal uses nothing up)', async () => {
    const issued = (await ticketFor(made.body.id)).body;
    for (const key of [null, '', 'k'.repeat(39), 'x'.repeat(40)]) {
      const r = await exchange(issued.ticket, key);
      assert.deepEqual([r.status, r.body.code], [403, 'dbadmin.ticket_refused'], String(key));
    }
    const [, exp, n, sig] = issued.ticket.split('.');
    for (const forged of [[theirs.id, exp, n, sig], [made.body.id, String(Number(exp) + 600_000), n, sig], [made.body.id, exp, n, `${sig.slice(0, -2)}AA`]]) {
      assert.equal((await exchange(forged.join('.'))).status, 403, forged.join('.'));
    }
    clock.advance(60_000);
    assert.equal((await exchange(issued.ticket)).status, 403, 'expired');
    const fresh = (await ticketFor(made.body.id)).body;
    assert.equal((await exchange(fresh.ticket)).status, 200, 'refusals used nothing up');
  });

  await t.test('another customer’s user, a read-only person, a suspended hosting, a platform without the admin: no ticket', async () => {
    assert.equal((await ticketFor(theirs.id)).status, 404, 'A asks for B’s user');
    assert.equal((await ticketFor(theirs.name)).status, 404, 'by name too');
    assert.equal((await ticketFor(made.body.id, other.token)).status, 404, 'B asks for A’s user');
    assert.equal((await ticketFor(made.body.id, reader.token)).status, 403, 'read-only');
    const issued = (await ticketFor(made.body.id)).body;
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/suspend`, {})).status, 200);
    assert.equal((await ticketFor(made.body.id)).body.code, 'hosting.suspended');
    assert.equal((await exchange(issued.ticket)).status, 403, 'a ticket issued before the suspension no longer opens');
    assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/reactivate`, {})).status, 200);
    const bare = await startTestManager();
    t.after(() => bare.close());
    const h = await seedHosting(bare);
    await bare.api('POST', '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.51'] });
    const u = (await bare.api('POST', `/api/v1/hostings/${h.hosting.id}/database-users`, { name: 'wp' })).body;
    assert.equal((await bare.api('POST', `/api/v1/database-users/${u.id}/dbadmin-ticket`)).body.code, 'dbadmin.not_configured');
  });
});
