// A service's lifecycle, on PGlite and PostgreSQL, with the Clock moved: a change of offer on known
// dates credits the unused days of the period (a partial credit note) and invoices the new offer to
// the same due date, previewed first with the same amounts; a smaller offer that cannot hold the
// hosting is refused with what does not fit; customers move only to self-service offers; partial
// credits never go beyond an invoice, even in parallel; a service ended at term is not renewed and
// its hosting is terminated by the renewals job on its due date exactly (not the day before, once),
// an early end the next day; an end is cancellable until then; every step is audited and e-mailed;
// another customer can neither see nor end nor change A's service.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ManualClock } from '../src/platform/clock.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { testDatabases } from './helpers/databases.js';
import { billedCustomer, DAY, fillSeller, HOUR, is, jobsAfter, pricedOffer } from './helpers/billing.js';
import type { InvoiceView as Invoice } from '../src/billing/model.js';

for (const database of testDatabases()) describe(`service lifecycle (${database.name})`, () => {
  const clock = new ManualClock('2026-01-01T08:00:00Z');
  let m: TestManager;
  let sink: SmtpSink;
  let a: { customer: string; hosting: string; name: string; token: string };
  let b: { customer: string; hosting: string; name: string; token: string };
  const offers: Record<string, string> = {};
  const invoices = async (q = '') => is(await m.api('GET', `/api/v1/invoices${q}`), 200).items as Invoice[];
  const runJobs = jobsAfter(() => m, clock);
  const status = async (id: string) => is(await m.api('GET', `/api/v1/hostings/${id}`), 200).status as string;
  const audits = async (action: string, id: string) =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM audit_log WHERE action = ${action} AND target_id = ${id}`.execute(m.manager.app.db)).rows[0]!.n);

  before(async () => {
    sink = await startSmtpSink();
    m = await startTestManager({ database, clock, settings: { ABRI_SMTP_URL: sink.url, ABRI_PUBLIC_URL: 'https://panel.abri.test' } });
    // jobs run only when a test runs them (runDue), never on the runner's own timer while a test moves the clock
    await m.manager.jobs.stop();
    is(await m.api('POST', '/api/v1/servers', { name: 'web-1', roles: ['web'], addresses: ['192.0.2.1'] }), 201);
    const offer = async (name: string, priceCents: number, extra: Record<string, unknown> = {}) => (offers[name] = await pricedOffer(m, name, priceCents, extra));
    await offer('Small', 1000, { selfService: true });
    await offer('Big', 3100, { selfService: true });
    await offer('Tiny', 300, { selfService: true, diskMb: 1000, maxCronTasks: 1 });
    await offer('Staff', 2000);
    await fillSeller(m, { name: 'Abri Asso', address: '1 rue du Port\n29200 Brest', vatMode: 'vat', defaultVatRateBp: 2000, renewalDays: 10 });
    a = await billedCustomer(m, 'Alpha', 'owner@alpha.test', offers.Small!);
    b = await billedCustomer(m, 'Bravo', 'owner@bravo.test', offers.Small!);
    await runJobs(HOUR); // services start, due 2026-01-01, January invoiced
    await runJobs(HOUR); // due dates move to 2026-02-01
  });
  after(async () => {
    await m?.close();
    await sink?.close();
  });

  test('a change of offer on 11 January: 21 of 31 days credited, the new offer invoiced for them, the due date kept', async () => {
    clock.set(new Date('2026-01-11T09:00:00Z'));
    const preview = is(await m.api('GET', `/api/v1/hostings/${a.hosting}/offer-change?offer=Big`, undefined, { token: a.token }), 200);
    assert.equal(preview.billed, true);
    assert.equal(preview.dueDate, '2026-02-01');
    // 1000 × 21 / 31 = 677.42 → 677, VAT 135.4 → 135; 3100 × 21 / 31 = 2100, VAT 420
    assert.deepEqual(preview.credit && [preview.credit.unusedDays, preview.credit.periodDays, preview.credit.totalExCents, preview.credit.vatCents, preview.credit.totalCents], [21, 31, -677, -135, -812]);
    assert.deepEqual(preview.charge && [preview.charge.days, preview.charge.cycleDays, preview.charge.totalExCents, preview.charge.vatCents, preview.charge.totalCents], [21, 31, 2100, 420, 2520]);
    assert.equal(preview.balanceCents, 1708);
    assert.deepEqual(preview.issued, []);
    assert.equal((await invoices(`?hostingId=${a.hosting}`)).length, 1, 'a preview issues nothing');

    const done = is(await m.api('POST', `/api/v1/hostings/${a.hosting}/offer-change`, { offer: 'Big' }, { token: a.token }), 200);
    assert.deepEqual({ ...done, issued: [] }, preview, 'the change does what the preview said');
    assert.deepEqual(done.issued.map((d: { kind: string }) => d.kind), ['credit_note', 'invoice']);
    const [credit, invoice] = await Promise.all(done.issued.map(async (d: { id: string }) => is(await m.api('GET', `/api/v1/invoices/${d.id}`, undefined, { token: a.token }), 200) as Invoice));
    assert.equal(credit!.totalCents, -812);
    assert.equal(invoice!.totalCents, 2520);
    assert.deepEqual([invoice!.periodStart, invoice!.periodEnd], ['2026-01-11', '2026-02-01']);
    const january = (await invoices(`?hostingId=${a.hosting}&kind=invoice`)).find((i) => i.periodStart === '2026-01-01')!;
    assert.equal(january.creditedCents, 812, 'the January invoice shows what is credited of it');
    assert.equal(january.creditedBy, null, 'credited in part only');
    const service = is(await m.api('GET', `/api/v1/hostings/${a.hosting}/service`), 200);
    assert.deepEqual([service.offer, service.dueDate], ['Big', '2026-02-01']);
    assert.equal(await audits('service.offer_change', a.hosting), 1);

    // changing again the same month credits the prorated invoice, not January's again
    clock.set(new Date('2026-01-21T09:00:00Z'));
    const back = is(await m.api('GET', `/api/v1/hostings/${a.hosting}/offer-change?offer=Small`, undefined, { token: a.token }), 200);
    assert.equal(back.credit.invoice, invoice!.number);
    // 2100 × 11 / 21 = 1100; 1000 × 11 / 31 = 354.8 → 355
    assert.deepEqual([back.credit.totalExCents, back.charge.totalExCents], [-1100, 355]);
  });

  test('customers move only to self-service offers, never to the one they have; staff to any', async () => {
    is(await m.api('GET', `/api/v1/hostings/${b.hosting}/offer-change?offer=Staff`, undefined, { token: b.token }), 403, 'offer_change.not_self_service');
    is(await m.api('POST', `/api/v1/hostings/${b.hosting}/offer-change`, { offer: 'Staff' }, { token: b.token }), 403, 'offer_change.not_self_service');
    is(await m.api('POST', `/api/v1/hostings/${b.hosting}/offer-change`, { offer: 'Small' }, { token: b.token }), 409, 'offer_change.same_offer');
    is(await m.api('GET', `/api/v1/hostings/${b.hosting}/offer-change?offer=Staff`), 200);
  });

  test('a smaller offer that cannot hold the hosting is refused with what does not fit', async () => {
    await sql`INSERT INTO hosting_disk_usage (hosting_id, server_id, used_bytes, enforced, measured_at)
      SELECT id, server_id, ${3 * 1024 ** 3}, false, now() FROM hostings WHERE id = ${b.hosting}`.execute(m.manager.app.db);
    for (const command of ['echo one', 'echo two']) is(await m.api('POST', `/api/v1/hostings/${b.hosting}/cron-tasks`, { command, schedule: '@daily' }, { token: b.token }), 201);
    const refused = is(await m.api('POST', `/api/v1/hostings/${b.hosting}/offer-change`, { offer: 'Tiny' }, { token: b.token }), 409, 'offer_change.does_not_fit');
    assert.deepEqual(refused.params.misfits, ['disk', 'cronTasks']);
    assert.deepEqual(refused.errors.map((e: { params: object }) => e.params), [{ what: 'disk', used: 3072, limit: 1000 }, { what: 'cronTasks', used: 2, limit: 1 }]);
    is(await m.api('GET', `/api/v1/hostings/${b.hosting}/offer-change?offer=Tiny`, undefined, { token: b.token }), 409, 'offer_change.does_not_fit');
    assert.equal(is(await m.api('GET', `/api/v1/hostings/${b.hosting}`), 200).offerName, 'Small');
  });

  test('partial credits: an amount, then lines, never beyond the invoice, even in parallel', async () => {
    const inv = (await invoices(`?hostingId=${b.hosting}&kind=invoice`))[0]!; // 1000 + 200 VAT
    assert.equal(inv.totalCents, 1200);
    const part = is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'Panne de 3 jours', amountCents: 120 }), 201);
    assert.deepEqual([part.totalExCents, part.vatCents, part.totalCents], [-100, -20, -120]);
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'trop', amountCents: 1081 }), 409, 'invoice.credit_exceeds');
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'ligne', lines: [3] }), 400, 'invoice.credit_line_unknown');
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'both', lines: [0], amountCents: 5 }), 400, 'request.validation');
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'ligne', lines: [0] }), 409, 'invoice.credit_exceeds');
    // ten credits of 200 at once: 1080 left, so five pass and five are refused
    const answers = await Promise.all(Array.from({ length: 10 }, () => m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'geste', amountCents: 200 })));
    assert.deepEqual(answers.map((x) => x.status).sort(), [201, 201, 201, 201, 201, 409, 409, 409, 409, 409]);
    const after = is(await m.api('GET', `/api/v1/invoices/${inv.id}`, undefined, { token: b.token }), 200) as Invoice;
    assert.equal(after.creditedCents, 1120);
    assert.equal(after.creditNotes.length, 6);
    const rest = is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'solde' }), 201);
    assert.equal(rest.totalCents, -80);
    const full = is(await m.api('GET', `/api/v1/invoices/${inv.id}`), 200) as Invoice;
    assert.deepEqual([full.creditedCents, full.creditedBy?.number], [1200, rest.number]);
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'encore', amountCents: 1 }), 409, 'invoice.already_credited');
  });

  test('another customer can neither see, change nor end A\'s service; a read-only user cannot end its own', async () => {
    is(await m.api('GET', `/api/v1/hostings/${a.hosting}/offer-change?offer=Small`, undefined, { token: b.token }), 404, 'hosting.not_found');
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/offer-change`, { offer: 'Small' }, { token: b.token }), 404, 'hosting.not_found');
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/service/end`, { mode: 'early' }, { token: b.token }), 404, 'hosting.not_found');
    is(await m.api('DELETE', `/api/v1/hostings/${a.hosting}/service/end`, undefined, { token: b.token }), 404, 'hosting.not_found');
    const r = await m.user('reader@alpha.test');
    is(await m.join(a.customer, 'reader@alpha.test', 'readonly'), 201);
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/service/end`, { mode: 'early' }, { token: r.token }), 403, 'hosting.forbidden');
    assert.equal(is(await m.api('GET', `/api/v1/hostings/${a.hosting}/service`), 200).ending, null);
  });

  test('ended at term: not renewed, terminated by the job on its due date exactly, once; cancelled, it renews', async () => {
    clock.set(new Date('2026-01-25T10:00:00Z'));
    const ending = is(await m.api('POST', `/api/v1/hostings/${a.hosting}/service/end`, { mode: 'term', reason: 'on déménage' }, { token: a.token }), 200);
    assert.deepEqual([ending.ending.on, ending.ending.mode, ending.renewalInvoiceOn], ['2026-02-01', 'term', null]);
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/service/end`, { mode: 'term' }, { token: a.token }), 409, 'service.already_ending');
    await runJobs(HOUR);
    assert.equal((await invoices(`?hostingId=${a.hosting}&kind=invoice`)).filter((i) => i.periodStart === '2026-02-01').length, 0, 'the renewal (due 22 January) is not issued');
    // cancelled, the renewal whose day has passed is issued at once; ended again, that invoice is credited
    const kept = is(await m.api('DELETE', `/api/v1/hostings/${a.hosting}/service/end`, undefined, { token: a.token }), 200);
    assert.equal(kept.ending, null);
    const renewal = (await invoices(`?hostingId=${a.hosting}&kind=invoice`)).find((i) => i.periodStart === '2026-02-01')!;
    assert.ok(renewal, 'cancelling issued the renewal');
    is(await m.api('DELETE', `/api/v1/hostings/${a.hosting}/service/end`, undefined, { token: a.token }), 409, 'service.not_ending');
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/service/end`, { mode: 'term' }, { token: a.token }), 200);
    assert.equal((is(await m.api('GET', `/api/v1/invoices/${renewal.id}`), 200) as Invoice).creditedCents, renewal.totalCents, 'the period after the end is not due');

    clock.set(new Date('2026-01-31T23:00:00Z'));
    await m.manager.jobs.runDue();
    assert.equal(await status(a.hosting), 'active', 'not the day before');
    await runJobs(2 * HOUR); // 1 February, 01:00
    assert.equal(await status(a.hosting), 'terminated');
    await runJobs(2 * HOUR);
    assert.equal(await audits('service.ended', a.hosting), 1, 'once');
    is(await m.api('DELETE', `/api/v1/hostings/${a.hosting}/service/end`, undefined, { token: a.token }), 409, 'hosting.terminated');
    await m.manager.jobs.runDue();
    const mails = sink.received.filter((r) => r.to.includes('owner@alpha.test') && new RegExp(`hosting ${a.name}`).test(r.decoded)).map((r) => r.decoded);
    assert.ok(mails.some((t) => t.includes('ends at term: it will be terminated on 1 February 2026')), mails.join('\n---\n'));
    assert.ok(mails.some((t) => t.includes('planned on 1 February 2026 is cancelled')) && mails.some((t) => t.includes('was terminated on 1 February 2026')), mails.join('\n---\n'));
  });

  test('ended early: terminated the next day, nothing refunded; staff may end any hosting', async () => {
    clock.set(new Date('2026-02-03T15:00:00Z'));
    const before = (await invoices('?kind=credit_note')).length;
    const ending = is(await m.api('POST', `/api/v1/hostings/${b.hosting}/service/end`, { mode: 'early' }), 200);
    assert.equal(ending.ending.on, '2026-02-04');
    assert.equal((await invoices('?kind=credit_note')).length, before, 'no refund');
    await runJobs(HOUR);
    assert.equal(await status(b.hosting), 'active');
    await runJobs(DAY);
    assert.equal(await status(b.hosting), 'terminated');
    assert.equal(await audits('service.end', b.hosting), 1);
  });
});
