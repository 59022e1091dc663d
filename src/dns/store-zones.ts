// Zones: one per registered domain of the platform's sites (or added on their own), managed by the
// platform's name servers or marked external. Every change bumps the revision for the DNS servers.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DnsSettings } from '../platform/config.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { bumpRevision } from '../platform/store-revision.js';
import { uuidLike } from '../platform/validation.js';
import { normaliseDomain } from '../platform/names.js';
import { serversWithRole } from '../servers/store-provisioning.js';
import { isIPv6 } from 'node:net';
import { ipv6Canonical, quoteTxt } from './records.js';
import type { ZoneRow } from './model.js';
import type { ZoneContentInput } from './zone-content.js';

const zoneColumns = ['zones.id', 'zones.name', 'zones.customerId', 'zones.dns', 'zones.edgeRecords', 'zones.platform', 'zones.revision', 'zones.createdAt', 'zones.updatedAt'] as const;

/** A zone by id or name, within the visible customers (null = all, staff). Customers never see the platform zone. */
export async function findZone(db: Db, ref: string, scope: string[] | null = null, opts: { lock?: boolean } = {}): Promise<ZoneRow> {
  let q = db.selectFrom('zones').select(zoneColumns);
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
  const row = await (opts.lock ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw notFound('zone');
  return row as ZoneRow;
}

export async function listZones(db: Db, scope: string[] | null, query: ListQuery & { customerId?: string; dns?: 'managed' | 'external' }) {
  let base = db.selectFrom('zones');
  if (scope) base = scope.length ? base.where('zones.customerId', 'in', scope) : base.where(sql<boolean>`false`);
  if (query.customerId) base = base.where('zones.customerId', '=', query.customerId);
  if (query.dns) base = base.where('zones.dns', '=', query.dns);
  return paginate(
    base,
    {
      search: ['zones.name', 'zones.dns'],
      sorts: { name: 'zones.name', createdAt: 'zones.created_at', updatedAt: 'zones.updated_at', dns: 'zones.dns' },
      defaultSort: 'name',
      idColumn: 'zones.id',
    },
    query,
    (q) => q.select(zoneColumns),
  ) as Promise<{ items: ZoneRow[]; nextCursor: string | null; total: number }>;
}

/** Bumps the revision for every DNS server and stamps the zones with it (their provisioning reads "pending"). */
export async function zonesChanged(db: Db, zoneIds: string[], reason: string, revision?: number): Promise<number> {
  const rev = revision ?? (await bumpRevision(db, reason, await serversWithRole(db, 'dns')));
  if (zoneIds.length) await db.updateTable('zones').set({ revision: rev }).where('id', 'in', [...new Set(zoneIds)]).execute();
  return rev;
}

/** The edges' addresses changed: every zone the platform publishes changes (renumbering), in one revision. */
export async function renumberZones(db: Db, reason: string, revision?: number): Promise<number> {
  const dnsServers = await serversWithRole(db, 'dns');
  const rev = revision ?? (await bumpRevision(db, reason, dnsServers));
  if (revision !== undefined && dnsServers.length) {
    await db.updateTable('revisions').set({ serverIds: sql<string[]>`array(SELECT DISTINCT unnest(server_ids || ${dnsServers}::uuid[]))` }).where('id', '=', rev).execute();
  }
  await db.updateTable('zones').set({ revision: rev }).where('dns', '=', 'managed').execute();
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
}

export async function createZone(db: Db, dns: DnsSettings, z: ZoneInput): Promise<ZoneRow> {
  const exists = await db.selectFrom('zones').select('id').where('name', '=', z.name).executeTakeFirst();
  if (exists) throw new AppError('zone.taken', `the zone ${z.name} already exists on this platform`, { issues: [{ code: 'zone.taken', path: 'body.name', message: 'already exists' }] });
  const row = await db
    .insertInto('zones')
    .values({ name: z.name, customerId: z.customerId, dns: z.dns, edgeRecords: z.edgeRecords, platform: z.platform ?? false })
    .returning(zoneColumns)
    .executeTakeFirstOrThrow();
  const template = templateRecords(z.name, dns);
  if (template.length && !z.platform) await db.insertInto('dnsRecords').values(template.map((r) => ({ ...r, zoneId: row.id }))).execute();
  return row as ZoneRow;
}

export async function updateZone(db: Db, id: string, patch: { dns?: 'managed' | 'external'; edgeRecords?: boolean; customerId?: string }): Promise<ZoneRow> {
  return (await db.updateTable('zones').set({ ...patch, updatedAt: new Date() }).where('id', '=', id).returning(zoneColumns).executeTakeFirstOrThrow()) as ZoneRow;
}

/** Site names (domains and aliases of every site) that fall in the zone. */
export async function siteNamesIn(db: Db, zone: string): Promise<string[]> {
  const rows = await db
    .selectFrom('siteNames')
    .select('name')
    .where((eb) => eb.or([eb('name', '=', zone), eb('name', 'like', `%.${zone.replace(/[\\%_]/g, (c) => `\\${c}`)}`)]))
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

export async function deleteZone(db: Db, zone: ZoneRow): Promise<void> {
  const used = await siteNamesIn(db, zone.name);
  if (used.length) {
    throw new AppError('zone.in_use', `the zone ${zone.name} holds names of sites (${used.slice(0, 5).join(', ')}${used.length > 5 ? '…' : ''}); remove or rename those sites first`);
  }
  await db.deleteFrom('zones').where('id', '=', zone.id).execute();
}

/** Public addresses of the edges (what A/AAAA records point at): their public addresses, else their addresses. */
export async function edgeAddresses(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('servers').select(['addresses', 'publicAddresses']).where(sql<boolean>`'edge' = ANY(roles)`).orderBy('name').execute();
  // IPv6 as PowerDNS prints it back, or every reconcile would see a difference
  return [...new Set(rows.flatMap((r) => (r.publicAddresses.length ? r.publicAddresses : r.addresses)).map((a) => (isIPv6(a) ? ipv6Canonical(a) : a)))];
}

/** Everything the zone content is built from, for one zone. */
export async function zoneContentInput(db: Db, dns: DnsSettings, zone: ZoneRow): Promise<ZoneContentInput> {
  const [records, acme, siteNames, edges] = await Promise.all([
    db.selectFrom('dnsRecords').select(['name', 'type', 'content', 'ttl']).where('zoneId', '=', zone.id).execute(),
    db.selectFrom('acmeChallenges').select(['name', 'value']).where('zoneId', '=', zone.id).where('kind', '=', 'dns-01').execute(),
    siteNamesIn(db, zone.name),
    edgeAddresses(db),
  ]);
  return {
    zone: zone.name, platform: zone.platform, edgeRecords: zone.edgeRecords, nameservers: dns.nameservers, nameserverAddresses: dns.nameserverAddresses, hostmaster: dns.hostmaster,
    ttl: dns.ttl, edgeTtl: dns.edgeTtl, edgeAddresses: edges, siteNames: zone.platform ? [] : await namesOfThisZone(db, zone.name, siteNames), records, acme,
  };
}

/** Drops names that belong to a more specific zone (a platform zone below a customer's domain, say). */
async function namesOfThisZone(db: Db, zone: string, names: string[]): Promise<string[]> {
  if (!names.length) return names;
  const deeper = await db.selectFrom('zones').select('name').where('name', 'like', `%.${zone.replace(/[\\%_]/g, (c) => `\\${c}`)}`).execute();
  if (!deeper.length) return names;
  return names.filter((n) => !deeper.some((d) => n === d.name || n.endsWith(`.${d.name}`)));
}
