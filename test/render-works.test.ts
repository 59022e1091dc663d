// Golden-file tests of the public works page (test/golden/works/): the list, a page per work, the
// feeds, in French and English; and the rules of works, pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../src/errors.js';
import { goldenTests } from './harness/golden.js';
import { renderWorksSite } from '../src/works/render-site.js';
import { checkTransition, recordOf, timesAfter } from '../src/works/rules.js';
import { duration } from '../src/works/render-site-text.js';

goldenTests('works', renderWorksSite);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'none';
};

test('works: the states each kind goes through', () => {
  assert.equal(code(() => checkTransition('maintenance', 'planned', 'in_progress')), 'none');
  assert.equal(code(() => checkTransition('maintenance', 'planned', 'done')), 'work.transition_refused');
  assert.equal(code(() => checkTransition('maintenance', 'in_progress', 'planned')), 'work.transition_refused');
  assert.equal(code(() => checkTransition('evolution', 'done', 'cancelled')), 'work.finished');
  assert.equal(code(() => checkTransition('incident', 'monitoring', 'investigating')), 'none');
  assert.equal(code(() => checkTransition('incident', 'resolved', 'investigating')), 'work.finished');
  assert.equal(code(() => checkTransition('incident', 'investigating', 'done')), 'work.state_invalid');
  assert.equal(code(() => checkTransition('incident', 'identified', 'identified')), 'work.transition_refused');
});

test('works: actual times, end never before start, never in the future', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const start = new Date('2026-12-02T09:00:00Z');
  assert.deepEqual(timesAfter('planned', 'in_progress', { startedAt: null, endedAt: null }, start, now), { startedAt: start, endedAt: null });
  assert.deepEqual(timesAfter('in_progress', 'done', { startedAt: start, endedAt: null }, now, now), { startedAt: start, endedAt: now });
  assert.equal(code(() => timesAfter('in_progress', 'done', { startedAt: now, endedAt: null }, start, now)), 'work.end_before_start');
  assert.equal(code(() => timesAfter('planned', 'in_progress', { startedAt: null, endedAt: null }, new Date(now.getTime() + 1000), now)), 'work.time_in_future');
});

test('works: the record counts the done works with a plan, per month of their end', () => {
  const w = (planned: number, start: string, end: string, state: 'done' | 'cancelled' = 'done') => ({ state, plannedMinutes: planned, startedAt: new Date(start), endedAt: new Date(end) });
  const r = recordOf([w(30, '2026-10-01T02:00Z', '2026-10-01T02:30Z'), w(30, '2026-10-05T02:00Z', '2026-10-05T02:31Z'), w(10, '2026-11-01T02:00Z', '2026-11-01T02:05Z'),
    w(10, '2026-11-02T02:00Z', '2026-11-02T05:00Z', 'cancelled')]);
  assert.deepEqual(r, { finished: 3, held: 2, share: 2 / 3, months: [{ month: '2026-10', finished: 2, held: 1 }, { month: '2026-11', finished: 1, held: 1 }] });
  assert.deepEqual(recordOf([]), { finished: 0, held: 0, share: null, months: [] });
});

test('works: durations in words', () => {
  assert.deepEqual([duration('fr', 10), duration('en', 90), duration('fr', 1440 + 61), duration('en', 0)], ['10 min', '1 h 30 min', '1 j 1 h 1 min', '0 min']);
});
