// A service's lifecycle in the database: the invoice of the period a change of offer cuts, the end
// of a service (its day and way, cancelled by clearing them), the services whose end has come.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFullyCredited } from './store-invoices.js';

/**
 * The invoice of a hosting whose period holds `today` and is not credited in full: the latest issued
 * when several do (the invoice of a previous change of offer in the same period comes after the renewal's).
 */
export async function invoiceOfToday(db: Db, hostingId: string, today: string) {
  const { rows } = await sql<{ id: string; number: string; periodStart: string; periodEnd: string }>`
    SELECT i.id, i.number, to_char(i.period_start, 'YYYY-MM-DD') AS "periodStart", to_char(i.period_end, 'YYYY-MM-DD') AS "periodEnd"
    FROM invoices i
    WHERE i.kind = 'invoice' AND i.hosting_id = ${hostingId} AND i.period_start <= ${today}::date AND i.period_end > ${today}::date AND ${notFullyCredited}
    ORDER BY i.issued_at DESC, i.seq DESC LIMIT 1`.execute(db);
  return rows[0] ?? null;
}

/** Sets (or, with null, cancels) the end of a service; a hosting not billed yet becomes a service due that day. */
export async function setServiceEnd(db: Db, hostingId: string, end: { endsOn: string; mode: 'term' | 'early' } | null, dueIfNew: string, now: Date): Promise<void> {
  const set = end ? { endsOn: end.endsOn, endMode: end.mode, endRequestedAt: now, updatedAt: now } : { endsOn: null, endMode: null, endRequestedAt: null, updatedAt: now };
  await db
    .insertInto('services')
    .values({ hostingId, dueDate: dueIfNew, createdAt: now, ...set })
    .onConflict((oc) => oc.column('hostingId').doUpdateSet(set))
    .execute();
}

/** Hostings not terminated whose service ends by `today`, the earliest first. */
export async function servicesEnding(db: Db, today: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT h.id FROM services s JOIN hostings h ON h.id = s.hosting_id
    WHERE s.ends_on <= ${today}::date AND h.status <> 'terminated'
    ORDER BY s.ends_on, h.id LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.id);
}
