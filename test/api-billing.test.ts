// Billing, first slice, on PGlite and PostgreSQL: the seller's settings gate invoicing; the renewal
// job (Clock moved, runDue) makes every hosting a service and issues each renewal exactly once, the
// days before its due date; staff issue and credit by hand; numbers are gap-free per series under 20
// parallel issuings and a rolled-back transaction; issued rows refuse SQL UPDATE/DELETE; the buyer is
// frozen on the invoice; another customer gets 404 on everything of A's; the PDF (read by pdftotext)
// carries the number, amounts and legal mentions, also while the hosting is suspended; the invoice
// e-mail reaches a real SMTP listener.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { ManualClock } from '../src/platform/clock.js';
import { systemCaller } from '../src/platform/actor.js';
import { change } from '../src/platform/change.js';
import { sellerReady, serviceDraft, writeDocument } from '../src/billing/operations-issue.js';
import { findService } from '../src/billing/store-services.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { testDatabases } from './helpers/databases.js';
import { billedCustomer, DAY, HOUR, is, jobsAfter, pricedOffer } from './helpers/billing.js';
import type { InvoiceView as Invoice } from '../src/billing/model.js';
const work = mkdtempSync(path.join(tmpdir(), 'abri-billing-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The text pdftotext (poppler) reads in a PDF. */
function pdfText(bytes: Buffer): string {
  const file = path.join(work, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

for (const database of testDatabases()) describe(`billing (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let sink: SmtpSink;
  let a: { customer: string; hosting: string; token: string };
  let b: { customer: string; hosting: string; token: string };
  let offer: string;
  const invoices = async (q = '', token?: string) => is(await m.api('GET', `/api/v1/invoices${q}`, undefined, { token }), 200).items as Invoice[];
  const runJobs = jobsAfter(() => m, clock);
  const download = (id: string, token: string) => fetch(`${m.url}/api/v1/invoices/${id}/pdf`, { headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    sink = await startSmtpSink();
    m = await startTestManager({ database, clock, settings: { ABRI_SMTP_URL: sink.url, ABRI_PUBLIC_URL: 'https://panel.abri.test' } });
    offer = await pricedOffer(m, 'Asso', 1200);
    a = await billedCustomer(m, 'Alpha', 'owner@alpha.test', offer, { locale: 'fr' });
    b = await billedCustomer(m, 'Bravo', 'owner@bravo.test', offer, { locale: 'fr' });
  });
  after(async () => {
    await m?.close();
    await sink?.close();
  });

  test('no invoice before the seller has a name and an address; staff fill them in', async () => {
    is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting }), 409, 'billing.seller_incomplete');
    await runJobs(HOUR);
    assert.equal((await invoices()).length, 0, 'the renewal job does nothing while billing is not set up');
    assert.deepEqual(is(await m.api('GET', '/api/v1/billing/seller'), 200).missing, ['name', 'address']);
    is(await m.api('GET', '/api/v1/billing/seller', undefined, { token: a.token }), 403, 'auth.staff_only');
    is(await m.api('PATCH', '/api/v1/billing/seller', { vatMode: 'bogus' }), 400);
    const s = is(await m.api('PATCH', '/api/v1/billing/seller', {
      name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon', registration: 'W691234567', vatMode: 'franchise',
      paymentTerms: 'Paiement par virement à réception.', latePayment: 'Pénalités de retard : 3 fois le taux d\'intérêt légal ; indemnité forfaitaire de 40 €.',
      renewalDays: 10, paymentDays: 15,
    }), 200);
    assert.deepEqual(s.missing, []);
  });

  test('the renewal job makes each hosting a service and invoices it once, then again the day its renewal comes', async () => {
    await runJobs(HOUR);
    const first = await invoices('?sort=number');
    assert.deepEqual(first.map((i) => i.number).sort(), ['F2026-000001', 'F2026-000002']);
    const svc = is(await m.api('GET', `/api/v1/hostings/${a.hosting}/service`, undefined, { token: a.token }), 200);
    assert.equal(svc.dueDate, '2026-03-10');
    assert.equal(svc.priceCents, 1200);
    assert.equal(svc.vatRateBp, 0, 'a seller under the franchise charges no VAT');
    const inv = first.find((i) => i.hostingId === a.hosting)!;
    assert.equal(inv.periodStart, '2026-03-10');
    assert.equal(inv.periodEnd, '2026-04-10');
    assert.equal(inv.totalCents, 1200);
    assert.equal(inv.vatCents, 0);
    assert.ok(inv.mentions.includes('TVA non applicable, art. 293 B du CGI'), inv.mentions.join(' / '));
    await runJobs(HOUR);
    await runJobs(DAY);
    assert.equal((await invoices()).length, 2, 'running again issues nothing twice');
    assert.equal(is(await m.api('GET', `/api/v1/hostings/${a.hosting}/service`), 200).dueDate, '2026-04-10', 'the due date moved to the end of the invoiced period');
    // the renewal of the period from 10 April is issued on 31 March (10 days before), not a day earlier
    clock.set('2026-03-30T23:00:00Z');
    await runJobs(0);
    assert.equal((await invoices()).length, 2);
    await runJobs(2 * HOUR);
    await runJobs(HOUR);
    const all = await invoices();
    assert.equal(all.length, 4, 'once per service when the clock passes the day');
    const renewal = all.find((i) => i.hostingId === a.hosting && i.periodStart === '2026-04-10')!;
    assert.equal(renewal.paymentDue, '2026-04-10', 'to be paid by the due date at the latest');
  });

  test('invoices reach the customer by e-mail, in its language', async () => {
    await m.manager.jobs.runDue();
    const mail = sink.received.find((r) => r.to.includes('owner@alpha.test') && /vous a adressé la facture F2026-/.test(r.decoded));
    assert.ok(mail, `received: ${sink.received.map((r) => r.to.join()).join(' ')}`);
    assert.match(mail.decoded, /Hébergeurs Associés/);
    assert.match(mail.decoded, /https:\/\/panel\.abri\.test\/invoices\//);
  });

  test('20 invoices issued in parallel get 20 consecutive numbers; a rolled-back issue leaves no gap', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => m.api('POST', '/api/v1/invoices', { hostingId: n % 2 ? a.hosting : b.hosting, kind: 'proforma' })));
    const numbers = answers.map((r) => is(r, 201).number as string).sort();
    assert.deepEqual(numbers, Array.from({ length: 20 }, (_, n) => `P2026-${String(n + 1).padStart(6, '0')}`));
    // a crash between numbering and commit: the number taken is given back with the rollback
    await assert.rejects(change(m.manager.app, systemCaller('test'), async (c) => {
      c.staffOnly();
      const svc = await findService(c.db, a.hosting, null, { lock: true });
      const { number } = await writeDocument(c, await serviceDraft(c, await sellerReady(c), svc, 'proforma'));
      assert.equal(number, 'P2026-000021');
      throw new Error('crash before the commit');
    }), /crash before the commit/);
    assert.equal(is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting, kind: 'proforma' }), 201).number, 'P2026-000021');
  });

  test('an issued invoice refuses UPDATE and DELETE, even in SQL', async () => {
    const [inv] = await invoices('?kind=invoice&limit=1');
    await assert.rejects(sql`UPDATE invoices SET total_cents = 1 WHERE id = ${inv!.id}`.execute(m.manager.app.db), /immutable/);
    await assert.rejects(sql`DELETE FROM invoices WHERE id = ${inv!.id}`.execute(m.manager.app.db), /immutable/);
    await assert.rejects(sql`UPDATE invoice_counters SET last = 1 WHERE series = 'F2026'`.execute(m.manager.app.db), /forward/);
    assert.equal(is(await m.api('GET', `/api/v1/invoices/${inv!.id}`), 200).totalCents, inv!.totalCents);
  });

  test('the buyer is frozen on an invoice: a new address changes the next one only', async () => {
    const before = (await invoices('?kind=invoice', a.token))[0]!;
    is(await m.api('PATCH', `/api/v1/customers/${a.customer}`, { postalAddress: '99 avenue Nouvelle\n13001 Marseille', name: 'Alpha renamed' }), 200);
    const again = is(await m.api('GET', `/api/v1/invoices/${before.number}`, undefined, { token: a.token }), 200);
    assert.deepEqual(again.buyer, before.buyer);
    assert.match(again.buyer.address, /75001 Paris/);
    const proforma = is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting, kind: 'proforma' }), 201);
    assert.match(proforma.buyer.address, /13001 Marseille/);
    assert.equal(proforma.buyer.name, 'Alpha renamed');
  });

  test('another customer sees none of A\'s invoices or service (404), and customers cannot issue or credit', async () => {
    const mine = await invoices('', a.token);
    assert.ok(mine.length > 0 && mine.every((i) => i.customerId === a.customer));
    assert.ok((await invoices('', b.token)).every((i) => i.customerId === b.customer));
    is(await m.api('GET', `/api/v1/invoices?customerId=${a.customer}`, undefined, { token: b.token }), 404, 'customer.not_found');
    const target = mine[0]!;
    is(await m.api('GET', `/api/v1/invoices/${target.id}`, undefined, { token: b.token }), 404, 'invoice.not_found');
    is(await m.api('GET', `/api/v1/invoices/${target.number}`, undefined, { token: b.token }), 404, 'invoice.not_found');
    assert.equal((await download(target.id, b.token)).status, 404);
    is(await m.api('GET', `/api/v1/hostings/${a.hosting}/service`, undefined, { token: b.token }), 404, 'hosting.not_found');
    is(await m.api('POST', `/api/v1/invoices/${target.id}/credit`, { reason: 'mine now' }, { token: a.token }), 403, 'auth.staff_only');
    is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting }, { token: a.token }), 403, 'auth.staff_only');
    is(await m.api('PATCH', `/api/v1/hostings/${a.hosting}/service`, { dueDate: '2030-01-01' }, { token: a.token }), 403, 'auth.staff_only');
  });

  test('the PDF carries the number, the amounts and the legal mentions; it downloads while the hosting is suspended', async () => {
    const inv = (await invoices('?kind=invoice', a.token)).find((i) => i.periodStart === '2026-03-10')!;
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/suspend`, {}), 200);
    const res = await download(inv.id, a.token);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`${inv.number}\\.pdf`));
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    for (const expected of [`FACTURE ${inv.number}`, 'Hébergeurs Associés', 'W691234567', '75001 Paris', '12,00 €', 'TVA non applicable, art. 293 B du CGI', 'indemnité forfaitaire de 40 €', '10/03/2026 au 09/04/2026']) {
      assert.ok(text.includes(expected), `"${expected}" in:\n${text}`);
    }
    is(await m.api('POST', `/api/v1/hostings/${a.hosting}/reactivate`, {}), 200);
  });

  test('a credit note credits an invoice once, in its own series, and lets staff invoice the period again', async () => {
    const inv = (await invoices('?kind=invoice')).find((i) => i.hostingId === b.hosting && i.periodStart === '2026-04-10')!;
    is(await m.api('PATCH', `/api/v1/hostings/${b.hosting}/service`, { dueDate: '2026-04-10' }), 200);
    is(await m.api('POST', '/api/v1/invoices', { hostingId: b.hosting }), 409, 'invoice.already_issued');
    const credit = is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'Erreur de tarif' }), 201);
    assert.equal(credit.number, 'A2026-000001');
    assert.equal(credit.totalCents, -inv.totalCents);
    assert.deepEqual(credit.credits, { id: inv.id, number: inv.number });
    assert.deepEqual(is(await m.api('GET', `/api/v1/invoices/${inv.id}`), 200).creditedBy, { id: credit.id, number: credit.number });
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'again' }), 409, 'invoice.already_credited');
    is(await m.api('POST', `/api/v1/invoices/${credit.id}/credit`, { reason: 'a credit of a credit' }), 409, 'invoice.not_creditable');
    const text = pdfText(Buffer.from(await (await download(credit.id, b.token)).arrayBuffer()));
    assert.ok(text.includes('AVOIR A2026-000001') && text.includes(inv.number) && text.includes('Erreur de tarif') && text.includes('-12,00 €'), text);
    const again = is(await m.api('POST', '/api/v1/invoices', { hostingId: b.hosting }), 201);
    assert.equal(again.periodStart, '2026-04-10');
    assert.equal(again.number, 'F2026-000005');
  });

  test('an offer\'s VAT rate applies once the seller charges VAT', async () => {
    is(await m.api('PATCH', `/api/v1/offers/${offer}`, { vatRateBp: 550 }), 200);
    is(await m.api('PATCH', '/api/v1/billing/seller', { vatMode: 'vat', vatNumber: 'FR12345678901' }), 200);
    const p = is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting, kind: 'proforma' }), 201);
    assert.deepEqual([p.totalExCents, p.vatCents, p.totalCents], [1200, 66, 1266]);
    assert.ok(!p.mentions.some((x: string) => x.includes('293 B')));
    is(await m.api('PATCH', '/api/v1/billing/seller', { vatMode: 'nonprofit' }), 200);
    const q = is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting, kind: 'proforma' }), 201);
    assert.equal(q.vatCents, 0);
    assert.ok(q.mentions.includes('Exonération de TVA, art. 261-7-1° du CGI'));
  });

  test('a free hosting is never invoiced; a terminated one gets no invoice and keeps its due date', async () => {
    const free = is(await m.api('POST', '/api/v1/offers', { name: 'Free', priceCents: 0 }), 201);
    const h = is(await m.api('POST', '/api/v1/hostings', { customerId: a.customer, offerId: free.id }), 201);
    const before = (await invoices()).length;
    await runJobs(HOUR);
    assert.equal((await invoices(`?hostingId=${h.id}`)).length, 0);
    assert.equal(is(await m.api('GET', `/api/v1/hostings/${h.id}/service`), 200).priceCents, 0);
    is(await m.api('POST', '/api/v1/invoices', { hostingId: h.id }), 409, 'invoice.nothing_to_bill');
    is(await m.api('DELETE', `/api/v1/hostings/${h.id}`), 200);
    is(await m.api('POST', '/api/v1/invoices', { hostingId: h.id }), 409, 'hosting.terminated');
    is(await m.api('PATCH', `/api/v1/hostings/${h.id}/service`, { dueDate: '2030-01-01' }), 409, 'hosting.terminated');
    assert.equal((await invoices()).length, before, 'nothing else was issued');
  });
});
