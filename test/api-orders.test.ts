// Orders, on PGlite and PostgreSQL: the public list shows only orderable offers; a customer's owner
// orders (the first invoice issued at once, its domain checked like a site's); paying it makes the
// order paid and its job makes the hosting (and its first site), a service due at the end of the
// period paid, which the renewal job does not invoice again (it invoices the next one when due);
// two payments at once, a replayed provider payment and a job run again make one hosting; a
// cancelled order's invoice is credited and takes no payment; unpaid orders expire after the seller's
// orderDays (moved ManualClock); a new customer signs up with an order in one step (signed in),
// an e-mail already used is refused, signups are limited per address and can be switched off;
// staff order for a customer, a provisioning that fails is `failed` (its error for staff only) and
// retried; customer B never sees nor cancels A's orders.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ManualClock } from '../src/platform/clock.js';
import { systemCaller } from '../src/platform/actor.js';
import { change } from '../src/platform/change.js';
import { recordPayment } from '../src/billing/operations-payments.js';
import { provisionOrder } from '../src/billing/operations-order-provision.js';
import { startTestManager, type Answer, type TestManager } from './helpers/manager.js';
import { testDatabases } from './helpers/databases.js';

const is = (a: Answer, status: number, code?: string) => {
  assert.equal(a.status, status, JSON.stringify(a.body));
  if (code) assert.equal(a.body.code, code);
  return a.body;
};

