// Row types of orders (0050-orders): an offer ordered by a customer, its invoice and the hosting made.
import type { Generated } from 'kysely';
import type { Timestamp } from './schema.js';

export type OrderState = 'awaiting_payment' | 'paid' | 'provisioned' | 'cancelled' | 'failed';

export interface OrdersTable {
  id: Generated<string>;
  number: Generated<number>;
  customerId: string;
  offerId: string;
  offerName: string;
  priceCents: number;
  currency: string;
  billingCycle: 'monthly' | 'quarterly' | 'yearly';
  domain: string | null;
  state: OrderState;
  error: Generated<string>;
  invoiceId: string;
  hostingId: string | null;
  orderedBy: string;
  createdAt: Date | string;
  paidAt: Date | string | null;
  provisionedAt: Date | string | null;
  cancelledAt: Date | string | null;
  updatedAt: Timestamp;
}
