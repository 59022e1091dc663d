// Zones: one per registered domain of the platform's sites (or added on their own), managed by the
// platform's name servers or marked external. Every change bumps the revision for the DNS servers.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { prepared } from '../platform/db/prepared.js';
import type { DnsSettings } from '../platform/config.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { bumpRevision } from '../platform/store-revision.js';
import { uuidLike } from '../platform/validation.js';
import { displayDomain, foldDomain, foldText, normaliseDomain } from '../platform/names.js';
import { serversHaving, serversWithRole } from '../servers/store-provisioning.js';
import { isIPv6 } from 'node:net';
import { ipv6Canonical, quoteTxt } from './records.js';
import type { ZoneRow } from './model.js';
import { inScope } from '../platform/store-scope.js';

const zoneColumns = [
  'zones.id', 'zones.name', 'zones.customerId', 'zones.dns', 'zones.edgeRecords', 'zones.platform', 'zones.revision', 'zones.createdAt', 'zones.updatedAt',
  'zones.provenAt', 'zones.provenBy', 'customers.status as customerStatus',
] as const;

const zones = (db: Db) => db.selectFrom('zones').leftJoin('customers', 'customers.id', 'zones.customerId');
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The names strictly under `name` (a.example.org, b.a.example.org for example.org) in a column:
 * a prefix of the reversed name, which migration 0013 indexes (a LIKE '%.example.org' reads every row).
 */
export const namesUnder = (column: 'zones.name' | 'siteNames.name' | 'mailDomains.name', name: string) =>
  sql<boolean>`reverse(${sql.ref(column)}) COLLATE "C" LIKE ${`${escapeLike([...`.${name}`].reverse().join(''))}%`}`;

/** A zone by id or name, within the visible customers (null = all, staff). Customers never see the platform zone. */
export async function findZone(db: Db, ref: string, scope: string[] | null = null, opts: { lock?: boolean } = {}): Promise<ZoneRow> {
  let q = zones(db).select(zoneColumns);
  if (uuidLike.test(ref)) q = q.where('zones.id', '=', ref);
  else {
    const d = normaliseDomain(ref);
    if (!d.ok) throw notFound('zone');
    q = q.where('zones.name', '=', d.value);
  }
  if (scope) {
    if (!scope.length) throw notFound('zone');
    q = q.where('zones.customerId', 'in', scope);
  }
  const row = await (opts.lock ? q.forUpdate('zones') : q).executeTakeFirst();
  if (!row) throw notFound('zone');
  return row as ZoneRow;
}

/** The zone of this exact name, if any (locked: a claim or a site is deciding about it). */
export async function zoneNamed(db: Db, name: string): Promise<ZoneRow | null> {
  return ((await zones(db).select(zoneColumns).where('zones.name', '=', name).forUpdate('zones').executeTakeFirst()) ?? null) as ZoneRow | null;
}

/** A page of zones; `q` and `sort=name` follow the names as people read them (accent-insensitive). */
export async function listZones(db: Db, scope: string[] | null, query: ListQuery & { customerId?: string; dns?: 'managed' | 'external' }) {
  let base = zones(db);
  if (scope) base = base.where(inScope('zones.customer_id', scope));
  if (query.customerId) base = base.where('zones.customerId', '=', query.customerId);
  if (query.dns) base = base.where('zones.dns', '=', query.dns);
  return paginate(
    base,
    {
      search: ['zones.name', 'zones.name_folded', 'zones.dns'],
      searchText: 'zones.search', // migration 0006: name, folded Unicode name, dns; trigram-indexed
      sorts: { name: 'zones.name_folded', createdAt: 'zones.created_at', updatedAt: 'zones.updated_at', dns: 'zones.dns' },
      defaultSort: 'name',
      idColumn: 'zones.id',
    },
    { ...query, q: query.q === undefined ? undefined : foldText(query.q) },
    (q) => q.select(zoneColumns),
  ) as Promise<{ items: ZoneRow[]; nextCursor: string | null; total: number }>;
}

/** The DNS servers a zone change is for. */
export const dnsServerIds = (db: Db) => serversWithRole(db, 'dns');
/** The DNS servers, as an expression for the revision of a change (Change.bump). */
export const dnsServers = () => serversHaving('dns');

/** Stamps zones with the revision that changes them (their provisioning reads "pending" until applied). */
export async function stampZones(db: Db, zoneIds: string[], revision: number): Promise<void> {
  if (zoneIds.length) await db.updateTable('zones').set({ revision }).where('id', 'in', [...new Set(zoneIds)]).execute();
}

