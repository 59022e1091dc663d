// Payments of invoices, on PGlite and PostgreSQL: partial payments sum to the paid amount and move
// the status (unpaid → partially_paid → paid) and the list filter; more than the balance is refused
// with a stable code; 10 parallel recordings of the last balance: exactly one wins (the invoice's row
// is locked); a provider's payment id records once (a replayed webhook, also in parallel); proformas,
// credit notes and credited invoices take no payment; a credited paid invoice owes a refund, recorded
// as a negative payment linked to its credit note; overdueInvoices() lists what is owed past its due
// day; the onInvoicePaid hooks run in the paying change; rows refuse SQL UPDATE/DELETE; customer B
// gets 404 on A's payments and cannot record any; a transfer is found by its RF reference. Every
// payment and refund queues one receipt to the customer's contact address (a replay none).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { ManualClock } from '../src/platform/clock.js';
import { systemCaller } from '../src/platform/actor.js';
import { change } from '../src/platform/change.js';
import { onInvoicePaid, recordPayment } from '../src/billing/operations-payments.js';
import { overdueInvoices } from '../src/billing/store-payments.js';
import { startTestManager, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { billedCustomer, fillSeller, is, pricedOffer, receiptsTo } from './helpers/billing.js';
import type { InvoiceView as Invoice } from '../src/billing/model.js';

for (const database of testDatabases()) describe(`payments (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let a: { customer: string; hosting: string; token: string };
  let b: { customer: string; hosting: string; token: string };
  let period = 0;
  /** an invoice (or proforma) of a period of its own: the service's due date moved a month on each time */
  const issue = async (hostingId: string, kind = 'invoice') => {
    period++;
    is(await m.api('PATCH', `/api/v1/hostings/${hostingId}/service`, { dueDate: `2026-${String(period).padStart(2, '0')}-01` }), 200);
    return is(await m.api('POST', '/api/v1/invoices', { hostingId, kind }), 201) as Invoice;
  };
  const show = async (id: string, token?: string) => is(await m.api('GET', `/api/v1/invoices/${id}`, undefined, { token }), 200) as Invoice;
  const pay = (id: string, body: object, token?: string) => m.api('POST', `/api/v1/invoices/${id}/payments`, { method: 'cheque', ...body }, { token });
  const paid: string[] = [];
  const unhook = onInvoicePaid(`test-${database.name}`, async (c, e) => {
    if (c.app !== m?.manager.app) return; // the other database's manager, in this same process
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payments WHERE id = ${e.payment.id}`.execute(c.db);
    assert.equal(rows[0]!.n, 1, 'the hook runs in the change, which sees the payment');
    paid.push(e.invoice.number);
  });

  before(async () => {
    m = await startTestManager({ database, clock });
    const offer = await pricedOffer(m, 'Asso', 1200);
    await fillSeller(m, { paymentDays: 15 });
    a = await billedCustomer(m, 'Alpha', 'owner@alpha.test', offer, { locale: 'fr' });
    b = await billedCustomer(m, 'Bravo', 'owner@bravo.test', offer, { locale: 'en' });
  });
  after(async () => {
    unhook();
    await m?.close();
  });

  test('partial payments sum to the paid amount; the status follows; more than the balance is refused', async () => {
    const inv = await issue(a.hosting);
    assert.deepEqual([inv.status, inv.paidCents, inv.balanceCents], ['unpaid', 0, 1200]);
    assert.match(inv.paymentReference!, /^RF\d{2}F2026000001$/);
    const first = is(await pay(inv.number, { amountCents: 500, reference: 'chèque 1234567' }), 201);
    assert.deepEqual([first.invoice.status, first.invoice.paidCents, first.invoice.balanceCents], ['partially_paid', 500, 700]);
    assert.equal(first.payment.recordedBy, 'admin@abri.test');
    assert.equal(first.payment.receivedOn, '2026-03-10');
    const over = is(await pay(inv.id, { amountCents: 701 }), 409, 'payment.exceeds_balance');
    assert.deepEqual(over.params, { number: inv.number, amountCents: 701, balanceCents: 700 });
    is(await pay(inv.id, { amountCents: 100, receivedOn: '2026-03-11' }), 400, 'payment.in_future');
    is(await pay(inv.id, { amountCents: 0 }), 400, 'request.validation');
    is(await pay(inv.id, { amountCents: 100, method: 'card' }), 400, 'request.validation');
    assert.equal((await show(inv.id)).status, 'partially_paid');
    assert.deepEqual(paid, []);
    const last = is(await pay(inv.paymentReference!, { amountCents: 700, method: 'transfer', reference: inv.paymentReference, receivedOn: '2026-03-09' }), 201);
    assert.deepEqual([last.invoice.status, last.invoice.paidCents, last.invoice.balanceCents], ['paid', 1200, 0]);
    assert.deepEqual(paid, [inv.number], 'the hook heard it once, when the invoice became paid');
    is(await pay(inv.id, { amountCents: 1 }), 409, 'payment.exceeds_balance');
    const list = is(await m.api('GET', `/api/v1/invoices/${inv.id}/payments`, undefined, { token: a.token }), 200);
    assert.deepEqual(list.map((p: { amountCents: number }) => p.amountCents), [700, 500], 'by the day received');
    assert.deepEqual(list.map((p: { recordedBy: string }) => p.recordedBy), ['', ''], 'the customer is not told which staff member recorded them');
    const byStatus = async (s: string) => (is(await m.api('GET', `/api/v1/invoices?status=${s}`), 200).items as Invoice[]).map((i) => i.number);
    assert.deepEqual(await byStatus('paid'), [inv.number]);
    assert.deepEqual(await byStatus('unpaid'), []);
    const receipts = await receiptsTo(m, 'owner@alpha.test');
    assert.equal(receipts.length, 2, 'one receipt per payment, none for the refused ones');
    assert.deepEqual(receipts.map((r) => r.locale), ['fr', 'fr'], 'in the customer\'s language');
    assert.ok(receipts.some((r) => /Reçu de votre paiement : facture F2026-000001/.test(r.subject) && r.text.includes('paiement de 5,00 €') && r.text.includes('chèque 1234567') && r.text.includes('Il reste 7,00 €')), receipts.map((r) => r.text).join('\n---\n'));
    assert.ok(receipts.some((r) => r.text.includes('paiement de 7,00 €') && r.text.includes('entièrement réglée') && r.text.includes('09/03/2026')), 'the last one says it is settled');
    await assert.rejects(sql`UPDATE payments SET amount_cents = 1`.execute(m.manager.app.db), /immutable/);
    await assert.rejects(sql`DELETE FROM payments`.execute(m.manager.app.db), /immutable/);
  });

  test('parallel recordings of the last balance: exactly one wins', async () => {
    const inv = await issue(b.hosting);
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay(inv.id, { amountCents: 1200 })));
    assert.deepEqual(answers.map((x) => x.status).sort(), [201, ...Array(9).fill(409)]);
    for (const x of answers.filter((y) => y.status === 409)) assert.equal(x.body.code, 'payment.exceeds_balance');
    assert.deepEqual([(await show(inv.id)).paidCents, (await show(inv.id)).status], [1200, 'paid']);
  });

  test('a provider\'s payment id records once, even delivered in parallel; another invoice cannot reuse it', async () => {
    const next = await issue(a.hosting);
    const webhook = () => change(m.manager.app, systemCaller('stripe'), async (c) => {
      c.anyone();
      return recordPayment(c, { invoiceId: next.id, amountCents: 300, method: 'card', provider: 'stripe', providerId: 'pi_123', currency: 'eur', receivedOn: '2026-03-10' });
    });
    const receiptsBefore = (await receiptsTo(m, 'owner@alpha.test')).length;
    const results = await Promise.all([webhook(), webhook(), webhook()]);
    assert.deepEqual(results.map((r) => r.replayed).sort(), [false, true, true]);
    await webhook();
    const receipts = await receiptsTo(m, 'owner@alpha.test');
    assert.equal(receipts.length, receiptsBefore + 1, 'one receipt however often the webhook is replayed');
    assert.ok(receipts.some((r) => r.text.includes('(carte bancaire)') && r.text.includes('Il reste 9,00 €')));
    assert.equal(new Set(results.map((r) => r.payment.id)).size, 1);
    assert.equal((await show(next.id)).paidCents, 300);
    assert.equal(results[0]!.payment.recordedBy, 'stripe');
    const other = await issue(b.hosting);
    await assert.rejects(change(m.manager.app, systemCaller('stripe'), async (c) => {
      c.anyone();
      return recordPayment(c, { invoiceId: other.id, amountCents: 300, method: 'card', provider: 'stripe', providerId: 'pi_123', receivedOn: '2026-03-10' });
    }), (e: { code?: string }) => e.code === 'payment.provider_id_taken');
    await assert.rejects(change(m.manager.app, systemCaller('stripe'), async (c) => {
      c.anyone();
      return recordPayment(c, { invoiceId: other.id, amountCents: 300, method: 'card', provider: 'stripe', providerId: 'pi_456', currency: 'USD', receivedOn: '2026-03-10' });
    }), (e: { code?: string }) => e.code === 'payment.currency_mismatch');
  });

  test('overdue invoices: owed and past their payment day, oldest first; credited and paid ones are not', async () => {
    const asOf = '2026-12-31';
    const overdue = await overdueInvoices(m.manager.app.db, asOf);
    for (const o of overdue) {
      const inv = await show(o.id);
      assert.ok(inv.status === 'unpaid' || inv.status === 'partially_paid', inv.status!);
      assert.equal(o.balanceCents, inv.balanceCents);
      assert.ok(o.paymentDue < asOf);
    }
    const unpaid = (is(await m.api('GET', '/api/v1/invoices?status=unpaid&limit=1000'), 200).items as Invoice[]);
    const partial = (is(await m.api('GET', '/api/v1/invoices?status=partially_paid&limit=1000'), 200).items as Invoice[]);
    assert.deepEqual(overdue.map((o) => o.number).sort(), [...unpaid, ...partial].map((i) => i.number).sort());
    assert.ok(overdue.length >= 1);
    assert.deepEqual(await overdueInvoices(m.manager.app.db, '2026-01-01'), [], 'nothing is overdue before it was due');
  });

  test('proformas, credit notes and credited invoices take no payment; a paid credited invoice owes a refund', async () => {
    const proforma = await issue(b.hosting, 'proforma');
    assert.equal(proforma.status, null);
    assert.equal(proforma.paymentReference, null);
    is(await pay(proforma.id, { amountCents: 100 }), 409, 'payment.not_payable');
    const inv = await issue(b.hosting);
    is(await pay(inv.id, { amountCents: 1000 }), 201);
    const credit = is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'Erreur' }), 201) as Invoice;
    is(await pay(credit.id, { amountCents: 100 }), 409, 'payment.not_payable');
    is(await pay(inv.id, { amountCents: 100 }), 409, 'payment.invoice_credited');
    const credited = await show(inv.id);
    assert.deepEqual([credited.status, credited.paidCents, credited.balanceCents], ['credited', 1000, -1000]);
    const refund = (id: string, amountCents: number) => m.api('POST', `/api/v1/invoices/${id}/refunds`, { amountCents, method: 'transfer', reference: 'remboursement' });
    is(await refund(credit.number, 1001), 409, 'payment.exceeds_refund_due');
    const r = is(await refund(credit.number, 600), 201);
    assert.equal(r.payment.amountCents, -600);
    assert.deepEqual(r.payment.creditNote, { id: credit.id, number: credit.number });
    is(await refund(inv.id, 400), 201);
    assert.deepEqual([(await show(inv.id)).balanceCents, (await show(inv.id)).status], [0, 'credited']);
    const refunds = (await receiptsTo(m, 'owner@bravo.test')).filter((r) => /^Refund on invoice/.test(r.subject));
    assert.deepEqual(refunds.map((r) => /paid you back (€\d+\.\d\d)/.exec(r.text)?.[1]).sort(), ['€4.00', '€6.00'], 'a receipt per refund, in English');
    assert.ok(refunds.every((r) => r.text.includes(`credited by credit note ${credit.number}`) && r.text.includes(inv.number)));
    is(await refund(inv.id, 1), 409, 'payment.refund_not_due');
    is(await refund((await issue(a.hosting)).id, 1), 409, 'payment.refund_not_due');
  });

  test('the seller\'s IBAN: a wrong one refused on its field; frozen on later invoices, whose PDF prints the transfer', async () => {
    const bad = is(await m.api('PATCH', '/api/v1/billing/seller', { iban: 'FR76 3000 6000 0112 3456 7890 188' }), 400, 'request.validation');
    assert.deepEqual(bad.errors.map((e: { path: string; code: string }) => [e.path, e.code]), [['body.iban', 'billing.iban_invalid']]);
    is(await m.api('PATCH', '/api/v1/billing/seller', { bic: 'AGRI\nFRPP' }), 400, 'request.validation');
    const before = await issue(a.hosting);
    assert.equal(before.seller.iban, undefined, 'no bank details on an invoice issued before they were set');
    const seller = is(await m.api('PATCH', '/api/v1/billing/seller', { iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'agrifrpp' }), 200);
    assert.deepEqual([seller.iban, seller.bic], ['FR7630006000011234567890189', 'AGRIFRPP']);
    const inv = await issue(a.hosting);
    assert.deepEqual([inv.seller.iban, inv.seller.bic], ['FR7630006000011234567890189', 'AGRIFRPP']);
    const pdf = await fetch(`${m.url}/api/v1/invoices/${inv.id}/pdf`, { headers: { authorization: `Bearer ${a.token}` } });
    assert.equal(pdf.status, 200);
    const text = execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(await pdf.arrayBuffer()), encoding: 'utf8' });
    assert.ok(text.includes(inv.paymentReference!.replace(/(.{4})(?=.)/g, '$1 ')), text);
    assert.equal((await show(before.id)).seller.iban, undefined, 'issued invoices keep what they said');
  });

  test('customer B sees none of A\'s payments and no customer records any', async () => {
    const aInvoice = (is(await m.api('GET', `/api/v1/invoices?customerId=${a.customer}`), 200).items as Invoice[])[0]!;
    is(await m.api('GET', `/api/v1/invoices/${aInvoice.id}/payments`, undefined, { token: b.token }), 404, 'invoice.not_found');
    is(await m.api('GET', `/api/v1/invoices/${aInvoice.paymentReference}/payments`, undefined, { token: b.token }), 404, 'invoice.not_found');
    is(await pay(aInvoice.id, { amountCents: 1 }, b.token), 403, 'auth.staff_only');
    is(await pay(aInvoice.id, { amountCents: 1 }, a.token), 403, 'auth.staff_only');
    is(await m.api('GET', '/api/v1/payments', undefined, { token: a.token }), 403, 'auth.staff_only');
    const all = is(await m.api('GET', '/api/v1/payments?limit=1000'), 200);
    assert.ok(all.total >= 5);
    is(await m.api('GET', '/api/v1/invoices/RF00F2026000001', undefined, { token: a.token }), 404, 'invoice.not_found');
    const wrong = is(await pay('RF00F2026000001', { amountCents: 1 }), 400, 'payment.reference_invalid');
    assert.equal(wrong.params.reference, 'RF00F2026000001');
  });
});
