// Integration (root, real bubblewrap, the hostings' real accounts and homes): scheduled tasks made
// through the API run on the web server by the agent's scheduler. "Run now" runs the command as the
// hosting's uid in its jail, and its run (exit status, output) shows through the API; a task over its
// time limit is killed and marked timed out; a fork bomb is held at its run's process limit and the
// run says so. (When tasks are due is tested as a pure function:
// test/cron-due.test.ts.)
// Run it under the shared lock: flock /tmp/abri-heavy.lock node --import tsx --test test/agent-cron.test.ts
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting, type TestManager } from './helpers/manager.js';
import { until } from './helpers/node.js';
import { loadConfig } from '../src/platform/config.js';
import { LocalExecutor } from '../src/platform/executor.js';
import { Agent } from '../src/agent/loop.js';
import { HttpManagerLink } from '../src/agent/client.js';
import { nodeLayout } from '../src/node/layout.js';
import { HomeStorage } from '../src/hosting/apply-storage.js';
import { CronDriver } from '../src/cron/apply-scheduler.js';
import { AccountsDriver } from './helpers/accounts-driver.js';
import { detectCgroups } from '../src/jail/apply-cgroups.js';

const missing = ['/usr/bin/bwrap', '/usr/bin/setpriv'].filter((f) => !existsSync(f));
if (missing.length && process.env.CI === 'true') test('bubblewrap and setpriv are installed (CI=true)', () => assert.fail(`missing: ${missing.join(', ')}`));
else if (missing.length) console.warn(`\n*** SKIPPING test/agent-cron.test.ts: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);

const run = (cmd: string, args: string[]) => new Promise<number>((resolve) => execFile(cmd, args, (err) => resolve(err ? 1 : 0)));

describe('scheduled tasks run by the agent in the hosting\'s jail', { skip: missing.length > 0 || process.getuid?.() !== 0 }, () => {
  let m: TestManager;
  let agent: Agent | null = null;
  let cron: CronDriver;
  let root: string;
  let hosting: { id: string; name: string; uid: number; home: string };

  const runsOf = async (id: string) => (await m.api('GET', `/api/v1/cron-tasks/${id}/runs`)).body.items;
  const taskLive = (id: string) => until(`task ${id} taken by the scheduler`, async () => {
    const states = await m.manager.app.db.selectFrom('objectStates').select('status').where('kind', '=', 'cron-task').where('objectId', '=', id).execute();
    return states.some((s) => s.status === 'live');
  });
  const runNow = async (id: string) => {
    await taskLive(id);
    const r = await m.api('POST', `/api/v1/cron-tasks/${id}/run`);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    return until(`a run of ${id}`, async () => (await runsOf(id))[0]);
  };

  before(async () => {
    root = await mkdtemp('/srv/abri-cron-test-');
    await chmod(root, 0o755);
    for (const d of ['node', 'homes']) await run('mkdir', ['-m', '0755', path.join(root, d)]);
    m = await startTestManager({ settings: { ABRI_HOSTING_PREFIX: 'acr', ABRI_UID_MIN: '63100', ABRI_UID_MAX: '63199', ABRI_HOSTING_ROOT: path.join(root, 'homes') } });
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-cron', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    const h = (await seedHosting(m, { customer: 'Alpha' })).hosting;
    hosting = (await m.api('GET', `/api/v1/hostings/${h.id}`)).body;
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: path.join(root, 'node'), ABRI_RECONCILE_SECONDS: '1' });
    const layout = nodeLayout(path.join(root, 'node'));
    const log = pino({ level: 'silent' });
    const link = new HttpManagerLink(m.url, server.agentToken);
    cron = new CronDriver(layout.root, true, (runs) => link.cronRuns(runs), log);
    agent = new Agent({
      link, mode: 'apply', log, reconcileMs: 1000, waitMs: 2000,
      drivers: [new AccountsDriver(layout.accountsDir, new HomeStorage(new LocalExecutor(), config.node.disk, log)), cron],
    }).start();
  });

  after(async () => {
    cron?.stop();
    await agent?.stop();
    await Promise.all([...(cron?.runs ?? [])]);
    if (hosting) {
      await run('userdel', ['-f', hosting.name]);
      await run('groupdel', [hosting.name]);
    }
    m?.manager.server.server.closeAllConnections();
    await m?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test("\"run now\" runs the command as the hosting's uid in its var/www; the run shows through the API", async () => {
    const t = (await m.api('POST', `/api/v1/hostings/${hosting.id}/cron-tasks`, { command: 'id -u; echo hi > file; pwd; exit 4', schedule: '0 0 1 1 *', enabled: false })).body;
    const r = await runNow(t.id);
    assert.deepEqual([r.exitCode, r.timedOut, r.truncated, r.requested], [4, false, false, true]);
    assert.equal(r.output, `${hosting.uid}\n${path.join(hosting.home, 'var/www')}\n`);
    const file = path.join(hosting.home, 'var/www/file');
    assert.equal(await readFile(file, 'utf8'), 'hi\n');
    const s = await stat(file);
    assert.deepEqual([s.uid, s.gid], [hosting.uid, hosting.uid]);
    assert.equal((await m.api('GET', `/api/v1/cron-tasks/${t.id}`)).body.lastRun.id, r.id);
  });

  test('a task over its time limit is killed and marked timed out', async () => {
    const t = (await m.api('POST', `/api/v1/hostings/${hosting.id}/cron-tasks`, { command: 'echo started; sleep 60; echo never', schedule: '@yearly', timeLimit: 1 })).body;
    const r = await runNow(t.id);
    assert.deepEqual([r.timedOut, r.exitCode, r.output], [true, null, 'started\n']);
    assert.equal(r.stoppedBy, 'time_limit');
  });

  test('a fork bomb in a task is held at its run\'s process limit, and its run says so (where a pids cgroup can be made)', async (t) => {
    // the task's shell stays while the bomb grows: when it ends, the jail's pid namespace goes with every process in it
    // (with `wait`, it ended as soon as the first pipeline had forked, before the bomb reached the cap on an idle machine)
    if ((await detectCgroups()).kind === 'none') return t.skip('no cgroup can be made on this machine: the uid\'s RLIMIT_NPROC holds it (test/agent-jail-limits.test.ts)');
    const task = (await m.api('POST', `/api/v1/hostings/${hosting.id}/cron-tasks`, { command: 'bomb() { bomb | bomb & }; bomb; sleep 5; echo over', schedule: '@yearly', timeLimit: 20 })).body;
    const r = await runNow(task.id);
    assert.equal(r.stoppedBy, 'processes', JSON.stringify(r));
    assert.match(r.output, /fork/);
  });
});
