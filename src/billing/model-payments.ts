// Payments as the API shows them: money received for an invoice, or paid back for a credited one.
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { singleLine } from '../platform/validation.js';
import type { PaymentMethod } from '../platform/db/schema-billing.js';
import type { PaymentRow } from './store-payments.js';
import { staffMethods } from './rules-payments.js';

export const paymentMethods = ['card', 'transfer', 'cheque', 'cash', 'other'] as const satisfies readonly PaymentMethod[];
const day = z.iso.date().describe('YYYY-MM-DD (UTC)');

export const paymentOut = z.object({
  id: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  customerId: z.string(),
  amountCents: z.number().int().describe('received (> 0), or refunded (< 0: a refund of a credited invoice)'),
  currency: z.string(),
  method: z.enum(paymentMethods),
  provider: z.string().nullable().describe('the payment provider that recorded it (stripe…); null: recorded by staff'),
  providerId: z.string().nullable().describe('the provider\'s id of the payment or refund (unique per provider)'),
  reference: z.string().describe('the cheque\'s number, the transfer\'s reference…'),
  receivedOn: day.describe('the day the money was received (or paid back)'),
  creditNote: z.object({ id: z.string(), number: z.string() }).nullable().describe('a refund: the credit note that cancelled the invoice'),
  recordedBy: z.string().describe('who recorded it: a user\'s e-mail, or the provider (customers see only a provider\'s name, else empty)'),
  createdAt: z.string(),
});
export type PaymentView = z.infer<typeof paymentOut>;

export const paymentView = (r: PaymentRow): PaymentView => ({
  id: r.id, invoiceId: r.invoiceId, invoiceNumber: r.invoiceNumber, customerId: r.customerId, amountCents: r.amountCents, currency: r.currency,
  method: r.method, provider: r.provider, providerId: r.providerId, reference: r.reference, receivedOn: r.receivedOn,
  creditNote: r.creditNoteId ? { id: r.creditNoteId, number: r.creditNoteNumber! } : null, recordedBy: r.recordedBy, createdAt: new Date(r.createdAt).toISOString(),
});

const amount = z.number().int().min(1).max(99_999_999_999);
const reference = singleLine(140, 0).default('').describe('the cheque\'s number, the transfer\'s reference as the bank shows it…');

export const paymentRecord = z.strictObject({
  amountCents: amount.describe('received, in cents (at most the invoice\'s balance)'),
  method: z.enum(staffMethods),
  reference,
  receivedOn: day.optional().describe('the day it was received; default today'),
});

export const refundRecord = z.strictObject({
  amountCents: amount.describe('paid back, in cents (at most what was paid on the credited invoice)'),
  method: z.enum(staffMethods),
  reference,
  receivedOn: day.optional().describe('the day it was paid back; default today'),
});

export const paymentListQuery = listQuery.extend({
  customerId: z.uuid().optional(),
  method: z.enum(paymentMethods).optional(),
  provider: z.string().max(32).optional(),
});
