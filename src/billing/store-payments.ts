// Payments in the database (0043-payments): rows written once (a trigger refuses any change), an
// invoice's paid amount as the sum of its rows, and the invoices still owed past their due day.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { PaymentMethod } from '../platform/db/schema-billing.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { inScope } from '../platform/store-scope.js';
import type { InvoiceStatus } from './rules-payments.js';

/** What an invoice (the row aliased `invoices`) received minus what was refunded, in cents. */
export const paidSql = (invoice = 'invoices') =>
  sql<number>`(SELECT coalesce(sum(p.amount_cents), 0)::bigint FROM payments p WHERE p.invoice_id = ${sql.ref(`${invoice}.id`)})`;

/** What an invoice's credit notes (partial or not) credit of it, in cents (0 when none). */
export const creditedSql = (invoice = 'invoices') =>
  sql<number>`(SELECT coalesce(-sum(c.total_cents), 0)::bigint FROM invoices c WHERE c.credits_id = ${sql.ref(`${invoice}.id`)})`;

/** What is still owed on an invoice before payments: its total less its credits. */
const owedSql = (invoice: string) => sql<number>`(${sql.ref(`${invoice}.total_cents`)} - ${creditedSql(invoice)})`;

/** Credited in full: nothing is owed on it any more. */
const credited = (invoice: string) => sql<SqlBool>`${owedSql(invoice)} <= 0`;

/** Invoices (alias `invoices`) of a status, as billing/rules-payments.ts paymentState() computes it. */
export function statusIs(status: InvoiceStatus, invoice = 'invoices'): RawBuilder<SqlBool> {
  const kind = sql<SqlBool>`${sql.ref(`${invoice}.kind`)} = 'invoice'`;
  if (status === 'credited') return sql<SqlBool>`(${kind} AND ${credited(invoice)})`;
  const total = owedSql(invoice);
  const paid = paidSql(invoice);
  const test = { paid: sql`${paid} >= ${total}`, partially_paid: sql`${paid} > 0 AND ${paid} < ${total}`, unpaid: sql`${paid} <= 0 AND ${total} > 0` }[status];
  return sql<SqlBool>`(${kind} AND NOT ${credited(invoice)} AND ${test})`;
}

export interface NewPayment {
  invoiceId: string;
  customerId: string;
  amountCents: number;
  currency: string;
  method: PaymentMethod;
  provider: string | null;
  providerId: string | null;
  reference: string;
  receivedOn: string;
  creditNoteId: string | null;
  recordedById: string | null;
  recordedBy: string;
  createdAt: Date;
}

const columns = [
  'payments.id', 'payments.invoiceId', 'payments.customerId', 'payments.amountCents', 'payments.currency', 'payments.method', 'payments.provider',
  'payments.providerId', 'payments.reference', 'payments.creditNoteId', 'payments.recordedBy', 'payments.createdAt',
  sql<string>`to_char(payments.received_on, 'YYYY-MM-DD')`.as('receivedOn'),
  'invoices.number as invoiceNumber', 'creditNote.number as creditNoteNumber',
] as const;

const base = (db: Db) =>
  db.selectFrom('payments').innerJoin('invoices', 'invoices.id', 'payments.invoiceId').leftJoin('invoices as creditNote', 'creditNote.id', 'payments.creditNoteId');

export async function insertPayment(db: Db, p: NewPayment): Promise<PaymentRow> {
  const { id } = await db.insertInto('payments').values(p).returning('id').executeTakeFirstOrThrow();
  return base(db).select([...columns]).where('payments.id', '=', id).executeTakeFirstOrThrow();
}

/**
 * Holds a provider's payment id until the transaction ends: two deliveries of one webhook record it
 * once (the second waits, then finds the first's row), whatever invoice they name.
 */
export async function lockProviderId(db: Db, provider: string, providerId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(1443, hashtext(${`${provider}\n${providerId}`}))`.execute(db);
}

/** The payment a provider recorded under its own id, if any (a replayed webhook finds it). */
export async function paymentOfProvider(db: Db, provider: string, providerId: string) {
  return base(db).select([...columns]).where('payments.provider', '=', provider).where('payments.providerId', '=', providerId).executeTakeFirst();
}
export type PaymentRow = NonNullable<Awaited<ReturnType<typeof paymentOfProvider>>>;

/** An invoice's paid amount now (received minus refunded). */
export async function paidOf(db: Db, invoiceId: string): Promise<number> {
  const { rows } = await sql<{ paid: number }>`SELECT coalesce(sum(amount_cents), 0)::bigint AS paid FROM payments WHERE invoice_id = ${invoiceId}`.execute(db);
  return rows[0]!.paid;
}

/** The payments and refunds of one invoice, by the day received (then recorded). */
export async function paymentsOfInvoice(db: Db, invoiceId: string): Promise<PaymentRow[]> {
  return base(db).select([...columns]).where('payments.invoiceId', '=', invoiceId).orderBy('payments.receivedOn').orderBy('payments.createdAt').orderBy('payments.id').execute();
}

export interface PaymentFilter {
  customerId?: string;
  method?: PaymentMethod;
  provider?: string;
}

export async function listPayments(db: Db, scope: string[] | null, filter: PaymentFilter, query: ListQuery) {
  let qb = base(db);
  if (scope) qb = qb.where(inScope('payments.customer_id', scope));
  if (filter.customerId) qb = qb.where('payments.customerId', '=', filter.customerId);
  if (filter.method) qb = qb.where('payments.method', '=', filter.method);
  if (filter.provider) qb = qb.where('payments.provider', '=', filter.provider);
  return paginate(
    qb,
    {
      search: ['invoices.number', 'payments.reference', 'payments.provider_id'],
      sorts: { createdAt: 'payments.created_at', receivedOn: 'payments.received_on', amountCents: 'payments.amount_cents' },
      defaultSort: '-createdAt',
      idColumn: 'payments.id',
    },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: PaymentRow[]; nextCursor: string | null; total: number }>;
}

export interface OverdueInvoice {
  id: string;
  number: string;
  customerId: string;
  hostingId: string | null;
  paymentDue: string;
  currency: string;
  totalCents: number;
  paidCents: number;
  balanceCents: number;
}

/**
 * Invoices still owed (not credited, paid less than their total) whose payment was due before `asOf`
 * ('YYYY-MM-DD'), oldest due first: what dunning reminds of. `limit` bounds one batch.
 */
export async function overdueInvoices(db: Db, asOf: string, opts: { customerId?: string; limit?: number } = {}): Promise<OverdueInvoice[]> {
  const { rows } = await sql<OverdueInvoice>`
    SELECT id, number, customer_id AS "customerId", hosting_id AS "hostingId", to_char(payment_due, 'YYYY-MM-DD') AS "paymentDue", currency,
           total_cents AS "totalCents", paid AS "paidCents", owed - paid AS "balanceCents"
    FROM (SELECT invoices.*, ${paidSql()} AS paid, ${owedSql('invoices')} AS owed FROM invoices
          WHERE kind = 'invoice' AND payment_due < ${asOf}::date
          ${opts.customerId ? sql`AND customer_id = ${opts.customerId}` : sql``}) i
    WHERE owed > 0 AND paid < owed
    ORDER BY payment_due, number
    ${opts.limit ? sql`LIMIT ${opts.limit}` : sql``}`.execute(db);
  return rows;
}