/** Bumps the revision for every DNS server and stamps the zones with it (outside change(): certificates, startup). */
export async function zonesChanged(db: Db, zoneIds: string[], reason: string, revision?: number): Promise<number> {
  const rev = revision ?? (await bumpRevision(db, reason, await dnsServerIds(db)));
  await stampZones(db, zoneIds, rev);
  return rev;
}

/** The customer records a new zone starts with: the configured MX and SPF (the customer may change them). */
export function templateRecords(zone: string, dns: DnsSettings) {
  return [
    ...dns.mx.map((m) => ({ name: zone, type: 'MX' as const, content: `${m.priority} ${m.host}.`, ttl: dns.ttl })),
    ...(dns.spf ? [{ name: zone, type: 'TXT' as const, content: quoteTxt(dns.spf), ttl: dns.ttl }] : []),
  ];
}

export interface ZoneInput {
  name: string;
  customerId: string | null;
  dns: 'managed' | 'external';
  edgeRecords: boolean;
  platform?: boolean;
  proven?: { at: Date; by: 'txt' | 'ns' } | null;
}

const taken = (name: string) =>
  new AppError('zone.taken', `the zone ${displayDomain(name)} already exists on this platform`, { params: { zone: displayDomain(name) }, issues: [{ code: 'zone.taken', path: 'body.name', message: 'already exists' }] });

