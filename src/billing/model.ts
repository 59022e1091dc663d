// Billing as the API shows it: the seller's settings, a hosting's service, invoices and credit notes.
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';
import { multiLine, patchOf, ref, singleLine } from '../platform/validation.js';
import { billingCycles } from '../offers/rules.js';
import { vatModes, type InvoiceLine } from './rules.js';
import { accountingFields } from './model-exports.js';
import { BIC, ibanProblem, invoiceRf, invoiceStatuses, paymentState } from './rules-payments.js';
import { serviceEnding } from './model-lifecycle.js';

const day = z.iso.date().describe('YYYY-MM-DD (UTC)');
export const invoiceKinds = ['invoice', 'proforma', 'credit_note'] as const;

export const sellerFields = {
  name: singleLine(200, 0).describe('the seller\'s (the host\'s) legal name, printed on every invoice'),
  address: multiLine(1000).describe('postal address, several lines'),
  registration: singleLine(100, 0).describe('association number (RNA) or company number (SIREN/SIRET)'),
  vatNumber: singleLine(40, 0).describe('intra-EU VAT number (when VAT applies)'),
  email: singleLine(254, 0).describe('contact e-mail printed on invoices'),
  vatMode: z.enum(vatModes).describe('vat: VAT is charged at the offers\' rates · franchise: "TVA non applicable, art. 293 B du CGI" · nonprofit: exempt, art. 261-7-1° du CGI'),
  defaultVatRateBp: z.number().int().min(0).max(10000).describe('VAT rate of offers that set none, in basis points (2000 = 20 %)'),
  paymentTerms: multiLine(1000).describe('payment terms printed on invoices (how and when to pay)'),
  latePayment: multiLine(1000).describe('late-payment mentions (penalty rate, fixed recovery indemnity)'),
  paymentDays: z.number().int().min(0).max(365).describe('days after issue an invoice is to be paid by, at the latest its service\'s due date'),
  renewalDays: z.number().int().min(0).max(365).describe('days before a service\'s due date its renewal invoice is issued'),
  orderDays: z.number().int().min(1).max(365).describe('days an order waits for its payment before it is cancelled (its invoice credited)'),
  ...accountingFields,
  iban: z.string().max(50).transform((v) => v.trim().replace(/ /g, '').toUpperCase())
    .superRefine((v, ctx) => {
      const problem = v ? ibanProblem(v) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: `not a valid IBAN: ${problem}`, params: { code: 'billing.iban_invalid' } });
    })
    .describe('the seller\'s IBAN for bank transfers (spaces allowed; checked with its mod-97 digits), printed on invoices with an EPC QR code; empty: none'),
  bic: z.string().max(20).transform((v) => v.trim().toUpperCase())
    .refine((v) => !v || BIC.test(v), { message: 'not a valid BIC: 8 or 11 letters and digits (bank, country, place, branch)', params: { code: 'billing.bic_invalid' } })
    .describe('the BIC of the seller\'s bank (8 or 11 characters); empty: none'),
};
export const sellerPatch = patchOf(sellerFields);
export type SellerPatch = z.output<typeof sellerPatch>;

export const sellerOut = z.object({
  ...sellerFields,
  address: z.string(),
  paymentTerms: z.string(),
  latePayment: z.string(),
  iban: z.string(),
  bic: z.string(),
  missing: z.array(z.string()).describe('what the seller still lacks to issue invoices (name, address): none once billing can run'),
  updatedAt: z.string(),
});

export const serviceOut = z.object({
  hostingId: z.string(),
  hosting: z.string(),
  customerId: z.string(),
  hostingStatus: z.enum(['active', 'suspended', 'terminated']),
  offerId: z.string(),
  offer: z.string(),
  priceCents: z.number().int().describe('price per billing cycle, before VAT'),
  currency: z.string(),
  billingCycle: z.enum(billingCycles),
  vatRateBp: z.number().int().describe('the VAT rate its invoices charge (0 when the seller is exempt)'),
  dueDate: day.nullable().describe('échéance: the day its current period ends and the next must be renewed (null: not billed yet, the renewal job starts it on the day it first runs)'),
  renewalInvoiceOn: day.nullable().describe('the day its renewal invoice is issued (null: none, the service ends)'),
  ending: serviceEnding,
});

export const servicePatch = z.strictObject({ dueDate: day });

const party = z.object({ name: z.string(), address: z.string(), email: z.string() });
export const sellerParty = party.extend({
  registration: z.string(), vatNumber: z.string(),
  iban: z.string().optional().describe('bank details for transfers, when the seller had them at issue (absent on older invoices)'), bic: z.string().optional(),
});
export const buyerParty = party.extend({ number: z.number().int() });
export type SellerParty = z.infer<typeof sellerParty>;
export type BuyerParty = z.infer<typeof buyerParty>;

export const invoiceLine = z.object({
  description: z.string(),
  quantity: z.number().int(),
  unitExCents: z.number().int(),
  vatRateBp: z.number().int(),
  exCents: z.number().int(),
  vatCents: z.number().int(),
}) satisfies z.ZodType<InvoiceLine>;

