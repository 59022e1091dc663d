// Databases and database users through the API (no MariaDB here: test/agent-databases.test.ts
// applies them for real): placement, names, quotas, passwords shown once and never stored, grants
// only within a hosting, another customer's attempts, the desired state of the database server and
// the read-only hysteresis of the database space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState, lastRevisionFor } from '../src/agent/store.js';
import { recordDatabaseUsage } from '../src/databases/operations-usage.js';
import { authString, MB } from '../src/databases/rules.js';

for (const database of testDatabases()) {
  test(`databases and their users (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m, { a: { maxDatabases: 2, databaseMb: 10 } });
    const dbsOf = (h: { id: string }) => `/api/v1/hostings/${h.id}/databases`;
    const usersOf = (h: { id: string }) => `/api/v1/hostings/${h.id}/database-users`;
    let server: { id: string; agentToken: string };
    let wp: { id: string; name: string; user: { id: string; name: string; password: string } };

    await t.test('without a database server a database cannot be placed: 409 database.no_server', async () => {
      const r = await asA('POST', dbsOf(a.hosting), { name: 'wp' });
      assert.equal(r.status, 409, JSON.stringify(r.body));
      assert.equal(r.body.code, 'database.no_server');
    });

    await t.test('a database with its user: named after the hosting, placed on the database server, the password shown once', async () => {
      server = (await m.api('POST', '/api/v1/servers', { name: 'db-1', roles: ['database'], addresses: ['192.0.2.50'] })).body;
      const r = await asA('POST', dbsOf(a.hosting), { name: 'wp', user: true });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      wp = r.body;
      const body = r.body;
      assert.equal(wp.name, `${a.hosting.name}_wp`);
      assert.equal(body.host, '192.0.2.50');
      assert.equal(body.port, 3306);
      assert.deepEqual(body.users, [`${a.hosting.name}_wp`]);
      assert.equal(body.sizeBytes, null);
      assert.equal(body.readOnly, null);
      assert.equal(body.provisioning.status, 'pending');
      assert.match(wp.user.password, /^[A-Za-z0-9]{24}$/);
      assert.deepEqual(body.user.databases, [wp.name]);
      // stored: MariaDB's hash only; the password is nowhere in the manager's database
      const row = await db.selectFrom('databaseUsers').selectAll().where('id', '=', wp.user.id).executeTakeFirstOrThrow();
      assert.equal(row.authString, authString(wp.user.password));
      const audit = JSON.stringify(await db.selectFrom('auditLog').selectAll().execute());
      assert.ok(!audit.includes(wp.user.password) && !audit.includes(row.authString), 'neither the password nor its hash is audited');
      const shown = await asA('GET', `/api/v1/database-users/${wp.user.id}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.password, undefined, 'a password is shown once, in the answer that made it');
      assert.equal((await asA('GET', `/api/v1/databases/${wp.name}`)).body.id, wp.id, 'found by name too');
    });

    await t.test('names: a-z 0-9 _ only, unique in the hosting, within MariaDB\'s (and MySQL clients\') lengths', async () => {
      for (const name of ['WP', 'a-b', '', 'é', 'a b', 'x;drop', '%', 'a'.repeat(63)]) {
        const r = await asA('POST', dbsOf(a.hosting), { name });
        assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
      }
      const long = await asA('POST', usersOf(a.hosting), { name: 'u'.repeat(30) });
      assert.equal(long.status, 400);
      assert.equal(long.body.code, 'database_user.name_too_long');
      const taken = await asA('POST', dbsOf(a.hosting), { name: 'wp' });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.code, 'database.name_taken');
      const userTaken = await asA('POST', usersOf(a.hosting), { name: 'wp' });
      assert.equal(userTaken.body.code, 'database_user.name_taken');
    });

    await t.test('quotas: the offer\'s maxDatabases counts databases, and users', async () => {
      assert.equal((await asA('POST', dbsOf(a.hosting), { name: 'shop' })).status, 201);
      const r = await asA('POST', dbsOf(a.hosting), { name: 'third' });
      assert.equal(r.status, 409);
      assert.equal(r.body.code, 'quota.databases_exceeded');
      const u = await asA('POST', usersOf(a.hosting), { name: 'reader', databases: [`${a.hosting.name}_shop`, wp.id] });
      assert.equal(u.status, 201, JSON.stringify(u.body));
      assert.deepEqual(u.body.databases, [`${a.hosting.name}_shop`, wp.name]);
      const third = await asA('POST', usersOf(a.hosting), { name: 'more' });
      assert.equal(third.body.code, 'quota.database_users_exceeded');
      const usage = await asA('GET', `/api/v1/hostings/${a.hosting.id}/database-usage`);
      assert.equal(usage.status, 200, JSON.stringify(usage.body));
      assert.deepEqual({ d: usage.body.databases, u: usage.body.users }, { d: { used: 2, max: 2 }, u: { used: 2, max: 2 } });
      assert.deepEqual(usage.body.space, { usedBytes: 0, maxBytes: 10 * MB, measuredAt: null });
      assert.equal(usage.body.server.host, '192.0.2.50');
    });

    await t.test('grants stay within the hosting; a password reset gives a new one', async () => {
      const bDb = (await m.api('POST', dbsOf(b.hosting), { name: 'blog' })).body;
      const user = (await asA('GET', `/api/v1/database-users/${a.hosting.name}_reader`)).body;
      const cross = await asA('PATCH', `/api/v1/database-users/${user.id}`, { databases: [bDb.id] });
      assert.equal(cross.status, 400);
      assert.equal(cross.body.code, 'database.not_in_hosting');
      assert.equal(cross.body.errors[0].path, 'body.databases.0');
      const byName = await asA('PATCH', `/api/v1/database-users/${user.id}`, { databases: [bDb.name] });
      assert.equal(byName.body.code, 'database.not_in_hosting');
      const narrowed = await asA('PATCH', `/api/v1/database-users/${user.id}`, { databases: [wp.name] });
      assert.equal(narrowed.status, 200);
      assert.deepEqual(narrowed.body.databases, [wp.name]);
      const before = await db.selectFrom('databaseUsers').select('authString').where('id', '=', wp.user.id).executeTakeFirstOrThrow();
      const reset = await asA('POST', `/api/v1/database-users/${wp.user.id}/password`);
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.notEqual(reset.body.password, wp.user.password);
      const after = await db.selectFrom('databaseUsers').select('authString').where('id', '=', wp.user.id).executeTakeFirstOrThrow();
      assert.notEqual(after.authString, before.authString);
      assert.equal(after.authString, authString(reset.body.password));
    });

    await t.test('another customer sees, changes and takes none of it; a readonly user only reads', async () => {
      const reader2 = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      for (const [method, path, body] of [
        ['GET', dbsOf(a.hosting)], ['POST', dbsOf(a.hosting), { name: 'stolen' }], ['GET', usersOf(a.hosting)], ['POST', usersOf(a.hosting), { name: 'x' }],
        ['GET', `/api/v1/hostings/${a.hosting.id}/database-usage`], ['GET', `/api/v1/databases/${wp.id}`], ['GET', `/api/v1/databases/${wp.name}`],
        ['DELETE', `/api/v1/databases/${wp.id}`], ['GET', `/api/v1/database-users/${wp.user.id}`], ['GET', `/api/v1/database-users/${wp.user.name}`],
        ['PATCH', `/api/v1/database-users/${wp.user.id}`, { databases: [] }], ['POST', `/api/v1/database-users/${wp.user.id}/password`], ['DELETE', `/api/v1/database-users/${wp.user.id}`],
      ] as Array<[string, string, unknown?]>) {
        const r = await asB(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.code, /^(hosting|database|database_user)\.not_found$/);
        assert.ok(!JSON.stringify(r.body).includes(wp.name) || path.includes(wp.name), 'no leak');
      }
      // B's own user cannot be granted A's database, whatever it is called
      const mine = await asB('POST', usersOf(b.hosting), { name: 'mine', databases: [wp.id] });
      assert.equal(mine.body.code, 'database.not_in_hosting');
      assert.equal((await reader2('GET', `/api/v1/databases/${wp.id}`)).status, 200);
      const refused = await reader2('POST', dbsOf(a.hosting), { name: 'nope' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'database.forbidden');
      assert.equal((await reader2('POST', `/api/v1/database-users/${wp.user.id}/password`)).body.code, 'database_user.forbidden');
    });

    await t.test('the database server\'s desired state: its databases and users, locked when the hosting is suspended', async () => {
      const state = await buildDesiredState(db, m.manager.app.config, server.id);
      assert.deepEqual(state.database!.databases.map((d) => d.name).sort(), [`${a.hosting.name}_shop`, wp.name, `${b.hosting.name}_blog`].sort());
      const user = state.database!.users.find((u) => u.name === wp.user.name)!;
      assert.match(user.authString, /^\*[0-9A-F]{40}$/);
      assert.equal(user.locked, false);
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/suspend`, {})).status, 200);
      const suspended = await buildDesiredState(db, m.manager.app.config, server.id);
      assert.ok(await lastRevisionFor(db, server.id) > state.revision, 'the suspension is a revision for the database server');
      assert.equal(suspended.database!.users.find((u) => u.name === wp.user.name)!.locked, true);
      assert.equal((await asA('POST', dbsOf(a.hosting), { name: 'later' })).body.code, 'hosting.suspended');
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/reactivate`)).status, 200);
    });

    await t.test('over databaseMb the hosting\'s databases turn read-only, back under 90 % writable again', async () => {
      const app = m.manager.app;
      const shop = (await asA('GET', `/api/v1/databases/${a.hosting.name}_shop`)).body;
      const revision = (await buildDesiredState(db, app.config, server.id)).revision;
      await recordDatabaseUsage(app, server.id, [{ kind: 'database', id: wp.id, bytes: 6 * MB }, { kind: 'database', id: shop.id, bytes: 5 * MB }]);
      const over = (await asA('GET', `/api/v1/databases/${wp.id}`)).body;
      assert.equal(over.sizeBytes, 6 * MB);
      assert.equal(over.readOnly?.code, 'quota.database_space_exceeded', JSON.stringify(over));
      assert.equal(over.readOnly.params.resumeBelowBytes, 9 * MB);
      const state = await buildDesiredState(db, app.config, server.id);
      assert.ok(await lastRevisionFor(db, server.id) > revision, 'the flip is a revision for the database server');
      assert.deepEqual(state.database!.databases.filter((d) => d.readOnly).map((d) => d.name).sort(), [wp.name, shop.name].sort());
      await recordDatabaseUsage(app, server.id, [{ kind: 'database', id: wp.id, bytes: 4.5 * MB }]); // 9.5 MB: stays
      assert.notEqual((await asA('GET', `/api/v1/databases/${wp.id}`)).body.readOnly, null);
      await recordDatabaseUsage(app, server.id, [{ kind: 'database', id: wp.id, bytes: 3 * MB }]); // 8 MB
      assert.equal((await asA('GET', `/api/v1/databases/${wp.id}`)).body.readOnly, null);
      const actions = (await db.selectFrom('auditLog').select('action').where('targetId', '=', a.hosting.id).execute()).map((r) => r.action);
      assert.deepEqual(actions.filter((x) => x.startsWith('database.')), ['database.writes_refused', 'database.writes_restored']);
      // a server reports only its own databases' sizes
      await recordDatabaseUsage(app, b.hosting.id, [{ kind: 'database', id: wp.id, bytes: 1 }]);
      assert.equal((await asA('GET', `/api/v1/databases/${wp.id}`)).body.sizeBytes, 3 * MB);
    });

    await t.test('removal: the database leaves its users\' grants; a server holding databases is not deleted', async () => {
      const held = await m.api('DELETE', `/api/v1/servers/${server.id}`);
      assert.equal(held.status, 409);
      assert.equal(held.body.code, 'server.in_use');
      assert.equal((await asA('DELETE', `/api/v1/databases/${wp.id}`)).status, 204);
      assert.equal((await asA('GET', `/api/v1/databases/${wp.id}`)).status, 404);
      assert.deepEqual((await asA('GET', `/api/v1/database-users/${wp.user.id}`)).body.databases, []);
      assert.equal((await asA('DELETE', `/api/v1/database-users/${wp.user.id}`)).status, 204);
      const list = await asA('GET', usersOf(a.hosting));
      assert.deepEqual(list.body.items.map((u: { name: string }) => u.name), [`${a.hosting.name}_reader`]);
    });
  });
}
