// Row types of billing (0037-billing): seller settings, services, invoice counters and invoices.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './schema.js';

export type VatMode = 'vat' | 'franchise' | 'nonprofit';

export interface BillingSettingsTable {
  id: Generated<boolean>;
  name: string;
  address: string;
  registration: string;
  vatNumber: string;
  email: string;
  vatMode: VatMode;
  defaultVatRateBp: number;
  paymentTerms: string;
  latePayment: string;
  paymentDays: number;
  renewalDays: number;
  updatedAt: Timestamp;
}

export interface ServicesTable {
  hostingId: string;
  dueDate: ColumnType<string, string, string>;
  /** the day the renewals job terminates its hosting; no period starting on or after it is renewed (migration 0044) */
  endsOn: Generated<string | null>;
  endMode: Generated<'term' | 'early' | null>;
  endRequestedAt: Generated<Date | string | null>;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface InvoiceCountersTable {
  series: string;
  last: number;
}

export type InvoiceKind = 'invoice' | 'proforma' | 'credit_note';

export interface InvoicesTable {
  id: Generated<string>;
  kind: InvoiceKind;
  series: string;
  seq: number;
  number: string;
  customerId: string;
  hostingId: string | null;
  creditsId: string | null;
  issuedAt: Date | string;
  issueDate: ColumnType<string, string, string>;
  paymentDue: ColumnType<string, string, string>;
  periodStart: ColumnType<string | null, string | null, string | null>;
  periodEnd: ColumnType<string | null, string | null, string | null>;
  currency: string;
  locale: 'fr' | 'en';
  lines: ColumnType<unknown, string, string>;
  totalExCents: number;
  vatCents: number;
  totalCents: number;
  seller: ColumnType<unknown, string, string>;
  buyer: ColumnType<unknown, string, string>;
  mentions: ColumnType<unknown, string, string>;
  reason: Generated<string>;
}
