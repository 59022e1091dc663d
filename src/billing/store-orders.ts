// Orders in the database (0050-orders): one row per order, with its invoice (one per order), the
// hosting made once paid, and its state. The row is what a payment, a cancellation, the expiry job
// and provisioning lock, so one order is never paid and cancelled, nor provisioned twice.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { OrdersTable, OrderState } from '../platform/db/schema-orders.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { inScope } from '../platform/store-scope.js';
import { uuidLike } from '../platform/validation.js';
import { paidSql } from './store-payments.js';

const base = (db: Db) =>
  db
    .selectFrom('orders')
    .innerJoin('customers', 'customers.id', 'orders.customerId')
    .innerJoin('invoices', 'invoices.id', 'orders.invoiceId')
    .leftJoin('hostings', 'hostings.id', 'orders.hostingId');

const columns = [
  'orders.id', 'orders.number', 'orders.customerId', 'customers.name as customerName', 'customers.number as customerNumber', 'orders.offerId', 'orders.offerName',
  'orders.priceCents', 'orders.currency', 'orders.billingCycle', 'orders.domain', 'orders.state', 'orders.error', 'orders.invoiceId', 'invoices.number as invoiceNumber',
  'invoices.totalCents as invoiceTotalCents', paidSql().as('invoicePaidCents'), 'orders.hostingId', 'hostings.name as hostingName', 'orders.orderedBy',
  'orders.createdAt', 'orders.paidAt', 'orders.provisionedAt', 'orders.cancelledAt',
] as const;

/** An order by id or number, among the customers of `scope` (null: all); `lock` holds its row until the change ends. */
export async function findOrder(db: Db, ref: string, scope: string[] | null, opts: { lock?: boolean } = {}) {
  const by = uuidLike.test(ref) ? 'orders.id' : /^\d{1,15}$/.test(ref) ? 'orders.number' : null;
  if (!by || scope?.length === 0) throw notFound('order');
  let q = base(db).select([...columns]).where(sql.ref(by), '=', ref);
  if (scope) q = q.where(inScope('orders.customer_id', scope));
  const row = await (opts.lock ? q.forUpdate('orders') : q).executeTakeFirst();
  if (!row) throw notFound('order');
  return row;
}
export type OrderRow = Awaited<ReturnType<typeof findOrder>>;

/** The order an invoice was issued for, its row locked (null: the invoice is no order's). */
export async function lockOrderOfInvoice(db: Db, invoiceId: string): Promise<OrderRow | null> {
  const row = await db.selectFrom('orders').select('id').where('invoiceId', '=', invoiceId).forUpdate().executeTakeFirst();
  return row ? findOrder(db, row.id, null) : null;
}

/** What placing an order writes (the rest of the row: its defaults, state and times). */
export type NewOrder = Pick<OrdersTable, 'customerId' | 'offerId' | 'offerName' | 'priceCents' | 'currency' | 'billingCycle' | 'domain' | 'invoiceId' | 'orderedBy'>;

export async function insertOrder(db: Db, o: NewOrder, now: Date): Promise<string> {
  const row = await db.insertInto('orders').values({ ...o, state: 'awaiting_payment', createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface OrderChange {
  state: OrderState;
  error?: string;
  hostingId?: string;
  paidAt?: Date;
  provisionedAt?: Date;
  cancelledAt?: Date;
}

export async function updateOrder(db: Db, id: string, change: OrderChange, now: Date): Promise<void> {
  await db.updateTable('orders').set({ ...change, updatedAt: now }).where('id', '=', id).execute();
}

export interface OrderFilter {
  customerId?: string;
  state?: OrderState;
}

export async function listOrders(db: Db, scope: string[] | null, filter: OrderFilter, query: ListQuery) {
  let qb = base(db);
  if (scope) qb = qb.where(inScope('orders.customer_id', scope));
  if (filter.customerId) qb = qb.where('orders.customerId', '=', filter.customerId);
  if (filter.state) qb = qb.where('orders.state', '=', filter.state);
  return paginate(
    qb,
    {
      search: ['orders.offer_name', 'orders.domain', 'invoices.number', 'customers.name'],
      sorts: { createdAt: 'orders.created_at', number: 'orders.number' },
      defaultSort: '-createdAt',
      idColumn: 'orders.id',
    },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: OrderRow[]; nextCursor: string | null; total: number }>;
}

/** Orders still awaiting payment that were placed before `before`, oldest first (the expiry job's batch). */
export async function ordersToExpire(db: Db, before: Date, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('orders').select('id').where('state', '=', 'awaiting_payment').where('createdAt', '<', before).orderBy('createdAt').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** The offers anyone may order: orderable, not archived, priced; cheapest first. */
export async function orderableOffers(db: Db) {
  return db
    .selectFrom('offers')
    .select(['id', 'name', 'priceCents', 'currency', 'billingCycle', 'diskMb', 'maxSites', 'maxMailboxes', 'maxDatabases', 'sshAllowed', 'tlsAllowed'])
    .where('orderable', '=', true).where('archived', '=', false).where('priceCents', '>', 0)
    .orderBy('priceCents').orderBy('name')
    .execute();
}
