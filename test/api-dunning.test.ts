// Dunning, on PGlite and PostgreSQL, with the Clock moved day by day and the job runner's runDue:
// the renewal job issues one yearly invoice per hosting on day 0; reminder 1 on day 7 exactly once
// (the job run twice), reminder 2 on day 15, the hosting suspended on day 30 (status and desired
// state, reason "unpaid"), terminated on day 60; the reminders reach a real SMTP listener in the
// customer's language with the amount, number, reference and link; a payment in full lifts the
// suspension in the paying change; a staff suspension (from the start, or after staff reactivated a
// dunning suspension) is never lifted by a payment; a credit that settles the invoice ends its
// dunning and lifts its suspension in the crediting change (a partial one does not); a paused invoice or customer gets nothing; settings are checked;
// customer B sees none of A's dunning and may steer nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { testDatabases } from './helpers/databases.js';
import { billedCustomer, fillSeller, is, pricedOffer } from './helpers/billing.js';
import type { InvoiceView as Invoice } from '../src/billing/model.js';
import { buildDesiredState } from '../src/agent/store.js';

for (const database of testDatabases()) describe(`dunning (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let sink: SmtpSink;
  let offer: string;
  type Who = { customer: string; token: string; hostings: Record<string, string> };
  let a: Who;
  let b: Who;
  let c: Who;
  const inv: Record<string, Invoice> = {};
  /** day n after the invoices' payment due date (2026-03-10), at 10:00 UTC (+ hours), then every due job run */
  const day = async (n: number, hours = 0) => {
    clock.set(new Date(Date.parse('2026-03-10T10:00:00Z') + n * 86_400_000 + hours * 3_600_000));
    await m.manager.jobs.runDue();
  };
  const hosting = async (id: string) => is(await m.api('GET', `/api/v1/hostings/${id}`), 200);
  const dunning = async (invoice: string, token?: string) => is(await m.api('GET', `/api/v1/invoices/${invoice}/dunning`, undefined, { token }), 200);
  const steps = async (invoice: string) => (await dunning(invoice)).events.map((e: { step: string; reminder: number | null }) => e.step + (e.reminder ?? ''));
  const pay = (invoice: Invoice) => m.api('POST', `/api/v1/invoices/${invoice.id}/payments`, { method: 'transfer', amountCents: invoice.totalCents, reference: 'virement' });
  let server: string;
  /** whether the edge's desired state serves the site the "suspended" page */
  const edgeSuspended = async (host: string) => {
    const ctx = { platformDomain: 'x.test', apacheInstances: 1, dns: { nameservers: [], secondaries: [] } } as never;
    return (await buildDesiredState(m.manager.app.db, ctx, server)).edge!.hosts.find((h) => h.host === host)!.suspended;
  };
  const mails = (to: string, re: RegExp) => sink.received.filter((r) => r.to.includes(to) && re.test(r.decoded));

  before(async () => {
    sink = await startSmtpSink();
    m = await startTestManager({ database, clock, settings: { ABRI_SMTP_URL: sink.url, ABRI_PUBLIC_URL: 'https://panel.abri.test' } });
    server = is(await m.api('POST', '/api/v1/servers', { name: 'node-1', roles: ['web', 'edge'], addresses: ['192.0.2.10'] }), 201).id;
    offer = await pricedOffer(m, 'Asso', 4800, { billingCycle: 'yearly' });
    await fillSeller(m, { paymentDays: 0, iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'AGRIFRPP' });
    const customer = (name: string, email: string, locale: 'fr' | 'en', names: string[]): Promise<Who> => billedCustomer(m, name, email, offer, { locale, hostings: names });
    // a1: the whole timeline · a2: staff suspend it first · a3: dunning suspends, staff reactivate, then suspend for abuse
    // a4: credited · a5: terminated · b1: its invoice paused · c1: its customer paused
    a = await customer('Alpha', 'owner@alpha.test', 'fr', ['a1', 'a2', 'a3', 'a4', 'a5']);
    b = await customer('Bravo', 'owner@bravo.test', 'en', ['b1']);
    c = await customer('Charlie', 'owner@charlie.test', 'en', ['c1']);
    is(await m.api('POST', `/api/v1/hostings/${a.hostings.a1}/sites`, { domain: 'shop.alpha.test' }), 201);
    is(await m.api('POST', `/api/v1/hostings/${a.hostings.a4}/sites`, { domain: 'gift.alpha.test' }), 201);
  });
  after(async () => {
    await m?.close();
    await sink?.close();
  });

  test('settings: staff only, off by default, checked', async () => {
    const s = is(await m.api('GET', '/api/v1/billing/dunning'), 200);
    assert.deepEqual([s.enabled, s.reminderDays, s.suspendDay, s.terminateDay], [false, [7, 15], 30, 60]);
    is(await m.api('GET', '/api/v1/billing/dunning', undefined, { token: a.token }), 403, 'auth.staff_only');
    is(await m.api('PATCH', '/api/v1/billing/dunning', { enabled: true }, { token: a.token }), 403, 'auth.staff_only');
    const bad = is(await m.api('PATCH', '/api/v1/billing/dunning', { reminderDays: [15, 7] }), 400, 'dunning.settings_invalid');
    assert.equal(bad.errors[0].path, 'body.reminderDays');
    is(await m.api('PATCH', '/api/v1/billing/dunning', { suspendDay: 70 }), 400, 'dunning.settings_invalid');
    is(await m.api('PATCH', '/api/v1/billing/dunning', { reminderDays: [7, 40] }), 400, 'dunning.settings_invalid');
    is(await m.api('PATCH', '/api/v1/billing/dunning', { terminateDay: 0 }), 400, 'request.validation');
  });

  test('day 0: one invoice per hosting, due today; dunning off does nothing, then staff turn it on', async () => {
    await day(0);
    const all = is(await m.api('GET', '/api/v1/invoices?limit=100'), 200).items as Invoice[];
    for (const who of [a, b, c]) for (const [n, id] of Object.entries(who.hostings)) inv[n] = all.find((i) => i.hostingId === id)!;
    assert.equal(Object.values(inv).filter(Boolean).length, 7, all.map((i) => i.number).join());
    assert.equal(inv.a1!.paymentDue, '2026-03-10');
    is(await m.api('PUT', `/api/v1/invoices/${inv.b1!.number}/dunning/pause`, { note: 'payment plan agreed' }), 200);
    assert.deepEqual(is(await m.api('PUT', `/api/v1/customers/${c.customer}/dunning-pause`, { note: 'dispute' }), 200), { paused: true, changed: true });
    assert.deepEqual(is(await m.api('PUT', `/api/v1/customers/${c.customer}/dunning-pause`, {}), 200), { paused: true, changed: false });
  });

  test('reminder 1 on day 7 exactly once (job run twice), in the customer\'s language, with amount, number, reference and link', async () => {
    await day(7); // off: nothing, even late
    assert.deepEqual(await steps(inv.a1!.id), []);
    assert.equal(mails('owner@alpha.test', /Rappel/).length, 0);
    is(await m.api('PATCH', '/api/v1/billing/dunning', { enabled: true }), 200);
    await day(7, 1);
    await day(7, 2);
    assert.deepEqual(await steps(inv.a1!.id), ['reminder1']);
    const d = await dunning(inv.a1!.id, a.token);
    assert.deepEqual([d.state, d.reminders, d.daysLate, d.next], ['reminded', 1, 7, { step: 'reminder', reminder: 2, on: '2026-03-25' }]);
    const fr = mails("owner@alpha.test", /Rappel 1 : facture F/);
    assert.equal(fr.length, 5, 'one per hosting of Alpha, each once');
    const one = fr.find((r) => r.decoded.includes(inv.a1!.number))!;
    assert.match(one.decoded, /48,00/);
    assert.match(one.decoded, new RegExp(inv.a1!.paymentReference!));
    assert.match(one.decoded, /FR7630006000011234567890189/);
    assert.match(one.decoded, new RegExp(`https://panel\\.abri\\.test/invoices/${inv.a1!.id}`));
    assert.equal(mails('owner@bravo.test', /Reminder/).length, 0, 'a paused invoice is not reminded');
    assert.equal(mails('owner@charlie.test', /Reminder/).length, 0, 'a paused customer is not reminded');
    assert.deepEqual(await steps(inv.b1!.id), ['paused']);
  });

  test('reminder 2 on day 15; on day 20 staff suspend a2 by hand', async () => {
    await day(14);
    assert.deepEqual(await steps(inv.a1!.id), ['reminder1']);
    await day(15);
    await day(15, 1);
    assert.deepEqual(await steps(inv.a1!.id), ['reminder1', 'reminder2']);
    assert.equal(mails('owner@alpha.test', /Rappel 2 : facture/).length, 5);
    await day(20);
    is(await m.api('POST', `/api/v1/hostings/${a.hostings.a2}/suspend`, { reason: 'abuse: phishing' }), 200);
  });

  test('day 30: the hostings are suspended for non-payment; the customer sees it and what to do', async () => {
    await day(29);
    assert.equal((await hosting(a.hostings.a1!)).status, 'active');
    assert.equal(await edgeSuspended('shop.alpha.test'), false);
    await day(30);
    await day(30, 1);
    assert.equal((await hosting(a.hostings.a1!)).status, 'suspended');
    assert.equal(await edgeSuspended('shop.alpha.test'), true, 'the edge serves the suspended page');
    assert.deepEqual(await steps(inv.a1!.id), ['reminder1', 'reminder2', 'suspension']);
    const d = await dunning(inv.a1!.number, a.token);
    assert.deepEqual([d.state, d.next], ['suspended', { step: 'termination', reminder: null, on: '2026-05-09' }]);
    assert.equal((await dunning(inv.a2!.id)).events.at(-1).detail, 'already suspended by staff');
    const { rows } = await sql<{ reason: string }>`SELECT after->>'reason' AS reason FROM audit_log WHERE action = 'hosting.suspend' AND target_id = ${a.hostings.a1}`.execute(m.manager.app.db);
    assert.deepEqual(rows.map((r) => r.reason), [`unpaid: ${inv.a1!.number}`]);
    const mail = mails('owner@alpha.test', /Hébergement .* suspendu/);
    assert.equal(mail.length, 4, 'a1, a3, a4, a5 (a2 was suspended by staff)');
    assert.equal((await hosting(b.hostings.b1!)).status, 'active', 'paused: not suspended');
    assert.equal((await hosting(c.hostings.c1!)).status, 'active', 'customer paused: not suspended');
    const list = is(await m.api('GET', `/api/v1/dunning?hostingId=${a.hostings.a1}`, undefined, { token: a.token }), 200);
    assert.deepEqual(list.items.map((i: { number: string }) => i.number), [inv.a1!.number]);
  });

  test('customer B sees none of A\'s dunning and steers nothing', async () => {
    is(await m.api('GET', `/api/v1/invoices/${inv.a1!.id}/dunning`, undefined, { token: b.token }), 404, 'invoice.not_found');
    is(await m.api('GET', `/api/v1/invoices/${inv.a1!.number}/dunning`, undefined, { token: b.token }), 404, 'invoice.not_found');
    const mine = is(await m.api('GET', '/api/v1/dunning', undefined, { token: b.token }), 200).items;
    assert.deepEqual(mine.map((i: { number: string }) => i.number), [inv.b1!.number]);
    assert.equal(mine[0].paused.note, '', 'a staff note stays with the staff');
    is(await m.api('GET', `/api/v1/dunning?customerId=${a.customer}`, undefined, { token: b.token }), 404, 'customer.not_found');
    assert.equal(is(await m.api('GET', `/api/v1/dunning?hostingId=${a.hostings.a1}`, undefined, { token: b.token }), 200).total, 0);
    is(await m.api('PUT', `/api/v1/invoices/${inv.a1!.id}/dunning/pause`, {}, { token: b.token }), 403, 'auth.staff_only');
    is(await m.api('DELETE', `/api/v1/customers/${c.customer}/dunning-pause`, undefined, { token: b.token }), 403, 'auth.staff_only');
  });

  test('day 31: a payment lifts the dunning suspension in the paying change; never a staff suspension', async () => {
    await day(31);
    // a3: staff reactivate the hosting dunning suspended, then suspend it for abuse
    is(await m.api('POST', `/api/v1/hostings/${a.hostings.a3}/reactivate`), 200);
    is(await m.api('POST', `/api/v1/hostings/${a.hostings.a3}/suspend`, { reason: 'abuse' }), 200);
    const paid = is(await pay(inv.a1!), 201);
    assert.equal(paid.invoice.status, 'paid');
    assert.equal((await hosting(a.hostings.a1!)).status, 'active', 'lifted at once, without a job run');
    assert.equal(await edgeSuspended('shop.alpha.test'), false);
    assert.deepEqual(await steps(inv.a1!.id), ['reminder1', 'reminder2', 'suspension', 'paid', 'unsuspension']);
    const d = await dunning(inv.a1!.id, a.token);
    assert.deepEqual([d.state, d.ended, d.next], ['ended', 'paid', null]);
    is(await pay(inv.a2!), 201);
    is(await pay(inv.a3!), 201);
    assert.equal((await hosting(a.hostings.a2!)).status, 'suspended', 'staff suspended it: a payment does not lift it');
    assert.equal((await hosting(a.hostings.a3!)).status, 'suspended', 'staff suspended it again: a payment does not lift it');
    await m.manager.jobs.runDue();
    assert.equal(mails('owner@alpha.test', /Hébergement .* rétabli/).length, 1);
  });

  test('a crediting that settles the invoice ends its dunning and lifts its suspension at once, in the crediting change', async () => {
    is(await m.api('POST', `/api/v1/invoices/${inv.a4!.id}/credit`, { reason: 'geste commercial', amountCents: 1000 }), 201);
    assert.equal(await edgeSuspended('gift.alpha.test'), true);
    assert.equal((await hosting(a.hostings.a4!)).status, 'suspended', 'a partial credit leaves the rest owed: still suspended');
    assert.equal((await steps(inv.a4!.id)).at(-1), 'suspension');
    is(await m.api('POST', `/api/v1/invoices/${inv.a4!.id}/credit`, { reason: 'geste commercial' }), 201);
    assert.equal((await hosting(a.hostings.a4!)).status, 'active', 'lifted at once, without a job run');
    assert.equal(await edgeSuspended('gift.alpha.test'), false, 'the edge serves its site again');
    assert.deepEqual((await steps(inv.a4!.id)).slice(-2), ['credited', 'unsuspension']);
    assert.deepEqual([(await dunning(inv.a4!.id, a.token)).state, (await dunning(inv.a4!.id, a.token)).ended], ['ended', 'credited']);
    await day(32);
    assert.deepEqual((await steps(inv.a4!.id)).slice(-2), ['credited', 'unsuspension'], 'the job finds nothing left to do');
    const told = mails('owner@alpha.test', /soldée par un avoir/);
    assert.equal(told.length, 1, 'the customer is told once, in French');
    assert.match(told[0]!.decoded, new RegExp(`La facture ${inv.a4!.number} est soldée par un avoir`));
  });

  test('day 60: termination (files kept); paused ones still untouched; resumed dunning catches up one step a day', async () => {
    await day(59);
    assert.equal((await hosting(a.hostings.a5!)).status, 'suspended');
    await day(60);
    await day(60, 1);
    const h = await hosting(a.hostings.a5!);
    assert.equal(h.status, 'terminated');
    assert.deepEqual(await steps(inv.a5!.id), ['reminder1', 'reminder2', 'suspension', 'termination']);
    assert.equal(mails('owner@alpha.test', /Hébergement .* résilié/).length, 1);
    assert.equal((await dunning(inv.a5!.id, a.token)).next, null);
    assert.deepEqual(await steps(inv.b1!.id), ['paused']);
    assert.equal((await hosting(c.hostings.c1!)).status, 'active');
    is(await m.api('DELETE', `/api/v1/invoices/${inv.b1!.id}/dunning/pause`), 200);
    await day(61);
    await day(61, 1);
    assert.deepEqual(await steps(inv.b1!.id), ['paused', 'resumed', 'reminder2'], 'the latest reminder only, no suspension the same day');
    assert.equal(mails('owner@bravo.test', /Reminder 2: invoice/).length, 1, 'in English');
    await day(62);
    assert.equal((await hosting(b.hostings.b1!)).status, 'suspended');
  });
});
