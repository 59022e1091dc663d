// Orders as the API shows them: what may be ordered (the public list of orderable offers), an order
// placed by a customer's owner or by staff, an order with a new account (the public order page).
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { email, multiLine, password, reference, singleLine } from '../platform/validation.js';
import { domainName } from '../platform/validation.js';
import { billingCycles } from '../offers/rules.js';
import { locale } from '../accounts/model.js';
import { meOut } from '../accounts/model.js';
import type { OrderRow } from './store-orders.js';

export const orderStates = ['awaiting_payment', 'paid', 'provisioned', 'cancelled', 'failed'] as const;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const orderableOfferOut = z.object({
  id: z.string(),
  name: z.string(),
  priceCents: z.number().int().describe('price per billing cycle, before VAT'),
  currency: z.string(),
  billingCycle: z.enum(billingCycles),
  diskMb: z.number().int(),
  maxSites: z.number().int(),
  maxMailboxes: z.number().int(),
  maxDatabases: z.number().int(),
  sshAllowed: z.boolean(),
  tlsAllowed: z.boolean(),
});

const orderFields = {
  offerId: reference(100).describe('an orderable offer (id or name)'),
  domain: domainName.optional().describe('the first site\'s domain, made with the hosting (refused when another site holds it)'),
};

export const orderCreate = z.strictObject({
  ...orderFields,
  customerId: reference(64).optional().describe('the customer (id or number): required for staff; a customer\'s owner may omit it when they act for one customer only'),
});
export type OrderCreate = z.output<typeof orderCreate>;

export const orderSignup = z.strictObject({
  ...orderFields,
  email,
  password,
  name: singleLine(200).describe('the customer\'s name (person, association, company): printed on its invoices'),
  postalAddress: multiLine(1000).describe('billing address, several lines'),
  locale: locale.default('fr'),
});
export type OrderSignup = z.output<typeof orderSignup>;

export const orderOut = z.object({
  id: z.string(),
  number: z.number().int(),
  customer: z.object({ id: z.string(), number: z.number().int(), name: z.string() }),
  offerId: z.string(),
  offer: z.string().describe('the offer\'s name when ordered'),
  priceCents: z.number().int().describe('the price when ordered, per billing cycle, before VAT'),
  currency: z.string(),
  billingCycle: z.enum(billingCycles),
  domain: z.string().nullable(),
  state: z.enum(orderStates).describe('awaiting_payment → paid → provisioned; cancelled (by its customer, staff, or unpaid after the seller\'s orderDays); failed: provisioning failed (error), staff retry'),
  error: z.string().describe('why provisioning failed (staff only; empty otherwise)'),
  invoice: z.object({ id: z.string(), number: z.string(), totalCents: z.number().int(), paidCents: z.number().int() }),
  hosting: z.object({ id: z.string(), name: z.string() }).nullable().describe('the hosting made once paid'),
  orderedBy: z.string(),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  provisionedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});
export type OrderView = z.infer<typeof orderOut>;

export const orderListQuery = listQuery.extend({
  state: z.enum(orderStates).optional(),
  customerId: z.uuid().optional().describe('one customer\'s orders'),
});

export const orderSignedUp = z.object({ me: meOut, order: orderOut });

export function orderView(o: OrderRow, staff: boolean): OrderView {
  return {
    id: o.id, number: Number(o.number), customer: { id: o.customerId, number: Number(o.customerNumber), name: o.customerName }, offerId: o.offerId, offer: o.offerName,
    priceCents: o.priceCents, currency: o.currency, billingCycle: o.billingCycle, domain: o.domain, state: o.state, error: staff ? o.error : '',
    invoice: { id: o.invoiceId, number: o.invoiceNumber, totalCents: Number(o.invoiceTotalCents), paidCents: Number(o.invoicePaidCents) },
    hosting: o.hostingId && o.hostingName ? { id: o.hostingId, name: o.hostingName } : null, orderedBy: staff ? o.orderedBy : '',
    createdAt: iso(o.createdAt)!, paidAt: iso(o.paidAt), provisionedAt: iso(o.provisionedAt), cancelledAt: iso(o.cancelledAt),
  };
}
