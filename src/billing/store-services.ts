// Services in the database: the due date of each hosting (services), what the renewal job reads
// and moves.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { inScope } from '../platform/store-scope.js';
import { uuidLike } from '../platform/validation.js';
import { notFullyCredited } from './store-invoices.js';

const dueDate = sql<string | null>`to_char(services.due_date, 'YYYY-MM-DD')`;

/** A hosting with what its service is billed from (null due date: not a service yet). */
export async function findService(db: Db, ref: string, scope: string[] | null, opts: { lock?: boolean } = {}) {
  const by = uuidLike.test(ref) ? 'hostings.id' : /^[a-z][a-z0-9]{0,40}$/.test(ref) ? 'hostings.name' : null;
  if (!by || scope?.length === 0) throw notFound('hosting');
  let q = db
    .selectFrom('hostings')
    .innerJoin('customers', 'customers.id', 'hostings.customerId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .leftJoin('services', 'services.hostingId', 'hostings.id')
    .select([
      'hostings.id as hostingId', 'hostings.name as hosting', 'hostings.status as hostingStatus', 'hostings.customerId', 'customers.status as customerStatus',
      'offers.id as offerId', 'offers.name as offer', 'offers.priceCents', 'offers.currency', 'offers.billingCycle', 'offers.vatRateBp', dueDate.as('dueDate'),
      sql<string | null>`to_char(services.ends_on, 'YYYY-MM-DD')`.as('endsOn'), 'services.endMode', 'services.endRequestedAt',
    ])
    .where(sql.ref(by), '=', ref);
  if (scope) q = q.where(inScope('hostings.customer_id', scope));
  // the hosting row is what a concurrent issue of the same service waits on
  const row = await (opts.lock ? q.forUpdate('hostings') : q).executeTakeFirst();
  if (!row) throw notFound('hosting');
  return row;
}
export type ServiceRow = Awaited<ReturnType<typeof findService>>;

export async function setDueDate(db: Db, hostingId: string, day: string, now: Date): Promise<void> {
  await db
    .insertInto('services')
    .values({ hostingId, dueDate: day, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.column('hostingId').doUpdateSet({ dueDate: day, updatedAt: now }))
    .execute();
}

/** Every live hosting becomes a service, due on `today`, the first time the renewal job sees it. */
export async function startServices(db: Db, today: string, now: Date): Promise<number> {
  const r = await sql`
    INSERT INTO services (hosting_id, due_date, created_at, updated_at)
    SELECT h.id, ${today}::date, ${now}, ${now} FROM hostings h
    WHERE h.status <> 'terminated' AND NOT EXISTS (SELECT 1 FROM services s WHERE s.hosting_id = h.id)
    ON CONFLICT (hosting_id) DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/**
 * Services whose renewal invoice is due by `today` (due date minus `renewalDays`) and not issued:
 * live hostings of priced offers with no invoice (credited or not) for the period starting on their due date.
 */
export async function servicesToRenew(db: Db, today: string, renewalDays: number, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT h.id FROM services s JOIN hostings h ON h.id = s.hosting_id JOIN offers o ON o.id = h.offer_id
    WHERE h.status <> 'terminated' AND o.price_cents > 0 AND s.due_date - ${renewalDays}::int <= ${today}::date
      AND (s.ends_on IS NULL OR s.ends_on > s.due_date)
      AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.kind = 'invoice' AND i.hosting_id = h.id AND i.period_start = s.due_date)
    ORDER BY s.due_date, h.id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Services whose due date has come and whose next period is invoiced (an invoice not credited):
 * their due date moves to the end of that period. Answers how many moved.
 */
export async function rollDueDates(db: Db, today: string, now: Date): Promise<number> {
  const r = await sql`
    UPDATE services s SET due_date = i.period_end, updated_at = ${now}
    FROM invoices i
    WHERE s.due_date <= ${today}::date AND i.kind = 'invoice' AND i.hosting_id = s.hosting_id AND i.period_start = s.due_date
      AND ${notFullyCredited}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