for (const database of testDatabases()) describe(`orders (${database.name})`, () => {
  const clock = new ManualClock('2026-03-10T08:00:00Z');
  let m: TestManager;
  let a: { customer: string; token: string };
  let b: { customer: string; token: string; hosting: string };
  let asso: string;
  let hidden: string;
  const pay = (invoice: string, amountCents: number) => m.api('POST', `/api/v1/invoices/${invoice}/payments`, { method: 'transfer', amountCents, reference: 'virement' });
  const order = async (id: string, token?: string) => is(await m.api('GET', `/api/v1/orders/${id}`, undefined, { token }), 200);
  const hostingsOf = async (customerId: string) => (await m.manager.app.db.selectFrom('hostings').select(['id', 'name']).where('customerId', '=', customerId).execute());

  before(async () => {
    m = await startTestManager({ database, clock });
    asso = is(await m.api('POST', '/api/v1/offers', { name: 'Asso', priceCents: 1200, billingCycle: 'monthly', orderable: true }), 201).id;
    hidden = is(await m.api('POST', '/api/v1/offers', { name: 'Sur mesure', priceCents: 9000, billingCycle: 'yearly', maxSites: 5 }), 201).id;
    is(await m.api('POST', '/api/v1/offers', { name: 'Gratuite', priceCents: 0, orderable: true }), 201);
    const customer = async (name: string, email: string) => {
      const c = is(await m.api('POST', '/api/v1/customers', { name, contactEmail: email, postalAddress: `1 rue de ${name}\n75001 Paris` }), 201);
      const u = await m.user(email);
      is(await m.join(c.id, email, 'owner'), 201);
      return { customer: c.id as string, token: u.token };
    };
    a = await customer('Alpha', 'owner@alpha.test');
    const bb = await customer('Bravo', 'owner@bravo.test');
    const h = is(await m.api('POST', '/api/v1/hostings', { customerId: bb.customer, offerId: hidden }), 201);
    is(await m.api('POST', `/api/v1/hostings/${h.id}/sites`, { domain: 'bravo.test' }), 201);
    b = { ...bb, hosting: h.id };
  });
  after(async () => {
    await m?.close();
  });

  test('the public list shows orderable priced offers only; ordering needs the seller\'s settings', async () => {
    const list = is(await m.api('GET', '/api/v1/orders/offers', undefined, { token: null }), 200);
    assert.deepEqual(list.items.map((o: { name: string }) => o.name), ['Asso']);
    assert.deepEqual([list.items[0].priceCents, list.items[0].billingCycle, list.signup], [1200, 'monthly', true]);
    is(await m.api('POST', '/api/v1/orders', { offerId: asso }, { token: a.token }), 409, 'billing.seller_incomplete');
    is(await m.api('PATCH', '/api/v1/billing/seller', { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon', paymentDays: 15 }), 200);
  });

  test('an owner orders: the first invoice at once; the domain is checked like a site\'s; B sees none of it', async () => {
    is(await m.api('POST', '/api/v1/orders', { offerId: hidden }, { token: a.token }), 409, 'order.offer_not_orderable');
    is(await m.api('POST', '/api/v1/orders', { offerId: 'Gratuite' }, { token: a.token }), 409, 'order.offer_not_orderable');
    const taken = is(await m.api('POST', '/api/v1/orders', { offerId: asso, domain: 'bravo.test' }, { token: a.token }), 409, 'site.domain_taken');
    assert.equal(taken.errors[0].path, 'body.domain');
    is(await m.api('POST', '/api/v1/orders', { offerId: asso, domain: 'shop.bravo.test' }, { token: a.token }), 409, 'site.zone_taken');
    is(await m.api('POST', '/api/v1/orders', { offerId: asso, domain: 'not a domain' }, { token: a.token }), 400, 'request.validation');
    const o = is(await m.api('POST', '/api/v1/orders', { offerId: asso, domain: 'Alpha.TEST' }, { token: a.token }), 201);
    assert.deepEqual([o.state, o.domain, o.priceCents, o.billingCycle, o.hosting, o.customer.id], ['awaiting_payment', 'alpha.test', 1200, 'monthly', null, a.customer]);
    const inv = is(await m.api('GET', `/api/v1/invoices/${o.invoice.id}`, undefined, { token: a.token }), 200);
    assert.deepEqual([inv.status, inv.totalCents, inv.periodStart, inv.periodEnd, inv.hostingId], ['unpaid', 1200, '2026-03-10', '2026-04-10', null]);
    assert.match(inv.lines[0].description, /alpha\.test.*Asso/);
    // customer B: not found, not listed, not cancellable
    is(await m.api('GET', `/api/v1/orders/${o.id}`, undefined, { token: b.token }), 404, 'order.not_found');
    is(await m.api('GET', `/api/v1/orders/${o.number}`, undefined, { token: b.token }), 404, 'order.not_found');
    is(await m.api('POST', `/api/v1/orders/${o.id}/cancel`, undefined, { token: b.token }), 404, 'order.not_found');
    assert.equal(is(await m.api('GET', '/api/v1/orders', undefined, { token: b.token }), 200).total, 0);
    assert.equal(is(await m.api('GET', '/api/v1/orders', undefined, { token: a.token }), 200).total, 1);
    is(await m.api('POST', `/api/v1/orders/${o.id}/retry`, undefined, { token: a.token }), 403);
    is(await m.api('POST', '/api/v1/orders', { offerId: asso, customerId: a.customer }, { token: b.token }), 404, 'customer.not_found');
  });

  test('paid: the hosting and its site are made once; its service starts after the paid period, which is never invoiced again', async () => {
    const o = (await m.api('GET', '/api/v1/orders?state=awaiting_payment', undefined, { token: a.token })).body.items[0];
    is(await pay(o.invoice.number, 1200), 201);
    await m.manager.jobs.runDue();
    const done = await order(o.id, a.token);
    assert.equal(done.state, 'provisioned');
    assert.equal(done.error, '');
    const hostings = await hostingsOf(a.customer);
    assert.equal(hostings.length, 1);
    assert.equal(done.hosting.id, hostings[0]!.id);
    const sites = is(await m.api('GET', `/api/v1/hostings/${done.hosting.id}/sites`, undefined, { token: a.token }), 200);
    assert.deepEqual(sites.items.map((s: { domain: string }) => s.domain), ['alpha.test']);
    const svc = is(await m.api('GET', `/api/v1/hostings/${done.hosting.id}/service`, undefined, { token: a.token }), 200);
    assert.equal(svc.dueDate, '2026-04-10');
    // a job run again, a provisioning asked again: nothing more
    assert.equal(await provisionOrder(m.manager.app, o.id), false);
    await m.manager.jobs.runDue();
    assert.equal((await hostingsOf(a.customer)).length, 1);
    // the renewal job, now and until the renewal day: the paid period is not invoiced again
    const invoicesOf = async () => (await m.manager.app.db.selectFrom('invoices').select(['number', sql<string>`to_char(period_start, 'YYYY-MM-DD')`.as('start')]).where('hostingId', '=', done.hosting.id).execute());
    await m.manager.jobs.runDue();
    assert.deepEqual(await invoicesOf(), []);
    clock.set(new Date('2026-03-12T09:00:00Z')); // due 2026-04-10, renewal invoices 30 days before
    await m.manager.jobs.runDue();
    assert.deepEqual((await invoicesOf()).map((i) => i.start), ['2026-04-10'], 'the next period, once');
  });

  test('two payments at once, a replayed provider payment: one hosting', async () => {
    const o = is(await m.api('POST', '/api/v1/orders', { offerId: asso }, { token: a.token }), 201);
    const before = (await hostingsOf(a.customer)).length;
    const paid = await Promise.allSettled([1, 2, 3].map((n) => change(m.manager.app, systemCaller('stripe'), async (c) => {
      c.staffOnly();
      return recordPayment(c, { invoiceId: o.invoice.id, amountCents: 1200, method: 'card', provider: 'stripe', providerId: n === 3 ? 'pi_1' : `pi_${n}`, receivedOn: c.now.toISOString().slice(0, 10) });
    })));
    const ok = paid.filter((p) => p.status === 'fulfilled');
    assert.ok(ok.length >= 1 && ok.length <= 2, `one recording, and maybe its replay: ${paid.map((p) => (p.status === 'rejected' ? String(p.reason) : 'ok')).join(', ')}`);
    assert.ok(paid.filter((p) => p.status === 'rejected').every((p) => (p as PromiseRejectedResult).reason.code === 'payment.exceeds_balance'));
    await m.manager.jobs.runDue();
    assert.equal((await order(o.id)).state, 'provisioned');
    assert.equal((await hostingsOf(a.customer)).length, before + 1);
  });

  test('cancelled by its owner: the invoice is credited and takes no payment; a paid order is not cancelled', async () => {
    const o = is(await m.api('POST', '/api/v1/orders', { offerId: asso }, { token: a.token }), 201);
    const c = is(await m.api('POST', `/api/v1/orders/${o.id}/cancel`, undefined, { token: a.token }), 200);
    assert.equal(c.state, 'cancelled');
    assert.equal((await m.api('GET', `/api/v1/invoices/${o.invoice.id}`)).body.status, 'credited');
    is(await m.api('POST', `/api/v1/orders/${o.id}/cancel`, undefined, { token: a.token }), 409, 'order.not_cancellable');
    is(await pay(o.invoice.number, 1200), 409, 'payment.invoice_credited');
    const provisioned = (await m.api('GET', '/api/v1/orders?state=provisioned')).body.items[0];
    is(await m.api('POST', `/api/v1/orders/${provisioned.id}/cancel`), 409, 'order.not_cancellable');
  });

  test('unpaid orders are cancelled after the seller\'s orderDays', async () => {
    is(await m.api('PATCH', '/api/v1/billing/seller', { orderDays: 10 }), 200);
    const o = is(await m.api('POST', '/api/v1/orders', { offerId: asso }, { token: a.token }), 201);
    clock.set(new Date(clock.now().getTime() + 9 * 86_400_000));
    await m.manager.jobs.runDue();
    assert.equal((await order(o.id)).state, 'awaiting_payment');
    clock.set(new Date(clock.now().getTime() + 2 * 86_400_000));
    await m.manager.jobs.runDue();
    const gone = await order(o.id);
    assert.equal(gone.state, 'cancelled');
    assert.equal((await m.api('GET', `/api/v1/invoices/${o.invoice.id}`)).body.status, 'credited');
  });

  test('a new customer orders in one step and is signed in; a used e-mail is refused; limited per address; can be switched off', async () => {
    const body = { email: 'Claire@Jardins.test', password: 'correct horse battery', name: 'Les Jardins', postalAddress: '3 allée des Tilleuls\n75011 Paris', locale: 'fr', offerId: asso, domain: 'jardins.test' };
    const r = await m.api('POST', '/api/v1/orders/signup', body, { token: null });
    const s = is(r, 201);
    assert.match(r.headers.get('set-cookie') ?? '', /HttpOnly/i);
    assert.equal(s.me.user.email, 'claire@jardins.test');
    assert.deepEqual(s.me.customers.map((c: { role: string }) => c.role), ['owner']);
    assert.deepEqual([s.order.state, s.order.customer.name, s.order.domain], ['awaiting_payment', 'Les Jardins', 'jardins.test']);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
    const mine = await m.api('GET', '/api/v1/orders', undefined, { token: null, headers: { cookie } });
    assert.equal(is(mine, 200).items[0].id, s.order.id);
    for (const email of ['claire@jardins.test', 'owner@alpha.test']) {
      const e = is(await m.api('POST', '/api/v1/orders/signup', { ...body, email }, { token: null }), 409, 'order.email_unavailable');
      assert.equal(e.errors[0].path, 'body.email');
    }
    assert.equal((await m.manager.app.db.selectFrom('customers').select('id').where('name', '=', 'Les Jardins').execute()).length, 1, 'nothing half made');
    let limited: Answer | null = null;
    for (let n = 0; n < 5 && !limited; n++) {
      const t = await m.api('POST', '/api/v1/orders/signup', { ...body, email: `x${n}@jardins.test`, domain: undefined }, { token: null });
      if (t.status === 429) limited = t;
    }
    assert.ok(limited, 'signups slow down');
    assert.equal(limited.body.code, 'auth.rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    clock.set(new Date(clock.now().getTime() + 2 * 3_600_000));
    m.manager.app.config.ordersSignup = false;
    try {
      is(await m.api('POST', '/api/v1/orders/signup', { ...body, email: 'late@jardins.test' }, { token: null }), 404, 'order.signup_off');
      assert.equal(is(await m.api('GET', '/api/v1/orders/offers', undefined, { token: null }), 200).signup, false);
    } finally {
      m.manager.app.config.ordersSignup = true;
    }
  });

  test('staff order for a customer; a failed provisioning keeps its error for staff and is retried', async () => {
    is(await m.api('POST', '/api/v1/orders', { offerId: hidden }), 400, 'order.customer_required');
    const o = is(await m.api('POST', '/api/v1/orders', { offerId: hidden, customerId: b.customer, domain: 'later.test' }), 201);
    assert.equal(o.priceCents, 9000);
    // the domain is taken before the order is paid: its provisioning fails
    const blocker = is(await m.api('POST', `/api/v1/hostings/${b.hosting}/sites`, { domain: 'later.test' }), 201);
    is(await pay(o.invoice.number, 9000), 201);
    await m.manager.jobs.runDue();
    const failed = await order(o.id);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error, /later\.test/);
    assert.equal((await order(o.id, b.token)).error, '', 'the error is for staff');
    assert.equal(is(await m.api('GET', '/api/v1/orders?state=failed'), 200).total, 1);
    is(await m.api('DELETE', `/api/v1/sites/${blocker.id}`), 204);
    const again = is(await m.api('POST', `/api/v1/orders/${o.number}/retry`), 200);
    assert.equal(again.state, 'paid');
    is(await m.api('POST', `/api/v1/orders/${o.number}/retry`), 409, 'order.not_retryable');
    await m.manager.jobs.runDue();
    const done = await order(o.id, b.token);
    assert.equal(done.state, 'provisioned');
    assert.equal(done.hosting.name.length > 0, true);
  });
});
