// Accounting exports of issued invoices and credit notes (pure): a CSV with one line per document and
// VAT rate, and the French FEC (fichier des écritures comptables, art. A47 A-1 of the LPF): the sales
// journal VT, each document one balanced entry — the customer's auxiliary account (411) debited with
// the total, revenue (706) and VAT collected (44571) credited per VAT rate; a credit note, whose
// amounts are negative, the other way round — and the bank journal BQ, each payment one entry — the
// bank (512) debited, the customer credited; a refund reversed. The customer's lines of a settled
// invoice are lettered (rules-lettering.ts). Golden files pin both (test/golden/billing-exports).
import type { InvoiceView } from './model.js';
import type { Letter } from './rules-lettering.js';

export interface Accounts {
  customer: string;
  revenue: string;
  vat: string;
  bank: string;
}

interface RateTotals {
  vatRateBp: number;
  exCents: number;
  vatCents: number;
}

/** A document's amounts per VAT rate, lowest rate first. */
export function byRate(i: InvoiceView): RateTotals[] {
  const rates = new Map<number, RateTotals>();
  for (const l of i.lines) {
    const r = rates.get(l.vatRateBp) ?? { vatRateBp: l.vatRateBp, exCents: 0, vatCents: 0 };
    r.exCents += l.exCents;
    r.vatCents += l.vatCents;
    rates.set(l.vatRateBp, r);
  }
  return [...rates.values()].sort((a, b) => a.vatRateBp - b.vatRateBp);
}

