// Dunning in the database (0049-dunning): its settings, its state and log per invoice, staff pauses
// per customer, and the hostings it suspended (a row only while that suspension stands).
import { sql, type Selectable } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DunningInvoicesTable, DunningStep } from '../platform/db/schema-dunning.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { inScope } from '../platform/store-scope.js';
import type { DunningSettings } from './rules-dunning.js';
import { creditedSql, paidSql } from './store-payments.js';

export async function readDunningSettings(db: Db, opts: { lock?: boolean } = {}) {
  const q = db.selectFrom('dunningSettings').select(['enabled', 'reminderDays', 'suspendDay', 'terminateDay', 'updatedAt']);
  return (opts.lock ? q.forUpdate() : q).executeTakeFirstOrThrow();
}

export async function writeDunningSettings(db: Db, s: DunningSettings, now: Date): Promise<void> {
  await db.updateTable('dunningSettings').set({ ...s, reminderDays: sql<number[]>`${`{${s.reminderDays.join(',')}}`}::integer[]` as never, updatedAt: now }).execute();
}

export type DunningRow = Selectable<DunningInvoicesTable>;

const stateColumns = [
  'invoiceId', 'customerId', 'hostingId', 'reminders', sql<string | null>`to_char(last_step_on, 'YYYY-MM-DD')`.as('lastStepOn'), 'suspendedAt', 'terminatedAt',
  'pausedAt', 'pausedBy', 'pauseNote', 'endedAt', 'ended', 'updatedAt',
] as const;

/** The invoice's dunning state, made on first use and locked until the transaction ends. */
export async function openDunning(db: Db, inv: { id: string; customerId: string; hostingId: string | null }, now: Date): Promise<DunningRow> {
  await db.insertInto('dunningInvoices').values({ invoiceId: inv.id, customerId: inv.customerId, hostingId: inv.hostingId, updatedAt: now })
    .onConflict((oc) => oc.column('invoiceId').doNothing()).execute();
  return db.selectFrom('dunningInvoices').select([...stateColumns]).where('invoiceId', '=', inv.id).forUpdate().executeTakeFirstOrThrow();
}

/** Every open dunning state, by invoice, and the customers paused: what the job's walk skips without a transaction. */
export async function openDunnings(db: Db): Promise<{ states: Map<string, DunningRow>; pausedCustomers: Set<string> }> {
  const rows = await db.selectFrom('dunningInvoices').select([...stateColumns]).where('ended', 'is', null).execute();
  const paused = await db.selectFrom('dunningCustomerPauses').select('customerId').execute();
  return { states: new Map(rows.map((r) => [r.invoiceId, r])), pausedCustomers: new Set(paused.map((p) => p.customerId)) };
}

