// What the billing tests set up again and again, once: an answer checked for its status (and code),
// the seller filled in, an offer with a price, a customer with its owner and hostings, the jobs run
// after the clock moved, and the receipts the outbox holds for an address.
import assert from 'node:assert/strict';
import type { ManualClock } from '../../src/platform/clock.js';
import type { Answer, TestManager } from './manager.js';

/** The answer's body, once its status (and problem code) are the ones expected. */
export const is = (a: Pick<Answer, 'status' | 'body'>, status: number, code?: string) => {
  assert.equal(a.status, status, typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
  if (code) assert.equal(a.body.code, code);
  return a.body;
};

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The seller most tests bill as (a name and an address: enough to issue invoices). */
export const SELLER = { name: 'Hébergeurs Associés', address: '12 place de la Mairie\n69001 Lyon' };

/** Fills in the seller's settings: its name and address, and whatever else is given. */
export async function fillSeller(m: TestManager, extra: Record<string, unknown> = {}) {
  return is(await m.api('PATCH', '/api/v1/billing/seller', { ...SELLER, ...extra }), 200);
}

/** A monthly offer with a price (and whatever else is given); answers its id. */
export async function pricedOffer(m: TestManager, name: string, priceCents: number, extra: Record<string, unknown> = {}): Promise<string> {
  return is(await m.api('POST', '/api/v1/offers', { name, priceCents, billingCycle: 'monthly', ...extra }), 201).id;
}

export interface BilledCustomer {
  customer: string;
  token: string;
  /** the first hosting's id and name */
  hosting: string;
  name: string;
  /** every hosting's id, by the name asked for (or h1, h2…) */
  hostings: Record<string, string>;
}

/**
 * A customer with its contact address and postal address, the owner `email` (in `locale` when given)
 * and `hostings` hostings of `offerId` (one by default; names are keys of `hostings`).
 */
export async function billedCustomer(m: TestManager, name: string, email: string, offerId: string, opts: { locale?: 'fr' | 'en'; hostings?: string[] } = {}): Promise<BilledCustomer> {
  const c = is(await m.api('POST', '/api/v1/customers', { name, contactEmail: email, postalAddress: `1 rue de ${name}\n75001 Paris` }), 201);
  const u = await m.user(email);
  if (opts.locale) is(await m.api('PATCH', '/api/v1/me', { locale: opts.locale }, { token: u.token }), 200);
  is(await m.join(c.id, email, 'owner'), 201);
  const hostings: Record<string, string> = {};
  let first: { id: string; name: string } | undefined;
  for (const key of opts.hostings ?? ['h1']) {
    const h = is(await m.api('POST', '/api/v1/hostings', { customerId: c.id, offerId }), 201);
    hostings[key] = h.id;
    first ??= h;
  }
  return { customer: c.id, token: u.token, hosting: first!.id, name: first!.name, hostings };
}

/** Moves the clock on, then runs the jobs due. */
export const jobsAfter = (m: () => TestManager, clock: ManualClock) => async (ms: number) => {
  clock.advance(ms);
  await m().manager.jobs.runDue();
};

/** The receipts queued for an address, oldest first, with their text (staff read them, links masked). */
export async function receiptsTo(m: TestManager, email: string): Promise<Array<{ subject: string; text: string; locale: string }>> {
  const page = is(await m.api('GET', `/api/v1/outbox?template=receipt&q=${encodeURIComponent(email)}&sort=createdAt&limit=100`), 200);
  const mine = page.items.filter((x: { recipient: string }) => x.recipient === email);
  return Promise.all(mine.map(async (x: { id: string }) => is(await m.api('GET', `/api/v1/outbox/${x.id}`), 200)));
}

/** The seller filled in, an offer of `priceCents` a month, a customer (no user) with one hosting, and the hosting's first invoice. */
export async function invoicedHosting(m: TestManager, priceCents: number) {
  await fillSeller(m);
  const offer = await pricedOffer(m, 'Asso', priceCents);
  const customer = is(await m.api('POST', '/api/v1/customers', { name: 'Club Photo', contactEmail: 'club@photo.test', postalAddress: '2 rue du Club\n31000 Toulouse' }), 201);
  const hosting = is(await m.api('POST', '/api/v1/hostings', { customerId: customer.id, offerId: offer }), 201);
  const invoice = is(await m.api('POST', '/api/v1/invoices', { hostingId: hosting.id }), 201);
  return { customer: customer as { id: string; number: number }, hosting: hosting as { id: string; name: string }, invoice: invoice as { id: string; number: string } };
}
