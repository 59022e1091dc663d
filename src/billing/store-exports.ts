// What the FEC reads besides the documents (store-invoices.ts invoicesIssuedBetween): the payments and
// refunds received over a range, and what the lettering of the customers' account needs of invoices.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { JournalPayment } from './render-exports.js';
import type { LetterGroup } from './rules-lettering.js';

/** Payments and refunds received from `from` to `to` (days, included), by day received then recorded; the buyer as frozen on the invoice. */
export async function paymentsReceivedBetween(db: Db, from: string, to: string): Promise<JournalPayment[]> {
  const { rows } = await sql<JournalPayment>`
    SELECT p.invoice_id AS "invoiceId", i.number AS "invoiceNumber", (i.buyer->>'number')::int AS "customerNumber", i.buyer->>'name' AS "customerName",
           p.amount_cents::bigint AS "amountCents", p.currency, p.reference, to_char(p.received_on, 'YYYY-MM-DD') AS "receivedOn"
    FROM payments p JOIN invoices i ON i.id = p.invoice_id
    WHERE p.received_on BETWEEN ${from}::date AND ${to}::date
    ORDER BY p.received_on, p.created_at, p.id`.execute(db);
  return rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) }));
}

/**
 * For each invoice of `invoiceIds`: its rank among its customer's invoices (by issue), and what its
 * entries in the customers' account add up to by the day `to` (its total, its credit notes issued and
 * its payments received by then) with the day of the latest of them.
 */
export async function letterGroups(db: Db, invoiceIds: string[], to: string): Promise<LetterGroup[]> {
  if (!invoiceIds.length) return [];
  const { rows } = await sql<{ invoiceId: string; rank: string | number; balanceCents: string | number; lastDay: string }>`
    WITH wanted AS (SELECT id, customer_id FROM invoices WHERE id IN (SELECT unnest(${`{${invoiceIds.join(',')}}`}::uuid[])) AND kind = 'invoice' AND issue_date <= ${to}::date),
    ranked AS (
      SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY issued_at, number) AS rank
      FROM invoices WHERE kind = 'invoice' AND customer_id IN (SELECT customer_id FROM wanted))
    SELECT i.id AS "invoiceId", r.rank,
           i.total_cents + coalesce(c.credited, 0) - coalesce(p.paid, 0) AS "balanceCents",
           to_char(greatest(i.issue_date, c.last_day, p.last_day), 'YYYY-MM-DD') AS "lastDay"
    FROM wanted w JOIN invoices i ON i.id = w.id JOIN ranked r ON r.id = i.id
    LEFT JOIN LATERAL (SELECT sum(total_cents) AS credited, max(issue_date) AS last_day FROM invoices WHERE credits_id = i.id AND issue_date <= ${to}::date) c ON true
    LEFT JOIN LATERAL (SELECT sum(amount_cents) AS paid, max(received_on) AS last_day FROM payments WHERE invoice_id = i.id AND received_on <= ${to}::date) p ON true`.execute(db);
  return rows.map((r) => ({ invoiceId: r.invoiceId, rank: Number(r.rank), balanceCents: Number(r.balanceCents), lastDay: r.lastDay }));
}
