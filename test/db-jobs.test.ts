// The job runner on the database, on PGlite and PostgreSQL: due jobs run once, time moves on a
// ManualClock (no sleeps), failures are retried on the kind's delays then give up, recurring jobs
// come back on their schedule, a request made during a run is kept, a dead runner's lease is taken
// over, and two runners competing for the same jobs run each exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { testDatabases } from './helpers/databases.js';
import { loadConfig } from '../src/platform/config.js';
import { ManualClock } from '../src/platform/clock.js';
import type { AppContext } from '../src/platform/context.js';
import type { DatabaseHandle } from '../src/platform/db/database.js';
import { JobRegistry, type JobKind } from '../src/jobs/registry.js';
import { JobRunner } from '../src/jobs/runner.js';
import { enqueueJob, cancelJob } from '../src/jobs/enqueue.js';
import { dueKinds, findJob, jobsByKey } from '../src/jobs/store.js';
import type { KyselyPlugin } from 'kysely';

const MIN = 60_000;

function contextOf(handle: DatabaseHandle, clock: ManualClock): AppContext {
  const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent/abri.conf', ABRI_DATA_DIR: '/nonexistent', ABRI_LOG_LEVEL: 'silent' });
  return { db: handle.db, config, log: pino({ level: 'silent' }), clock, version: 'test', setupToken: null, secrets: () => { throw new Error('no secrets in this test'); } };
}

const job = async (app: AppContext, kind: string, key: string) => (await jobsByKey(app.db, kind, [key])).get(key)!;

