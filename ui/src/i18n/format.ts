// Dates, numbers, sizes and prices formatted for the reader's language with Intl.
import type { Locale } from '../api/model.js';

export interface Formatters {
  number(n: number): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  /** a size given in megabytes (offers and quotas count in MB) */
  sizeMb(mb: number): string;
  /** a size given in bytes (measured sizes), in binary multiples like MariaDB's and Linux's tools */
  bytes(n: number): string;
  money(cents: number, currency: string): string;
  percent(ratio: number): string;
  /** a, b and c */
  list(items: string[]): string;
}

const tag = (l: Locale) => (l === 'fr' ? 'fr-FR' : 'en-GB');

export function formattersFor(locale: Locale): Formatters {
  const t = tag(locale);
  const num = new Intl.NumberFormat(t);
  const date = new Intl.DateTimeFormat(t, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(t, { dateStyle: 'medium', timeStyle: 'short' });
  const unit = (u: string) => new Intl.NumberFormat(t, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 });
  const mb = unit('megabyte');
  const gb = unit('gigabyte');
  const tb = unit('terabyte');
  const b = unit('byte');
  const kb = unit('kilobyte');
  const list = new Intl.ListFormat(t, { style: 'long', type: 'conjunction' });
  const pct = new Intl.NumberFormat(t, { style: 'percent', maximumFractionDigits: 0 });
  return {
    number: (n) => num.format(n),
    date: (iso) => (iso ? date.format(new Date(iso)) : '—'),
    dateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : '—'),
    sizeMb: (n) => (n >= 1_000_000 ? tb.format(n / 1_000_000) : n >= 1000 ? gb.format(n / 1000) : mb.format(n)),
    bytes: (n) => (n < 1024 ? b.format(n) : n < 1024 ** 2 ? kb.format(n / 1024) : n < 1024 ** 3 ? mb.format(n / 1024 ** 2) : gb.format(n / 1024 ** 3)),
    money: (cents, currency) => new Intl.NumberFormat(t, { style: 'currency', currency }).format(cents / 100),
    percent: (r) => pct.format(r),
    list: (items) => list.format(items),
  };
}
