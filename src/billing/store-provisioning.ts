// The billing tool's ids of customers and hostings (0051-provisioning-refs). A call takes its refs'
// locks first (transaction-scoped advisory locks): identical calls at once then run one after the
// other, and the later ones find what the first made; the unique keys stay the last guard.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';

export interface HostingRef { ref: string; hostingId: string; customerRef: string; domain: string | null }

/** Holds a ref until the change ends (kind: 'c' customer, 'h' hosting). */
export async function lockRef(db: Db, kind: 'c' | 'h', ref: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`abri.provisioning.${kind}:${ref}`}, 0))`.execute(db);
}

export async function customerOfRef(db: Db, ref: string): Promise<string | null> {
  const r = await sql<{ customerId: string }>`SELECT customer_id AS "customerId" FROM provisioning_customers WHERE ref = ${ref}`.execute(db);
  return r.rows[0]?.customerId ?? null;
}

export async function insertCustomerRef(db: Db, ref: string, customerId: string, now: Date): Promise<void> {
  await sql`INSERT INTO provisioning_customers (ref, customer_id, created_at) VALUES (${ref}, ${customerId}, ${now})`.execute(db);
}

export async function findHostingRef(db: Db, ref: string): Promise<HostingRef | null> {
  const r = await sql<HostingRef>`
    SELECT ref, hosting_id AS "hostingId", customer_ref AS "customerRef", domain FROM provisioning_hostings WHERE ref = ${ref}`.execute(db);
  return r.rows[0] ?? null;
}

export async function insertHostingRef(db: Db, h: HostingRef, now: Date): Promise<void> {
  await sql`INSERT INTO provisioning_hostings (ref, hosting_id, customer_ref, domain, created_at) VALUES (${h.ref}, ${h.hostingId}, ${h.customerRef}, ${h.domain}, ${now})`.execute(db);
}