export async function dunningOf(db: Db, invoiceId: string, opts: { lock?: boolean } = {}): Promise<DunningRow | undefined> {
  const q = db.selectFrom('dunningInvoices').select([...stateColumns]).where('invoiceId', '=', invoiceId);
  return (opts.lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateDunning(db: Db, invoiceId: string, patch: Partial<Omit<DunningRow, 'invoiceId' | 'customerId' | 'hostingId'>>, now: Date): Promise<void> {
  await db.updateTable('dunningInvoices').set({ ...patch, updatedAt: now }).where('invoiceId', '=', invoiceId).execute();
}

export interface NewDunningEvent {
  invoiceId: string;
  customerId: string;
  hostingId: string | null;
  step: DunningStep;
  reminder?: number | null;
  daysLate: number;
  detail?: string;
  doneBy: string;
  at: Date;
}

export async function addDunningEvent(db: Db, e: NewDunningEvent): Promise<void> {
  await db.insertInto('dunningEvents').values({ ...e, reminder: e.reminder ?? null, detail: e.detail ?? '' }).execute();
}

export async function dunningEventsOf(db: Db, invoiceId: string) {
  return db.selectFrom('dunningEvents').select(['step', 'reminder', 'daysLate', 'detail', 'doneBy', 'at']).where('invoiceId', '=', invoiceId).orderBy('id').execute();
}

export async function customerPause(db: Db, customerId: string) {
  return db.selectFrom('dunningCustomerPauses').selectAll().where('customerId', '=', customerId).executeTakeFirst();
}

/** Pauses (a note) or resumes (null) a customer's dunning; answers whether it changed anything. */
export async function setCustomerPause(db: Db, customerId: string, pause: { by: string; note: string } | null, now: Date): Promise<boolean> {
  if (!pause) return (await db.deleteFrom('dunningCustomerPauses').where('customerId', '=', customerId).executeTakeFirst()).numDeletedRows > 0n;
  const r = await db.insertInto('dunningCustomerPauses').values({ customerId, pausedAt: now, pausedBy: pause.by, note: pause.note })
    .onConflict((oc) => oc.column('customerId').doNothing()).returning('customerId').executeTakeFirst();
  return !!r;
}

/** Dunning suspended this hosting for this invoice (the row goes when the hosting leaves "suspended"). */
export async function recordSuspension(db: Db, hostingId: string, invoiceId: string, now: Date): Promise<void> {
  await db.insertInto('dunningSuspensions').values({ hostingId, invoiceId, suspendedAt: now }).onConflict((oc) => oc.column('hostingId').doNothing()).execute();
}

/** Whether the hosting's current suspension is dunning's (not staff's). */
export async function suspendedByDunning(db: Db, hostingId: string): Promise<boolean> {
  return !!(await db.selectFrom('dunningSuspensions').select('hostingId').where('hostingId', '=', hostingId).executeTakeFirst());
}

/** Other invoices of the hosting whose dunning still holds it suspended. */
export async function otherSuspendingInvoices(db: Db, hostingId: string, invoiceId: string): Promise<number> {
  const r = await db.selectFrom('dunningInvoices').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hostingId', '=', hostingId).where('ended', 'is', null).where('suspendedAt', 'is not', null).where('invoiceId', '<>', invoiceId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Open dunnings whose invoice is owed no more (paid in full, or credited in full; partial credits count): `limit` at a time. */
export async function dunningsToEnd(db: Db, limit: number): Promise<Array<{ invoiceId: string; credited: boolean }>> {
  const { rows } = await sql<{ invoiceId: string; credited: boolean }>`
    SELECT d.invoice_id AS "invoiceId", invoices.total_cents - ${creditedSql()} <= 0 AS credited
    FROM dunning_invoices d JOIN invoices ON invoices.id = d.invoice_id
    WHERE d.ended IS NULL AND ${paidSql()} >= invoices.total_cents - ${creditedSql()}
    ORDER BY d.updated_at LIMIT ${limit}`.execute(db);
  return rows;
}

export interface DunningFilter {
  customerId?: string;
  hostingId?: string;
  open?: boolean;
}

const listColumns = [
  'dunningInvoices.invoiceId', 'dunningInvoices.customerId', 'dunningInvoices.hostingId', 'dunningInvoices.reminders', sql<string | null>`to_char(dunning_invoices.last_step_on, 'YYYY-MM-DD')`.as('lastStepOn'),
  'dunningInvoices.suspendedAt', 'dunningInvoices.terminatedAt', 'dunningInvoices.pausedAt', 'dunningInvoices.pausedBy', 'dunningInvoices.pauseNote',
  'dunningInvoices.ended', 'dunningInvoices.endedAt', 'dunningInvoices.updatedAt', 'invoices.number', 'invoices.currency', 'invoices.totalCents',
  sql<string>`to_char(invoices.payment_due, 'YYYY-MM-DD')`.as('paymentDue'), paidSql().as('paidCents'), 'hostings.name as hosting',
] as const;

const listBase = (db: Db) =>
  db.selectFrom('dunningInvoices').innerJoin('invoices', 'invoices.id', 'dunningInvoices.invoiceId').leftJoin('hostings', 'hostings.id', 'dunningInvoices.hostingId');

export async function dunningListed(db: Db, invoiceId: string) {
  return listBase(db).select([...listColumns]).where('dunningInvoices.invoiceId', '=', invoiceId).executeTakeFirst();
}
export type DunningListed = NonNullable<Awaited<ReturnType<typeof dunningListed>>>;

export async function listDunnings(db: Db, scope: string[] | null, filter: DunningFilter, query: ListQuery) {
  let qb = listBase(db);
  if (scope) qb = qb.where(inScope('dunning_invoices.customer_id', scope));
  if (filter.customerId) qb = qb.where('dunningInvoices.customerId', '=', filter.customerId);
  if (filter.hostingId) qb = qb.where('dunningInvoices.hostingId', '=', filter.hostingId);
  if (filter.open !== undefined) qb = qb.where('dunningInvoices.ended', filter.open ? 'is' : 'is not', null);
  return paginate(
    qb,
    { search: ['invoices.number'], sorts: { updatedAt: 'dunning_invoices.updated_at', number: 'invoices.number' }, defaultSort: '-updatedAt', idColumn: 'dunning_invoices.invoice_id' },
    query,
    (q) => q.select([...listColumns]),
  ) as Promise<{ items: DunningListed[]; nextCursor: string | null; total: number }>;
}
