// Snapshots through the API (test/agent-snapshots.test.ts takes them on real btrfs): the offer's
// counts (defaults, bounds, staff only), sent to the hosting's web server and sent again when they
// change; the list of a hosting on no web server, on a server that does not answer, and as another
// customer; the offer's counts from `abri offer`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { abri, oneLineError } from './helpers/cli.js';

for (const database of testDatabases()) {
  test(`snapshots of hostings through the API (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, asA, asB } = await alphaAndBravo(m, { a: { snapshotsHourly: 2, snapshotsMonthly: 0 } });
    const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;

    await t.test('an offer keeps 6 hourly, 7 daily, 4 weekly and 3 monthly unless staff say otherwise; counts are bounded', async () => {
      const made = await m.api('POST', '/api/v1/offers', { name: 'Snap defaults', priceCents: 100 });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      assert.deepEqual([made.body.snapshotsHourly, made.body.snapshotsDaily, made.body.snapshotsWeekly, made.body.snapshotsMonthly], [6, 7, 4, 3]);
      assert.deepEqual([a.offer.snapshotsHourly, a.offer.snapshotsMonthly], [2, 0]);
      for (const [field, value] of [['snapshotsHourly', 49], ['snapshotsDaily', -1], ['snapshotsWeekly', 13], ['snapshotsMonthly', 1.5]] as const) {
        const r = await m.api('PATCH', `/api/v1/offers/${made.body.id}`, { [field]: value });
        assert.equal(r.status, 400, `${field} ${value}`);
        assert.equal(r.body.errors[0].path, `body.${field}`);
      }
      assert.equal((await asA('PATCH', `/api/v1/offers/${a.offer.id}`, { snapshotsHourly: 48 })).status, 403, 'customers do not set them');
    });

    if (database.name === 'pglite') {
      await t.test('abri offer add/edit --snapshots-…', async () => {
        const env = { ABRI_API_URL: m.url, ABRI_TOKEN: m.adminToken };
        const r = await abri(['--json', 'offer', 'add', '--name', 'Snap CLI', '--price', '1', '--snapshots-hourly', '24', '--snapshots-monthly', '0'], env);
        assert.equal(r.code, 0, r.stderr);
        const o = JSON.parse(r.stdout);
        assert.deepEqual([o.snapshotsHourly, o.snapshotsDaily, o.snapshotsWeekly, o.snapshotsMonthly], [24, 7, 4, 0]);
        assert.match(oneLineError(await abri(['offer', 'edit', 'Snap CLI', '--snapshots-daily', '99'], env)), /snapshotsDaily/);
      });
    }

    await t.test('the counts reach the hosting\'s web server, and again when the offer changes them', async () => {
      const server = (await m.api('POST', '/api/v1/servers', { name: 'web-snap', roles: ['web'], addresses: ['192.0.2.40'] })).body;
      assert.equal((await m.api('PATCH', `/api/v1/hostings/${a.hosting.id}`, { serverId: server.id })).status, 200);
      const sent = async () => (await buildDesiredState(db, ctx, server.id)).web!.hostings.find((h) => h.id === a.hosting.id)!;
      assert.deepEqual((await sent()).snapshots, { hourly: 2, daily: 7, weekly: 4, monthly: 0, requests: 0, restores: [] });
      const before = await db.selectFrom('hostings').select('revision').where('id', '=', a.hosting.id).executeTakeFirstOrThrow();
      assert.equal((await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, { snapshotsDaily: 0 })).status, 200);
      const after = await db.selectFrom('hostings').select('revision').where('id', '=', a.hosting.id).executeTakeFirstOrThrow();
      assert.ok(Number(after.revision) > Number(before.revision), 'the hosting is stamped: its server takes the new counts');
      assert.deepEqual((await sent()).snapshots, { hourly: 2, daily: 0, weekly: 4, monthly: 0, requests: 0, restores: [] });
    });

    await t.test('listing: another customer gets 404; no web server: snapshot.not_here; a server that never called: server.unreachable', async () => {
      const theirs = await asB('GET', `/api/v1/hostings/${a.hosting.id}/snapshots`);
      assert.equal(theirs.status, 404);
      assert.equal(theirs.body.code, 'hosting.not_found');
      const silent = await asA('GET', `/api/v1/hostings/${a.hosting.id}/snapshots`);
      assert.equal(silent.status, 503, JSON.stringify(silent.body));
      assert.equal(silent.body.code, 'server.unreachable');
      await db.updateTable('hostings').set({ serverId: null }).where('id', '=', b.hosting.id).execute();
      const nowhere = await asB('GET', `/api/v1/hostings/${b.hosting.id}/snapshots`);
      assert.equal(nowhere.status, 409, JSON.stringify(nowhere.body));
      assert.equal(nowhere.body.code, 'snapshot.not_here');
      assert.equal((await asB('POST', `/api/v1/hostings/${b.hosting.id}/snapshots`, {})).body.code, 'snapshot.not_here');
    });

    await t.test('asking for a snapshot: counted, audited, sent to the web server; not by another customer', async () => {
      assert.equal((await asB('POST', `/api/v1/hostings/${a.hosting.id}/snapshots`, {})).status, 404);
      const r = await asA('POST', `/api/v1/hostings/${a.hosting.id}/snapshots`, {});
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual([r.body.requests, r.body.kept], [1, 3]);
      const server = await db.selectFrom('hostings').select('serverId').where('id', '=', a.hosting.id).executeTakeFirstOrThrow();
      const sent = (await buildDesiredState(db, ctx, server.serverId!)).web!.hostings.find((h) => h.id === a.hosting.id)!;
      assert.equal(sent.snapshots?.requests, 1);
      const audit = await db.selectFrom('auditLog').select(['action']).where('action', '=', 'snapshot.request').execute();
      assert.equal(audit.length, 1);
    });
  });
}
