// Dunning's pure rules: one step a run, in order; a missed reminder is not sent on top of a later
// one; the suspension waits for a reminder on an earlier day; the termination waits for the
// suspension to have lasted; the next step's day; the settings' checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysLate, dueStep, nextStep, settingsProblem, type DunningProgress } from '../src/billing/rules-dunning.js';

const s = { enabled: true, reminderDays: [7, 15], suspendDay: 30, terminateDay: 60 };
const fresh: DunningProgress = { reminders: 0, lastStepOn: null, suspendedOn: null, terminated: false };
const due = '2026-03-10';
const on = (n: number) => new Date(Date.parse(`${due}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('days late count from the due date', () => {
  assert.deepEqual([daysLate(due, due), daysLate(due, on(7)), daysLate(due, on(-1)), daysLate('2026-02-27', '2026-03-01')], [0, 7, -1, 2]);
});

test('the timeline on time: reminders on days 7 and 15, suspension on 30, termination on 60', () => {
  assert.equal(dueStep(s, fresh, due, on(6), true), null);
  assert.deepEqual(dueStep(s, fresh, due, on(7), true), { step: 'reminder', n: 1 });
  const one = { ...fresh, reminders: 1, lastStepOn: on(7) };
  assert.equal(dueStep(s, one, due, on(14), true), null);
  assert.deepEqual(dueStep(s, one, due, on(15), true), { step: 'reminder', n: 2 });
  const two = { ...one, reminders: 2, lastStepOn: on(15) };
  assert.equal(dueStep(s, two, due, on(29), true), null);
  assert.deepEqual(dueStep(s, two, due, on(30), true), { step: 'suspension' });
  assert.equal(dueStep(s, two, due, on(30), false), null, 'no hosting: nothing to suspend');
  const suspended = { ...two, suspendedOn: on(30), lastStepOn: on(30) };
  assert.equal(dueStep(s, suspended, due, on(59), true), null);
  assert.deepEqual(dueStep(s, suspended, due, on(60), true), { step: 'termination' });
  assert.equal(dueStep(s, { ...suspended, terminated: true }, due, on(90), true), null);
});

test('catching up (dunning turned on late, or resumed): one step a day, warned before suspended, suspended long enough before terminated', () => {
  assert.deepEqual(dueStep(s, fresh, due, on(65), true), { step: 'reminder', n: 2 }, 'the latest reminder only');
  const warned = { ...fresh, reminders: 2, lastStepOn: on(65) };
  assert.equal(dueStep(s, warned, due, on(65), true), null, 'not suspended the day of the reminder');
  assert.deepEqual(dueStep(s, warned, due, on(66), true), { step: 'suspension' });
  const suspended = { ...warned, suspendedOn: on(66), lastStepOn: on(66) };
  assert.equal(dueStep(s, suspended, due, on(95), true), null);
  assert.deepEqual(dueStep(s, suspended, due, on(96), true), { step: 'termination' });
  assert.deepEqual(nextStep(s, suspended, due, on(70), true), { step: 'termination', on: on(96) });
  assert.deepEqual(dueStep({ ...s, reminderDays: [] }, fresh, due, on(30), true), { step: 'suspension' }, 'no reminders configured');
});

test('the next step and its day', () => {
  assert.deepEqual(nextStep(s, fresh, due, on(1), true), { step: 'reminder', n: 1, on: on(7) });
  assert.deepEqual(nextStep(s, { ...fresh, reminders: 2, lastStepOn: on(15) }, due, on(16), true), { step: 'suspension', on: on(30) });
  assert.equal(nextStep(s, { ...fresh, reminders: 2, lastStepOn: on(15) }, due, on(16), false), null);
});

test('settings: reminders increase, before the suspension, before the termination', () => {
  assert.equal(settingsProblem(s), null);
  assert.equal(settingsProblem({ ...s, reminderDays: [] }), null);
  assert.equal(settingsProblem({ ...s, reminderDays: [15, 7] })?.field, 'reminderDays');
  assert.equal(settingsProblem({ ...s, reminderDays: [7, 7] })?.field, 'reminderDays');
  assert.equal(settingsProblem({ ...s, reminderDays: [7, 30] })?.field, 'suspendDay');
  assert.equal(settingsProblem({ ...s, terminateDay: 30 })?.field, 'terminateDay');
});