/** Inserts a zone with its template records (one statement); zone.taken when the name exists. */
export async function createZone(db: Db, dns: DnsSettings, z: ZoneInput): Promise<ZoneRow> {
  // ON CONFLICT: a zone created by a concurrent change (two sites of a new domain) is a zone.taken,
  // not a unique violation that aborts the transaction (PostgreSQL waits for the other one to commit)
  const template = z.platform ? [] : templateRecords(z.name, dns);
  const inserted = db.with('created', (w) => w.insertInto('zones')
    .values({
      name: z.name, nameFolded: foldDomain(z.name), customerId: z.customerId, dns: z.dns, edgeRecords: z.edgeRecords, platform: z.platform ?? false,
      provenAt: z.proven?.at ?? null, provenBy: z.proven?.by ?? null,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll());
  // the template records of the zone inserted, if it was (nothing when the name was taken)
  const withTemplate: typeof inserted = !template.length ? inserted : inserted.with('template', (w) => w.insertInto('dnsRecords').columns(['zoneId', 'name', 'type', 'content', 'ttl']).expression(sql`
        SELECT created.id, t.name, t.type, t.content, t.ttl FROM created,
        (VALUES ${sql.join(template.map((r) => sql`(${r.name}, ${r.type}, ${r.content}, ${r.ttl}::integer)`))}) AS t(name, type, content, ttl)`)) as unknown as typeof inserted;
  // read back as findZone reads it
  const row = await withTemplate.selectFrom('created as zones').leftJoin('customers', 'customers.id', 'zones.customerId').select(zoneColumns).executeTakeFirst();
  if (!row) throw taken(z.name);
  return row as ZoneRow;
}

async function insertTemplate(db: Db, dns: DnsSettings, zoneId: string, name: string) {
  const template = templateRecords(name, dns);
  if (template.length) await db.insertInto('dnsRecords').values(template.map((r) => ({ ...r, zoneId }))).execute();
}

export async function updateZone(db: Db, id: string, patch: { dns?: 'managed' | 'external'; edgeRecords?: boolean; customerId?: string }, now: Date): Promise<ZoneRow> {
  await db.updateTable('zones').set({ ...patch, updatedAt: now }).where('id', '=', id).execute();
  return findZone(db, id);
}

/**
 * The zone goes to another customer who proved the domain: the records of the customer who held it
 * are dropped for the template (they were that customer's), the edge records come back.
 * Returns how many records were dropped.
 */
export async function handZoneOver(db: Db, dns: DnsSettings, zone: ZoneRow, to: { customerId: string; dns: 'managed' | 'external'; proven: { at: Date; by: 'txt' | 'ns' } }): Promise<number> {
  const dropped = await db.deleteFrom('dnsRecords').where('zoneId', '=', zone.id).returning('id').execute();
  await db.updateTable('zones')
    .set({ customerId: to.customerId, dns: to.dns, edgeRecords: true, provenAt: to.proven.at, provenBy: to.proven.by, updatedAt: to.proven.at })
    .where('id', '=', zone.id).execute();
  await insertTemplate(db, dns, zone.id, zone.name);
  return dropped.length;
}

/** Marks a zone proven by its own customer. */
export async function markProven(db: Db, zoneId: string, proven: { at: Date; by: 'txt' | 'ns' }): Promise<void> {
  await db.updateTable('zones').set({ provenAt: proven.at, provenBy: proven.by, updatedAt: proven.at }).where('id', '=', zoneId).execute();
}

export async function deleteZoneRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('zones').where('id', '=', id).execute();
}

/** Every parent of a name, itself included (a.b.example.org → a.b.example.org, b.example.org, example.org, org). */
const suffixes = (name: string) => name.split('.').map((_, i, labels) => labels.slice(i).join('.'));

export interface ZoneRef { id: string; name: string; customerId: string | null; platform: boolean; dns?: 'managed' | 'external' }

/** Existing zones holding each name (longest match), by name. */
const zonesNamed = prepared((db, p: { names: string[] }) => db.selectFrom('zones').select(['id', 'name', 'customerId', 'platform', 'dns']).where(sql<boolean>`name = ANY(${p.names}::text[])`));

export async function zonesOfNames(db: Db, names: string[]): Promise<Map<string, ZoneRef>> {
  const out = new Map<string, ZoneRef>();
  if (!names.length) return out;
  const candidates = [...new Set(names.flatMap(suffixes))];
  const rows = await zonesNamed.all(db, { names: candidates });
  const byName = new Map(rows.map((z) => [z.name, z]));
  for (const n of names) {
    const hit = suffixes(n).find((s) => byName.has(s));
    if (hit) out.set(n, byName.get(hit)!);
  }
  return out;
}

/** Zones above or below a name (its parents, and the zones inside it), the name itself excluded. */
export async function zonesAroundName(db: Db, name: string): Promise<ZoneRef[]> {
  return db.selectFrom('zones').select(['id', 'name', 'customerId', 'platform'])
    .where((eb) => eb.or([eb('name', 'in', suffixes(name).slice(1)), namesUnder('zones.name', name)]))
    .orderBy('name').execute();
}

/** Site names (domains, aliases, platform names of every site) that fall in the zone. */
export async function siteNamesIn(db: Db, zone: string): Promise<string[]> {
  const rows = await db
    .selectFrom('siteNames')
    .select('name')
    .where((eb) => eb.or([eb('name', '=', zone), namesUnder('siteNames.name', zone)]))
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

/** Site names in the zone that belong to sites of other customers than `customerId`. */
export async function foreignSiteNamesIn(db: Db, zone: string, customerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('siteNames')
    .innerJoin('sites', 'sites.id', 'siteNames.siteId')
    .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
    .select('siteNames.name')
    .where((eb) => eb.or([eb('siteNames.name', '=', zone), namesUnder('siteNames.name', zone)]))
    .where('hostings.customerId', '!=', customerId)
    .orderBy('siteNames.name')
    .execute();
  return rows.map((r) => r.name);
}

/** The platform zone's row by name, to create it or mark it the platform's on start. */
export async function platformZoneState(db: Db, name: string): Promise<{ id: string; platform: boolean } | null> {
  return (await db.selectFrom('zones').select(['id', 'platform']).where('name', '=', name).executeTakeFirst()) ?? null;
}

export async function makePlatformZone(db: Db, id: string): Promise<void> {
  await db.updateTable('zones').set({ platform: true, customerId: null, dns: 'managed' }).where('id', '=', id).execute();
}

/** Public addresses of the edges (what A/AAAA records point at): their public addresses, else their addresses. */
export async function edgeAddresses(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('servers').select(['addresses', 'publicAddresses']).where(sql<boolean>`'edge' = ANY(roles)`).orderBy('name').execute();
  // IPv6 as PowerDNS prints it back, or every reconcile would see a difference
  return [...new Set(rows.flatMap((r) => (r.publicAddresses.length ? r.publicAddresses : r.addresses)).map((a) => (isIPv6(a) ? ipv6Canonical(a) : a)))];
}

/** Whether a mail server is named `label` (its host name is then <label>.<platform domain>). */
export async function isMailServerName(db: Db, label: string): Promise<boolean> {
  return !!(await db.selectFrom('servers').select('id').where('name', '=', label).where(sql<boolean>`'mail' = ANY(roles)`).executeTakeFirst());
}

/** The first (public, else private) address of each DNS server, by server name. */
export async function dnsServerAddresses(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('servers').select(['addresses', 'publicAddresses']).where(sql<boolean>`'dns' = ANY(roles)`).orderBy('name').execute();
  return rows.flatMap((r) => r.publicAddresses[0] ?? r.addresses[0] ?? []);
}

/** The customer holding the zone of each name (null: the platform), for the names that have a zone. */
export async function zoneHolders(db: Db, names: string[]): Promise<Map<string, string | null>> {
  if (!names.length) return new Map();
  const rows = await db.selectFrom('zones').select(['name', 'customerId']).where('name', 'in', [...new Set(names)]).execute();
  return new Map(rows.map((r) => [r.name, r.customerId]));
}
