// Invoices in the database: numbers taken from a counter row locked until the issuing transaction
// ends (gap-free: a rollback gives the number back), rows written once (a trigger refuses any change).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { InvoiceKind } from '../platform/db/schema-billing.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { inScope } from '../platform/store-scope.js';
import { uuidLike } from '../platform/validation.js';
import type { InvoiceLine, Totals } from './rules.js';
import type { BuyerParty, SellerParty } from './model.js';
import { invoiceNumberOfRf, type InvoiceStatus } from './rules-payments.js';
import { paidSql, statusIs } from './store-payments.js';

/**
 * The next number of a series. The counter row stays locked until the transaction ends: concurrent
 * issuers of the same series wait for it, and a rollback leaves the counter where it was.
 */
export async function nextNumber(db: Db, series: string): Promise<number> {
  const { rows } = await sql<{ last: number }>`
    INSERT INTO invoice_counters (series, last) VALUES (${series}, 1)
    ON CONFLICT (series) DO UPDATE SET last = invoice_counters.last + 1
    RETURNING last`.execute(db);
  return rows[0]!.last;
}

export interface NewInvoice extends Totals {
  kind: InvoiceKind;
  series: string;
  seq: number;
  number: string;
  customerId: string;
  hostingId: string | null;
  creditsId: string | null;
  issuedAt: Date;
  issueDate: string;
  paymentDue: string;
  periodStart: string | null;
  periodEnd: string | null;
  currency: string;
  locale: 'fr' | 'en';
  lines: InvoiceLine[];
  seller: SellerParty;
  buyer: BuyerParty;
  mentions: string[];
  reason: string;
}

