// Pure rules of billing: days and billing periods, VAT, amounts, series and numbers, legal mentions.
import type { InvoiceKind, VatMode } from '../platform/db/schema-billing.js';

export type Cycle = 'monthly' | 'quarterly' | 'yearly';
const months: Record<Cycle, number> = { monthly: 1, quarterly: 3, yearly: 12 };
export const vatModes = ['vat', 'franchise', 'nonprofit'] as const;

/** The UTC day of an instant: 'YYYY-MM-DD'. */
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** A day plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return dayOf(d);
}

/** A day one billing cycle later (or `times` cycles, -1: earlier); the 31st becomes the last day of a shorter month (31 Jan → 28 Feb). */
export function addCycle(day: string, cycle: Cycle, times = 1): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + times * months[cycle], 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return dayOf(target);
}

/** The day the renewal invoice of a service due on `dueDate` is issued. */
export const renewalDay = (dueDate: string, renewalDays: number) => addDays(dueDate, -renewalDays);

export interface VatSettings {
  vatMode: VatMode;
  defaultVatRateBp: number;
}

/** The VAT rate of an offer under the seller's status: 0 when the seller is exempt. */
export const vatRateOf = (s: VatSettings, offerRateBp: number | null) => (s.vatMode === 'vat' ? (offerRateBp ?? s.defaultVatRateBp) : 0);

/** VAT of an amount, rounded half up to the cent. */
export const vatOf = (exCents: number, rateBp: number) => Math.sign(exCents) * Math.floor((Math.abs(exCents) * rateBp + 5000) / 10000);

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitExCents: number;
  vatRateBp: number;
  exCents: number;
  vatCents: number;
}

export interface Totals {
  totalExCents: number;
  vatCents: number;
  totalCents: number;
}

export function totalsOf(lines: InvoiceLine[]): Totals {
  const totalExCents = lines.reduce((s, l) => s + l.exCents, 0);
  const vatCents = lines.reduce((s, l) => s + l.vatCents, 0);
  return { totalExCents, vatCents, totalCents: totalExCents + vatCents };
}

/** One line of a price for a quantity at a VAT rate. */
export function lineOf(description: string, quantity: number, unitExCents: number, vatRateBp: number): InvoiceLine {
  const exCents = quantity * unitExCents;
  return { description, quantity, unitExCents, vatRateBp, exCents, vatCents: vatOf(exCents, vatRateBp) };
}

/** The lines of a credit note: those of the invoice, negated. */
export const creditLines = (lines: InvoiceLine[]): InvoiceLine[] =>
  lines.map((l) => ({ ...l, quantity: -l.quantity, exCents: -l.exCents, vatCents: -l.vatCents }));

const prefixes: Record<InvoiceKind, string> = { invoice: 'F', proforma: 'P', credit_note: 'A' };

/** Each kind numbers in its own series, per year of issue: F2026, P2026, A2026. */
export const seriesOf = (kind: InvoiceKind, issueDay: string) => `${prefixes[kind]}${issueDay.slice(0, 4)}`;

/** F2026-000123 */
export const numberOf = (series: string, seq: number) => `${series}-${String(seq).padStart(6, '0')}`;

export type Locale = 'fr' | 'en';

/** The VAT mention an exempt seller must print (none when VAT applies). */
export function vatMention(mode: VatMode, locale: Locale): string | null {
  if (mode === 'franchise') return locale === 'fr' ? 'TVA non applicable, art. 293 B du CGI' : 'VAT not applicable, art. 293 B of the French tax code (CGI)';
  if (mode === 'nonprofit') return locale === 'fr' ? 'Exonération de TVA, art. 261-7-1° du CGI' : 'VAT exempt, art. 261-7-1° of the French tax code (CGI)';
  return null;
}

export interface SellerFields {
  name: string;
  address: string;
}

/** What a seller still lacks to issue an invoice (its name and address are legal mentions). */
export const sellerMissing = (s: SellerFields) => (['name', 'address'] as const).filter((k) => !s[k].trim());
