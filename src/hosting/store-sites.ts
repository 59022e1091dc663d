// Sites: a domain and its aliases, published from a directory of a hosting.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import { displayDomain, foldDomain, foldText, normaliseDomain, siteNamesFolded, siteNamesOf } from '../platform/names.js';
import type { SiteRow } from './model.js';
import { prepared } from '../platform/db/prepared.js';

const siteColumns = [
  'sites.id', 'sites.hostingId', 'hostings.name as hostingName', 'sites.domain', 'sites.aliases', 'sites.documentRoot',
  'sites.phpVersion', 'sites.httpsMode', 'sites.status', 'sites.createdAt', 'sites.updatedAt', 'sites.revision', 'hostings.serverId', 'sites.platformLabel',
] as const;

const base = (db: Db) => db.selectFrom('sites').innerJoin('hostings', 'hostings.id', 'sites.hostingId');

/** Finds a site by id or domain, within the visible customers (null = all), with what the policy needs. */
export async function findSite(db: Db, ref: string, scope: string[] | null = null) {
  let q = base(db)
    .innerJoin('customers', 'customers.id', 'hostings.customerId')
    .select([...siteColumns, 'hostings.customerId', 'hostings.status as hostingStatus', 'customers.status as customerStatus']);
  if (uuidLike.test(ref)) q = q.where('sites.id', '=', ref);
  else {
    const d = normaliseDomain(ref);
    if (!d.ok) throw notFound('site');
    q = q.where('sites.domain', '=', d.value);
  }
  if (scope) {
    if (!scope.length) throw notFound('site');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('site');
  return row as SiteRow & { customerId: string; hostingStatus: 'active' | 'suspended' | 'terminated'; customerStatus: 'active' | 'suspended' | 'closed' };
}

/**
 * A page of a hosting's sites. `q` is accent- and case-insensitive on the names as people read them
 * (q=élan and q=elan find élan.fr), and still finds the ASCII forms (xn--…); `sort=domain` follows
 * the Unicode form too.
 */
export async function listSites(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    base(db).where('sites.hostingId', '=', hostingId),
    {
      search: ['sites.domain', 'sites.aliases', 'sites.document_root', 'sites.php_version', 'sites.https_mode', 'sites.status', 'sites.names_folded'],
      // migrations 0002 and 0006: the lower-cased columns above and the folded names, trigram-indexed
      searchText: 'sites.search',
      sorts: {
        domain: 'sites.domain_sort', createdAt: 'sites.created_at', updatedAt: 'sites.updated_at', phpVersion: 'sites.php_version',
        httpsMode: 'sites.https_mode', status: 'sites.status', documentRoot: 'sites.document_root',
      },
      defaultSort: 'domain',
      idColumn: 'sites.id',
    },
    { ...query, q: query.q === undefined ? undefined : foldText(query.q) },
    (q) => q.select(siteColumns),
  ) as Promise<{ items: SiteRow[]; nextCursor: string | null; total: number }>;
}

/**
 * For a new site of a hosting (whose row the caller locked): how many sites the hosting has, and one
 * of the names the site would take that another site holds (null if none), in one statement.
 */
const countAndTaken = prepared((db, p: { hostingId: string; names: string[] }) =>
  db.selectNoFrom([
    sql<number>`(SELECT count(*) FROM sites WHERE hosting_id = ${p.hostingId})`.as('count'),
    // a lookup per name (not `name = ANY($2)`, whose generic plan may scan the table: see store-revision stampSql)
    sql<string | null>`(SELECT taken FROM (SELECT (SELECT name FROM site_names WHERE name = n) AS taken FROM unnest(${p.names}::text[]) AS n) AS t WHERE taken IS NOT NULL LIMIT 1)`.as('taken'),
  ]));

export async function siteCountAndTakenName(db: Db, hostingId: string, names: string[]): Promise<{ count: number; taken: string | null }> {
  const row = (await countAndTaken.first(db, { hostingId, names }))!;
  return { count: Number(row.count), taken: row.taken };
}

/** site.domain_taken, on the field that holds the name (the domain, one alias, the platform label). */
function taken(name: string, site: { domain: string; aliases: string[] }) {
  const alias = site.aliases.indexOf(name);
  const path = name === site.domain ? 'body.domain' : alias >= 0 ? `body.aliases.${alias}` : 'body.platformSubdomain';
  const shown = displayDomain(name);
  return new AppError('site.domain_taken', `${shown} is already used by a site on this platform`, {
    params: { name: shown },
    issues: [{ code: 'site.domain_taken', path, message: 'already used by another site', params: { name: shown } }],
  });
}

/** Makes `names` the public names of the site, failing with site.domain_taken if another site has one. */
async function claimNames(db: Db, siteId: string, names: string[], site: { domain: string; aliases: string[] }) {
  const others = await db.selectFrom('siteNames').select('name').where('name', 'in', names).where('siteId', '!=', siteId).executeTakeFirst();
  if (others) throw taken(others.name, site);
  await db.deleteFrom('siteNames').where('siteId', '=', siteId).execute();
  try {
    await db.insertInto('siteNames').values(names.map((name) => ({ name, siteId }))).execute();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw taken(names[0], site);
    throw e;
  }
}

