// `abri cron` against a real manager (no web server runs them here: test/agent-cron.test.ts does):
// add/list/show/set/run/runs/remove, and errors in one line; the offer's cron limits (`abri offer
// --max-cron-tasks --cron-max-run-seconds`) enforced.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { seedHosting } from './helpers/manager.js';
import { abri, cliWithManager, oneLineError } from './helpers/cli.js';
import { recordCronRuns } from '../src/cron/store.js';

describe('scheduled task commands over the API', () => {
  const cli = cliWithManager();
  const { json, run } = cli;

  it('cron add/list/show/set/run/runs/remove', async () => {
    const server = await json('server', 'add', '--name', 'web-1', '--role', 'web', '--address', '192.0.2.91');
    const { hosting } = await seedHosting(cli.m);
    const h = hosting.name as string;

    const added = await run('cron', 'add', '--hosting', h, '--schedule', '*/5 * * * *', '--command', 'php var/www/cron.php', '--time-limit', '60');
    const id = /^scheduled task ([0-9a-f-]{36}) created: next run \S+Z/.exec(added)?.[1];
    assert.ok(id, added);
    const table = await run('cron', 'list', '--hosting', h);
    assert.match(table, /^id\s+schedule\s+command\s+timeLimit\s+state\s+next\s+last/);
    assert.match(table, new RegExp(`^${id}\\s+\\*/5 \\* \\* \\* \\*\\s+php var/www/cron\\.php\\s+60\\s+enabled\\s+\\S+Z`, 'm'));
    const changed = await json('cron', 'set', id!, '--schedule', '@daily', '--disable');
    assert.deepEqual([changed.schedule, changed.enabled, changed.nextRunAt], ['@daily', false, null]);
    assert.equal((await json('cron', 'run', id!)).runRequests, 1);
    await recordCronRuns(cli.m.manager.app.db, server.id, [{ taskId: id!, startedAt: '2026-12-01T08:00:00Z', endedAt: '2026-12-01T08:00:02Z', exitCode: 0, timedOut: false, output: 'done\nok\n', truncated: false, requested: true }], 20);
    assert.match(await run('cron', 'runs', id!), /^2026-12-01T08:00:00\.000Z\s+2026-12-01T08:00:02\.000Z\s+exit 0 \(run now\)\s+done ⏎ ok ⏎$/m);
    assert.equal((await json('cron', 'show', id!)).lastRun.output, 'done\nok\n');

    assert.match(oneLineError(await abri(['cron', 'add', '--hosting', h, '--schedule', '* * *', '--command', 'x'], cli.env)), /cron_task\.schedule_invalid/);
    assert.match(oneLineError(await abri(['cron', 'set', id!, '--time-limit', '5000'], cli.env)), /at most 3600 seconds \(cron_task\.time_limit_exceeded\)/);
    assert.match(oneLineError(await abri(['cron', 'set', id!, '--time-limit', '90000'], cli.env)), /timeLimit/);
    assert.match(await run('cron', 'remove', id!), /removed/);
    assert.equal((await json('cron', 'list', '--hosting', h)).total, 0);
    assert.match(oneLineError(await abri(['cron', 'add', '--schedule', '@daily', '--command', 'x'], cli.env), 2), /--hosting/);
  });

  it('offer --max-cron-tasks and --cron-max-run-seconds bound a hosting\'s tasks', async () => {
    const offer = await json('offer', 'add', '--name', 'Cron One', '--price', '1', '--max-cron-tasks', '1', '--cron-max-run-seconds', '90');
    assert.deepEqual([offer.maxCronTasks, offer.cronMaxRunSeconds], [1, 90]);
    const defaults = await json('offer', 'add', '--name', 'Cron Default', '--price', '1');
    assert.deepEqual([defaults.maxCronTasks, defaults.cronMaxRunSeconds], [20, 3600], 'the old constants are the defaults');
    const { hosting, offer: seeded } = await seedHosting(cli.m, { offer: { maxCronTasks: 1, cronMaxRunSeconds: 90 } });
    const h = hosting.name as string;
    assert.match(oneLineError(await abri(['cron', 'add', '--hosting', h, '--schedule', '@daily', '--command', 'x', '--time-limit', '91'], cli.env)), /cron_task\.time_limit_exceeded/);
    assert.equal((await json('cron', 'add', '--hosting', h, '--schedule', '@daily', '--command', 'x')).timeLimit, 90);
    assert.match(oneLineError(await abri(['cron', 'add', '--hosting', h, '--schedule', '@daily', '--command', 'y'], cli.env)), /allows 1 scheduled task\(s\) per hosting \(quota\.cron_tasks_exceeded\)/);
    assert.equal((await json('offer', 'edit', seeded.id, '--max-cron-tasks', '2')).maxCronTasks, 2);
    assert.equal((await json('cron', 'add', '--hosting', h, '--schedule', '@daily', '--command', 'y')).command, 'y');
    assert.match(oneLineError(await abri(['offer', 'edit', 'Cron One', '--cron-max-run-seconds', '0'], cli.env)), /cronMaxRunSeconds/);
  });
});
