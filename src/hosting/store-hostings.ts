// Hostings: one isolated Unix account per hosting, numbered from the configured uid range.
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { ServerQuery, Stamp } from '../platform/store-revision.js';
import type { Config } from '../platform/config.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { prepared, type Prepared } from '../platform/db/prepared.js';
import { uuidLike } from '../platform/validation.js';
import type { OfferRow } from '../offers/model.js';
import { inScope } from '../platform/store-scope.js';
import { webServerToPick } from '../servers/store.js';

const UID_LOCK = 0x4162_7269; // advisory lock serialising uid allocation ("Abri")

export const hostingColumns = [
  'hostings.id', 'hostings.name', 'hostings.uid', 'hostings.home', 'hostings.customerId', 'hostings.offerId', 'hostings.serverId',
  'hostings.status', 'hostings.phpVersion', 'hostings.createdAt', 'hostings.updatedAt', 'hostings.terminatedAt',
  'hostings.purgeRequestedAt', 'hostings.purgedAt', 'hostings.revision', 'customers.number as customerNumber', 'customers.name as customerName', 'customers.status as customerStatus',
  'offers.name as offerName', 'offers.maxSites', 'offers.maxDatabases', 'offers.maxFtpUsers', 'offers.maxCronTasks', 'offers.phpVersions as offerPhpVersions', 'offers.tlsAllowed as offerTlsAllowed', 'offers.diskMb',
  'disk.usedBytes as diskUsedBytes', 'disk.enforced as diskEnforced', 'disk.measuredAt as diskMeasuredAt',
] as const;

/** What a hosting's offer allows its sites, as findHosting reads it (no query of the offer). */
export const offerOf = (h: HostingRow): SiteOffer => ({ id: h.offerId, name: h.offerName, maxSites: h.maxSites, phpVersions: h.offerPhpVersions, tlsAllowed: h.offerTlsAllowed });
export type SiteOffer = Pick<OfferRow, 'id' | 'name' | 'maxSites' | 'phpVersions' | 'tlsAllowed'>;

