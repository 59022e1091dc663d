// Hostings: one isolated Unix account per hosting, numbered from the configured uid range.
import path from 'node:path';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { Stamp } from '../platform/store-revision.js';
import type { Config } from '../platform/config.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { OfferRow } from '../offers/model.js';
import { inScope } from '../platform/store-scope.js';

const UID_LOCK = 0x4162_7269; // advisory lock serialising uid allocation ("Abri")

export const hostingColumns = [
  'hostings.id', 'hostings.name', 'hostings.uid', 'hostings.home', 'hostings.customerId', 'hostings.offerId', 'hostings.serverId',
  'hostings.status', 'hostings.phpVersion', 'hostings.createdAt', 'hostings.updatedAt', 'hostings.terminatedAt',
  'hostings.purgeRequestedAt', 'hostings.purgedAt', 'hostings.revision', 'customers.number as customerNumber', 'customers.name as customerName', 'customers.status as customerStatus',
  'offers.name as offerName', 'offers.maxSites',
] as const;

const base = (db: Db) =>
  db.selectFrom('hostings')
    .innerJoin('customers', 'customers.id', 'hostings.customerId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId');

/** Finds a hosting by id or system name within the visible customers (null = all). */
export async function findHosting(db: Db, ref: string, scope: string[] | null = null, opts: { lock?: boolean } = {}) {
  let q = base(db).select([...hostingColumns, sql<number>`(select count(*) from sites where sites.hosting_id = hostings.id)`.as('siteCount')]);
  if (uuidLike.test(ref)) q = q.where('hostings.id', '=', ref);
  else if (/^[a-z][a-z0-9]{0,40}$/.test(ref)) q = q.where('hostings.name', '=', ref);
  else throw notFound('hosting');
  if (scope) {
    if (!scope.length) throw notFound('hosting');
    q = q.where('hostings.customerId', 'in', scope);
  }
  if (opts.lock) q = q.forUpdate('hostings') as typeof q;
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('hosting');
  return row;
}
export type HostingRow = Awaited<ReturnType<typeof findHosting>>;

export async function listHostings(db: Db, scope: string[] | null, filter: { customerId?: string; status?: string }, query: ListQuery) {
  let qb = base(db);
  if (scope) qb = qb.where(inScope('hostings.customer_id', scope));
  if (filter.customerId) qb = qb.where('hostings.customerId', '=', filter.customerId);
  if (filter.status) qb = qb.where('hostings.status', '=', filter.status as 'active');
  return paginate(
    qb,
    {
      search: ['hostings.name', 'customers.name', 'customers.number', 'offers.name', 'hostings.status', 'hostings.php_version'],
      sorts: { name: 'hostings.name', uid: 'hostings.uid', status: 'hostings.status', createdAt: 'hostings.created_at', customerNumber: 'customers.number' },
      defaultSort: 'name',
      idColumn: 'hostings.id',
    },
    query,
    (q) => q.select([...hostingColumns, sql<number>`(select count(*) from sites where sites.hosting_id = hostings.id)`.as('siteCount')]),
  );
}

/**
 * The next free uid of the configured range (call inside the creating transaction). Uids come from a
 * sequence, so concurrent creations do not wait for each other (a creation rolled back leaves a gap);
 * the first one, or one after the range changed or a uid was taken by hand, takes a lock held to
 * commit and moves the sequence past the highest uid of the range.
 */
async function allocateUid(db: Db, config: Config): Promise<number> {
  const { rows: [next] } = await sql<{ uid: number | string; taken: boolean }>`
    SELECT n AS uid, EXISTS (SELECT 1 FROM hostings WHERE uid = n) AS taken FROM nextval('hosting_uids') AS n`.execute(db);
  const fast = Number(next!.uid);
  if (fast >= config.uidMin && fast <= config.uidMax && !next!.taken) return fast;
  await sql`select pg_advisory_xact_lock(${UID_LOCK})`.execute(db);
  const { rows: [moved] } = await sql<{ uid: number | string }>`
    SELECT nextval('hosting_uids') AS uid FROM (SELECT setval('hosting_uids', GREATEST(
      (SELECT max(uid) FROM hostings WHERE uid BETWEEN ${config.uidMin} AND ${config.uidMax}), ${config.uidMin - 1},
      (SELECT last_value FROM hosting_uids WHERE last_value BETWEEN ${config.uidMin} AND ${config.uidMax})))) AS s`.execute(db);
  const uid = Number(moved!.uid);
  if (uid > config.uidMax) {
    throw new AppError('hosting.uids_exhausted', `no uid left in ${config.uidMin}–${config.uidMax}; widen ABRI_UID_MAX`);
  }
  return uid;
}