export async function insertInvoice(db: Db, i: NewInvoice): Promise<string> {
  const { id } = await db
    .insertInto('invoices')
    .values({ ...i, lines: JSON.stringify(i.lines), seller: JSON.stringify(i.seller), buyer: JSON.stringify(i.buyer), mentions: JSON.stringify(i.mentions) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

const day = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
const optionalDay = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

const base = (db: Db) =>
  db
    .selectFrom('invoices')
    .leftJoin('invoices as credited', 'credited.id', 'invoices.creditsId')
    .leftJoin('customers', 'customers.id', 'invoices.customerId');

const columns = [
  'invoices.id', 'invoices.kind', 'invoices.number', 'invoices.customerId', 'invoices.hostingId', 'invoices.issuedAt', 'invoices.currency', 'invoices.locale',
  'invoices.lines', 'invoices.totalExCents', 'invoices.vatCents', 'invoices.totalCents', 'invoices.seller', 'invoices.buyer', 'invoices.mentions', 'invoices.reason',
  day('invoices.issue_date').as('issueDate'), day('invoices.payment_due').as('paymentDue'),
  optionalDay('invoices.period_start').as('periodStart'), optionalDay('invoices.period_end').as('periodEnd'),
  'credited.id as creditsId', 'credited.number as creditsNumber',
  // its credit notes, partial or not, oldest first (several may credit one invoice: migration 0044)
  sql<Array<{ id: string; number: string; totalCents: number }>>`(SELECT coalesce(json_agg(json_build_object('id', c.id, 'number', c.number, 'totalCents', c.total_cents) ORDER BY c.seq), '[]'::json)
    FROM invoices c WHERE c.credits_id = invoices.id)`.as('creditNotes'),
  paidSql().as('paidCents'),
] as const;

/** Whether an invoice (aliased `i`) is not credited in full: its total plus its credit notes' (negative) is above 0. */
export const notFullyCredited = sql<boolean>`i.total_cents + coalesce((SELECT sum(c.total_cents) FROM invoices c WHERE c.credits_id = i.id), 0) > 0`;

/** An invoice by id, number (F2026-000123) or RF creditor reference (RF.. F2026000123, the one printed for transfers). */
export async function findInvoice(db: Db, ref: string, scope: string[] | null) {
  const number = /^[A-Z]\d{4}-\d{6}$/.test(ref) ? ref : /^rf/i.test(ref) ? invoiceNumberOfRf(ref) : null;
  const by = uuidLike.test(ref) ? 'invoices.id' : number ? 'invoices.number' : null;
  if (!by || scope?.length === 0) throw notFound('invoice');
  let q = base(db).select([...columns]).where(sql.ref(by), '=', number ?? ref);
  if (scope) q = q.where(inScope('invoices.customer_id', scope));
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('invoice');
  return row;
}
export type InvoiceRow = Awaited<ReturnType<typeof findInvoice>>;

export interface InvoiceFilter {
  customerId?: string;
  hostingId?: string;
  kind?: InvoiceKind;
  status?: InvoiceStatus;
}

export async function listInvoices(db: Db, scope: string[] | null, filter: InvoiceFilter, query: ListQuery) {
  let qb = base(db);
  if (scope) qb = qb.where(inScope('invoices.customer_id', scope));
  if (filter.customerId) qb = qb.where('invoices.customerId', '=', filter.customerId);
  if (filter.hostingId) qb = qb.where('invoices.hostingId', '=', filter.hostingId);
  if (filter.kind) qb = qb.where('invoices.kind', '=', filter.kind);
  if (filter.status) qb = qb.where(statusIs(filter.status));
  return paginate(
    qb,
    {
      search: ['invoices.number', 'invoices.kind', 'customers.name'],
      sorts: { issuedAt: 'invoices.issued_at', number: 'invoices.number', totalCents: 'invoices.total_cents' },
      defaultSort: '-issuedAt',
      idColumn: 'invoices.id',
    },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: InvoiceRow[]; nextCursor: string | null; total: number }>;
}

/** The invoice (not credited in full) of a hosting for the period starting on `periodStart`, if any. */
export async function openInvoiceOfPeriod(db: Db, hostingId: string, periodStart: string) {
  return db
    .selectFrom('invoices as i')
    .select(['i.id', 'i.number'])
    .where('i.kind', '=', 'invoice')
    .where('i.hostingId', '=', hostingId)
    .where(sql<boolean>`i.period_start = ${periodStart}::date`)
    .where(notFullyCredited)
    .executeTakeFirst();
}

/** The buyer as it is now (frozen onto the invoice), with the language of its first owner. */
export async function buyerOf(db: Db, customerId: string): Promise<BuyerParty & { locale: 'fr' | 'en' }> {
  const c = await db
    .selectFrom('customers')
    .select(['number', 'name', 'postalAddress', 'contactEmail'])
    .select((eb) => eb
      .selectFrom('delegations')
      .innerJoin('users', 'users.id', 'delegations.userId')
      .select('users.locale')
      .whereRef('delegations.customerId', '=', 'customers.id')
      .where('delegations.role', '=', 'owner')
      .orderBy('delegations.createdAt')
      .limit(1)
      .as('locale'))
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  return { number: c.number, name: c.name, address: c.postalAddress, email: c.contactEmail, locale: c.locale ?? 'fr' };
}

/** Holds an invoice's row until the transaction ends (no UPDATE: the row itself never changes). */
export async function lockInvoice(db: Db, id: string): Promise<void> {
  await db.selectFrom('invoices').select('id').where('id', '=', id).forUpdate().execute();
}

/** Whether a hosting has an invoice, credited or not, for the period starting on `periodStart`. */
export async function anyInvoiceOfPeriod(db: Db, hostingId: string, periodStart: string): Promise<boolean> {
  const row = await db.selectFrom('invoices').select('id').where('kind', '=', 'invoice').where('hostingId', '=', hostingId).where(sql<boolean>`period_start = ${periodStart}::date`).executeTakeFirst();
  return !!row;
}

/**
 * Invoices and credit notes (not proformas: they are no claim) issued from `from` to `to` included
 * (UTC days), in the order they were issued: what the accounting exports read.
 */
export async function invoicesIssuedBetween(db: Db, from: string, to: string): Promise<InvoiceRow[]> {
  return base(db)
    .select([...columns])
    .where('invoices.kind', 'in', ['invoice', 'credit_note'])
    .where('invoices.issuedAt', '>=', new Date(`${from}T00:00:00Z`))
    .where(sql<boolean>`invoices.issued_at < ${`${to}T00:00:00Z`}::timestamptz + interval '1 day'`)
    .orderBy('invoices.issuedAt')
    .orderBy('invoices.number')
    .execute();
}

/** The sums of an invoice's credit notes (negative, zero when none). */
export async function creditedTotals(db: Db, invoiceId: string): Promise<Totals> {
  const { rows } = await sql<{ ex: string | number; vat: string | number; total: string | number }>`
    SELECT coalesce(sum(total_ex_cents), 0) AS ex, coalesce(sum(vat_cents), 0) AS vat, coalesce(sum(total_cents), 0) AS total FROM invoices WHERE credits_id = ${invoiceId}`.execute(db);
  return { totalExCents: Number(rows[0]!.ex), vatCents: Number(rows[0]!.vat), totalCents: Number(rows[0]!.total) };
}