/** 1234.5 → "1234.50" (CSV) or "1234,50" (FEC); signed. */
export function decimal(cents: number, separator: '.' | ','): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}${separator}${String(abs % 100).padStart(2, '0')}`;
}

const percent = (bp: number) => String(bp / 100);

/**
 * A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break; a text a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe — a customer's name is theirs.
 */
function cell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvColumns = ['number', 'kind', 'date', 'customerNumber', 'customer', 'vatRate', 'exVat', 'vat', 'total', 'currency', 'credits'] as const;

/** The CSV of documents (header first), amounts in the currency with a point. */
export function invoicesCsv(docs: InvoiceView[]): string {
  const rows = docs.flatMap((i) =>
    byRate(i).map((r) => [
      cell(i.number), cell(i.kind), cell(i.issueDate), i.buyer.number, cell(i.buyer.name), cell(percent(r.vatRateBp)),
      decimal(r.exCents, '.'), decimal(r.vatCents, '.'), decimal(r.exCents + r.vatCents, '.'), cell(i.currency), cell(i.credits?.number ?? ''),
    ].join(',')));
  return [csvColumns.join(','), ...rows].map((l) => `${l}\r\n`).join('');
}

export const fecColumns = [
  'JournalCode', 'JournalLib', 'EcritureNum', 'EcritureDate', 'CompteNum', 'CompteLib', 'CompAuxNum', 'CompAuxLib', 'PieceRef',
  'PieceDate', 'EcritureLib', 'Debit', 'Credit', 'EcritureLet', 'DateLet', 'ValidDate', 'Montantdevise', 'Idevise',
] as const;

/** A FEC text field: no separator, no line break, no leading or trailing space. */
const text = (s: string) => s.replace(/[\t|\r\n\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
const yyyymmdd = (day: string) => day.replace(/-/g, '');

/** The customer's auxiliary account: C and their number. */
export const auxiliaryAccount = (customerNumber: number) => `C${customerNumber}`;

/** A payment (or a refund: negative) as the bank journal books it. */
export interface JournalPayment {
  invoiceId: string;
  invoiceNumber: string;
  customerNumber: number;
  customerName: string;
  amountCents: number;
  currency: string;
  reference: string;
  receivedOn: string;
}

/** What the FEC of a range holds: its documents (by issue), its payments (by day received), the letters of settled invoices. */
export interface Journal {
  docs: InvoiceView[];
  payments: JournalPayment[];
  letters: Record<string, Letter>;
}

interface Entry {
  journal: 'VT' | 'BQ';
  day: string;
  piece: string;
  lib: string;
  currency: string;
  /** account, label, auxiliary account, amount (positive: debit), the invoice it letters */
  lines: Array<[string, string, [string, string] | null, number, string | null]>;
}

const saleEntry = (i: InvoiceView, a: Accounts): Entry => ({
  journal: 'VT', day: i.issueDate, piece: i.number, currency: i.currency,
  lib: text(`${i.kind === 'credit_note' ? 'Avoir' : 'Facture'} ${i.number} ${i.buyer.name}`),
  lines: [
    [a.customer, 'Clients', [auxiliaryAccount(i.buyer.number), text(i.buyer.name)], i.totalCents, i.credits?.id ?? i.id],
    ...byRate(i).flatMap((r): Entry['lines'] => [[a.revenue, 'Prestations de services', null, -r.exCents, null], [a.vat, 'TVA collectée', null, -r.vatCents, null]]),
  ],
});

const bankEntry = (p: JournalPayment, a: Accounts): Entry => ({
  journal: 'BQ', day: p.receivedOn, piece: p.invoiceNumber, currency: p.currency,
  lib: text(`${p.amountCents < 0 ? 'Remboursement' : 'Règlement'} ${p.invoiceNumber} ${p.customerName}${p.reference ? ` ${p.reference}` : ''}`),
  lines: [[a.bank, 'Banque', null, p.amountCents, null], [a.customer, 'Clients', [auxiliaryAccount(p.customerNumber), text(p.customerName)], -p.amountCents, p.invoiceId]],
});

const JOURNALS = { VT: 'Ventes', BQ: 'Banque' } as const;

/**
 * The FEC of a range: the sales journal VT (each document one entry) and the bank journal BQ (each
 * payment one entry: the bank debited, the customer credited; a refund the other way round), in the
 * order of their days (sales first on a day), numbered VT000001…, BQ000001… in that order; every amount
 * positive, in the debit or the credit column; the customer's lines of a settled invoice lettered.
 */
export function fecText(j: Journal, accounts: Accounts, separator: '\t' | '|' = '\t'): string {
  const entries = [...j.docs.map((i) => saleEntry(i, accounts)), ...j.payments.map((p) => bankEntry(p, accounts))]
    .map((e, n) => ({ e, n }))
    .sort((x, y) => (x.e.day < y.e.day ? -1 : x.e.day > y.e.day ? 1 : x.n - y.n))
    .map(({ e }) => e);
  const count = { VT: 0, BQ: 0 };
  const lines: string[][] = [];
  for (const e of entries) {
    const num = `${e.journal}${String(++count[e.journal]).padStart(6, '0')}`;
    const date = yyyymmdd(e.day);
    const foreign = e.currency !== 'EUR';
    for (const [account, label, aux, debitCents, lettered] of e.lines) {
      if (debitCents === 0) continue;
      const amount = decimal(Math.abs(debitCents), ',');
      const letter = lettered ? j.letters[lettered] : undefined;
      lines.push([
        e.journal, JOURNALS[e.journal], num, date, account, label, aux?.[0] ?? '', aux?.[1] ?? '', e.piece, date, e.lib,
        debitCents > 0 ? amount : '0,00', debitCents < 0 ? amount : '0,00', letter?.letter ?? '', letter ? yyyymmdd(letter.day) : '', date,
        foreign ? amount : '', foreign ? e.currency : '',
      ]);
    }
  }
  return [[...fecColumns], ...lines].map((l) => `${l.join(separator)}\n`).join('');
}

/** The SIREN of the FEC's name: the one set, or the registration number's when it is a SIREN or a SIRET. */
export function sirenOf(s: { siren: string; registration: string }): string | null {
  if (s.siren) return s.siren;
  const digits = s.registration.replace(/[\s.]/g, '');
  return /^\d{9}(\d{5})?$/.test(digits) ? digits.slice(0, 9) : null;
}

/** <SIREN>FEC<YYYYMMDD>.txt, the date being the last day of the period (the closing date of the year). */
export const fecFileName = (siren: string, to: string) => `${siren}FEC${yyyymmdd(to)}.txt`;
