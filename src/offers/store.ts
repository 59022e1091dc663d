// Offers in the database.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { prepared } from '../platform/db/prepared.js';
import { CommittedCache } from '../platform/committed-cache.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { OfferInput, OfferRow } from './model.js';

/** offers by id, for the write path (platform/committed-cache.ts): the stores below forget them when they write */
const offerCache = new CommittedCache<OfferRow>(1000);

const offerById = prepared((db, p: { id: string }) => db.selectFrom('offers').selectAll().where('id', '=', p.id));

/** An offer by id or name (any case); `lock` holds it until the transaction ends. */
export async function findOffer(db: Db, ref: string, opts: { lock?: boolean } = {}): Promise<OfferRow> {
  if (!opts.lock && uuidLike.test(ref)) {
    // a new hosting's offer, compiled once and kept a second
    const row = await offerCache.read(db, ref, () => offerById.first(db, { id: ref }));
    if (!row) throw notFound('offer');
    return { ...row } as OfferRow; // the cached row stays as read
  }
  let q = db.selectFrom('offers').selectAll();
  q = uuidLike.test(ref) ? q.where('id', '=', ref) : q.where(sql<boolean>`lower(name) = lower(${ref})`);
  const row = await (opts.lock ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw notFound('offer');
  return row as OfferRow;
}

/** Whether another offer (than `exceptId`) has this name, whatever the case. */
export async function offerNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('offers')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertOffer(db: Db, o: OfferInput): Promise<OfferRow> {
  return (await db.insertInto('offers').values(o).returningAll().executeTakeFirstOrThrow()) as OfferRow;
}

export async function updateOffer(db: Db, id: string, o: Partial<OfferInput>, now: Date): Promise<OfferRow> {
  const row = (await db
    .updateTable('offers')
    .set({ ...o, updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as OfferRow;
  offerCache.changed(db);
  return row;
}

export async function deleteOffer(db: Db, id: string): Promise<void> {
  await db.deleteFrom('offers').where('id', '=', id).execute();
  offerCache.changed(db);
}

/** The name of one hosting (terminated or not) that uses the offer, or null. */
export async function hostingUsingOffer(db: Db, offerId: string): Promise<string | null> {
  const row = await db.selectFrom('hostings').select('name').where('offerId', '=', offerId).orderBy('name').executeTakeFirst();
  return row?.name ?? null;
}

/** The web servers of the live (not terminated) hostings of an offer. */
export async function serversOfOfferHostings(db: Db, offerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('hostings')
    .select('serverId')
    .distinct()
    .where('offerId', '=', offerId)
    .where('status', '!=', 'terminated')
    .where('serverId', 'is not', null)
    .execute();
  return rows.map((r) => r.serverId!);
}

/** The mail servers of an offer's live hostings (they apply its sending limits). */
export async function mailServersOfOffer(db: Db, offerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mailDomains')
    .innerJoin('hostings', 'hostings.id', 'mailDomains.hostingId')
    .select('mailDomains.serverId')
    .distinct()
    .where('hostings.offerId', '=', offerId)
    .where('hostings.status', '!=', 'terminated')
    .execute();
  return rows.map((r) => r.serverId);
}

/** Marks the mailboxes of an offer's live hostings as changed at `revision`. */
export async function stampOfferMailboxes(db: Db, offerId: string, revision: number): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({ revision })
    .where('hostingId', 'in', (q) => q.selectFrom('hostings').select('id').where('offerId', '=', offerId).where('status', '!=', 'terminated'))
    .execute();
}

/** Marks the live hostings of an offer as changed at `revision` (their servers render them again). */
export async function stampOfferHostings(db: Db, offerId: string, revision: number): Promise<void> {
  await db.updateTable('hostings').set({ revision }).where('offerId', '=', offerId).where('status', '!=', 'terminated').execute();
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
