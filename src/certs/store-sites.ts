// What certificates read of sites, hostings, customers and zones: through this store, not through
// the hosting capability (which sits above certs).
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { normaliseDomain } from '../platform/names.js';
import { uuidLike } from '../platform/validation.js';
import type { CustomerStatus, HostingStatus } from '../platform/policy.js';

export interface CertSite {
  id: string;
  domain: string;
  aliases: string[];
  platformLabel: string | null;
  httpsMode: 'http-only' | 'both' | 'https-only' | 'redirect';
  status: 'active' | 'disabled';
  revision: number;
  serverId: string | null;
  hostingName: string;
  hostingStatus: HostingStatus;
  customerId: string;
  customerStatus: CustomerStatus;
}

const base = (db: Db) =>
  db
    .selectFrom('sites')
    .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
    .innerJoin('customers', 'customers.id', 'hostings.customerId')
    .select([
      'sites.id', 'sites.domain', 'sites.aliases', 'sites.platformLabel', 'sites.httpsMode', 'sites.status', 'sites.revision', 'hostings.serverId',
      'hostings.name as hostingName', 'hostings.status as hostingStatus', 'hostings.customerId', 'customers.status as customerStatus',
    ]);

/** A site by id or domain, within the visible customers (null = all); `lock` holds its hosting until the transaction ends. */
export async function findCertSite(db: Db, ref: string, scope: string[] | null, opts: { lock?: boolean } = {}): Promise<CertSite> {
  let q = base(db);
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
  const row = await (opts.lock ? q.forUpdate('hostings') : q).executeTakeFirst();
  if (!row) throw notFound('site');
  return row as CertSite;
}

/** The site a certificate is for, or null when it is gone. */
export async function certificateSite(db: Db, siteId: string): Promise<CertSite | null> {
  return ((await base(db).where('sites.id', '=', siteId).executeTakeFirst()) as CertSite | undefined) ?? null;
}

/** Names of sites of other customers among `names`, or one label below one of `wildcardBases`. */
export async function foreignSiteNames(db: Db, customerId: string, names: string[], wildcardBases: string[]): Promise<string[]> {
  if (!names.length && !wildcardBases.length) return [];
  const like = (b: string) => `%.${b.replace(/[\\%_]/g, (c) => `\\${c}`)}`;
  const rows = await db
    .selectFrom('siteNames')
    .innerJoin('sites', 'sites.id', 'siteNames.siteId')
    .innerJoin('hostings', 'hostings.id', 'sites.hostingId')
    .select('siteNames.name')
    .where('hostings.customerId', '!=', customerId)
    .where((eb) => eb.or([
      ...(names.length ? [eb('siteNames.name', 'in', names)] : []),
      ...wildcardBases.map((b) => eb('siteNames.name', 'like', like(b))),
    ]))
    .orderBy('siteNames.name')
    .limit(100)
    .execute();
  return rows.map((r) => r.name);
}

/** A zone as DNS-01 needs it: whose it is and how it is published. */
export async function zoneForChallenge(db: Db, zoneId: string) {
  return db.selectFrom('zones').select(['id', 'name', 'customerId', 'dns', 'platform']).where('id', '=', zoneId).executeTakeFirstOrThrow();
}

/** Managed zones among these, with the revision they last changed at. */
export async function managedZoneRevisions(db: Db, zoneIds: string[]): Promise<Array<{ id: string; revision: number }>> {
  if (!zoneIds.length) return [];
  return db.selectFrom('zones').select(['id', 'revision']).where('id', 'in', zoneIds).where('dns', '=', 'managed').execute();
}

