// The verbs of card payments through a provider (Stripe): a customer's user starts paying an
// invoice's balance (nothing is recorded then: the provider's page takes the card), the provider's
// signed webhook records the payment (once, however often it is delivered), staff refund a credited
// invoice's card payment through the provider. Talking to the provider is never done inside a
// transaction: it happens before the change that records what it answered.
import type { AppContext } from '../platform/context.js';
import { assertStaff, customerScope, systemCaller, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { decide } from '../platform/policy.js';
import { AppError } from '../platform/errors.js';
import { invoiceView, type InvoiceView } from './model.js';
import { dayOf } from './rules.js';
import { findInvoice } from './store-invoices.js';
import { paymentsOfInvoice } from './store-payments.js';
import { recordPayment, recordRefund, refundDue, type Recorded } from './operations-payments.js';
import type { PaymentProvider, ProviderEvent, WebhookDelivery } from './provider.js';
import type { StripeProvider } from './provider-stripe.js';

const providers = new WeakMap<AppContext, Promise<StripeProvider>>();

/**
 * The platform's card provider, or null when none is set up (no ABRI_STRIPE_SECRET_KEY). The Stripe SDK
 * is loaded the first time it is needed: a manager that takes no card never loads it.
 */
function cardProvider(app: AppContext): Promise<StripeProvider> | null {
  const settings = app.config.stripe;
  if (!settings) return null;
  let p = providers.get(app);
  if (!p) providers.set(app, (p = import('./provider-stripe.js').then(({ StripeProvider }) => new StripeProvider(settings, app.clock, app.config.publicUrl))));
  return p;
}

async function requireCard(app: AppContext): Promise<StripeProvider> {
  const p = cardProvider(app);
  if (!p) throw new AppError('payment.card_unavailable', 'this platform takes no card payments (no Stripe key is set up): pay by bank transfer with the invoice\'s reference', { params: {} });
  return p;
}

/** Which online methods the platform offers (any signed-in user). */
export function cardOptions(app: AppContext, caller: Caller) {
  reader(app, caller); // nothing of a customer's is read: the answer is the platform's
  const card = !!app.config.stripe;
  return { card, provider: card ? 'stripe' : null };
}

/** Refuses what cannot be paid online: not an invoice, credited, nothing left to pay. */
function assertPayable(inv: InvoiceView): void {
  if (inv.kind !== 'invoice') throw new AppError('payment.not_payable', `${inv.number} is a ${inv.kind.replace('_', ' ')}: only invoices are paid`, { params: { number: inv.number, kind: inv.kind } });
  if (inv.creditedBy) throw new AppError('payment.invoice_credited', `${inv.number} is credited by ${inv.creditedBy.number}: nothing is owed on it`, { params: { number: inv.number, creditNote: inv.creditedBy.number } });
  if (inv.balanceCents <= 0) throw new AppError('payment.nothing_due', `${inv.number} is paid: nothing is left to pay`, { params: { number: inv.number, status: inv.status ?? '' } });
}

/**
 * Starts paying an invoice's balance by card: answers the provider's page to send the payer to. The
 * same balance gives the same page (the provider's idempotency key), so a second click pays nothing twice.
 */
export async function startCardPayment(app: AppContext, caller: Caller, ref: string) {
  const row = await findInvoice(app.db, ref, customerScope(caller.actor));
  const subject = { what: 'invoice', customerId: row.customerId };
  reader(app, caller).may(subject); // another customer's: not found, before anything else
  decide(caller.actor, subject, 'manage'); // a readonly user does not pay; a suspended account does (by its role alone)
  const provider = await requireCard(app);
  const inv = invoiceView(row);
  assertPayable(inv);
  const started = await provider.start(
    { id: inv.id, number: inv.number, customerId: inv.customerId, balanceCents: inv.balanceCents, currency: inv.currency, email: inv.buyer.email, locale: inv.locale, paymentReference: inv.paymentReference ?? inv.number },
    { returnUrl: `${app.config.publicUrl}/invoices/${inv.number}`, idempotencyKey: `abri-pay-${inv.id}-${inv.balanceCents}` },
  );
  app.log.info({ invoice: inv.number, provider: provider.name, providerId: started.providerId, balanceCents: inv.balanceCents }, 'card payment started');
  return { provider: provider.name, providerId: started.providerId, redirectUrl: started.redirectUrl ?? null, amountCents: inv.balanceCents, currency: inv.currency };
}

export type WebhookOutcome = 'recorded' | 'replayed' | 'failed' | 'ignored';

/** What a verified delivery did: the payment recorded now, already recorded before, a failure noted, or nothing. */
export async function receiveWebhook(app: AppContext, delivery: WebhookDelivery, address: string | null): Promise<{ received: true; outcome: WebhookOutcome; type: string }> {
  const provider = await requireCard(app);
  const event = await provider.parseWebhook(delivery); // nothing goes further unless the signature verifies
  if (event.kind === 'ignored') return { received: true, outcome: 'ignored', type: event.type };
  // the signature is the authorization; recording money received goes on while the platform is read-only
  const caller: Caller = { ...systemCaller(`${provider.name} webhook`, 'upkeep'), address };
  const recorded = await change(app, caller, async (c) => {
    c.anyone();
    const receivedOn = (day: string) => (day > dayOf(c.now) ? dayOf(c.now) : day);
    if (event.kind === 'payment_succeeded') {
      const { invoiceId, providerId, amountCents, currency, method, reference } = event;
      return recordPayment(c, { invoiceId, amountCents, currency, method, provider: provider.name, providerId, reference, receivedOn: receivedOn(event.receivedOn) });
    }
    if (event.kind === 'refund_succeeded') {
      const { invoiceId, providerId, amountCents, reference } = event;
      return recordRefund(c, { invoiceId, amountCents, method: 'card', provider: provider.name, providerId, reference, receivedOn: receivedOn(event.receivedOn) });
    }
    await noteFailure(c, provider, event);
    return null;
  });
  const outcome = !recorded ? 'failed' : recorded.replayed ? 'replayed' : 'recorded';
  return { received: true, outcome, type: event.kind };
}

/** A declined or failed payment records nothing: its reason goes to the invoice's audit trail. */
async function noteFailure(c: import('../platform/change.js').Change, provider: PaymentProvider, e: Extract<ProviderEvent, { kind: 'payment_failed' }>) {
  const inv = await findInvoice(c.db, e.invoiceId, null);
  await c.audit({ action: 'payment.card_failed', targetType: 'invoice', targetId: inv.id, target: inv.number, customerId: inv.customerId, after: { provider: provider.name, providerId: e.providerId, reason: e.reason } });
}

/**
 * Pays back (part of) the card payment of a credited invoice (named by itself or its credit note)
 * through the provider (staff), and records the refund when the provider says it is done; a refund
 * the provider still processes is recorded by its webhook.
 */
export async function refundCardPayment(app: AppContext, caller: Caller, ref: string, amount: number | undefined) {
  assertStaff(caller.actor);
  const provider = await requireCard(app);
  const named = await findInvoice(app.db, ref, null);
  const inv = invoiceView(named.kind === 'credit_note' ? await findInvoice(app.db, named.creditsId!, null) : named);
  const { creditNote, amountCents } = refundDue(inv, amount);
  const card = (await paymentsOfInvoice(app.db, inv.id)).filter((p) => p.provider === provider.name && p.amountCents >= amountCents).pop();
  if (!card?.providerId) throw new AppError('payment.no_card_payment', `${inv.number} has no ${provider.name} card payment of at least ${amountCents} cents to refund: record the refund by hand`, { params: { number: inv.number } });
  const started = await provider.refund({
    paymentProviderId: card.providerId, amountCents, currency: inv.currency, creditNote: creditNote.number, invoiceId: inv.id,
    idempotencyKey: `abri-refund-${inv.id}-${inv.paidCents}-${amountCents}`,
  });
  if (started.status === 'failed') throw new AppError('payment.provider_failed', `${provider.name} could not refund ${card.providerId}`, { params: { provider: provider.name, code: 'refund_failed' } });
  const recorded: Recorded | null = await change(app, caller, async (c) => {
    c.staffOnly();
    if (started.status === 'succeeded') {
      return recordRefund(c, { invoiceId: inv.id, amountCents, method: 'card', provider: provider.name, providerId: started.providerId, reference: card.providerId!, receivedOn: dayOf(c.now) });
    }
    // still processed by the provider: who asked is audited now, the refund is recorded by its webhook
    await c.audit({ action: 'payment.card_refund_asked', targetType: 'invoice', targetId: inv.id, target: inv.number, customerId: inv.customerId, after: { provider: provider.name, providerId: started.providerId, amountCents } });
    return null;
  });
  return { provider: provider.name, providerId: started.providerId, status: started.status, recorded };
}
