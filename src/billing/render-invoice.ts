// What an invoice, proforma or credit note says, in French or English (pure): the blocks of text the
// PDF lays out (pdf-invoice.ts), from the frozen document alone. Golden files pin it.
import type { InvoiceView } from './model.js';
import { addDays, type Locale } from './rules.js';
import { epcPayload, formatIban, formatRf } from './rules-payments.js';

/** 1 234,50 € · €1,234.50 (plain spaces: the PDF's standard fonts have no narrow no-break space) */
export function formatMoney(cents: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency }).format(cents / 100).replace(/[\u202f\u00a0]/g, ' ');
}

/** 2026-01-31 → 31/01/2026 (fr) · 31 Jan 2026 (en) */
export function formatDay(day: string, locale: Locale): string {
  const [y, m, d] = day.split('-');
  if (locale === 'fr') return `${d}/${m}/${y}`;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

const rate = (bp: number, locale: Locale) => `${(bp / 100).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 })}${locale === 'fr' ? ' %' : '%'}`;

export interface InvoiceDocument {
  title: string;
  seller: string[];
  buyer: string[];
  facts: Array<[string, string]>;
  head: string[];
  rows: string[][];
  totals: Array<[string, string]>;
  /** how to pay what is left by bank transfer (an invoice still owed whose seller had an IBAN): beneficiary, IBAN, BIC, RF reference, amount */
  transfer: string[];
  /** the EPC069-12 QR payload of that transfer (euros only, for the balance), drawn next to it */
  epc: string | null;
  mentions: string[];
}

const words = {
  fr: {
    invoice: 'FACTURE', proforma: 'FACTURE PROFORMA', credit_note: 'AVOIR', registration: 'RNA / SIREN', vat: 'TVA intracommunautaire', customer: 'Client n°',
    date: 'Date', due: 'À payer avant le', period: 'Période', credits: 'Avoir sur la facture', reason: 'Motif', to: 'au',
    head: ['Désignation', 'Qté', 'Prix unitaire HT', 'TVA', 'Total HT'], ex: 'Total HT', vatTotal: 'TVA', total: 'Total TTC', totalExempt: 'Total',
    proformaNote: 'Document sans valeur de facture : ne pas payer avant réception de la facture.',
    credited: 'Crédité par avoir', paid: 'Déjà réglé', balance: 'Reste à payer', refundDue: 'À rembourser',
    transfer: 'Paiement par virement', beneficiary: 'Bénéficiaire', reference: 'Référence à indiquer', amount: 'Montant à payer', scan: 'QR code SEPA : scannez-le avec l\'application de votre banque.',
  },
  en: {
    invoice: 'INVOICE', proforma: 'PROFORMA INVOICE', credit_note: 'CREDIT NOTE', registration: 'Registration', vat: 'VAT number', customer: 'Customer no.',
    date: 'Date', due: 'Payment due by', period: 'Period', credits: 'Credits invoice', reason: 'Reason', to: 'to',
    head: ['Description', 'Qty', 'Unit price excl. VAT', 'VAT', 'Total excl. VAT'], ex: 'Total excl. VAT', vatTotal: 'VAT', total: 'Total incl. VAT', totalExempt: 'Total',
    proformaNote: 'Not an invoice: do not pay before you receive the invoice.',
    credited: 'Credited by credit note', paid: 'Paid so far', balance: 'Left to pay', refundDue: 'To pay back',
    transfer: 'Payment by bank transfer', beneficiary: 'Beneficiary', reference: 'Reference to give', amount: 'Amount to pay', scan: 'SEPA QR code: scan it with your banking app.',
  },
} as const;

export function invoiceDocument(i: InvoiceView): InvoiceDocument {
  const l = i.locale;
  const w = words[l];
  const money = (c: number) => formatMoney(c, i.currency, l);
  const lines = (s: string) => s.split('\n').filter(Boolean);
  const seller = [i.seller.name, ...lines(i.seller.address)];
  const colon = l === 'fr' ? ' :' : ':';
  if (i.seller.registration) seller.push(`${w.registration}${colon} ${i.seller.registration}`);
  if (i.seller.vatNumber) seller.push(`${w.vat}${colon} ${i.seller.vatNumber}`);
  if (i.seller.email) seller.push(i.seller.email);
  const buyer = [i.buyer.name, ...lines(i.buyer.address), `${w.customer} ${i.buyer.number}`];
  if (i.buyer.email) buyer.push(i.buyer.email);
  const facts: Array<[string, string]> = [[w.date, formatDay(i.issueDate, l)]];
  if (i.kind === 'invoice') facts.push([w.due, formatDay(i.paymentDue, l)]);
  if (i.periodStart && i.periodEnd) facts.push([w.period, `${formatDay(i.periodStart, l)} ${w.to} ${formatDay(addDays(i.periodEnd, -1), l)}`]);
  if (i.credits) facts.push([w.credits, i.credits.number]);
  if (i.reason) facts.push([w.reason, i.reason]);
  const exempt = i.lines.every((x) => x.vatRateBp === 0) && i.vatCents === 0;
  const totals: Array<[string, string]> = exempt
    ? [[w.totalExempt, money(i.totalCents)]]
    : [[w.ex, money(i.totalExCents)], [w.vatTotal, money(i.vatCents)], [w.total, money(i.totalCents)]];
  totals.push(...settledOf(i, money));
  const { transfer, epc } = transferOf(i, money, colon);
  return {
    title: `${w[i.kind]} ${i.number}`,
    seller,
    buyer,
    facts,
    head: [...w.head],
    rows: i.lines.map((x) => [x.description, String(x.quantity), money(x.unitExCents), rate(x.vatRateBp, l), money(x.exCents)]),
    totals,
    transfer,
    epc,
    mentions: i.kind === 'proforma' ? [w.proformaNote, ...i.mentions] : i.mentions,
  };
}

/** What an invoice credited or paid in part or in full says below its total: credited, paid, and what is left (or due back). */
function settledOf(i: InvoiceView, money: (c: number) => string): Array<[string, string]> {
  if (i.kind !== 'invoice' || (i.paidCents === 0 && !(i.creditedCents > 0))) return [];
  const w = words[i.locale];
  const rows: Array<[string, string]> = [];
  if (i.creditedCents > 0) rows.push([w.credited, money(-i.creditedCents)]);
  if (i.paidCents !== 0) rows.push([w.paid, money(i.paidCents)]);
  rows.push(i.balanceCents < 0 ? [w.refundDue, money(-i.balanceCents)] : [w.balance, money(i.balanceCents)]);
  return rows;
}

/**
 * The transfer block of an invoice still owed whose seller had an IBAN when it was issued, for what
 * is left to pay (its balance), and its EPC QR payload (euros); a paid or credited invoice has none.
 */
function transferOf(i: InvoiceView, money: (c: number) => string, colon: string): { transfer: string[]; epc: string | null } {
  const { iban, bic } = i.seller;
  if (i.kind !== 'invoice' || !iban || !i.paymentReference || i.balanceCents <= 0) return { transfer: [], epc: null };
  const w = words[i.locale];
  const transfer = [w.transfer, `${w.beneficiary}${colon} ${i.seller.name}`, `IBAN${colon} ${formatIban(iban)}`];
  if (bic) transfer.push(`BIC${colon} ${bic}`);
  transfer.push(`${w.reference}${colon} ${formatRf(i.paymentReference)}`, `${w.amount}${colon} ${money(i.balanceCents)}`);
  const qr = i.currency === 'EUR';
  if (qr) transfer.push(w.scan);
  return { transfer, epc: qr ? epcPayload({ bic: bic ?? '', name: i.seller.name, iban, amountCents: i.balanceCents, reference: i.paymentReference }) : null };
}

/** The document as plain text (golden files, and what pdftotext should find in the PDF). */
export function documentText(d: InvoiceDocument): string {
  const pairs = (p: Array<[string, string]>) => p.map(([k, v]) => `${k}: ${v}`);
  return [d.title, '', ...d.seller, '', ...d.buyer, '', ...pairs(d.facts), '', d.head.join(' | '), ...d.rows.map((r) => r.join(' | ')), '', ...pairs(d.totals), '', ...(d.transfer.length ? [...d.transfer, ''] : []),
    ...(d.epc ? [`EPC QR: ${d.epc.split('\n').join(' | ')}`, ''] : []), ...d.mentions, ''].join('\n');
}
