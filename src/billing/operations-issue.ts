// Issuing a document: the one path every invoice, proforma and credit note takes (the renewal job,
// staff by hand, a credit). In the caller's change: a number from its series' counter (locked until
// the commit), the buyer and seller copied onto it, an audit entry, and its e-mail to the customer.
import type { Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { InvoiceKind } from '../platform/db/schema-billing.js';
import { queueMessage } from '../outbox/operations.js';
import type { BuyerParty, SellerParty } from './model.js';
import { addCycle, addDays, dayOf, lineOf, numberOf, sellerMissing, seriesOf, totalsOf, vatMention, vatRateOf, type InvoiceLine, type Locale } from './rules.js';
import { buyerOf, insertInvoice, nextNumber, type NewInvoice } from './store-invoices.js';
import { readSeller, type SellerRow } from './store-settings.js';
import type { ServiceRow } from './store-services.js';
import { formatDay, formatMoney } from './render-invoice.js';

/** The seller's settings, refused when an invoice could not carry its legal identity. */
export async function sellerReady(c: Change): Promise<SellerRow> {
  const seller = await readSeller(c.db);
  const missing = sellerMissing(seller);
  if (missing.length) {
    throw new AppError('billing.seller_incomplete', `fill in the seller's ${missing.join(' and ')} (billing settings) before issuing invoices`, { params: { missing } });
  }
  return seller;
}

/** The seller as frozen onto a document: its bank details only when it has them (older invoices have none). */
export const sellerParty = (s: SellerRow): SellerParty => ({
  name: s.name, address: s.address, email: s.email, registration: s.registration, vatNumber: s.vatNumber, ...(s.iban ? { iban: s.iban, bic: s.bic } : {}),
});

export const mentionsOf = (s: SellerRow, locale: Locale) => [vatMention(s.vatMode, locale), s.paymentTerms, s.latePayment].filter((m): m is string => !!m);

/** "Hébergement h100000 — offre « Pro », du 01/01/2026 au 31/01/2026" (the period's last day included). */
function serviceLine(svc: ServiceRow, start: string, end: string, l: Locale): string {
  const [from, to] = [formatDay(start, l), formatDay(addDays(end, -1), l)];
  return l === 'fr' ? `Hébergement ${svc.hosting} — offre « ${svc.offer} », du ${from} au ${to}` : `Hosting ${svc.hosting}, offer "${svc.offer}", ${from} to ${to}`;
}

export type Draft = Omit<NewInvoice, 'series' | 'seq' | 'number' | 'issuedAt' | 'issueDate'>;

/** The draft of a service's next period (from its due date, or today when it is not billed yet). */
export async function serviceDraft(c: Change, seller: SellerRow, svc: ServiceRow, kind: 'invoice' | 'proforma'): Promise<Draft> {
  if (svc.priceCents <= 0) throw new AppError('invoice.nothing_to_bill', `the offer "${svc.offer}" costs nothing: there is nothing to invoice`, { params: { offer: svc.offer } });
  const today = dayOf(c.now);
  const periodStart = svc.dueDate ?? today;
  const periodEnd = addCycle(periodStart, svc.billingCycle);
  const { locale, ...buyer } = await buyerOf(c.db, svc.customerId);
  const lines: InvoiceLine[] = [lineOf(serviceLine(svc, periodStart, periodEnd, locale), 1, svc.priceCents, vatRateOf(seller, svc.vatRateBp))];
  const byTerms = addDays(today, seller.paymentDays);
  const paymentDue = byTerms < periodStart ? byTerms : periodStart > today ? periodStart : today;
  return {
    kind, customerId: svc.customerId, hostingId: svc.hostingId, creditsId: null, paymentDue, periodStart, periodEnd, currency: svc.currency, locale, lines,
    ...totalsOf(lines), seller: sellerParty(seller), buyer: buyer satisfies BuyerParty, mentions: mentionsOf(seller, locale), reason: '',
  };
}

/**
 * Numbers and writes a document, audits it and e-mails it to the customer; answers its id. A change
 * that issues several documents (a change of offer) says so in its own single audit entry instead.
 */
export async function writeDocument(c: Change, d: Draft & { kind: InvoiceKind }, opts: { audit?: boolean } = {}): Promise<{ id: string; number: string }> {
  const issueDate = dayOf(c.now);
  const series = seriesOf(d.kind, issueDate);
  const seq = await nextNumber(c.db, series);
  const number = numberOf(series, seq);
  const id = await insertInvoice(c.db, { ...d, series, seq, number, issuedAt: c.now, issueDate });
  if (opts.audit !== false) await c.audit({
    action: `${d.kind === 'credit_note' ? 'credit_note' : 'invoice'}.issue`, targetType: 'invoice', targetId: id, target: number, customerId: d.customerId,
    after: { kind: d.kind, number, totalCents: d.totalCents, currency: d.currency, hostingId: d.hostingId, periodStart: d.periodStart, creditsId: d.creditsId },
  });
  if (d.buyer.email) {
    await queueMessage(c, {
      template: 'invoice', locale: d.locale, to: d.buyer.email, customerId: d.customerId, link: `${c.app.config.publicUrl}/invoices/${id}`,
      params: { kind: d.kind, number, seller: d.seller.name, total: formatMoney(d.totalCents, d.currency, d.locale), paymentDue: d.paymentDue },
    });
  }
  return { id, number };
}