export const invoiceOut = z.object({
  id: z.string(),
  kind: z.enum(invoiceKinds).describe('invoice (F series) · proforma (P series) · credit_note (A series, credits an invoice)'),
  number: z.string().describe('gap-free per series and year: F2026-000123'),
  customerId: z.string(),
  hostingId: z.string().nullable(),
  credits: z.object({ id: z.string(), number: z.string() }).nullable().describe('the invoice a credit note credits'),
  creditedBy: z.object({ id: z.string(), number: z.string() }).nullable().describe('the credit note that completed its credit: set once the invoice is credited in full'),
  creditNotes: z.array(z.object({ id: z.string(), number: z.string(), totalCents: z.number().int() })).describe('the credit notes, partial or not, that credit this invoice, oldest first (their totals are negative)'),
  creditedCents: z.number().int().describe('how much of its total its credit notes credit (0 to totalCents)'),
  issuedAt: z.string(),
  issueDate: day,
  paymentDue: day,
  periodStart: day.nullable(),
  periodEnd: day.nullable().describe('the first day after the period'),
  currency: z.string(),
  locale: z.enum(['fr', 'en']),
  lines: z.array(invoiceLine),
  totalExCents: z.number().int(),
  vatCents: z.number().int(),
  totalCents: z.number().int(),
  seller: sellerParty.describe('as it was when issued (frozen)'),
  buyer: buyerParty.describe('as it was when issued (frozen)'),
  mentions: z.array(z.string()).describe('legal mentions printed on it: VAT exemption, payment terms, late payment'),
  reason: z.string(),
  status: z.enum(invoiceStatuses).nullable().describe('whether it is paid: unpaid, partially_paid, paid, or credited (its credit note cancels it); null for proformas and credit notes'),
  paidCents: z.number().int().describe('received minus refunded'),
  balanceCents: z.number().int().describe('what the customer still owes; negative: a refund due (a credited invoice that was paid)'),
  paymentReference: z.string().nullable().describe('the RF creditor reference (ISO 11649) to give with a bank transfer; null for proformas and credit notes'),
});
export type InvoiceView = z.infer<typeof invoiceOut>;

export const invoiceListQuery = listQuery.extend({
  customerId: z.uuid().optional(),
  hostingId: z.uuid().optional(),
  kind: z.enum(invoiceKinds).optional(),
  status: z.enum(invoiceStatuses).optional().describe('invoices of this payment status only'),
});

export const invoiceIssue = z.strictObject({
  hostingId: ref.describe('the hosting (id or name) whose next period is invoiced'),
  kind: z.enum(['invoice', 'proforma']).default('invoice').describe('a proforma is numbered in its own series and is not a claim'),
});

export const invoiceCredit = z
  .strictObject({
    reason: singleLine(500).describe('why the invoice is credited (printed on the credit note)'),
    amountCents: z.number().int().min(1).max(100_000_000).optional().describe('credit this amount, VAT included, at the invoice\'s VAT rate (a partial credit)'),
    lines: z.array(z.number().int().min(0).max(999)).min(1).max(100).optional().describe('credit these lines (0 = the first) in full (a partial credit)'),
  })
  .refine((b) => b.amountCents === undefined || b.lines === undefined, { message: 'give an amount or lines, not both', path: ['lines'] })
  .describe('neither amountCents nor lines: credit what is left of the invoice; several credits never go beyond its total');
export type InvoiceCreditInput = z.output<typeof invoiceCredit>;

const iso = (d: Date | string) => new Date(d).toISOString();

/** An invoice row as the API shows it. */
export function invoiceView(r: import('./store-invoices.js').InvoiceRow): InvoiceView {
  const creditNotes = (r.creditNotes ?? []).map((n) => ({ ...n, totalCents: Number(n.totalCents) }));
  const creditedCents = -creditNotes.reduce((sum, n) => sum + n.totalCents, 0);
  const last = creditNotes.at(-1);
  return {
    creditNotes, creditedCents, creditedBy: last && creditedCents >= Number(r.totalCents) ? { id: last.id, number: last.number } : null,
    id: r.id, kind: r.kind, number: r.number, customerId: r.customerId, hostingId: r.hostingId,
    credits: r.creditsId ? { id: r.creditsId, number: r.creditsNumber! } : null,
    issuedAt: iso(r.issuedAt), issueDate: r.issueDate, paymentDue: r.paymentDue, periodStart: r.periodStart, periodEnd: r.periodEnd,
    currency: r.currency, locale: r.locale, lines: r.lines as InvoiceLine[],
    totalExCents: r.totalExCents, vatCents: r.vatCents, totalCents: r.totalCents,
    seller: r.seller as SellerParty, buyer: r.buyer as BuyerParty, mentions: r.mentions as string[], reason: r.reason,
    ...paymentState(r.kind, r.totalCents, r.paidCents, creditedCents),
    paymentReference: r.kind === 'invoice' ? invoiceRf(r.number) : null,
  };
}
