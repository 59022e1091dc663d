// Card payments through Stripe, on PGlite and PostgreSQL, with the real `stripe` SDK over HTTP against
// a local Stripe-compatible server (stripe-stateful-mock + Checkout sessions: test/helpers/stripe-local.ts)
// and webhooks signed with the SDK's generateTestHeaderString, POSTed to Abri for real. No real charge.
// A customer's user starts paying an invoice (the same page twice), the card is charged at the local
// server, the signed webhook records the payment once (replayed, in parallel, and as its PaymentIntent
// event too), the invoice is paid, also while the platform is read-only; a second payment is refused; a declined card records nothing and the reason is in the audit
// trail; bad signatures are refused with 400 payment.webhook_invalid; other events are acknowledged;
// customer B cannot start paying A's invoice (404); staff refund a credited invoice through Stripe's
// refunds API; one receipt per payment and refund, however often the webhooks come; without Stripe keys no card is offered and asking says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Stripe from 'stripe';
import { ManualClock } from '../src/platform/clock.js';
import type { InvoiceView as Invoice } from '../src/billing/model.js';
import { seedHosting, startTestManager, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';
import { startLocalStripe, type LocalStripe } from './helpers/stripe-local.js';
import { billedCustomer, fillSeller, is, pricedOffer, receiptsTo } from './helpers/billing.js';

/** A seller, an offer of 12.00 EUR a month, customers Alpha and Bravo each with a hosting. */
async function billed(m: TestManager) {
  const offer = await pricedOffer(m, 'Asso', 1200);
  await fillSeller(m, { paymentDays: 15 });
  return { a: await billedCustomer(m, 'Alpha', 'owner@alpha.test', offer), b: await billedCustomer(m, 'Bravo', 'owner@bravo.test', offer) };
}

for (const database of testDatabases()) describe(`card payments through Stripe (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let stripe: LocalStripe;
  let a: { customer: string; hosting: string; token: string };
  let b: { customer: string; hosting: string; token: string };
  let period = 0;
  const issue = async () => {
    period++;
    is(await m.api('PATCH', `/api/v1/hostings/${a.hosting}/service`, { dueDate: `2026-${String(period).padStart(2, '0')}-01` }), 200);
    return is(await m.api('POST', '/api/v1/invoices', { hostingId: a.hosting }), 201) as Invoice;
  };
  const show = async (id: string) => is(await m.api('GET', `/api/v1/invoices/${id}`), 200) as Invoice;
  const payments = async (id: string) => is(await m.api('GET', `/api/v1/invoices/${id}/payments`), 200) as Array<{ amountCents: number; provider: string; providerId: string; method: string }>;
  const start = (id: string, token = a.token) => m.api('POST', `/api/v1/invoices/${id}/card-payment`, undefined, { token });

  before(async () => {
    stripe = await startLocalStripe();
    stripe.now = () => Math.floor(clock.now().getTime() / 1000);
    m = await startTestManager({ database, clock, settings: { ABRI_STRIPE_SECRET_KEY: stripe.secretKey, ABRI_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, ABRI_STRIPE_API_BASE: stripe.url } });
    stripe.deliverTo = m.url;
    // deliveries go through the test client: every answer is checked against the OpenAPI document
    stripe.post = (raw, header) => m.api('POST', '/api/v1/payments/stripe/webhook', undefined, { token: null, raw, headers: { 'stripe-signature': header } });
    ({ a, b } = await billed(m));
  });
  after(async () => {
    await m?.close();
    await stripe?.close();
  });

  test('a customer pays an invoice by card: the signed webhook records it once, however often it comes', async () => {
    assert.deepEqual(is(await m.api('GET', '/api/v1/payments/options', undefined, { token: a.token }), 200), { card: true, provider: 'stripe' });
    const inv = await issue();
    const started = is(await start(inv.number), 201);
    const session = stripe.sessions.get(started.providerId)!;
    assert.ok(session, 'the session was created at the local Stripe by the SDK');
    assert.equal(started.redirectUrl, session.url);
    assert.deepEqual([session.amount_total, session.currency, session.mode, started.amountCents], [1200, 'eur', 'payment', 1200]);
    assert.equal(session.metadata.abri_invoice_id, inv.id);
    assert.equal(session.form['payment_intent_data[metadata][abri_invoice_id]'], inv.id);
    assert.equal(session.success_url, `${m.manager.app.config.publicUrl}/invoices/${inv.number}?card=done`);
    assert.equal(session.customer_email, 'owner@alpha.test');
    assert.equal(is(await start(inv.id), 201).providerId, started.providerId, 'a second click: the same page (idempotency key)');
    assert.equal((await show(inv.id)).status, 'unpaid', 'starting records nothing');

    const paid = await stripe.pay(session.id, 'tok_visa');
    assert.deepEqual(is(await stripe.deliver('checkout.session.completed', paid), 200), { received: true, outcome: 'recorded', type: 'payment_succeeded' });
    const after = await show(inv.id);
    assert.deepEqual([after.status, after.paidCents, after.balanceCents], ['paid', 1200, 0]);
    // replayed, the PaymentIntent's own event, and five deliveries at once: nothing more
    assert.equal(is(await stripe.deliver('checkout.session.completed', paid), 200).outcome, 'replayed');
    const intent = { id: paid.payment_intent, object: 'payment_intent', amount: 1200, amount_received: 1200, currency: 'eur', metadata: paid.metadata, status: 'succeeded' };
    assert.equal(is(await stripe.deliver('payment_intent.succeeded', intent), 200).outcome, 'replayed');
    const burst = await Promise.all(Array.from({ length: 5 }, () => stripe.deliver('checkout.session.completed', paid)));
    assert.deepEqual(burst.map((r) => [r.status, r.body.outcome]), Array.from({ length: 5 }, () => [200, 'replayed']));
    const rows = await payments(inv.id);
    assert.deepEqual(rows.map((p) => [p.amountCents, p.method, p.provider, p.providerId]), [[1200, 'card', 'stripe', paid.payment_intent]]);
    const receipts = (await receiptsTo(m, 'owner@alpha.test')).filter((r) => r.text.includes(inv.number));
    assert.equal(receipts.length, 1, 'one receipt, however often the webhook came');
    assert.match(receipts[0]!.text, /(carte bancaire|\(card)/);
    is(await start(inv.id), 409, 'payment.nothing_due');
  });

  test('the local Checkout page: paying there sends the payer back and the webhook pays the invoice', async () => {
    const inv = await issue();
    const { redirectUrl } = is(await start(inv.number), 201);
    const page = await fetch(redirectUrl, { method: 'POST', body: new URLSearchParams({ token: 'tok_visa' }), redirect: 'manual' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), `${m.manager.app.config.publicUrl}/invoices/${inv.number}?card=done`);
    assert.equal((await show(inv.id)).status, 'paid');
  });

  test('a declined card records nothing, and the audit trail says why', async () => {
    const inv = await issue();
    const { providerId } = is(await start(inv.number), 201);
    await assert.rejects(stripe.pay(providerId, 'tok_chargeDeclined'), (e: unknown) => e instanceof Stripe.errors.StripeCardError && e.code === 'card_declined');
    const session = stripe.sessions.get(providerId)!;
    const intent = { id: 'pi_declined_1', object: 'payment_intent', amount: 1200, currency: 'eur', metadata: session.metadata, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } };
    assert.equal(is(await stripe.deliver('payment_intent.payment_failed', intent), 200).outcome, 'failed');
    const now = await show(inv.id);
    assert.deepEqual([now.status, now.paidCents], ['unpaid', 0]);
    assert.deepEqual(await payments(inv.id), []);
    const audit = is(await m.api('GET', `/api/v1/audit?action=payment.card_failed&target=${inv.number}`), 200);
    assert.equal(audit.items.length, 1);
    assert.match(JSON.stringify(audit.items[0]), /generic_decline: Your card was declined\./);
  });

  test('bad signatures are refused with 400 and record nothing; other events are acknowledged', async () => {
    const inv = await issue();
    const { providerId } = is(await start(inv.number), 201);
    const paid = await stripe.pay(providerId, 'tok_visa');
    is(await stripe.deliver('checkout.session.completed', paid, { secret: 'whsec_not_the_platforms_secret' }), 400, 'payment.webhook_invalid');
    const other = stripe.signed('checkout.session.completed', { ...paid, amount_total: 1 });
    is(await stripe.deliver('checkout.session.completed', paid, { header: other.header }), 400, 'payment.webhook_invalid');
    is(await stripe.deliver('checkout.session.completed', paid, { header: '' }), 400, 'payment.webhook_invalid');
    // signed long ago (past the SDK's tolerance of 5 minutes, by the platform's clock): refused
    const old = stripe.signed('checkout.session.completed', paid);
    clock.advance(10 * 60_000);
    is(await stripe.deliver('checkout.session.completed', paid, { header: old.header, payload: old.payload }), 400, 'payment.webhook_invalid');
    assert.equal((await show(inv.id)).status, 'unpaid');
    assert.deepEqual(is(await stripe.deliver('customer.created', { id: 'cus_1', object: 'customer' }), 200), { received: true, outcome: 'ignored', type: 'customer.created' });
    const foreign = { ...paid, metadata: { ...paid.metadata, abri_platform: 'https://another.example' } };
    assert.equal(is(await stripe.deliver('checkout.session.completed', foreign), 200).outcome, 'ignored', 'another platform sharing the account');
    assert.equal((await show(inv.id)).status, 'unpaid');
    assert.equal(is(await stripe.deliver('checkout.session.completed', paid), 200).outcome, 'recorded');
  });

  test('while the platform is read-only, customers still pay by card and the webhook records it; a second payment of a paid invoice is refused', async () => {
    const inv = await issue();
    is(await m.api('PUT', '/api/v1/platform/read-only', { enabled: true, message: { fr: 'Maintenance.', en: 'Maintenance.' } }), 200);
    try {
      const first = is(await start(inv.number), 201);
      const second = is(await start(inv.id), 201);
      assert.equal(second.providerId, first.providerId);
      const paid = await stripe.pay(first.providerId, 'tok_visa');
      assert.equal(is(await stripe.deliver('checkout.session.completed', paid), 200).outcome, 'recorded');
      assert.equal((await show(inv.id)).status, 'paid');
      // a payment made on another page for the same invoice (say, before its balance changed): not recorded twice over
      const other = { ...paid, id: 'cs_test_other', payment_intent: 'pi_other_payment' };
      is(await stripe.deliver('checkout.session.completed', other), 409, 'payment.exceeds_balance');
      assert.equal((await payments(inv.id)).length, 1);
    } finally {
      is(await m.api('PUT', '/api/v1/platform/read-only', { enabled: false }), 200);
    }
  });

  test('customer B cannot start paying A\'s invoice (404), nor pay it through a webhook of its own', async () => {
    const inv = await issue();
    is(await start(inv.id, b.token), 404, 'invoice.not_found');
    is(await start(inv.number, b.token), 404, 'invoice.not_found');
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/card-refund`, {}, { token: b.token }), 403, 'auth.staff_only');
    const anonymous = await m.api('POST', `/api/v1/invoices/${inv.id}/card-payment`, undefined, { token: null });
    is(anonymous, 401, 'auth.unauthenticated');
  });

  test('staff refund a credited invoice\'s card payment through Stripe; its webhook then changes nothing', async () => {
    const inv = await issue();
    const { providerId } = is(await start(inv.number), 201);
    const paid = await stripe.pay(providerId, 'tok_visa');
    is(await stripe.deliver('checkout.session.completed', paid), 200);
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/card-refund`, {}), 409, 'payment.refund_not_due');
    const credit = is(await m.api('POST', `/api/v1/invoices/${inv.id}/credit`, { reason: 'Service jamais livré' }), 201);
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/card-refund`, { amountCents: 1201 }), 409, 'payment.exceeds_refund_due');
    const refunded = is(await m.api('POST', `/api/v1/invoices/${credit.number}/card-refund`, {}), 201);
    assert.equal(refunded.status, 'succeeded');
    assert.deepEqual([refunded.recorded.payment.amountCents, refunded.recorded.payment.method, refunded.recorded.payment.creditNote.number], [-1200, 'card', credit.number]);
    assert.equal(stripe.refunds.at(-1)!.payment_intent, paid.payment_intent);
    assert.equal(stripe.refunds.at(-1)!.amount, '1200');
    const now = await show(inv.id);
    assert.deepEqual([now.status, now.paidCents, now.balanceCents], ['credited', 0, 0]);
    const event = { id: refunded.providerId, object: 'refund', amount: 1200, currency: 'eur', status: 'succeeded', payment_intent: paid.payment_intent, metadata: { abri_invoice_id: inv.id, abri_credit_note: credit.number, abri_platform: m.manager.app.config.publicUrl } };
    assert.equal(is(await stripe.deliver('refund.updated', event), 200).outcome, 'replayed');
    assert.equal((await payments(inv.id)).length, 2);
    const receipts = (await receiptsTo(m, 'owner@alpha.test')).filter((r) => r.text.includes(inv.number));
    assert.equal(receipts.length, 2, 'a receipt for the payment, one for the refund (its webhook replayed: none more)');
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/card-refund`, {}), 409, 'payment.refund_not_due');
  });
});

describe('card payments without Stripe keys', () => {
  let m: TestManager;
  before(async () => {
    m = await startTestManager();
  });
  after(async () => m?.close());

  test('no card is offered, and asking for one says so', async () => {
    assert.deepEqual(is(await m.api('GET', '/api/v1/payments/options'), 200), { card: false, provider: null });
    is(await m.api('POST', '/api/v1/invoices/F2026-000001/card-payment'), 404, 'invoice.not_found');
    const { hosting } = await seedHosting(m);
    is(await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon' }), 200);
    const inv = is(await m.api('POST', '/api/v1/invoices', { hostingId: hosting.id }), 201);
    is(await m.api('POST', `/api/v1/invoices/${inv.id}/card-payment`), 409, 'payment.card_unavailable');
    is(await m.api('POST', '/api/v1/payments/stripe/webhook', { id: 'evt_1', type: 'checkout.session.completed' }, { token: null }), 409, 'payment.card_unavailable');
  });
});
