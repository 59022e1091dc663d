// Unit: when snapshots are due (hourly, daily 05:00, weekly Sunday 07:00, monthly 1st 08:00, UTC),
// their names, and which are pruned beyond an offer's counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dueSlots, lastSlot, newestOf, nextDue, nextSlot, parseSnapshotName, snapshotName, toPrune } from '../src/snapshots/rules.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const due = (from: string, to: string) => dueSlots(at(from), at(to)).map((s) => `${s.kind} ${iso(s.at)}`);

test('the last slot of each kind at or before an instant', () => {
  // 2026-12-01 is a Tuesday; 2026-11-29 a Sunday
  const t = at('2026-12-01T04:59:59.999Z');
  assert.equal(iso(lastSlot('hourly', t)), '2026-12-01T04:00:00.000Z');
  assert.equal(iso(lastSlot('daily', t)), '2026-11-30T05:00:00.000Z', 'before 05:00: yesterday\'s');
  assert.equal(iso(lastSlot('daily', at('2026-12-01T05:00:00Z'))), '2026-12-01T05:00:00.000Z', 'at 05:00 exactly: today\'s');
  assert.equal(iso(lastSlot('weekly', t)), '2026-11-29T07:00:00.000Z');
  assert.equal(iso(lastSlot('weekly', at('2026-11-29T06:59:00Z'))), '2026-11-22T07:00:00.000Z', 'Sunday before 07:00: the Sunday before');
  assert.equal(iso(lastSlot('monthly', t)), '2026-11-01T08:00:00.000Z', 'the 1st before 08:00: last month\'s');
  assert.equal(iso(lastSlot('monthly', at('2026-01-01T07:00:00Z'))), '2025-12-01T08:00:00.000Z', 'across a year');
  assert.equal(iso(lastSlot('monthly', at('2026-12-31T23:00:00Z'))), '2026-12-01T08:00:00.000Z');
});

test('the next slot of each kind, strictly after an instant', () => {
  const t = at('2026-12-01T05:00:00Z');
  assert.equal(iso(nextSlot('daily', t)), '2026-12-02T05:00:00.000Z');
  assert.equal(iso(nextSlot('hourly', t)), '2026-12-01T06:00:00.000Z');
  assert.equal(iso(nextSlot('weekly', t)), '2026-12-06T07:00:00.000Z');
  assert.equal(iso(nextSlot('monthly', at('2026-12-01T08:00:00Z'))), '2027-01-01T08:00:00.000Z');
  assert.equal(iso(nextDue(at('2026-12-01T05:30:00Z'))), '2026-12-01T06:00:00.000Z');
});

test('what is due between two instants: the start excluded, the end included', () => {
  assert.deepEqual(due('2026-12-01T12:30:00Z', '2026-12-01T13:00:00Z'), ['hourly 2026-12-01T13:00:00.000Z']);
  assert.deepEqual(due('2026-12-01T13:00:00Z', '2026-12-01T13:59:59Z'), [], 'the slot at the start was taken by the pass that ended there');
  assert.deepEqual(due('2026-12-01T04:30:00Z', '2026-12-01T05:10:00Z'), ['hourly 2026-12-01T05:00:00.000Z', 'daily 2026-12-01T05:00:00.000Z']);
  assert.deepEqual(due('2026-11-29T06:59:00Z', '2026-11-29T07:00:00Z'), ['hourly 2026-11-29T07:00:00.000Z', 'weekly 2026-11-29T07:00:00.000Z']);
  assert.deepEqual(due('2026-12-01T07:00:00Z', '2026-12-01T08:00:00Z'), ['hourly 2026-12-01T08:00:00.000Z', 'monthly 2026-12-01T08:00:00.000Z']);
  assert.deepEqual(due('2026-12-01T13:00:00Z', '2026-12-01T13:00:00Z'), []);
  assert.deepEqual(due('2026-12-01T14:00:00Z', '2026-12-01T13:00:00Z'), [], 'a clock set back takes nothing');
});

test('a node that slept takes each missed kind once, at its last slot, never once per missed slot', () => {
  assert.deepEqual(due('2026-10-15T10:20:00Z', '2026-12-01T09:15:00Z'), [
    'hourly 2026-12-01T09:00:00.000Z', 'daily 2026-12-01T05:00:00.000Z', 'weekly 2026-11-29T07:00:00.000Z', 'monthly 2026-12-01T08:00:00.000Z',
  ]);
  // and the pass after it, within the same hour, takes nothing more
  assert.deepEqual(due('2026-12-01T09:15:00Z', '2026-12-01T09:59:00Z'), []);
});

test('names: kind and slot, read back; any other name is not a snapshot of ours', () => {
  const names = [
    [snapshotName('hourly', at('2026-12-01T13:00:00Z')), 'hourly-2026-12-01-1300'],
    [snapshotName('daily', at('2026-12-01T05:00:00Z')), 'daily-2026-12-01'],
    [snapshotName('weekly', at('2026-11-29T07:00:00Z')), 'weekly-2026-11-29'],
    [snapshotName('monthly', at('2026-12-01T08:00:00Z')), 'monthly-2026-12-01'],
  ];
  for (const [made, want] of names) assert.equal(made, want);
  assert.deepEqual(parseSnapshotName('hourly-2026-12-01-1300'), { kind: 'hourly', at: at('2026-12-01T13:00:00Z') });
  assert.deepEqual(parseSnapshotName('weekly-2026-11-29'), { kind: 'weekly', at: at('2026-11-29T07:00:00Z') });
  assert.equal(snapshotName('manual', at('2026-12-01T13:15:02Z')), 'manual-2026-12-01-131502');
  assert.deepEqual(parseSnapshotName('manual-2026-12-01-131502'), { kind: 'manual', at: at('2026-12-01T13:15:02Z') });
  for (const other of ['manual-2026-12-01', 'manual-2026-12-01-1300', 'daily-2026-02-31', 'hourly-2026-12-01', 'daily-2026-12-01-0500', 'hourly-2026-12-01-2500', 'latest-daily', 'daily-2026-12-01 ', '../daily-2026-12-01', 'mine']) {
    assert.equal(parseSnapshotName(other), null, other);
  }
});

test('pruning keeps the newest of each kind up to its count (0: none) and touches no other name', () => {
  const names = ['hourly-2026-12-01-1100', 'hourly-2026-12-01-1300', 'hourly-2026-12-01-1200', 'daily-2026-11-30', 'daily-2026-12-01', 'weekly-2026-11-29', 'notes.txt', 'latest-hourly'];
  assert.deepEqual(toPrune(names, { hourly: 2, daily: 7, weekly: 0, monthly: 3 }), ['hourly-2026-12-01-1100', 'weekly-2026-11-29']);
  assert.deepEqual(toPrune(names, { hourly: 0, daily: 1, weekly: 1, monthly: 0 }), ['daily-2026-11-30', 'hourly-2026-12-01-1100', 'hourly-2026-12-01-1200', 'hourly-2026-12-01-1300']);
  assert.equal(newestOf(names, 'hourly'), 'hourly-2026-12-01-1300');
  assert.equal(newestOf(names, 'monthly'), null);
  const manual = ['manual-2026-12-01-101010', 'manual-2026-12-01-090000', 'manual-2026-12-01-235959', 'manual-2026-11-30-120000'];
  assert.deepEqual(toPrune(manual, { hourly: 0, daily: 0, weekly: 0, monthly: 0 }), ['manual-2026-11-30-120000'], 'the last 3 taken on demand are kept, whatever the offer');
});
