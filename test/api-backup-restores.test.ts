// Restores from off-server backups and checks of the repositories, on the manager's side
// (test/agent-backup-restore.test.ts does them with real restic, sshd and btrfs): a restore is asked
// for by part (files: copy or in place; hosting: staff only), audited, tracked with the restores from
// snapshots (source "backup") and put in the backups part of its web server's desired state (never in
// the snapshots part); a terminated hosting gets its key back only for a staff restore (and is not
// backed up); bad paths and ids are refused; the weekly check job asks each repository once a week
// for the next part of its data, and staff ask for one now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { buildDesiredState } from '../src/agent/store.js';
import { ManualClock } from '../src/platform/clock.js';
import { checkArgs } from '../src/backups/rules.js';

const ID = 'ab'.repeat(32);

test('restic check arguments: the subset n/N only', () => {
  assert.deepEqual(checkArgs('3/10'), ['check', '--read-data-subset=3/10']);
  for (const bad of ['0/10', '11/10', '1/', '1/10; rm', '--x']) assert.throws(() => checkArgs(bad), /not n\/N/);
});

for (const database of testDatabases()) {
  test(`restores from backups and checks through the API (${database.name})`, async (t) => {
    const clock = new ManualClock('2026-12-01T13:15:02Z');
    const m = await startTestManager({ database, clock, settings: { ABRI_UID_MIN: '69100', ABRI_UID_MAX: '69149', ABRI_BACKUP_UID_OFFSET: '50' } });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m);
    const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] }, backups: { port: 28112 }, secrets: m.manager.app.secrets() } as never;
    const web = (await m.api('POST', '/api/v1/servers', { name: 'web-bkr', roles: ['web'], addresses: ['192.0.2.51'] })).body;
    await m.api('POST', '/api/v1/servers', { name: 'backup-bkr', roles: ['backup'], addresses: ['192.0.2.52'] });
    for (const h of [a, b]) assert.equal((await m.api('PATCH', `/api/v1/hostings/${h.hosting.id}`, { serverId: web.id })).status, 200);
    assert.equal((await m.api('POST', '/api/v1/backups/assign')).body.assigned, 2);
    const state = async () => buildDesiredState(db, ctx, web.id);
    const backupsOf = async (id: string) => (await state()).backups!.hostings.find((h) => h.hosting === id);
    const restore = (as: typeof asA, id: string, body: unknown) => as('POST', `/api/v1/hostings/${id}/backups/${ID}/restore`, body);

    await t.test('files: a copy and in place (safety snapshot), audited, in the backups of the web server\'s desired state only', async () => {
      const r = await restore(asA, a.hosting.id, { part: 'files', path: 'var/www/site/' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual([r.body.source, r.body.snapshot, r.body.mode, r.body.path, r.body.target, r.body.safetySnapshot], ['backup', ID, 'copy', 'var/www/site', 'restored-2026-12-01-131502/var/www/site', null]);
      clock.advance(1000);
      const p = await restore(asA, a.hosting.id, { part: 'files', path: 'var/www/index.php', mode: 'in-place' });
      assert.deepEqual([p.body.target, p.body.safetySnapshot], ['var/www/index.php', 'safety-2026-12-01-131503']);
      const mine = await backupsOf(a.hosting.id);
      assert.deepEqual(mine!.restores.map((x) => [x.id, x.snapshot, x.mode]), [[r.body.id, ID, 'copy'], [p.body.id, ID, 'in-place']]);
      assert.deepEqual((await state()).web!.hostings.find((h) => h.id === a.hosting.id)!.snapshots!.restores, [], 'not a restore from a snapshot');
      assert.deepEqual((await backupsOf(b.hosting.id))!.restores, []);
      const listed = await asA('GET', `/api/v1/hostings/${a.hosting.id}/snapshots/restores`);
      assert.deepEqual(listed.body.items.map((x: { source: string }) => x.source), ['backup', 'backup']);
      const audit = await db.selectFrom('auditLog').select(['action', 'targetId']).where('action', '=', 'backup.restore').execute();
      assert.deepEqual(audit.map((x) => x.targetId), [a.hosting.id, a.hosting.id]);
    });

    await t.test('refused: bad paths, bad ids, a read-only member, the whole hosting for a customer; another customer gets 404', async () => {
      for (const path of ['', '../etc', '/etc/passwd', 'backups/daily-2026-12-01', 'var/./www']) {
        assert.equal((await restore(asA, a.hosting.id, { part: 'files', path })).body.code, 'backup.bad_path', path);
      }
      assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/backups/not-an-id/restore`, { part: 'files', path: 'var/www' })).status, 400);
      assert.equal((await restore(asA, a.hosting.id, { part: 'database', path: 'x' })).status, 400);
      assert.equal((await restore(asA, a.hosting.id, { part: 'hosting' })).body.code, 'auth.staff_only');
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/backups/${ID}/restore`, { part: 'files', path: 'var/www' }, { token: reader.token })).body.code, 'backup.forbidden');
      assert.equal((await restore(asB, a.hosting.id, { part: 'files', path: 'var/www' })).body.code, 'hosting.not_found');
      assert.equal((await asB('GET', `/api/v1/hostings/${a.hosting.id}/backups/${ID}/tree`)).body.code, 'hosting.not_found');
      assert.equal((await asA('GET', `/api/v1/hostings/${a.hosting.id}/backups/${ID}/tree?path=../x`)).body.code, 'backup.bad_path');
    });

    await t.test('a terminated hosting: no backups, its key back only for a staff restore of the whole hosting', async () => {
      assert.equal((await m.api('DELETE', `/api/v1/hostings/${b.hosting.id}`)).status, 200);
      assert.equal(await backupsOf(b.hosting.id), undefined, 'not backed up any more');
      assert.equal((await restore(asB, b.hosting.id, { part: 'files', path: 'var/www' })).body.code, 'hosting.terminated');
      const r = await restore(m.api, b.hosting.id, { part: 'hosting' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual([r.body.path, r.body.mode, r.body.target], ['var/www', 'in-place', 'var/www']);
      const kept = await backupsOf(b.hosting.id);
      assert.deepEqual([kept!.restoreOnly, kept!.uid, kept!.restores.map((x) => x.id)], [true, b.hosting.uid, [r.body.id]]);
      const at = '2026-12-01T13:20:00.000Z';
      assert.equal((await m.api('POST', '/agent/v1/snapshot-restores', { restores: [{ id: r.body.id, status: 'done', at }] }, { token: web.agentToken })).status, 204);
      assert.equal(await backupsOf(b.hosting.id), undefined, 'the key leaves with the restore');
    });

    await t.test('the weekly check: each repository once a week, the next part of its data; staff ask for one now', async () => {
      const asked = async () => (await backupsOf(a.hosting.id))!.check;
      assert.deepEqual(await asked(), { requests: 0, subset: '1/10' });
      await m.manager.jobs.runDue();
      assert.equal((await asked()).requests, 0, 'not before a week');
      clock.set('2026-12-08T13:15:02Z');
      await m.manager.jobs.runDue();
      assert.deepEqual(await asked(), { requests: 1, subset: '1/10' });
      clock.set('2026-12-12T13:15:02Z');
      await m.manager.jobs.runDue();
      assert.equal((await asked()).requests, 1, 'once a week');
      clock.set('2026-12-15T13:15:02Z');
      await m.manager.jobs.runDue();
      assert.deepEqual(await asked(), { requests: 2, subset: '2/10' });
      const now = await m.api('POST', `/api/v1/hostings/${a.hosting.id}/backups/check`);
      assert.equal(now.status, 202, JSON.stringify(now.body));
      assert.deepEqual([now.body.requests, now.body.subset], [3, '3/10']);
      assert.equal((await asA('POST', `/api/v1/hostings/${a.hosting.id}/backups/check`)).body.code, 'auth.staff_only');
      // the web server reports the check: health for everyone, the reason for staff only
      const run = { hosting: a.hosting.id, kind: 'check', startedAt: '2026-12-15T13:16:00.000Z', endedAt: '2026-12-15T13:17:00.000Z', ok: false, snapshot: null, bytesAdded: null, totalBytes: null, error: 'pack 1234 is damaged' };
      assert.equal((await m.api('POST', '/agent/v1/backup-runs', { runs: [run] }, { token: web.agentToken })).status, 204);
      const seen = (await asA('GET', `/api/v1/hostings/${a.hosting.id}/backups`, undefined)).body;
      assert.equal(seen.code, 'server.unreachable', 'no agent here: the list waits for the web server');
      const staff = (await m.api('GET', '/api/v1/backups')).body.items.find((x: { hosting: string }) => x.hosting === a.hosting.id);
      assert.deepEqual([staff.checkHealth, staff.lastCheckAt, staff.checkError, staff.health], ['failed', '2026-12-15T13:17:00.000Z', 'pack 1234 is damaged', 'never']);
    });
  });
}
