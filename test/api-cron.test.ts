// Scheduled tasks through the API (test/agent-cron.test.ts runs them for real): schedules, commands,
// time limits and the quota checked against the offer (maxCronTasks, cronMaxRunSeconds); "run now" counted for the agent; another customer's attempts;
// runs reported by a web server kept (the last 20) and only for tasks of its own hostings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestManager, alphaAndBravo, seedHosting } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { recordCronRuns } from '../src/cron/store.js';
import { buildDesiredState } from '../src/agent/store.js';
import { KEPT_RUNS } from '../src/cron/rules-tasks.js';

const MAX_TASKS = 3;

for (const database of testDatabases()) {
  test(`scheduled tasks of hostings (${database.name})`, async (t) => {
    const m = await startTestManager({ database });
    t.after(() => m.close());
    const db = m.manager.app.db;
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.10'] })).body;
    const { a, b, reader, asA, asB } = await alphaAndBravo(m, { a: { maxCronTasks: MAX_TASKS, cronMaxRunSeconds: 600 } });
    const tasksOf = (h: { id: string }) => `/api/v1/hostings/${h.id}/cron-tasks`;
    let task: { id: string; runRequests: number };

    await t.test('a task is created with its schedule normalised and its next run', async () => {
      const r = await asA('POST', tasksOf(a.hosting), { command: ' php var/www/cron.php ', schedule: ' */15  *  * * * ' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      task = r.body;
      assert.deepEqual([r.body.command, r.body.schedule, r.body.timeLimit, r.body.enabled, r.body.runRequests, r.body.lastRun], ['php var/www/cron.php', '*/15 * * * *', 300, true, 0, null]);
      assert.equal(new Date(r.body.nextRunAt).getUTCMinutes() % 15, 0);
      const row = await db.selectFrom('cronTasks').select('revision').where('id', '=', task.id).executeTakeFirstOrThrow();
      assert.ok(Number(row.revision) > 0, 'stamped with the change\'s revision');
      const list = await asA('GET', tasksOf(a.hosting));
      assert.deepEqual(list.body.items.map((x: { id: string }) => x.id), [task.id]);
    });

    await t.test('schedules, commands and time limits are checked', async () => {
      for (const [body, code, path] of [
        [{ command: 'x', schedule: '* * *' }, 'cron_task.schedule_invalid', 'body.schedule'],
        [{ command: 'x', schedule: '61 * * * *' }, 'cron_task.schedule_invalid', 'body.schedule'],
        [{ command: 'x', schedule: '@reboot' }, 'cron_task.schedule_invalid', 'body.schedule'],
        [{ command: '   ', schedule: '@daily' }, 'cron_task.command_invalid', 'body.command'],
        [{ command: 'a\nb', schedule: '@daily' }, 'cron_task.command_invalid', 'body.command'],
        [{ command: 'a\0b', schedule: '@daily' }, 'cron_task.command_invalid', 'body.command'],
        [{ command: 'x'.repeat(5000), schedule: '@daily' }, 'request.validation', 'body.command'],
        [{ command: 'x', schedule: '@daily', timeLimit: 0 }, 'request.validation', 'body.timeLimit'],
        [{ command: 'x', schedule: '@daily', timeLimit: 86_401 }, 'request.validation', 'body.timeLimit'],
        [{ command: 'x', schedule: '@daily', timeLimit: 601 }, 'cron_task.time_limit_exceeded', 'body.timeLimit'],
        [{ command: 'x', schedule: '@daily', user: 'root' }, 'request.validation', 'body'],
      ] as Array<[Record<string, unknown>, string, string]>) {
        const r = await asA('POST', tasksOf(a.hosting), body);
        assert.equal(r.body.code, code, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.errors?.some((e: { path: string }) => e.path.startsWith(path)), JSON.stringify(r.body));
      }
      const changed = await asA('PATCH', `/api/v1/cron-tasks/${task.id}`, { schedule: '0 3 * * mon', timeLimit: 10, enabled: false });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual([changed.body.schedule, changed.body.timeLimit, changed.body.enabled, changed.body.nextRunAt], ['0 3 * * mon', 10, false, null]);
      assert.equal((await asA('PATCH', `/api/v1/cron-tasks/${task.id}`, { schedule: 'soon' })).body.code, 'cron_task.schedule_invalid');
      const over = await asA('PATCH', `/api/v1/cron-tasks/${task.id}`, { timeLimit: 3600 });
      assert.equal(over.status, 400, JSON.stringify(over.body));
      assert.equal(over.body.errors[0].code, 'cron_task.time_limit_exceeded');
      assert.deepEqual(over.body.errors[0].params, { offer: a.offer.name, max: 600, asked: 3600 });
    });

    await t.test(`a hosting has at most its offer's maxCronTasks (${MAX_TASKS}) tasks; the usage says so`, async () => {
      for (let i = 1; i < MAX_TASKS; i++) assert.equal((await asA('POST', tasksOf(a.hosting), { command: `echo ${i}`, schedule: '@hourly' })).status, 201);
      const over = await asA('POST', tasksOf(a.hosting), { command: 'echo over', schedule: '@hourly' });
      assert.equal(over.status, 409);
      assert.equal(over.body.code, 'quota.cron_tasks_exceeded');
      assert.deepEqual(over.body.params, { offer: a.offer.name, max: MAX_TASKS, used: MAX_TASKS });
      assert.deepEqual((await asA('GET', `/api/v1/hostings/${a.hosting.id}`)).body.usage.cronTasks, { used: MAX_TASKS, max: MAX_TASKS });
      assert.deepEqual((await asB('GET', `/api/v1/hostings/${b.hosting.id}`)).body.usage.cronTasks, { used: 0, max: 20 }, 'another offer: the old constant as default');
      // staff raise the offer's quota: one more fits
      assert.equal((await m.api('PATCH', `/api/v1/offers/${a.offer.id}`, { maxCronTasks: MAX_TASKS + 1 })).status, 200);
      const extra = await asA('POST', tasksOf(a.hosting), { command: 'echo extra', schedule: '@hourly' });
      assert.equal(extra.status, 201, JSON.stringify(extra.body));
      assert.equal((await asA('DELETE', `/api/v1/cron-tasks/${extra.body.id}`)).status, 204);
    });

    await t.test('without a time limit a task gets 300 s, or the offer\'s cronMaxRunSeconds when lower; a lowered bound reaches the server', async () => {
      const low = await seedHosting(m, { customer: 'Charlie', offer: { cronMaxRunSeconds: 60 } });
      const r = await m.api('POST', tasksOf(low.hosting), { command: 'echo low', schedule: '@daily' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.timeLimit, 60);
      assert.equal((await m.api('PATCH', `/api/v1/offers/${low.offer.id}`, { cronMaxRunSeconds: 30 })).status, 200);
      const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
      const sent = (await buildDesiredState(db, ctx, server.id)).cron!.tasks.find((x) => x.id === r.body.id)!;
      assert.equal(sent.timeLimit, 30, 'the run is killed at the offer\'s new bound');
      assert.equal((await m.api('DELETE', `/api/v1/cron-tasks/${r.body.id}`)).status, 204);
    });

    await t.test('"run now" counts a request (even for a disabled task) and gives the web server a revision', async () => {
      const revisionOf = async () => Number((await db.selectFrom('cronTasks').select('revision').where('id', '=', task.id).executeTakeFirstOrThrow()).revision);
      const before = await revisionOf();
      const r = await asA('POST', `/api/v1/cron-tasks/${task.id}/run`);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.equal(r.body.runRequests, 1);
      assert.ok((await revisionOf()) > before, 'a new revision for the web server, the task stamped with it');
    });

    await t.test('runs reported by the web server are kept (the last 20), only for its own hostings\' tasks', async () => {
      const other = (await m.api('POST', '/api/v1/servers', { name: 'web-2', roles: ['web'], addresses: ['192.0.2.11'] })).body;
      const run = (i: number) => ({ taskId: task.id, startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)), endedAt: new Date(Date.UTC(2026, 0, 1, 0, i, 5)), exitCode: 0, timedOut: false, output: `run ${i}\n`, truncated: false, requested: false });
      assert.equal(await recordCronRuns(db, other.id, [run(0)], KEPT_RUNS), 0, 'another server cannot report runs of this task');
      assert.equal(await recordCronRuns(db, a.hosting.serverId ?? server.id, Array.from({ length: 25 }, (_, i) => run(i)), KEPT_RUNS), 25);
      const runs = await asA('GET', `/api/v1/cron-tasks/${task.id}/runs`);
      assert.equal(runs.status, 200);
      assert.equal(runs.body.items.length, KEPT_RUNS);
      assert.equal(runs.body.items[0].output, 'run 24\n');
      assert.equal(runs.body.items.at(-1).output, 'run 5\n');
      assert.equal((await asA('GET', `/api/v1/cron-tasks/${task.id}`)).body.lastRun.output, 'run 24\n');
    });

    await t.test('another customer sees, changes and runs none of it; a readonly user only reads', async () => {
      for (const [method, path, body] of [
        ['GET', tasksOf(a.hosting)], ['POST', tasksOf(a.hosting), { command: 'id', schedule: '@daily' }], ['GET', `/api/v1/cron-tasks/${task.id}`],
        ['GET', `/api/v1/cron-tasks/${task.id}/runs`], ['PATCH', `/api/v1/cron-tasks/${task.id}`, { command: 'rm -rf ~' }],
        ['POST', `/api/v1/cron-tasks/${task.id}/run`], ['DELETE', `/api/v1/cron-tasks/${task.id}`],
      ] as Array<[string, string, unknown?]>) {
        const r = await asB(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
        assert.match(r.body.code, /^(hosting|cron_task)\.not_found$/);
      }
      const asReader = (method: string, path: string, body?: unknown) => m.api(method, path, body, { token: reader.token });
      assert.equal((await asReader('GET', `/api/v1/cron-tasks/${task.id}/runs`)).status, 200);
      assert.equal((await asReader('POST', `/api/v1/cron-tasks/${task.id}/run`)).body.code, 'cron_task.forbidden');
      assert.equal((await asReader('PATCH', `/api/v1/cron-tasks/${task.id}`, { enabled: true })).body.code, 'cron_task.forbidden');
      const shown = await db.selectFrom('cronTasks').select(['command', 'runRequests']).where('id', '=', task.id).executeTakeFirstOrThrow();
      assert.deepEqual(shown, { command: 'php var/www/cron.php', runRequests: 1 });
    });

    await t.test('a suspended hosting\'s tasks are read-only; removal is audited and takes the runs along', async () => {
      const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
      const tasksSent = async () => (await buildDesiredState(db, ctx, server.id)).cron!.tasks;
      const sent = (await tasksSent()).find((x) => x.id === task.id)!;
      assert.deepEqual([sent.hosting, sent.uid, sent.command, sent.schedule, sent.timeLimit, sent.enabled, sent.runRequests], [a.hosting.name, a.hosting.uid, 'php var/www/cron.php', '0 3 * * mon', 10, false, 1]);
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/suspend`, {})).status, 200);
      assert.equal((await tasksSent()).filter((x) => x.hosting === a.hosting.name).length, 0, 'a suspended hosting\'s tasks are not run');
      assert.equal((await asA('POST', `/api/v1/cron-tasks/${task.id}/run`)).body.code, 'hosting.suspended');
      assert.equal((await m.api('POST', `/api/v1/hostings/${a.hosting.id}/reactivate`)).status, 200);
      assert.equal((await asA('DELETE', `/api/v1/cron-tasks/${task.id}`)).status, 204);
      assert.equal((await asA('GET', `/api/v1/cron-tasks/${task.id}`)).status, 404);
      assert.equal((await db.selectFrom('cronRuns').select('id').where('taskId', '=', task.id).execute()).length, 0);
      const log = await db.selectFrom('auditLog').select('action').where('targetType', '=', 'cron_task').execute();
      for (const action of ['cron_task.create', 'cron_task.update', 'cron_task.run', 'cron_task.delete']) assert.ok(log.some((l) => l.action === action), action);
    });
  });
}
