// The pure rules of a service's lifecycle: proration on known dates (a 31-day month, February of a
// leap year, a yearly cycle), half-up rounding to the cent, the credit of an amount including VAT,
// the day a service ends, what a smaller offer cannot hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOf, totalsOf } from '../src/billing/rules.js';
import { renderMessage } from '../src/outbox/render-message.js';
import { amountCreditLine, cycleDaysBefore, daysBetween, endDay, misfitsOf, prorate, proratedLine, unusedCreditLines } from '../src/billing/rules-lifecycle.js';

test('days between two days, and the days of a cycle ending on a due date', () => {
  assert.equal(daysBetween('2026-01-11', '2026-02-01'), 21);
  assert.equal(daysBetween('2026-03-28', '2026-04-01'), 4); // across the change to summer time: days are UTC
  assert.equal(cycleDaysBefore('2026-02-01', 'monthly'), 31);
  assert.equal(cycleDaysBefore('2028-03-01', 'monthly'), 29, 'February of a leap year');
  assert.equal(cycleDaysBefore('2026-03-01', 'monthly'), 28);
  assert.equal(cycleDaysBefore('2029-01-01', 'yearly'), 366, '2028 is a leap year');
  assert.equal(cycleDaysBefore('2027-01-01', 'yearly'), 365);
  assert.equal(cycleDaysBefore('2026-04-01', 'quarterly'), 90);
});

test('prorating rounds half up to the cent, with integers only', () => {
  assert.equal(prorate(1000, 21, 31), 677); // 677.42
  assert.equal(prorate(1000, 15, 29), 517); // 517.24
  assert.equal(prorate(100, 1, 8), 13); // 12.5 → 13
  assert.equal(prorate(300, 1, 8), 38); // 37.5 → 38
  assert.equal(prorate(12000, 100, 366), 3279); // 3278.69
  assert.equal(prorate(12000, 100, 365), 3288); // 3287.67
  assert.equal(prorate(1000, 0, 31), 0);
  assert.equal(prorate(1000, 31, 31), 1000);
  assert.equal(prorate(-1000, 21, 31), -677);
});

test('the unused part of an invoice: each line prorated, its VAT on the prorated amount', () => {
  const lines = [lineOf('Pro', 1, 1000, 2000)];
  const credit = unusedCreditLines(lines, 21, 31, () => 'unused');
  assert.deepEqual(totalsOf(credit), { totalExCents: -677, vatCents: -135, totalCents: -812 });
  // February 2028, 15 of 29 days, VAT 5.5 %: 517 and 28.4 → 28
  assert.deepEqual(totalsOf(unusedCreditLines([lineOf('Pro', 1, 1000, 550)], 15, 29, () => '')), { totalExCents: -517, vatCents: -28, totalCents: -545 });
  // a yearly offer of 120 € moved on 23 September 2028, due 1 January 2029: 100 of 366 days
  assert.deepEqual(totalsOf([proratedLine('Y', 12000, daysBetween('2028-09-23', '2029-01-01'), cycleDaysBefore('2029-01-01', 'yearly'), 0)]), { totalExCents: 3279, vatCents: 0, totalCents: 3279 });
});

test('an amount including VAT splits into its price and VAT', () => {
  assert.deepEqual(totalsOf([amountCreditLine('x', 120, 2000)]), { totalExCents: -100, vatCents: -20, totalCents: -120 });
  assert.deepEqual(totalsOf([amountCreditLine('x', 1, 2000)]), { totalExCents: -1, vatCents: 0, totalCents: -1 });
  assert.deepEqual(totalsOf([amountCreditLine('x', 999, 0)]), { totalExCents: -999, vatCents: 0, totalCents: -999 });
  assert.deepEqual(totalsOf([amountCreditLine('x', 1055, 550)]), { totalExCents: -1000, vatCents: -55, totalCents: -1055 });
});

test('the day a service ends: at term its due date, early (or not billed yet) tomorrow', () => {
  assert.equal(endDay('term', '2026-02-01', '2026-01-25'), '2026-02-01');
  assert.equal(endDay('early', '2026-02-01', '2026-01-25'), '2026-01-26');
  assert.equal(endDay('term', null, '2026-01-25'), '2026-01-26');
  assert.equal(endDay('term', '2026-01-25', '2026-01-25'), '2026-01-26', 'a due date reached: tomorrow');
  assert.equal(endDay('early', '2026-03-01', '2028-02-28'), '2028-02-29');
});

test('what a smaller offer cannot hold, disk rounded up to the MB', () => {
  const holding = { diskUsedBytes: 1000 * 1_048_576 + 1, sites: 2, mailboxes: 3, mailQuotaMb: 300, databases: 1, transferUsers: 0, cronTasks: 0 };
  const limits = { diskMb: 1000, maxSites: 2, maxMailboxes: 2, mailMb: 1000, maxDatabases: 1, maxFtpUsers: 0, maxCronTasks: 0 };
  assert.deepEqual(misfitsOf(holding, limits), [{ what: 'disk', used: 1001, limit: 1000 }, { what: 'mailboxes', used: 3, limit: 2 }]);
  assert.deepEqual(misfitsOf({ ...holding, diskUsedBytes: null, mailboxes: 2 }, limits), []);
});

test('the e-mails of a service\'s end say what happens and when, in French and English', () => {
  const fr = renderMessage('service_end', { hosting: 'h100000', event: 'requested', mode: 'early', endsOn: '2026-02-04' }, 'fr', 'https://panel.test/hostings/h100000');
  assert.equal(fr.subject, 'Résiliation de l\'hébergement h100000 le 4 février 2026');
  assert.match(fr.text, /résilié par anticipation : il sera arrêté le 4 février 2026/);
  assert.match(fr.text, /aucun remboursement/);
  const en = renderMessage('service_end', { hosting: 'h100000', event: 'cancelled', mode: 'term', endsOn: '2026-02-01' }, 'en', 'https://panel.test/hostings/h100000');
  assert.equal(en.subject, 'Hosting h100000 no longer ends');
  assert.match(en.html, /planned on 1 February 2026 is cancelled/);
  const done = renderMessage('service_end', { hosting: 'h<1>', event: 'done', mode: 'term', endsOn: '2026-02-01' }, 'en', 'https://panel.test/');
  assert.ok(done.html.includes('h&#60;1&#62;') && !done.html.includes('h<1>'), 'names are escaped in HTML');
});