export function defaultPhpVersion(offer: OfferRow): string {
  return [...offer.phpVersions].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))[0];
}

export function assertPhpAllowed(offer: OfferRow, version: string, field = 'body.phpVersion') {
  if (!offer.phpVersions.includes(version)) {
    throw new AppError('offer.php_version_not_allowed', `PHP ${version} is not allowed by the offer "${offer.name}" (allowed: ${offer.phpVersions.join(', ')})`, { issues: [{ code: 'offer.php_version_not_allowed', path: field, message: `allowed: ${offer.phpVersions.join(', ')}` }],
    });
  }
}

export async function createHosting(db: Db, config: Config, h: { customerId: string; offer: OfferRow; phpVersion?: string; serverId: string | null }) {
  const phpVersion = h.phpVersion ?? defaultPhpVersion(h.offer);
  assertPhpAllowed(h.offer, phpVersion);
  const uid = await allocateUid(db, config);
  const name = `${config.hostingPrefix}${uid}`;
  // inserted and read back as findHosting reads it, in one statement (a new hosting has no site)
  return db
    .with('created', (w) => w.insertInto('hostings')
      .values({ customerId: h.customerId, offerId: h.offer.id, serverId: h.serverId, name, uid, home: path.join(config.hostingRoot, name), phpVersion, terminatedAt: null })
      .returningAll())
    .selectFrom('created as hostings')
    .innerJoin('customers', 'customers.id', 'hostings.customerId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .select([...hostingColumns, sql<number>`0`.as('siteCount')])
    .executeTakeFirstOrThrow();
}

export async function updateHosting(db: Db, id: string, c: { offerId?: string; phpVersion?: string; status?: 'active' | 'suspended'; serverId?: string | null }, now: Date) {
  await db.updateTable('hostings').set({ ...c, updatedAt: now }).where('id', '=', id).execute();
  return findHosting(db, id);
}

/** Terminates a hosting: its sites are removed (their names become free), its files are kept. */
export async function terminateHosting(db: Db, id: string, now: Date) {
  const sites = await db.deleteFrom('sites').where('hostingId', '=', id).returning(['domain', 'aliases', 'platformLabel']).execute();
  await db.updateTable('hostings').set({ status: 'terminated', terminatedAt: now, updatedAt: now }).where('id', '=', id).execute();
  return sites;
}

export async function requestPurge(db: Db, id: string, now: Date) {
  await db.updateTable('hostings').set({ purgeRequestedAt: now }).where('id', '=', id).execute();
}

/** The PHP versions the hosting's sites use (a new offer must allow each). */
export async function phpVersionsInUse(db: Db, hostingId: string): Promise<string[]> {
  return (await db.selectFrom('sites').select('phpVersion').distinct().where('hostingId', '=', hostingId).execute()).map((r) => r.phpVersion);
}

/**
 * What to stamp with the revision of a change to a hosting (Change.bump): the hosting and its sites,
 * or one of them; a server's report older than that reads "pending".
 */
export function hostingStamps(hostingId: string, siteId?: string): Stamp[] {
  return [{ table: 'hostings', ids: [hostingId] }, siteId ? { table: 'sites', ids: [siteId] } : { table: 'sites', by: 'hosting_id', ids: [hostingId] }];
}

/**
 * `servers` and the database servers holding a hosting's databases and users (src/databases, a
 * capability above this one: its tables read here by name), which must apply its suspension,
 * termination and purge. One expression: the statement writing the revision evaluates it.
 */
export function withDatabaseServers(servers: RawBuilder<string[]>, hostingId: string): RawBuilder<string[]> {
  return sql<string[]>`ARRAY(SELECT unnest(${servers}) UNION SELECT server_id FROM databases WHERE hosting_id = ${hostingId}
    UNION SELECT server_id FROM database_users WHERE hosting_id = ${hostingId})`;
}