for (const database of testDatabases()) {
  describe(`job runner (${database.name})`, () => {
    // one database for the whole file (each test uses kinds of its own)
    let handle: DatabaseHandle;
    before(async () => {
      handle = await database.open();
    });
    after(() => handle?.close());

    async function setup(kinds: JobKind[], runners = 1) {
      const clock = new ManualClock('2026-04-01T08:00:00Z');
      const app = contextOf(handle, clock);
      const registry = new JobRegistry();
      for (const k of kinds) registry.register(k);
      const list = Array.from({ length: runners }, (_, i) => new JobRunner(app, registry, { log: app.log, owner: `runner-${i}`, concurrency: 4 }));
      return { app, clock, runner: list[0]!, runners: list, close: async () => {} };
    }

    test('a job runs when due on the clock, once; its next run comes from its outcome', async (t) => {
      const ran: string[] = [];
      const s = await setup([{ kind: 'greet', retryDelaysMs: [MIN], maxAttempts: 3, run: async ({ job: j, now }) => {
        ran.push(`${j.key}@${now.toISOString()}`);
        return j.key === 'again' ? { next: new Date(now.getTime() + 10 * MIN) } : undefined;
      } }]);
      t.after(s.close);
      const now = s.clock.now();
      await enqueueJob(s.app.db, { kind: 'greet', key: 'now', payload: { who: 'a' }, runAt: now }, now);
      await enqueueJob(s.app.db, { kind: 'greet', key: 'later', runAt: new Date(now.getTime() + 5 * MIN) }, now);
      await enqueueJob(s.app.db, { kind: 'greet', key: 'again', runAt: now }, now);
      await enqueueJob(s.app.db, { kind: 'unknown', key: 'x', runAt: now }, now);
      assert.equal(await s.runner.runDue(), 2);
      assert.deepEqual(ran.sort(), ['again@2026-04-01T08:00:00.000Z', 'now@2026-04-01T08:00:00.000Z']);
      assert.equal(await s.runner.runDue(), 0, 'nothing is due any more');
      assert.equal((await job(s.app, 'greet', 'now')).status, 'done');
      assert.deepEqual((await job(s.app, 'greet', 'now')).payload, { who: 'a' });
      assert.equal((await job(s.app, 'unknown', 'x')).status, 'scheduled', 'a kind nobody registered here waits');
      s.clock.advance(5 * MIN);
      assert.equal(await s.runner.runDue(), 1);
      assert.equal(ran.at(-1), 'later@2026-04-01T08:05:00.000Z');
      s.clock.advance(5 * MIN);
      assert.equal(await s.runner.runDue(), 1);
      assert.equal(ran.at(-1), 'again@2026-04-01T08:10:00.000Z');
      const again = await job(s.app, 'greet', 'again');
      assert.equal(again.status, 'scheduled');
      assert.equal(new Date(again.runAt).toISOString(), '2026-04-01T08:20:00.000Z');
      // enqueueing keeps the earlier planned run; a done job is scheduled again
      await enqueueJob(s.app.db, { kind: 'greet', key: 'again', runAt: new Date('2026-04-01T09:00:00Z') }, s.clock.now());
      assert.equal(new Date((await job(s.app, 'greet', 'again')).runAt).toISOString(), '2026-04-01T08:20:00.000Z');
      await enqueueJob(s.app.db, { kind: 'greet', key: 'again', runAt: s.clock.now(), unlessPlanned: true }, s.clock.now());
      assert.equal(new Date((await job(s.app, 'greet', 'again')).runAt).toISOString(), '2026-04-01T08:20:00.000Z', 'unlessPlanned leaves a planned job alone');
      await enqueueJob(s.app.db, { kind: 'greet', key: 'now', runAt: s.clock.now(), unlessPlanned: true }, s.clock.now());
      assert.equal((await job(s.app, 'greet', 'now')).status, 'scheduled');
      await cancelJob(s.app.db, 'greet', 'now', s.clock.now());
      assert.equal((await job(s.app, 'greet', 'now')).status, 'done');
      assert.equal(await s.runner.runDue(), 0);
    });

    test('failures are retried on the kind\'s delays with their last error, then the job gives up; a retry gives one more attempt', async (t) => {
      let fail = true;
      const s = await setup([{ kind: 'flaky', retryDelaysMs: [MIN, 10 * MIN], maxAttempts: 3, run: async () => {
        if (fail) throw new Error('the far end said no');
        return { done: true };
      } }]);
      t.after(s.close);
      await enqueueJob(s.app.db, { kind: 'flaky', key: 'k', runAt: s.clock.now() }, s.clock.now());
      await s.runner.runDue();
      let j = await job(s.app, 'flaky', 'k');
      assert.deepEqual([j.status, j.attempts, j.lastError], ['scheduled', 1, 'the far end said no']);
      assert.equal(new Date(j.runAt).getTime() - s.clock.now().getTime(), MIN);
      s.clock.advance(MIN - 1);
      assert.equal(await s.runner.runDue(), 0, 'not before its retry time');
      s.clock.advance(1);
      await s.runner.runDue();
      j = await job(s.app, 'flaky', 'k');
      assert.equal(j.attempts, 2);
      assert.equal(new Date(j.runAt).getTime() - s.clock.now().getTime(), 10 * MIN);
      s.clock.advance(10 * MIN);
      await s.runner.runDue();
      j = await job(s.app, 'flaky', 'k');
      assert.deepEqual([j.status, j.attempts, j.leaseOwner], ['failed', 3, null]);
      s.clock.advance(86_400_000);
      assert.equal(await s.runner.runDue(), 0, 'a failed job waits for staff');
      fail = false;
      await enqueueJob(s.app.db, { kind: 'flaky', key: 'k', runAt: s.clock.now() }, s.clock.now());
      await s.runner.runDue();
      j = await findJob(s.app.db, j.id);
      assert.deepEqual([j.status, j.attempts, j.lastError], ['done', 0, null]);
    });

    test('recurring jobs exist once and come back on their schedule, failing or not', async (t) => {
      const runs: string[] = [];
      let broken = false;
      const kinds: JobKind[] = [
        { kind: 'tick', recurring: 'every 1h', retryDelaysMs: [5 * MIN], maxAttempts: 1, run: async ({ now }) => {
          runs.push(`tick ${now.toISOString()}`);
          if (broken) throw new Error('broken');
        } },
        { kind: 'nightly', recurring: 'at 05:00 Europe/Paris', retryDelaysMs: [MIN], maxAttempts: null, run: async ({ now }) => void runs.push(`nightly ${now.toISOString()}`) },
      ];
      const s = await setup(kinds);
      t.after(s.close);
      await s.runner.ensureRecurring();
      await s.runner.ensureRecurring();
      assert.equal((await jobsByKey(s.app.db, 'tick', ['default'])).size, 1);
      assert.equal(new Date((await job(s.app, 'nightly', 'default')).runAt).toISOString(), '2026-04-02T03:00:00.000Z', 'Paris in summer time: 03:00 UTC');
      for (let i = 0; i < 24; i++) {
        s.clock.advance(60 * MIN);
        await s.runner.runDue();
      }
      assert.equal(runs.filter((r) => r.startsWith('tick')).length, 24);
      assert.deepEqual(runs.filter((r) => r.startsWith('nightly')), ['nightly 2026-04-02T03:00:00.000Z']);
      broken = true;
      s.clock.advance(60 * MIN);
      await s.runner.runDue();
      const failed = await job(s.app, 'tick', 'default');
      assert.deepEqual([failed.status, failed.attempts, failed.lastError], ['scheduled', 1, 'broken'], 'a recurring job never gives up');
      assert.equal(new Date(failed.runAt).getTime() - s.clock.now().getTime(), 5 * MIN);
    });

    test('a job asked for again while it runs runs again afterwards; a dead runner\'s lease is taken over', async (t) => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let runs = 0;
      const s = await setup([{ kind: 'slow', retryDelaysMs: [MIN], maxAttempts: null, leaseMs: 10 * MIN, run: async () => {
        runs++;
        if (runs === 1) await gate;
      } }], 2);
      t.after(s.close);
      await enqueueJob(s.app.db, { kind: 'slow', key: 'k', runAt: s.clock.now() }, s.clock.now());
      const first = s.runners[0]!.runDue();
      // wait until the first runner holds it (an event, not a duration)
      for (let i = 0; (await job(s.app, 'slow', 'k')).status !== 'running'; i++) await new Promise((r) => setImmediate(r));
      assert.equal((await job(s.app, 'slow', 'k')).leaseOwner, 'runner-0');
      assert.equal(await s.runners[1]!.runDue(), 0, 'a leased job is not taken by another runner');
      await enqueueJob(s.app.db, { kind: 'slow', key: 'k', runAt: s.clock.now() }, s.clock.now());
      release();
      await first;
      const after = await job(s.app, 'slow', 'k');
      assert.equal(after.status, 'scheduled', 'the request made during the run is kept');
      assert.equal(await s.runners[1]!.runDue(), 1);
      assert.equal(runs, 2);
      // a runner that died holding a lease: the job is taken over once the lease ran out
      await s.app.db.updateTable('jobs').set({ status: 'running', leaseOwner: 'dead-runner', leaseUntil: new Date(s.clock.now().getTime() + 10 * MIN) }).where('id', '=', after.id).execute();
      assert.equal(await s.runners[1]!.runDue(), 0);
      s.clock.advance(10 * MIN + 1);
      assert.equal(await s.runners[1]!.runDue(), 1);
      assert.equal((await job(s.app, 'slow', 'k')).status, 'done');
    });

    test('two runners competing for the same jobs run each exactly once', async (t) => {
      const count = new Map<string, number>();
      const by = new Map<string, Set<string>>();
      const s = await setup([{ kind: 'work', retryDelaysMs: [MIN], maxAttempts: null, run: async ({ job: j }) => {
        count.set(j.key, (count.get(j.key) ?? 0) + 1);
        (by.get(j.leaseOwner!) ?? by.set(j.leaseOwner!, new Set()).get(j.leaseOwner!)!).add(j.key);
        // yield so the other runner gets to claim meanwhile
        for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      } }], 2);
      t.after(s.close);
      const N = 60;
      for (let i = 0; i < N; i++) await enqueueJob(s.app.db, { kind: 'work', key: `job-${i}`, runAt: s.clock.now() }, s.clock.now());
      const [a, b] = await Promise.all(s.runners.map((r) => r.runDue()));
      assert.equal(a! + b!, N, `runs: ${a} + ${b}`);
      assert.equal(count.size, N);
      assert.deepEqual([...count.values()].filter((n) => n !== 1), [], 'no job ran twice');
      const owners = [...by.values()];
      if (owners.length === 2) assert.deepEqual([...owners[0]!].filter((k) => owners[1]!.has(k)), []);
      const left = await s.app.db.selectFrom('jobs').select('status').where('kind', '=', 'work').where('status', '!=', 'done').execute();
      assert.deepEqual(left, []);
    });

    test('one statement finds the kinds that have a job due; a pass over an idle queue is that statement alone', async (t) => {
      const ran: string[] = [];
      const kinds = ['quiet-a', 'quiet-b', 'quiet-c'].map((kind) => ({ kind, retryDelaysMs: [MIN], maxAttempts: 3, run: async ({ job: j }: { job: { key: string } }) => void ran.push(`${kind}/${j.key}`) }));
      const s = await setup(kinds);
      t.after(s.close);
      const now = s.clock.now();
      const in5 = new Date(now.getTime() + 5 * MIN);
      await enqueueJob(s.app.db, { kind: 'quiet-b', key: 'later', runAt: in5 }, now);
      assert.deepEqual([...(await dueKinds(s.app.db, now))].filter((k) => k.startsWith('quiet-')), [], 'a job planned later is not due');
      assert.deepEqual([...(await dueKinds(s.app.db, in5))].filter((k) => k.startsWith('quiet-')), ['quiet-b']);
      const later = await job(s.app, 'quiet-b', 'later');
      assert.deepEqual([...(await dueKinds(s.app.db, in5, [later.id]))].filter((k) => k.startsWith('quiet-')), [], 'an excluded job is left out');

      // every statement the runner sends, counted (a registered kind used to cost a transaction each pass)
      let statements = 0;
      const counting: KyselyPlugin = { transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) };
      const registry = new JobRegistry();
      for (const k of kinds) registry.register(k);
      const counted = new JobRunner({ ...s.app, db: s.app.db.withPlugin(counting) }, registry, { log: s.app.log, owner: 'counted', concurrency: 4 });
      // other tests' jobs of this database (their kinds are not registered here) are due too: none is taken
      assert.equal(await counted.runDue(), 0);
      assert.equal(statements, 1, 'nothing due in these kinds: one statement');
      s.clock.set(in5);
      assert.equal(await counted.runDue(), 1);
      assert.deepEqual(ran, ['quiet-b/later']);
      assert.equal((await job(s.app, 'quiet-b', 'later')).status, 'done');
    });
  });
}
