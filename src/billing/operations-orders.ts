// The verbs of orders. A customer's owner (or staff for a customer) orders an offer: the order is
// written with the offer's price and cycle as they are, and the invoice of its first period is issued
// at once (the existing numbering, sent by e-mail); the customer pays it like any invoice. Paid, the
// order is provisioned (operations-order-provision.ts). An order awaiting payment with nothing paid
// yet is cancelled by its customer, staff, or the expiry job; its invoice is then credited.
import type { AppContext } from '../platform/context.js';
import { assertCanSee, customerScope, isStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { OrderState } from '../platform/db/schema-orders.js';
import { findCustomer } from '../accounts/store-customers.js';
import { customerSubject } from '../accounts/rules.js';
import type { CustomerRow } from '../accounts/model-customers.js';
import { findOffer } from '../offers/store.js';
import { assertSiteNameFree } from '../hosting/operations-sites.js';
import { addCycle, addDays, creditLines, dayOf, lineOf, totalsOf, vatRateOf } from './rules.js';
import { mentionsOf, sellerParty, sellerReady, writeDocument } from './operations-issue.js';
import { creditIn } from './operations-credit.js';
import { formatDay } from './render-invoice.js';
import { buyerOf, findInvoice } from './store-invoices.js';
import { orderView, type OrderCreate, type OrderView } from './model-orders.js';
import { findOrder, insertOrder, listOrders, orderableOffers, updateOrder, type OrderRow } from './store-orders.js';

/** What anyone may order (the public order page). */
export async function listOrderableOffers(app: AppContext) {
  return orderableOffers(app.db);
}

const notOrderable = (offer: string) =>
  new AppError('order.offer_not_orderable', `the offer "${offer}" cannot be ordered`, { params: { offer }, issues: [{ code: 'order.offer_not_orderable', path: 'body.offerId', message: 'not offered to order' }] });

/** "Hébergement exemple.fr — offre « Pro », du 01/03/2026 au 31/03/2026" (the period's last day included). */
function orderLine(offer: string, domain: string | null, start: string, end: string, l: 'fr' | 'en'): string {
  const [from, to] = [formatDay(start, l), formatDay(addDays(end, -1), l)];
  const of = domain ? ` ${domain}` : '';
  return l === 'fr' ? `Hébergement${of} — offre « ${offer} », du ${from} au ${to}` : `Hosting${of}, offer "${offer}", ${from} to ${to}`;
}

/**
 * In the caller's change (which decided who may): the order of an offer for a customer, and the
 * invoice of its first period, issued now. Staff may order any priced offer that is not archived;
 * customers only orderable ones.
 */
export async function placeOrderIn(
  c: Change, customer: CustomerRow, input: { offerId: string; domain?: string }, orderedBy: string, audit: { action: string; after?: Record<string, unknown> } = { action: 'order.create' },
): Promise<OrderView> {
  const offer = await findOffer(c.db, input.offerId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'offer.not_found') throw fieldError('offer.not_found', 'body.offerId', 'no such offer');
    throw e;
  });
  if (offer.archived || offer.priceCents <= 0 || (!offer.orderable && !isStaff(c.actor))) throw notOrderable(offer.name);
  if (customer.status === 'closed') throw new AppError('customer.closed', 'this customer account is closed: it gets no new hosting');
  const domain = input.domain ?? null;
  if (domain) await assertSiteNameFree(c, customer.id, domain);
  const seller = await sellerReady(c);
  const today = dayOf(c.now);
  const periodEnd = addCycle(today, offer.billingCycle);
  const { locale, ...buyer } = await buyerOf(c.db, customer.id);
  const lines = [lineOf(orderLine(offer.name, domain, today, periodEnd, locale), 1, offer.priceCents, vatRateOf(seller, offer.vatRateBp))];
  const invoice = await writeDocument(c, {
    kind: 'invoice', customerId: customer.id, hostingId: null, creditsId: null, paymentDue: addDays(today, seller.paymentDays), periodStart: today, periodEnd,
    currency: offer.currency, locale, lines, ...totalsOf(lines), seller: sellerParty(seller), buyer, mentions: mentionsOf(seller, locale), reason: '',
  }, { audit: false }); // one entry for the change: the order's, naming its invoice
  const id = await insertOrder(c.db, {
    customerId: customer.id, offerId: offer.id, offerName: offer.name, priceCents: offer.priceCents, currency: offer.currency, billingCycle: offer.billingCycle,
    domain, invoiceId: invoice.id, orderedBy,
  }, c.now);
  const order = await findOrder(c.db, id, null);
  await c.audit({
    action: audit.action, targetType: 'order', targetId: id, target: String(order.number), customerId: customer.id,
    after: { offer: offer.name, priceCents: offer.priceCents, billingCycle: offer.billingCycle, domain, invoice: invoice.number, ...audit.after },
  });
  return orderView(order, isStaff(c.actor));
}

