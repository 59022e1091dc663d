// Restores from snapshots through the API, on the manager's side (test/agent-snapshot-restore.test.ts
// does them on real btrfs): a restore is asked for (audited, in its web server's desired state with
// where it writes and its safety snapshot), followed as the server reports it (only that server, never
// backwards), listed newest first; bad paths and names are refused with stable codes; a read-only
// member cannot ask; another customer gets 404 for the hosting, its restores and each restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { ManualClock } from '../src/platform/clock.js';

for (const database of testDatabases()) {
  test(`restores from snapshots through the API (${database.name})`, async (t) => {
    const clock = new ManualClock('2026-12-01T13:15:02Z');
    const m = await startTestManager({ database, clock });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m);
    const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
    const web = (await m.api('POST', '/api/v1/servers', { name: 'web-restore', roles: ['web'], addresses: ['192.0.2.41'] })).body;
    const other = (await m.api('POST', '/api/v1/servers', { name: 'web-other', roles: ['web'], addresses: ['192.0.2.42'] })).body;
    for (const h of [a, b]) assert.equal((await m.api('PATCH', `/api/v1/hostings/${h.hosting.id}`, { serverId: web.id })).status, 200);
    const restores = `/api/v1/hostings/${a.hosting.id}/snapshots/restores`;
    const sent = async () => (await buildDesiredState(db, ctx, web.id)).web!.hostings.find((h) => h.id === a.hosting.id)!.snapshots!.restores;
    const report = (token: string, body: unknown) => m.api('POST', '/agent/v1/snapshot-restores', body, { token });
    let copy = '';
    let inPlace = '';

    await t.test('asked for: a copy into restored-<date>/, in place with a safety snapshot; audited; in the web server\'s desired state', async () => {
      const r = await asA('POST', restores, { snapshot: 'daily-2026-12-01', path: 'var/www/site/' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual([r.body.status, r.body.mode, r.body.path, r.body.target, r.body.safetySnapshot, r.body.error], ['requested', 'copy', 'var/www/site', 'restored-2026-12-01-131502/var/www/site', null, null]);
      copy = r.body.id;
      clock.advance(1000);
      const p = await asA('POST', restores, { snapshot: 'manual-2026-12-01-131502', path: 'var/www/site/wp-config.php', mode: 'in-place' });
      assert.equal(p.status, 202, JSON.stringify(p.body));
      assert.deepEqual([p.body.target, p.body.safetySnapshot], ['var/www/site/wp-config.php', 'safety-2026-12-01-131503']);
      inPlace = p.body.id;
      assert.deepEqual(await sent(), [
        { id: copy, snapshot: 'daily-2026-12-01', path: 'var/www/site', mode: 'copy', target: 'restored-2026-12-01-131502/var/www/site', safety: null },
        { id: inPlace, snapshot: 'manual-2026-12-01-131502', path: 'var/www/site/wp-config.php', mode: 'in-place', target: 'var/www/site/wp-config.php', safety: 'safety-2026-12-01-131503' },
      ]);
      const audit = await db.selectFrom('auditLog').select(['action', 'targetId']).where('action', '=', 'snapshot.restore').execute();
      assert.deepEqual(audit.map((x) => x.targetId), [a.hosting.id, a.hosting.id]);
    });

    await t.test('followed as its web server reports it (only that server; never backwards); done ones leave the desired state', async () => {
      const at = '2026-12-01T13:16:00.000Z';
      assert.equal((await report(other.agentToken, { restores: [{ id: copy, status: 'done', at }] })).status, 204);
      assert.equal((await asA('GET', `${restores}/${copy}`)).body.status, 'requested', 'another server cannot say');
      assert.equal((await report(web.agentToken, { restores: [{ id: copy, status: 'running', at }] })).status, 204);
      assert.deepEqual(((await asA('GET', `${restores}/${copy}`)).body as { status: string; startedAt: string }).status, 'running');
      const failed = { id: inPlace, status: 'failed', at, code: 'snapshot.restore_no_space', message: 'Disk quota exceeded' };
      assert.equal((await report(web.agentToken, { restores: [{ id: copy, status: 'done', at }, failed] })).status, 204);
      assert.equal((await report(web.agentToken, { restores: [{ id: copy, status: 'running', at }, { ...failed, status: 'done' }] })).status, 204);
      const done = (await asA('GET', `${restores}/${copy}`)).body;
      assert.deepEqual([done.status, done.startedAt, done.finishedAt, done.error], ['done', at, at, null]);
      const no = (await asA('GET', `${restores}/${inPlace}`)).body;
      assert.deepEqual([no.status, no.error], ['failed', { code: 'snapshot.restore_no_space', message: 'Disk quota exceeded' }]);
      assert.deepEqual(await sent(), []);
      const list = await asA('GET', restores);
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.items.map((x: { id: string }) => x.id), [inPlace, copy], 'newest first');
      assert.equal((await report(web.agentToken, { restores: [{ id: copy, status: 'finished', at }] })).status, 400);
    });

    await t.test('bad paths and snapshot names: 400 with stable codes; nothing recorded', async () => {
      for (const path of ['', '/etc/shadow', '../x', 'var/../..', 'var/./www', 'var//www', 'backups', 'backups/daily-2026-12-01/var', 'restored-2026-12-01-131502', 'var/\u0000x', 'var/\tx', 'x'.repeat(1025)]) {
        const r = await asA('POST', restores, { snapshot: 'daily-2026-12-01', path });
        assert.equal(r.status, 400, JSON.stringify(path));
        assert.equal(r.body.code, path.length > 1024 ? 'request.validation' : 'snapshot.bad_path', JSON.stringify(path));
      }
      for (const snapshot of ['latest-daily', '../daily-2026-12-01', 'daily-2026-12-01/..', 'daily-2026-02-30', 'x']) {
        const r = await asA('POST', restores, { snapshot, path: 'var/www' });
        assert.deepEqual([r.status, r.body.code], [400, 'snapshot.bad_name'], snapshot);
      }
      assert.equal((await asA('POST', restores, { snapshot: 'daily-2026-12-01', path: 'var/www', mode: 'over' })).status, 400);
      assert.equal((await asA('POST', restores, { snapshot: 'daily-2026-12-01', path: 'var/www', extra: 1 })).status, 400);
      assert.equal((await asA('GET', restores)).body.items.length, 2);
    });

    await t.test('a read-only member sees them and cannot ask; another customer gets 404 for all of it', async () => {
      const ro = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await ro('GET', restores)).status, 200);
      const refused = await ro('POST', restores, { snapshot: 'daily-2026-12-01', path: 'var/www' });
      assert.deepEqual([refused.status, refused.body.code], [403, 'snapshot.forbidden']);
      for (const [method, path, body] of [['GET', restores], ['GET', `${restores}/${copy}`], ['POST', restores, { snapshot: 'daily-2026-12-01', path: 'var/www' }]] as const) {
        const r = await asB(method, path, body);
        assert.deepEqual([r.status, r.body.code], [404, 'hosting.not_found'], `${method} ${path}`);
      }
      const viaOwn = await asB('GET', `/api/v1/hostings/${b.hosting.id}/snapshots/restores/${copy}`);
      assert.deepEqual([viaOwn.status, viaOwn.body.code], [404, 'snapshot_restore.not_found']);
      assert.equal((await asB('GET', `/api/v1/hostings/${b.hosting.id}/snapshots/restores/not-a-uuid`)).status, 404);
      // B's server reports on A's restore: nothing changes (checked above for another server); B's own list is empty
      assert.deepEqual((await asB('GET', `/api/v1/hostings/${b.hosting.id}/snapshots/restores`)).body.items, []);
    });
  });
}
