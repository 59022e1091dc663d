// The verbs of payments. `recordPayment` and `recordRefund` run inside the caller's change (a staff
// route, a provider's webhook, a job), which has made its authorization decision: they lock the
// invoice's row (two recordings of its last balance: the second waits, then sees the first), record
// a provider's payment once (its id is unique: a replayed webhook answers the first recording), refuse
// more than the balance, audit, and tell the `onInvoicePaid` hooks when an invoice becomes paid.
// Staff record cheques, cash and transfers by hand; customers see the payments of their invoices.
import type { AppContext } from '../platform/context.js';
import { assertStaff, customerScope, isStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { PaymentMethod } from '../platform/db/schema-billing.js';
import { invoiceView, type InvoiceView } from './model.js';
import { paymentView, type PaymentView } from './model-payments.js';
import { sendReceipt } from './operations-receipts.js';
import { dayOf } from './rules.js';
import { invoiceNumberOfRf } from './rules-payments.js';
import { findInvoice, lockInvoice } from './store-invoices.js';
import { insertPayment, listPayments, lockProviderId, paymentOfProvider, paymentsOfInvoice, type PaymentFilter, type PaymentRow } from './store-payments.js';

export interface PaymentInput {
  /** the invoice: its id, number (F2026-000123) or RF reference */
  invoiceId: string;
  /** received, in cents (> 0, at most the invoice's balance) */
  amountCents: number;
  method: PaymentMethod;
  /** the currency the provider received (refused when it is not the invoice's); default the invoice's */
  currency?: string;
  /** a provider's name (stripe…) and its id of this payment: recorded once per provider */
  provider?: string;
  providerId?: string;
  /** the cheque's number, the transfer's reference… */
  reference?: string;
  /** 'YYYY-MM-DD', not after today */
  receivedOn: string;
}

export interface Recorded {
  payment: PaymentView;
  /** the invoice after the payment (its paid amount, balance and status) */
  invoice: InvoiceView;
  /** true when the provider's payment was recorded before: nothing was written this time */
  replayed: boolean;
}

export type InvoicePaidHook = (c: Change, e: { invoice: InvoiceView; payment: PaymentView }) => Promise<void>;
const paidHooks = new Map<string, InvoicePaidHook>();

/**
 * Runs `hook` (by name: registering a name again replaces it) in the change of every payment that
 * makes an invoice paid in full: unsuspend a service, provision an order. A hook that throws rolls
 * the payment back with it, so a hook must only fail when the payment must not be recorded.
 */
export function onInvoicePaid(name: string, hook: InvoicePaidHook): () => void {
  paidHooks.set(name, hook);
  return () => {
    if (paidHooks.get(name) === hook) paidHooks.delete(name);
  };
}

const recorder = (c: Change, provider: string | undefined) => ({ recordedById: c.actor?.userId ?? null, recordedBy: provider ?? c.actor?.email ?? c.caller.label ?? 'system' });

function receivedDay(c: Change, receivedOn: string): string {
  const today = dayOf(c.now);
  if (receivedOn > today) throw new AppError('payment.in_future', `${receivedOn} is after today (${today}): record a payment once it is received`, { params: { receivedOn, today } });
  return receivedOn;
}

function checkInput(i: { amountCents: number; provider?: string; providerId?: string }): void {
  if (!Number.isSafeInteger(i.amountCents) || i.amountCents <= 0) throw new Error(`a payment's amount is a positive number of cents, not ${i.amountCents}`);
  if (!i.provider !== !i.providerId) throw new Error('a provider\'s payment needs both the provider and its id');
}

/** A provider's payment already recorded (replayed): for the same invoice, or refused when it names another. */
async function replayOf(c: Change, provider: string | undefined, providerId: string | undefined, invoiceId: string): Promise<PaymentRow | null> {
  if (!provider || !providerId) return null;
  const earlier = await paymentOfProvider(c.db, provider, providerId);
  if (earlier && earlier.invoiceId !== invoiceId) {
    throw new AppError('payment.provider_id_taken', `${provider} payment ${providerId} is recorded for ${earlier.invoiceNumber} already`, { params: { provider, providerId, number: earlier.invoiceNumber } });
  }
  return earlier ?? null;
}

/** Locks the invoice (and a provider's payment id) and reads it as it is once the lock is held. */
async function lockedInvoice(c: Change, ref: string, provider?: string, providerId?: string): Promise<InvoiceView> {
  if (provider && providerId) await lockProviderId(c.db, provider, providerId);
  const found = await findInvoice(c.db, ref, null);
  await lockInvoice(c.db, found.id);
  return invoiceView(await findInvoice(c.db, found.id, null));
}

/** Records money received for an invoice, in the caller's change (which decided who may). */
export async function recordPayment(c: Change, input: PaymentInput): Promise<Recorded> {
  checkInput(input);
  const inv = await lockedInvoice(c, input.invoiceId, input.provider, input.providerId);
  const earlier = await replayOf(c, input.provider, input.providerId, inv.id);
  if (earlier) {
    c.nothingToAudit();
    return { payment: paymentView(earlier), invoice: inv, replayed: true };
  }
  if (inv.kind !== 'invoice') throw new AppError('payment.not_payable', `${inv.number} is a ${inv.kind.replace('_', ' ')}: only invoices are paid`, { params: { number: inv.number, kind: inv.kind } });
  if (inv.creditedBy) throw new AppError('payment.invoice_credited', `${inv.number} is credited by ${inv.creditedBy.number}: nothing is owed on it`, { params: { number: inv.number, creditNote: inv.creditedBy.number } });
  const currency = input.currency?.toUpperCase() ?? inv.currency;
  if (currency !== inv.currency) throw new AppError('payment.currency_mismatch', `${inv.number} is in ${inv.currency}, not ${currency}`, { params: { number: inv.number, currency, invoiceCurrency: inv.currency } });
  if (input.amountCents > inv.balanceCents) {
    throw new AppError('payment.exceeds_balance', `${inv.number} has ${inv.balanceCents} cents left to pay: ${input.amountCents} is more`, { params: { number: inv.number, amountCents: input.amountCents, balanceCents: inv.balanceCents } });
  }
  const row = await insertPayment(c.db, {
    invoiceId: inv.id, customerId: inv.customerId, amountCents: input.amountCents, currency, method: input.method, provider: input.provider ?? null,
    providerId: input.providerId ?? null, reference: input.reference ?? '', receivedOn: receivedDay(c, input.receivedOn), creditNoteId: null, createdAt: c.now,
    ...recorder(c, input.provider),
  });
  const payment = paymentView(row);
  await c.audit({ action: 'payment.record', targetType: 'invoice', targetId: inv.id, target: inv.number, customerId: inv.customerId, before: { paidCents: inv.paidCents, status: inv.status }, after: auditOf(payment) });
  const invoice = invoiceView(await findInvoice(c.db, inv.id, null));
  await sendReceipt(c, invoice, payment);
  if (invoice.status === 'paid') for (const hook of paidHooks.values()) await hook(c, { invoice, payment });
  return { payment, invoice, replayed: false };
}

const auditOf = (p: PaymentView) => ({ amountCents: p.amountCents, currency: p.currency, method: p.method, provider: p.provider, providerId: p.providerId, reference: p.reference, receivedOn: p.receivedOn });

export type RefundInput = Omit<PaymentInput, 'currency'>;

/**
 * What may be paid back on an invoice: what was paid beyond what its credit notes (in full or in part)
 * leave owed, linked to its latest credit note; `amountCents` (default: all of it) checked against it.
 */
export function refundDue(inv: InvoiceView, amountCents?: number): { creditNote: { id: string; number: string }; amountCents: number } {
  const creditNote = inv.creditNotes.at(-1);
  const dueBack = -inv.balanceCents;
  if (!creditNote || dueBack <= 0) {
    throw new AppError('payment.refund_not_due', `${inv.number} owes no refund: only a credited invoice paid beyond what is still owed is refunded`, { params: { number: inv.number } });
  }
  const asked = amountCents ?? dueBack;
  if (asked > dueBack) {
    throw new AppError('payment.exceeds_refund_due', `${dueBack} cents are due back on ${inv.number}: ${asked} is more`, { params: { number: inv.number, amountCents: asked, refundDueCents: dueBack } });
  }
  return { creditNote, amountCents: asked };
}

/**
 * Records money paid back on a credited invoice (`invoiceId`: the invoice or one of its credit notes), in
 * the caller's change: a negative payment of the invoice, linked to its latest credit note, at most what
 * was paid beyond what is still owed.
 */
export async function recordRefund(c: Change, input: RefundInput): Promise<Recorded> {
  checkInput(input);
  const named = await findInvoice(c.db, input.invoiceId, null);
  const inv = await lockedInvoice(c, named.kind === 'credit_note' ? named.creditsId! : named.id, input.provider, input.providerId);
  const earlier = await replayOf(c, input.provider, input.providerId, inv.id);
  if (earlier) {
    c.nothingToAudit();
    return { payment: paymentView(earlier), invoice: inv, replayed: true };
  }
  const { creditNote } = refundDue(inv, input.amountCents);
  const row = await insertPayment(c.db, {
    invoiceId: inv.id, customerId: inv.customerId, amountCents: -input.amountCents, currency: inv.currency, method: input.method, provider: input.provider ?? null,
    providerId: input.providerId ?? null, reference: input.reference ?? '', receivedOn: receivedDay(c, input.receivedOn), creditNoteId: creditNote.id, createdAt: c.now,
    ...recorder(c, input.provider),
  });
  const payment = paymentView(row);
  await c.audit({ action: 'payment.refund', targetType: 'invoice', targetId: inv.id, target: inv.number, customerId: inv.customerId, before: { paidCents: inv.paidCents }, after: { ...auditOf(payment), creditNote: creditNote.number } });
  const invoice = invoiceView(await findInvoice(c.db, inv.id, null));
  await sendReceipt(c, invoice, payment);
  return { payment, invoice, replayed: false };
}

export interface StaffPayment {
  amountCents: number;
  method: PaymentMethod;
  reference: string;
  receivedOn?: string;
}

/** Staff record a cheque, cash or a transfer received for an invoice (id, number or RF reference). */
export function recordPaymentByStaff(app: AppContext, caller: Caller, ref: string, p: StaffPayment) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    if (/^rf/i.test(ref) && !invoiceNumberOfRf(ref)) {
      throw new AppError('payment.reference_invalid', `${ref} is not the RF reference of an invoice: its check digits or its form are wrong`, { params: { reference: ref } });
    }
    return recordPayment(c, { invoiceId: ref, ...p, receivedOn: p.receivedOn ?? dayOf(c.now) });
  });
}

/** Staff record money paid back on a credited invoice (named by itself or its credit note). */
export function recordRefundByStaff(app: AppContext, caller: Caller, ref: string, p: StaffPayment) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    return recordRefund(c, { invoiceId: ref, ...p, receivedOn: p.receivedOn ?? dayOf(c.now) });
  });
}

/** The payments and refunds of an invoice (its customer's users and staff), oldest first. */
export async function paymentsOf(app: AppContext, caller: Caller, ref: string): Promise<PaymentView[]> {
  const inv = await findInvoice(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may({ what: 'invoice', customerId: inv.customerId });
  const id = inv.kind === 'credit_note' ? inv.creditsId! : inv.id;
  const staff = isStaff(caller.actor);
  // customers are not told which staff member recorded what: only a provider's name
  return (await paymentsOfInvoice(app.db, id)).map(paymentView).map((p) => (staff ? p : { ...p, recordedBy: p.provider ?? '' }));
}

/** Every payment and refund (staff), newest first. */
export async function listPaymentsOf(app: AppContext, caller: Caller, filter: PaymentFilter, query: ListQuery) {
  assertStaff(caller.actor);
  const page = await listPayments(app.db, null, filter, query);
  return { ...page, items: page.items.map(paymentView) };
}