/** The customer an order is for: staff name it; a customer's user names one of theirs, or has only one. */
async function orderingCustomer(c: Change, caller: Caller, ref: string | undefined): Promise<CustomerRow> {
  const scope = customerScope(caller.actor);
  if (ref) return findCustomer(c.db, ref, scope);
  if (scope?.length === 1) return findCustomer(c.db, scope[0]!, scope);
  throw fieldError('order.customer_required', 'body.customerId', scope ? 'you act for several customers: say which one orders' : 'say which customer orders');
}

/** A customer's owner orders an offer; staff order for a customer (then record its payment the usual way). */
export function placeOrder(app: AppContext, caller: Caller, input: OrderCreate) {
  return change(app, caller, async (c) => {
    const customer = await orderingCustomer(c, caller, input.customerId);
    c.may(customerSubject(customer, 'order'), 'own');
    return placeOrderIn(c, customer, input, caller.actor?.email ?? caller.label ?? 'system');
  });
}

export async function listOrdersOf(app: AppContext, caller: Caller, filter: { state?: OrderState; customerId?: string }, query: ListQuery) {
  reader(app, caller); // the scope below is the decision: a customer's users list only theirs
  if (filter.customerId) assertCanSee(caller.actor, filter.customerId, 'customer');
  const page = await listOrders(app.db, customerScope(caller.actor), filter, query);
  const staff = isStaff(caller.actor);
  return { ...page, items: page.items.map((o) => orderView(o, staff)) };
}

export async function showOrder(app: AppContext, caller: Caller, ref: string) {
  const o = await findOrder(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may({ what: 'order', customerId: o.customerId });
  return orderView(o, isStaff(caller.actor));
}

/**
 * Cancels an order (locked by the caller) in the caller's change: only while it awaits payment and
 * nothing was paid on its invoice; its invoice is credited in full (the existing credit note).
 */
export type CancelWhy = { by: 'customer' | 'staff' } | { by: 'expiry'; days: number };

/** The credit note's reason, in its invoice's language. */
const cancelReason = (n: number, why: CancelWhy, l: 'fr' | 'en') =>
  why.by === 'expiry'
    ? l === 'fr' ? `Commande ${n} non payée après ${why.days} jours` : `Order ${n} unpaid after ${why.days} days`
    : l === 'fr' ? `Commande ${n} annulée${why.by === 'customer' ? ' par le client' : ''}` : `Order ${n} cancelled${why.by === 'customer' ? ' by the customer' : ''}`;

export async function cancelIn(c: Change, o: OrderRow, why: CancelWhy): Promise<void> {
  if (o.state !== 'awaiting_payment' || Number(o.invoicePaidCents) !== 0) {
    throw new AppError('order.not_cancellable', `order ${o.number} is ${o.state.replace('_', ' ')}${o.state === 'awaiting_payment' ? ', with a payment recorded' : ''}: it cannot be cancelled`, {
      params: { number: Number(o.number), state: o.state },
    });
  }
  const { locale } = await findInvoice(c.db, o.invoiceId, null);
  const reason = cancelReason(Number(o.number), why, locale);
  await creditIn(c, o.invoiceId, reason, (inv) => creditLines(inv.lines), { audit: false });
  await updateOrder(c.db, o.id, { state: 'cancelled', cancelledAt: c.now }, c.now);
  await c.audit({ action: 'order.cancel', targetType: 'order', targetId: o.id, target: String(o.number), customerId: o.customerId, before: { state: o.state }, after: { state: 'cancelled', reason } });
}

/** Its customer's owner or staff cancel an unpaid order. */
export function cancelOrder(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const o = await findOrder(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may({ what: 'order', customerId: o.customerId }, 'own');
    await cancelIn(c, o, { by: isStaff(caller.actor) ? 'staff' : 'customer' });
    return orderView(await findOrder(c.db, o.id, null), isStaff(caller.actor));
  });
}
