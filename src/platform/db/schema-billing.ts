// Row types of billing (0037-billing, 0043-payments): seller settings, services, invoice counters,
// invoices and their payments.
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
  /** bank details for transfers (0043): empty when not set */
  iban: Generated<string>;
  bic: Generated<string>;
  updatedAt: Timestamp;
  // 0045-billing-exports: the FEC's accounts and SIREN, the Factur-X option
  customerAccount: Generated<string>;
  revenueAccount: Generated<string>;
  vatAccount: Generated<string>;
  siren: Generated<string>;
  facturX: Generated<boolean>;
  // 0048-billing-bank-journal: the bank journal's account
  bankAccount: Generated<string>;
  /** 0050-orders: days an unpaid order waits before it is cancelled */
  orderDays: Generated<number>;
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

export type PaymentMethod = 'card' | 'transfer' | 'cheque' | 'cash' | 'other';

/** Money received for an invoice (amount > 0) or paid back for it (a refund: < 0, with its credit note). Rows never change. */
export interface PaymentsTable {
  id: Generated<string>;
  invoiceId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  method: PaymentMethod;
  provider: string | null;
  providerId: string | null;
  reference: Generated<string>;
  receivedOn: ColumnType<string, string, string>;
  creditNoteId: string | null;
  recordedById: string | null;
  recordedBy: string;
  createdAt: Date | string;
}
