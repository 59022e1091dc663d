import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/http/list.js';
import { uuidLike } from '../platform/validation.js';
import type { OfferRow } from './model.js';

type OfferInput = Omit<OfferRow, 'id' | 'createdAt' | 'updatedAt'>;

export async function findOffer(db: Db, ref: string): Promise<OfferRow> {
  const row = uuidLike.test(ref)
    ? await db.selectFrom('offers').selectAll().where('id', '=', ref).executeTakeFirst()
    : await db.selectFrom('offers').selectAll().where(sql<boolean>`lower(name) = lower(${ref})`).executeTakeFirst();
  if (!row) throw notFound('offer');
  return row as OfferRow;
}

async function assertNameFree(db: Db, name: string, id?: string) {
  const other = await db.selectFrom('offers').select('id').where(sql<boolean>`lower(name) = lower(${name})`).executeTakeFirst();
  if (other && other.id !== id) throw new AppError('offer.name_taken', `an offer named "${name}" already exists`);
}

function assertPhpVersions(versions: string[], available: string[]) {
  const unknown = versions.filter((v) => !available.includes(v));
  if (unknown.length) {
    throw new AppError('offer.invalid', `PHP ${unknown.join(', ')} is not offered by this platform (ABRI_PHP_VERSIONS: ${available.join(', ')})`, {
      issues: [{ code: 'offer.invalid', path: 'body.phpVersions', message: `allowed: ${available.join(', ')}` }],
    });
  }
}

export async function createOffer(db: Db, o: OfferInput, availablePhp: string[]): Promise<OfferRow> {
  assertPhpVersions(o.phpVersions, availablePhp);
  await assertNameFree(db, o.name);
  return (await db.insertInto('offers').values({ ...o, phpVersions: [...new Set(o.phpVersions)] }).returningAll().executeTakeFirstOrThrow()) as OfferRow;
}

export async function updateOffer(db: Db, id: string, o: Partial<OfferInput>, availablePhp: string[]): Promise<OfferRow> {
  if (o.phpVersions) assertPhpVersions(o.phpVersions, availablePhp);
  if (o.name) await assertNameFree(db, o.name, id);
  return (await db
    .updateTable('offers')
    .set({ ...o, ...(o.phpVersions ? { phpVersions: [...new Set(o.phpVersions)] } : {}), updatedAt: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as OfferRow;
}

export async function deleteOffer(db: Db, id: string) {
  const used = await db.selectFrom('hostings').select('name').where('offerId', '=', id).executeTakeFirst();
  if (used) throw new AppError('offer.in_use', `hosting ${used.name} uses this offer; archive it instead`);
  await db.deleteFrom('offers').where('id', '=', id).execute();
}

export async function listOffers(db: Db, query: ListQuery) {
  return paginate(
    db.selectFrom('offers'),
    {
      search: ['offers.name', 'offers.billing_cycle'],
      sorts: { name: 'offers.name', priceCents: 'offers.price_cents', diskMb: 'offers.disk_mb', createdAt: 'offers.created_at' },
      defaultSort: 'name',
      idColumn: 'offers.id',
    },
    query,
    (q) => q.selectAll(),
  ) as Promise<{ items: OfferRow[]; nextCursor: string | null; total: number }>;
}
