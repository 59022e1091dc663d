// Pure rules of a service's lifecycle: the days of a change of offer and their prorated amounts,
// what a smaller offer cannot hold, the day a service ends, how much of an invoice is left to credit.
import { addCycle, addDays, lineOf, vatOf, type Cycle, type InvoiceLine, type Totals } from './rules.js';

const DAY_MS = 86_400_000;

/** How a service ends: at its due date, or tomorrow (nothing refunded). */
export const endModes = ['term', 'early'] as const;

/** Whole days from one day to another ('YYYY-MM-DD', UTC): 2026-01-11 → 2026-02-01 is 21. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** amount × part ÷ whole, rounded half up to the cent (integers only: the same answer everywhere). */
export function prorate(cents: number, part: number, whole: number): number {
  if (whole <= 0 || part <= 0) return 0;
  const sign = Math.sign(cents);
  return sign * Math.floor((2 * Math.abs(cents) * part + whole) / (2 * whole));
}

/** The days of the new offer's billing period that ends on the due date (a yearly offer due 2029-01-01: 366). */
export const cycleDaysBefore = (dueDate: string, cycle: Cycle) => daysBetween(addCycle(dueDate, cycle, -1), dueDate);

/**
 * The credit of the unused part of an invoice's period: each line's amount × unused days ÷ the
 * period's days (half up), its VAT computed on that amount like any line's. Negative lines (a credit note's).
 */
export function unusedCreditLines(lines: InvoiceLine[], unusedDays: number, periodDays: number, describe: (l: InvoiceLine) => string): InvoiceLine[] {
  return lines
    .filter((l) => l.exCents > 0)
    .map((l) => {
      const ex = prorate(l.exCents, unusedDays, periodDays);
      return { description: describe(l), quantity: -1, unitExCents: ex, vatRateBp: l.vatRateBp, exCents: -ex, vatCents: -vatOf(ex, l.vatRateBp) };
    })
    .filter((l) => l.exCents !== 0);
}

/** The line of the new offer from the change to the due date: price × days ÷ days of its cycle (half up). */
export const proratedLine = (description: string, priceCents: number, days: number, cycleDays: number, vatRateBp: number) =>
  lineOf(description, 1, prorate(priceCents, days, cycleDays), vatRateBp);

/** What is left to credit of an invoice: its totals plus those of its credit notes (negative). */
export const remainingOf = (invoice: Totals, credited: Totals): Totals => ({
  totalExCents: invoice.totalExCents + credited.totalExCents,
  vatCents: invoice.vatCents + credited.vatCents,
  totalCents: invoice.totalCents + credited.totalCents,
});

/** One line crediting an amount including VAT at one rate: the VAT inside it is amount − amount ÷ (1 + rate), half up. */
export function amountCreditLine(description: string, amountCents: number, vatRateBp: number): InvoiceLine {
  const ex = Math.floor((2 * amountCents * 10000 + (10000 + vatRateBp)) / (2 * (10000 + vatRateBp)));
  return { description, quantity: -1, unitExCents: ex, vatRateBp, exCents: -ex, vatCents: -(amountCents - ex) };
}

/** One line crediting exactly what is left (after partial credits). */
export const remainderLine = (description: string, left: Totals, vatRateBp: number): InvoiceLine => ({
  description, quantity: -1, unitExCents: left.totalExCents, vatRateBp, exCents: -left.totalExCents, vatCents: -left.vatCents,
});

export type EndMode = 'term' | 'early';

/**
 * The day a service ends (its hosting is terminated by the renewals job that day): at term, its due
 * date (tomorrow when it is not billed yet); early, tomorrow.
 */
export const endDay = (mode: EndMode, dueDate: string | null, today: string) => (mode === 'term' && dueDate && dueDate > today ? dueDate : addDays(today, 1));

/** What a hosting holds that an offer's quotas count. */
export interface Holding {
  diskUsedBytes: number | null;
  sites: number;
  mailboxes: number;
  mailQuotaMb: number;
  databases: number;
  transferUsers: number;
  cronTasks: number;
}
export interface Limits {
  diskMb: number;
  maxSites: number;
  maxMailboxes: number;
  mailMb: number;
  maxDatabases: number;
  maxFtpUsers: number;
  maxCronTasks: number;
}
export const misfitKinds = ['disk', 'sites', 'mailboxes', 'mailSpace', 'databases', 'transferUsers', 'cronTasks'] as const;
export interface Misfit {
  what: (typeof misfitKinds)[number];
  used: number;
  limit: number;
}

/** Everything the hosting holds beyond the offer's quotas (disk in MB, rounded up). */
export function misfitsOf(h: Holding, o: Limits): Misfit[] {
  const diskMb = h.diskUsedBytes === null ? 0 : Math.ceil(h.diskUsedBytes / 1_048_576);
  const pairs: Array<[Misfit['what'], number, number]> = [
    ['disk', diskMb, o.diskMb], ['sites', h.sites, o.maxSites], ['mailboxes', h.mailboxes, o.maxMailboxes], ['mailSpace', h.mailQuotaMb, o.mailMb],
    ['databases', h.databases, o.maxDatabases], ['transferUsers', h.transferUsers, o.maxFtpUsers], ['cronTasks', h.cronTasks, o.maxCronTasks],
  ];
  return pairs.filter(([, used, limit]) => used > limit).map(([what, used, limit]) => ({ what, used, limit }));
}
