// Which scheduled tasks are due between two instants (pure): what the web server's scheduler runs at
// each tick, tested with given instants rather than by waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../src/errors.js'; // the codes are declared
import { checkCommand, dueTasks, normaliseSchedule } from '../src/cron/rules-tasks.js';

const at = (iso: string) => new Date(iso);
const task = (id: string, schedule: string, enabled = true) => ({ id, schedule, enabled });
const ids = (tasks: Array<{ id: string }>) => tasks.map((t) => t.id);

test('a task is due when a time of its schedule falls in (from, to]', () => {
  const tasks = [task('quarter', '*/15 * * * *'), task('daily', '@daily'), task('monday', '30 6 * * mon'), task('off', '* * * * *', false)];
  assert.deepEqual(ids(dueTasks(tasks, at('2026-12-01T08:14:00Z'), at('2026-12-01T08:15:00Z'))), ['quarter']);
  assert.deepEqual(ids(dueTasks(tasks, at('2026-12-01T08:15:00Z'), at('2026-12-01T08:15:59Z'))), [], 'not twice for the same minute');
  assert.deepEqual(ids(dueTasks(tasks, at('2026-12-01T23:59:30Z'), at('2026-12-02T00:00:00.500Z'))), ['quarter', 'daily']);
  // 2026-12-07 is a Monday
  assert.deepEqual(ids(dueTasks(tasks, at('2026-12-07T06:29:59Z'), at('2026-12-07T06:30:00Z'))), ['quarter', 'monday']);
  assert.deepEqual(ids(dueTasks(tasks, at('2026-12-08T06:29:59Z'), at('2026-12-08T06:30:00Z'))), ['quarter']);
  assert.deepEqual(ids(dueTasks(tasks, at('2026-12-01T08:16:00Z'), at('2026-12-01T08:29:00Z'))), [], 'disabled tasks never');
});

test('a scheduler that woke late runs each missed task once, not once per missed minute', () => {
  const due = dueTasks([task('minute', '* * * * *'), task('hourly', '@hourly'), task('feb31', '0 0 31 2 *')], at('2026-12-01T05:10:00Z'), at('2026-12-01T09:00:00Z'));
  assert.deepEqual(ids(due), ['minute', 'hourly']);
});

test('schedules and commands are normalised or refused', () => {
  assert.equal(normaliseSchedule('  0  3 * *   1 '), '0 3 * * 1');
  assert.throws(() => normaliseSchedule('@reboot'), { code: 'cron_task.schedule_invalid' });
  assert.equal(checkCommand('  php cron.php  '), 'php cron.php');
  for (const bad of ['', '   ', 'a\nb', 'a\rb', 'a\0b', 'a\u2028b', 'a\u001bb', '\ud800 lone', 'x'.repeat(4097)]) assert.throws(() => checkCommand(bad), { code: 'cron_task.command_invalid' }, JSON.stringify(bad.slice(0, 10)));
});