const base = (db: Db) =>
  db.selectFrom('hostings')
    .innerJoin('customers', 'customers.id', 'hostings.customerId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .leftJoin('hostingDiskUsage as disk', (j) => j.onRef('disk.hostingId', '=', 'hostings.id').onRef('disk.serverId', '=', 'hostings.serverId')); // measured by its current server

/**
 * What a hosting uses of its offer's counted quotas: its sites, its MariaDB databases, its SFTP and
 * FTP users together, its scheduled tasks (tables of src/databases, src/files and src/cron,
 * capabilities above this one, read here by name like serversOfHosting does).
 */
const usage = [
  sql<number>`(select count(*) from sites where sites.hosting_id = hostings.id)`.as('siteCount'),
  sql<number>`(select count(*) from databases where databases.hosting_id = hostings.id)`.as('databaseCount'),
  sql<number>`((select count(*) from sftp_users where sftp_users.hosting_id = hostings.id) + (select count(*) from ftp_users where ftp_users.hosting_id = hostings.id))`.as('transferUserCount'),
  sql<number>`(select count(*) from cron_tasks where cron_tasks.hosting_id = hostings.id)`.as('cronTaskCount'),
] as const;
/** The usage of a hosting just created: nothing yet. */
const noUsage = ['siteCount', 'databaseCount', 'transferUserCount', 'cronTaskCount'].map((n) => sql<number>`0`.as(n)) as unknown as typeof usage;

/** One statement per form of findHosting (by id or name, scoped or not, locked or not), compiled once. */
const findHostingBy = new Map<string, Prepared<{ ref: string; scope: string[] }, HostingRow>>();
function findHostingQuery(by: 'id' | 'name', scoped: boolean, lock: boolean) {
  const key = `${by} ${scoped} ${lock}`;
  let q = findHostingBy.get(key);
  if (!q) {
    findHostingBy.set(key, (q = prepared((db, p: { ref: string; scope: string[] }) => {
      let s = selectHosting(db).where(by === 'id' ? 'hostings.id' : 'hostings.name', '=', p.ref);
      if (scoped) s = s.where(sql<boolean>`hostings.customer_id = ANY(${p.scope}::uuid[])`);
      return lock ? s.forUpdate('hostings') : s;
    })));
  }
  return q;
}

/** Finds a hosting by id or system name within the visible customers (null = all). */
export async function findHosting(db: Db, ref: string, scope: string[] | null = null, opts: { lock?: boolean } = {}): Promise<HostingRow> {
  const by = uuidLike.test(ref) ? 'id' : /^[a-z][a-z0-9]{0,40}$/.test(ref) ? 'name' : null;
  if (!by || scope?.length === 0) throw notFound('hosting');
  const row = await findHostingQuery(by, scope !== null, opts.lock ?? false).first(db, { ref, scope: scope ?? [] });
  if (!row) throw notFound('hosting');
  return row;
}
/** A hosting's row as the API shows it: its columns and its usage. */
const selectHosting = (db: Db) => base(db).select([...hostingColumns, ...usage]);
export type HostingRow = Awaited<ReturnType<ReturnType<typeof selectHosting>['executeTakeFirstOrThrow']>>;

/** used / max of the hosting's disk as last measured by its server (-1: not measured yet): the `disk` sort. */
const diskFill = sql<number>`COALESCE((SELECT d.used_bytes::float8 / GREATEST(o.disk_mb::float8 * 1048576, 1)
  FROM hosting_disk_usage d JOIN offers o ON o.id = hostings.offer_id WHERE d.hosting_id = hostings.id AND d.server_id = hostings.server_id), -1)`;

export async function listHostings(db: Db, scope: string[] | null, filter: { customerId?: string; status?: string }, query: ListQuery) {
  let qb = base(db).innerJoinLateral(db.selectNoFrom(diskFill.as('fill')).as('diskFill'), (j) => j.onTrue());
  if (scope) qb = qb.where(inScope('hostings.customer_id', scope));
  if (filter.customerId) qb = qb.where('hostings.customerId', '=', filter.customerId);
  if (filter.status) qb = qb.where('hostings.status', '=', filter.status as 'active');
  return paginate(
    qb,
    {
      search: ['hostings.name', 'customers.name', 'customers.number', 'offers.name', 'hostings.status', 'hostings.php_version'],
      sorts: { name: 'hostings.name', uid: 'hostings.uid', status: 'hostings.status', createdAt: 'hostings.created_at', customerNumber: 'customers.number', disk: 'diskFill.fill' },
      defaultSort: 'name',
      idColumn: 'hostings.id',
    },
    query,
    (q) => q.select([...hostingColumns, ...usage]),
  );
}

/**
 * Uids come from a sequence, so concurrent creations do not wait for each other (a creation rolled
 * back leaves a gap). When the next value is out of the configured range or taken (the first
 * creation, the range changed, a uid taken by hand), a lock held to commit serialises creations and
 * the sequence moves past the highest uid of the range.
 */
async function uidAfterMiss(db: Db, config: Config): Promise<number> {
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

export function assertPhpAllowed(offer: Pick<OfferRow, 'name' | 'phpVersions'>, version: string, field = 'body.phpVersion') {
  if (!offer.phpVersions.includes(version)) {
    throw new AppError('offer.php_version_not_allowed', `PHP ${version} is not allowed by the offer "${offer.name}" (allowed: ${offer.phpVersions.join(', ')})`, { issues: [{ code: 'offer.php_version_not_allowed', path: field, message: `allowed: ${offer.phpVersions.join(', ')}` }],
    });
  }
}

interface NewHosting { customerId: string; offerId: string; serverId: string | null; phpVersion: string; prefix: string; homeBase: string; uidMin: number; uidMax: number }

/**
 * Inserts a hosting and reads it back as findHosting does (a new hosting has no site, no database), in one
 * statement: its uid is the sequence's next value when that is free and in range (else no row), its
 * web server the one given or the least used (servers/store webServerToPick).
 */
const placeHosting = prepared((db, p: NewHosting) => db
  .with('created', (w) => w.insertInto('hostings')
    .columns(['customerId', 'offerId', 'serverId', 'name', 'uid', 'home', 'phpVersion'])
    .expression((eb) => eb.selectFrom(sql<{ uid: number }>`(SELECT nextval('hosting_uids') AS uid)`.as('n'))
      .select([
        sql`${p.customerId}::uuid`.as('customerId'), sql`${p.offerId}::uuid`.as('offerId'), sql`COALESCE(${p.serverId}::uuid, ${webServerToPick()})`.as('serverId'),
        sql`${p.prefix}::text || n.uid`.as('name'), 'n.uid', sql`${p.homeBase}::text || n.uid`.as('home'), sql`${p.phpVersion}::text`.as('phpVersion'),
      ])
      .where(sql<boolean>`n.uid BETWEEN ${p.uidMin} AND ${p.uidMax} AND NOT EXISTS (SELECT 1 FROM hostings WHERE uid = n.uid)`))
    .returningAll())
  .selectFrom('created as hostings')
  .innerJoin('customers', 'customers.id', 'hostings.customerId')
  .innerJoin('offers', 'offers.id', 'hostings.offerId')
  .leftJoin('hostingDiskUsage as disk', (j) => j.onRef('disk.hostingId', '=', 'hostings.id').onRef('disk.serverId', '=', 'hostings.serverId'))
  .select([...hostingColumns, ...noUsage]));

/** The same with a uid allocated by uidAfterMiss. */
const insertHosting = prepared((db, p: NewHosting & { uid: number; name: string; home: string }) => db
  .with('created', (w) => w.insertInto('hostings')
    .values({ customerId: p.customerId, offerId: p.offerId, serverId: sql`COALESCE(${p.serverId}::uuid, ${webServerToPick()})`, name: p.name, uid: p.uid, home: p.home, phpVersion: p.phpVersion })
    .returningAll())
  .selectFrom('created as hostings')
  .innerJoin('customers', 'customers.id', 'hostings.customerId')
  .innerJoin('offers', 'offers.id', 'hostings.offerId')
  .leftJoin('hostingDiskUsage as disk', (j) => j.onRef('disk.hostingId', '=', 'hostings.id').onRef('disk.serverId', '=', 'hostings.serverId'))
  .select([...hostingColumns, ...noUsage]));

/** Creates a hosting on `serverId`, or (null) on the web server with the fewest live hostings. */
export async function createHosting(db: Db, config: Config, h: { customerId: string; offer: OfferRow; phpVersion?: string; serverId: string | null }): Promise<HostingRow> {
  const phpVersion = h.phpVersion ?? defaultPhpVersion(h.offer);
  assertPhpAllowed(h.offer, phpVersion);
  // the home is <root>/<name>: the root as path.join writes it, then the name (a prefix checked by config.ts, and digits)
  const p: NewHosting = {
    customerId: h.customerId, offerId: h.offer.id, serverId: h.serverId, phpVersion, prefix: config.hostingPrefix,
    homeBase: path.join(config.hostingRoot, '_').slice(0, -1) + config.hostingPrefix, uidMin: config.uidMin, uidMax: config.uidMax,
  };
  const placed = await placeHosting.first(db, p);
  if (placed) return placed;
  const uid = await uidAfterMiss(db, config);
  return (await insertHosting.first(db, { ...p, uid, name: `${p.prefix}${uid}`, home: `${p.homeBase}${uid}` }))!;
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
 * The servers that must apply a change to a hosting: every edge and DNS server, its web server, and
 * the database servers holding its databases and users and the mail server of its mail domains
 * (src/databases, src/mail, capabilities above this one: their tables read here by name), which must
 * apply its suspension (no sign-in), termination and purge. An
 * expression of the statement writing the revision (ServerQuery), prepared once.
 */
export function serversOfHosting(hostingId: string): ServerQuery {
  return { select: hostingServers, param: hostingId };
}
const hostingServers = (id: unknown) =>
  sql<string[]>`ARRAY(SELECT s.id FROM servers s WHERE s.roles && ARRAY['edge','dns']::text[] OR s.id = (SELECT server_id FROM hostings WHERE id = ${id}::uuid)
    UNION SELECT server_id FROM databases WHERE hosting_id = ${id}::uuid UNION SELECT server_id FROM database_users WHERE hosting_id = ${id}::uuid
    UNION SELECT server_id FROM mail_domains WHERE hosting_id = ${id}::uuid)`;
