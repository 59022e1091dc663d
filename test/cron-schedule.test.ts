// Schedules of scheduled tasks, pure: what crontab(5) accepts, what it refuses (with a reason), and
// the next run computed from a given instant (no clock, no waiting).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRun, parseSchedule, ScheduleError } from '../src/cron/rules.js';

const next = (schedule: string, after: string, n = 1) => {
  const s = parseSchedule(schedule);
  const out: string[] = [];
  let t = new Date(after);
  for (let i = 0; i < n; i++) {
    const r = nextRun(s, t);
    if (!r) break;
    out.push(r.toISOString().slice(0, 16));
    t = r;
  }
  return out;
};

test('the next runs, from a given instant (UTC)', () => {
  assert.deepEqual(next('*/15 * * * *', '2026-12-01T08:07:30Z', 3), ['2026-12-01T08:15', '2026-12-01T08:30', '2026-12-01T08:45']);
  assert.deepEqual(next('0 3 * * *', '2026-12-01T03:00:00Z', 2), ['2026-12-02T03:00', '2026-12-03T03:00'], 'strictly after');
  assert.deepEqual(next('30 2 * * mon-fri', '2026-12-04T12:00:00Z', 2), ['2026-12-07T02:30', '2026-12-08T02:30'], 'Friday noon: next Monday');
  assert.deepEqual(next('@monthly', '2026-12-15T00:00:00Z', 2), ['2027-01-01T00:00', '2027-02-01T00:00'], 'across the year');
  assert.deepEqual(next('0 0 29 feb *', '2026-03-01T00:00:00Z'), ['2028-02-29T00:00'], 'the next leap day');
  assert.deepEqual(
    next('0 12 1 * sun', '2026-12-01T13:00:00Z', 3),
    ['2026-12-06T12:00', '2026-12-13T12:00', '2026-12-20T12:00'],
    'day of month OR day of week, as Vixie cron',
  );
  assert.deepEqual(next('0 12 * * 7', '2026-12-01T13:00:00Z'), ['2026-12-06T12:00'], '7 is Sunday');
  assert.deepEqual(next('5,10-12/2 8 * dec *', '2026-12-01T08:00:00Z', 4), ['2026-12-01T08:05', '2026-12-01T08:10', '2026-12-01T08:12', '2026-12-02T08:05']);
  assert.deepEqual(next('0 0 31 2 *', '2026-01-01T00:00:00Z'), [], 'never: no next run');
});

test('what is not a schedule is refused with a reason', () => {
  for (const [bad, reason] of [
    ['* * * *', /five fields/],
    ['60 * * * *', /minute: 60 is outside 0-59/],
    ['* 24 * * *', /hour/],
    ['* * 0 * *', /day of month/],
    ['* * * 13 *', /month/],
    ['* * * * 8', /day of week/],
    ['*/0 * * * *', /step/],
    ['5-1 * * * *', /backwards/],
    ['a * * * *', /not a number/],
    ['* * * foo *', /not a number or a name/],
    ['@reboot', /is not one of/],
    ['1,,2 * * * *', /not a value/],
    ['1/2/3 * * * *', /not a value/],
    ['* * * * * *', /five fields/],
    ['x'.repeat(101), /100 characters/],
    ['-1 * * * *', /not a number/],
    ['1-2-3 * * * *', /not a range/],
  ] as Array<[string, RegExp]>) {
    assert.throws(
      () => parseSchedule(bad),
      (e: unknown) => e instanceof ScheduleError && reason.test(e.message),
      bad,
    );
  }
  for (const ok of ['@hourly', '@DAILY', ' 0 0 * * * ', '0 0 1 JAN *', '*/5 9-17 * * MON-FRI']) assert.doesNotThrow(() => parseSchedule(ok), ok);
});