/** The folded forms the list sorts and searches on (migration 0006). */
const folded = (domain: string, aliases: string[], documentRoot: string) => ({ domainSort: foldDomain(domain), namesFolded: siteNamesFolded(domain, aliases, documentRoot) });

const uniqueAliases = (domain: string, aliases: string[]) => [...new Set(aliases)].filter((a) => a !== domain);

export interface SiteInput {
  domain: string; aliases: string[]; documentRoot: string; phpVersion: string; httpsMode: SiteRow['httpsMode']; status: SiteRow['status'];
  platformLabel: string | null;
}

/** The aliases a new site keeps (no repeats, not its domain) and every name it claims. */
export function newSiteNames(s: { domain: string; aliases: string[]; platformLabel: string | null }, platformDomain: string | null) {
  const aliases = uniqueAliases(s.domain, s.aliases);
  return { aliases, names: siteNamesOf({ ...s, aliases }, platformDomain) };
}

/** site.domain_taken for a name siteCountAndTakenName found held by another site. */
export const siteNameTaken = (name: string, s: { domain: string; aliases: string[] }) => taken(name, { domain: s.domain, aliases: uniqueAliases(s.domain, s.aliases) });

/** The site, its names and the row findSite reads, in one statement. */
const insertSite = prepared((db, p: SiteInput & { hostingId: string; names: string[]; domainSort: string; namesFolded: string }) => db
  .with('created', (w) => w.insertInto('sites').values({
    domain: p.domain, aliases: p.aliases, status: p.status, platformLabel: p.platformLabel, documentRoot: p.documentRoot, phpVersion: p.phpVersion,
    httpsMode: p.httpsMode, hostingId: p.hostingId, domainSort: p.domainSort, namesFolded: p.namesFolded,
  }).returningAll())
  .with('named', (w) => w.insertInto('siteNames').columns(['name', 'siteId'])
    .expression((eb) => eb.selectFrom('created').select([sql<string>`unnest(${p.names}::text[])`.as('name'), 'created.id as siteId'])))
  .selectFrom('created as sites')
  .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
  .innerJoin('customers', 'customers.id', 'hostings.customerId')
  .select([...siteColumns, 'hostings.customerId', 'hostings.status as hostingStatus', 'customers.status as customerStatus']));

/**
 * Creates a site whose names the caller found free (siteCountAndTakenName); a concurrent claim of
 * one of them fails on a unique key (site.domain_taken).
 */
export async function createSite(db: Db, hostingId: string, s: SiteInput, claimed: { aliases: string[]; names: string[] }) {
  const { aliases, names } = claimed;
  try {
    const row = await insertSite.first(db, { ...s, aliases, hostingId, names, ...folded(s.domain, aliases, s.documentRoot) });
    return row as Awaited<ReturnType<typeof findSite>>;
  } catch (e) {
    const err = e as { code?: string; table?: string };
    if (err.code === '23505') throw taken(err.table === 'site_names' ? names[0] : s.domain, { domain: s.domain, aliases });
    throw e;
  }
}

export async function updateSite(db: Db, id: string, current: SiteRow, c: Partial<SiteInput>, platformDomain: string | null, now: Date) {
  const domain = c.domain ?? current.domain;
  const aliases = uniqueAliases(domain, c.aliases ?? current.aliases);
  const platformLabel = c.platformLabel === undefined ? current.platformLabel : c.platformLabel;
  if (c.domain !== undefined || c.aliases !== undefined || c.platformLabel !== undefined) await claimNames(db, id, siteNamesOf({ domain, aliases, platformLabel }, platformDomain), { domain, aliases });
  try {
    const documentRoot = c.documentRoot ?? current.documentRoot;
    await db.updateTable('sites').set({ ...c, domain, aliases, platformLabel, ...folded(domain, aliases, documentRoot), updatedAt: now }).where('id', '=', id).execute();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw taken(domain, { domain, aliases });
    throw e;
  }
  return findSite(db, id);
}

export async function deleteSite(db: Db, id: string) {
  await db.deleteFrom('sites').where('id', '=', id).execute();
}

/** The ids of a customer's sites that have a name (domain, alias, platform name) in the zone. */
export async function siteIdsWithNamesIn(db: Db, customerId: string, zone: string): Promise<string[]> {
  const rows = await db.selectFrom('siteNames')
    .innerJoin('sites', 'sites.id', 'siteNames.siteId')
    .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
    .select('sites.id').distinct()
    .where('hostings.customerId', '=', customerId)
    .where((eb) => eb.or([eb('siteNames.name', '=', zone), eb('siteNames.name', 'like', `%.${zone.replace(/[\\%_]/g, (c) => `\\${c}`)}`)]))
    .execute();
  return rows.map((r) => r.id);
}
