// Jobs as staff see them, through the API and the CLI: list (filter by kind and status, search,
// sort) with the last error, show one, run one again now (audited); customers are refused; a running
// job is not run twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { ManualClock } from '../src/platform/clock.js';
import { nodeArgs, repoModule } from './harness/sources.js';

const main = repoModule('src/cli/main.ts');

/** Runs `abri ARGS` from the sources against the test manager. */
function abri(m: TestManager, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs(main), '--api', m.url, '--token', m.adminToken, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ABRI_CONFIG: '/nonexistent/abri.conf', ABRI_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('jobs for staff: API and CLI', () => {
  let m: TestManager;
  const clock = new ManualClock('2026-06-01T09:00:00Z');
  let customerToken = '';
  let failed: { id: string; key: string };
  let other: { id: string };

  before(async () => {
    // certificates are not ordered here: their jobs wait, listed as due
    m = await startTestManager({ clock });
    const { hosting, customer } = await seedHosting(m);
    for (const domain of ['one-job.test', 'two-job.test']) {
      assert.equal((await m.api('POST', `/api/v1/hostings/${hosting.id}/sites`, { domain, httpsMode: 'redirect' })).status, 201);
    }
    customerToken = (await m.user('owner@one-job.test')).token;
    await m.join(customer.id, 'owner@one-job.test', 'owner');
    const jobs = (await m.api('GET', '/api/v1/jobs?kind=certificate')).body.items;
    assert.equal(jobs.length, 2);
    [failed, other] = jobs;
    // one of them gave up after failures (as a kind with a maximum would)
    await m.manager.app.db.updateTable('jobs').set({ status: 'failed', attempts: 4, lastError: 'the CA said: rate limited\nretry later' }).where('id', '=', failed.id).execute();
  });
  after(() => m?.close());

  test('the list filters by kind and status, searches, sorts, and shows the last error', async () => {
    const all = (await m.api('GET', '/api/v1/jobs')).body;
    assert.ok(all.total >= 2);
    const byStatus = (await m.api('GET', '/api/v1/jobs?status=failed')).body;
    assert.deepEqual(byStatus.items.map((j: { id: string }) => j.id), [failed.id]);
    assert.equal(byStatus.items[0].lastError, 'the CA said: rate limited\nretry later');
    assert.equal(byStatus.items[0].attempts, 4);
    assert.deepEqual((await m.api('GET', '/api/v1/jobs?q=rate%20limited')).body.items.map((j: { id: string }) => j.id), [failed.id]);
    assert.equal((await m.api('GET', '/api/v1/jobs?kind=nothing')).body.total, 0);
    const sorted = (await m.api('GET', '/api/v1/jobs?kind=certificate&sort=-attempts')).body.items;
    assert.equal(sorted[0].id, failed.id);
    assert.equal((await m.api('GET', '/api/v1/jobs?sort=lastError')).body.code, 'request.invalid_sort');
    const one = await m.api('GET', `/api/v1/jobs/${other.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.status, 'scheduled');
    assert.equal((await m.api('GET', '/api/v1/jobs/00000000-0000-0000-0000-000000000000')).body.code, 'job.not_found');
    assert.equal((await m.api('GET', '/api/v1/jobs/not-an-id')).status, 404);
  });

  test('retry runs a job again now, audited; a running job is left alone; customers are refused', async () => {
    clock.advance(3_600_000);
    const r = await m.api('POST', `/api/v1/jobs/${failed.id}/retry`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.status, r.body.runAt, r.body.attempts], ['scheduled', clock.now().toISOString(), 4]);
    const audit = (await m.api('GET', '/api/v1/audit?action=job.retry')).body.items;
    assert.equal(audit.length, 1);
    assert.equal(audit[0].targetId, failed.id);
    await m.manager.app.db.updateTable('jobs').set({ status: 'running', leaseOwner: 'elsewhere:1', leaseUntil: new Date(clock.now().getTime() + 60_000) }).where('id', '=', other.id).execute();
    const busy = await m.api('POST', `/api/v1/jobs/${other.id}/retry`);
    assert.equal(busy.status, 409);
    assert.equal(busy.body.code, 'job.running');
    for (const [method, path] of [['GET', '/api/v1/jobs'], ['GET', `/api/v1/jobs/${failed.id}`], ['POST', `/api/v1/jobs/${failed.id}/retry`]] as const) {
      const a = await m.api(method, path, undefined, { token: customerToken });
      assert.equal(a.status, 403, `${method} ${path}`);
      assert.equal(a.body.code, 'auth.staff_only');
    }
    await m.manager.app.db.updateTable('jobs').set({ status: 'scheduled', leaseOwner: null, leaseUntil: null }).where('id', '=', other.id).execute();
  });

  test('abri job list | show | retry', async () => {
    const list = await abri(m, ['job', 'list', '--kind', 'certificate']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /certificate/);
    assert.match(list.stdout, /the CA said: rate limited retry later/, 'the last error on one line');
    const json = await abri(m, ['--json', 'job', 'list', '--status', 'scheduled']);
    assert.equal(json.code, 0, json.stderr);
    assert.ok(JSON.parse(json.stdout).items.some((j: { id: string }) => j.id === other.id));
    const show = await abri(m, ['job', 'show', failed.id]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(failed.key));
    const retry = await abri(m, ['job', 'retry', other.id]);
    assert.equal(retry.code, 0, retry.stderr);
    assert.match(retry.stdout, /runs again now/);
    const missing = await abri(m, ['job', 'retry', '00000000-0000-0000-0000-000000000000']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /job/);
    const bad = await abri(m, ['job', 'list', '--status', 'sleeping']);
    assert.equal(bad.code, 2, 'a usage error exits 2');
  });
});
