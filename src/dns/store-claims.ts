// Claims in the database (model-claims.ts says what they are).
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import { foldText } from '../platform/names.js';
import type { ClaimRow } from './model-claims.js';
import { inScope } from '../platform/store-scope.js';

const columns = [
  'zoneClaims.id', 'zoneClaims.name', 'zoneClaims.customerId', 'zoneClaims.token', 'zoneClaims.dns', 'zoneClaims.status', 'zoneClaims.method',
  'zoneClaims.createdAt', 'zoneClaims.verifiedAt', 'customers.status as customerStatus',
] as const;

const claims = (db: Db) => db.selectFrom('zoneClaims').innerJoin('customers', 'customers.id', 'zoneClaims.customerId');

/** A claim by id, among the customers visible (null = all, staff). */
export async function findClaim(db: Db, id: string, scope: string[] | null, opts: { lock?: boolean } = {}): Promise<ClaimRow> {
  if (!uuidLike.test(id)) throw notFound('claim');
  let q = claims(db).select(columns).where('zoneClaims.id', '=', id);
  if (scope) q = q.where(inScope('zone_claims.customer_id', scope));
  const row = await (opts.lock ? q.forUpdate('zoneClaims') : q).executeTakeFirst();
  if (!row) throw notFound('claim');
  return row as ClaimRow;
}

export async function claimOf(db: Db, name: string, customerId: string): Promise<ClaimRow | null> {
  return ((await claims(db).select(columns).where('zoneClaims.name', '=', name).where('zoneClaims.customerId', '=', customerId).executeTakeFirst()) ?? null) as ClaimRow | null;
}

export async function listClaims(db: Db, scope: string[] | null, query: ListQuery & { customerId?: string; status?: 'pending' | 'verified' }) {
  let base = claims(db);
  if (scope) base = base.where(inScope('zone_claims.customer_id', scope));
  if (query.customerId) base = base.where('zoneClaims.customerId', '=', query.customerId);
  if (query.status) base = base.where('zoneClaims.status', '=', query.status);
  return paginate(
    base,
    {
      search: ['zone_claims.name', 'zone_claims.status'],
      sorts: { createdAt: 'zone_claims.created_at', name: 'zone_claims.name', status: 'zone_claims.status' },
      defaultSort: '-createdAt',
      idColumn: 'zone_claims.id',
    },
    { ...query, q: query.q === undefined ? undefined : foldText(query.q) },
    (q) => q.select(columns),
  ) as Promise<{ items: ClaimRow[]; nextCursor: string | null; total: number }>;
}

export async function insertClaim(db: Db, c: { name: string; customerId: string; token: string; dns: 'managed' | 'external' }, now: Date): Promise<string> {
  return (await db.insertInto('zoneClaims').values({ ...c, createdAt: now }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function markClaimVerified(db: Db, id: string, method: 'txt' | 'ns', now: Date): Promise<void> {
  await db.updateTable('zoneClaims').set({ status: 'verified', method, verifiedAt: now }).where('id', '=', id).execute();
}

export async function deleteClaim(db: Db, id: string): Promise<void> {
  await db.deleteFrom('zoneClaims').where('id', '=', id).execute();
}
