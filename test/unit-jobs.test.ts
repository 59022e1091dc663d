// Pure rules of jobs: schedules ("every 1h", "at 05:00 <zone>", across DST changes), retry delays,
// and what a run's outcome makes of the job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRun, parseSchedule, retryDelay } from '../src/jobs/schedule.js';
import { settle } from '../src/jobs/rules.js';
import { AppError } from '../src/platform/errors.js';
import '../src/errors.js';

const at = (s: string) => new Date(s);
const HOUR = 3_600_000;

test('"every" schedules count from the previous planned run and skip the runs missed while down', () => {
  const hourly = parseSchedule('every 1h');
  assert.deepEqual(nextRun(hourly, at('2026-03-01T10:00:00Z')), at('2026-03-01T11:00:00Z'), 'first run: one interval from now');
  assert.deepEqual(nextRun(hourly, at('2026-03-01T10:00:05Z'), at('2026-03-01T10:00:00Z')), at('2026-03-01T11:00:00Z'), 'no drift from the run time');
  assert.deepEqual(nextRun(hourly, at('2026-03-01T15:30:00Z'), at('2026-03-01T10:00:00Z')), at('2026-03-01T16:00:00Z'), 'missed runs are not made up');
  assert.equal(parseSchedule('every 90s').kind === 'every' && (parseSchedule('every 90s') as { ms: number }).ms, 90_000);
  assert.equal((parseSchedule('every 2d') as { ms: number }).ms, 2 * 86_400_000);
});

test('"at HH:MM <zone>" runs daily at that wall-clock time, across DST changes', () => {
  const paris = parseSchedule('at 05:00 Europe/Paris');
  assert.deepEqual(nextRun(paris, at('2026-01-10T03:00:00Z')), at('2026-01-10T04:00:00Z'), 'winter: UTC+1');
  assert.deepEqual(nextRun(paris, at('2026-01-10T04:00:00Z')), at('2026-01-11T04:00:00Z'), 'strictly after now: the next day');
  assert.deepEqual(nextRun(paris, at('2026-07-10T12:00:00Z')), at('2026-07-11T03:00:00Z'), 'summer: UTC+2');
  // 2026-03-29: Paris goes from 02:00 to 03:00; 2026-10-25: from 03:00 back to 02:00
  assert.deepEqual(nextRun(paris, at('2026-03-28T12:00:00Z')), at('2026-03-29T03:00:00Z'), 'the day of the jump forward');
  const gap = parseSchedule('at 02:30 Europe/Paris');
  assert.deepEqual(nextRun(gap, at('2026-03-28T12:00:00Z')), at('2026-03-29T01:30:00Z'), 'a time that does not exist that day is moved forward by the jump (03:30)');
  const twice = parseSchedule('at 02:30 Europe/Paris');
  assert.deepEqual(nextRun(twice, at('2026-10-24T12:00:00Z')), at('2026-10-25T00:30:00Z'), 'a time that happens twice runs the first time');
  assert.deepEqual(nextRun(parseSchedule('at 23:59 UTC'), at('2026-12-31T23:59:30Z')), at('2027-01-01T23:59:00Z'));
  const local = parseSchedule('at 05:00');
  assert.equal(local.kind === 'at' && local.timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone, 'without a zone: the manager\'s own');
});

test('invalid schedules are refused with a code', () => {
  for (const bad of ['every', 'every 0s', 'every 5 minutes', 'at 25:00', 'at 5:00', 'at 05:00 Mars/Olympus', 'hourly', '']) {
    assert.throws(() => parseSchedule(bad), (e: unknown) => e instanceof AppError && e.code === 'job.schedule_invalid', bad);
  }
});

test('retry delays: the n-th failure waits delays[n-1], the last repeating', () => {
  const d = [60_000, 600_000, 6_000_000, 86_400_000];
  assert.deepEqual([1, 2, 3, 4, 5, 40].map((n) => retryDelay(d, n)), [60_000, 600_000, 6_000_000, 86_400_000, 86_400_000, 86_400_000]);
});

test('settle: outcomes and failures become the job\'s next state', () => {
  const now = at('2026-05-01T12:00:00Z');
  const oneShot = { schedule: null, runAt: now, attempts: 0 };
  const def = { retryDelaysMs: [60_000, 600_000], maxAttempts: 3 };
  assert.deepEqual(settle(def, oneShot, undefined, null, now), { status: 'done', attempts: 0, lastError: null });
  assert.deepEqual(settle(def, oneShot, { next: at('2026-06-01T00:00:00Z') }, null, now), { status: 'scheduled', runAt: at('2026-06-01T00:00:00Z'), attempts: 0, lastError: null });
  assert.deepEqual(settle(def, oneShot, { forget: true }, null, now), { status: 'forget' });
  assert.deepEqual(settle(def, oneShot, undefined, 'boom', now), { status: 'scheduled', runAt: new Date(now.getTime() + 60_000), attempts: 1, lastError: 'boom' });
  assert.deepEqual(settle(def, { ...oneShot, attempts: 1 }, undefined, 'boom', now), { status: 'scheduled', runAt: new Date(now.getTime() + 600_000), attempts: 2, lastError: 'boom' });
  assert.deepEqual(settle(def, { ...oneShot, attempts: 2 }, undefined, 'boom', now), { status: 'failed', attempts: 3, lastError: 'boom' }, 'gives up at maxAttempts');
  const partial = settle(def, oneShot, { failed: 'one name left out', retryBefore: new Date(now.getTime() + 1000) }, null, now);
  assert.deepEqual(partial, { status: 'scheduled', runAt: new Date(now.getTime() + 1000), attempts: 1, lastError: 'one name left out' });
  const hourly = { schedule: 'every 1h', runAt: now, attempts: 0 };
  assert.deepEqual(settle(def, hourly, undefined, null, now), { status: 'scheduled', runAt: new Date(now.getTime() + HOUR), attempts: 0, lastError: null });
  const failing = settle({ retryDelaysMs: [2 * HOUR], maxAttempts: 1 }, hourly, undefined, 'down', now);
  assert.deepEqual(failing, { status: 'scheduled', runAt: new Date(now.getTime() + HOUR), attempts: 1, lastError: 'down' }, 'a recurring job is retried no later than its next run, and never gives up');
});
