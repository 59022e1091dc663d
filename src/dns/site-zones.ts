// Sites and zones: a site's names fall in zones (one per registered domain), created with the site
// when missing. The platform keeps A/AAAA records of the edge at each site name; customer records
// that would collide there are replaced (they could only point the name elsewhere).
import type { Db } from '../platform/db/database.js';
import type { Config } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { recordAudit } from '../platform/store-audit.js';
import type { Caller as Who } from '../platform/actor.js';
import { inZone, registeredDomain } from './names.js';
import { createZone, zonesChanged } from './store-zones.js';

/** Every parent of a name, itself included (a.b.example.org → a.b.example.org, b.example.org, example.org, org). */
const suffixes = (name: string) => name.split('.').map((_, i, labels) => labels.slice(i).join('.'));

/** The zone name a site name belongs to when no zone holds it yet. */
export function zoneNameFor(name: string, platformDomain: string | null): string | null {
  if (platformDomain && inZone(name, platformDomain)) return platformDomain;
  return registeredDomain(name);
}

export interface ZoneRef { id: string; name: string; customerId: string | null }

/** Existing zones holding each name (longest match), by name. */
export async function zonesOfNames(db: Db, names: string[]): Promise<Map<string, ZoneRef>> {
  const out = new Map<string, ZoneRef>();
  if (!names.length) return out;
  const candidates = [...new Set(names.flatMap(suffixes))];
  const zones = await db.selectFrom('zones').select(['id', 'name', 'customerId']).where('name', 'in', candidates).execute();
  const byName = new Map(zones.map((z) => [z.name, z]));
  for (const n of names) {
    const hit = suffixes(n).find((s) => byName.has(s));
    if (hit) out.set(n, byName.get(hit)!);
  }
  return out;
}

export interface SiteNamesChange {
  customerId: string;
  before: string[];
  after: string[];
  /** how the zones created now are published */
  dns?: 'managed' | 'external';
  /** who changed the site (the customer records replaced at its new names are audited) */
  who?: Who;
}

/** Refuses a site name in another customer's zone: it would let one customer take over another's domain. */
export async function assertOwnZones(db: Db, customerId: string, names: string[]): Promise<void> {
  for (const [name, zone] of await zonesOfNames(db, names)) {
    if (zone.customerId !== null && zone.customerId !== customerId) {
      throw new AppError('site.zone_taken', `${name} falls in the zone ${zone.name}, which belongs to another customer of the platform`, {
        issues: [{ code: 'site.zone_taken', path: 'body.domain', message: `${zone.name} belongs to another customer` }],
      });
    }
  }
}

/**
 * Creates the zones the site's new names need, removes customer A/AAAA/CNAME records at those names,
 * and stamps every zone the change touches with `revision` (the one the site change bumped).
 * Returns the zones created.
 */
export async function syncSiteZones(db: Db, config: Config, change: SiteNamesChange, revision: number): Promise<string[]> {
  const added = change.after.filter((n) => !change.before.includes(n));
  const existing = await zonesOfNames(db, change.after);
  const created: string[] = [];
  for (const name of change.after) {
    if (existing.has(name)) continue;
    const zoneName = zoneNameFor(name, config.platformDomain);
    if (!zoneName) continue;
    const zone = await createZone(db, config.dns, {
      name: zoneName, customerId: zoneName === config.platformDomain ? null : change.customerId,
      dns: change.dns ?? 'managed', edgeRecords: true, platform: zoneName === config.platformDomain,
    });
    created.push(zone.name);
    for (const n of change.after) if (inZone(n, zone.name) && !existing.has(n)) existing.set(n, zone);
  }
  for (const name of added) {
    const zone = existing.get(name);
    if (zone) await replaceCustomerRecords(db, zone, [name], change.who, `${name} is now a site of the platform`);
  }
  const touched = await zonesOfNames(db, [...new Set([...change.before, ...change.after])]);
  await zonesChanged(db, [...touched.values()].map((z) => z.id), 'site names changed', revision);
  return created;
}

/**
 * Deletes the customer's A/AAAA/CNAME records at names the platform now points at the edge (a new
 * site name, or www when the edge records come back), with an audit entry each: they could only
 * point the name elsewhere, and would hide behind the platform's records.
 */
export async function replaceCustomerRecords(db: Db, zone: { id: string; customerId: string | null }, names: string[], who: Who | undefined, why: string): Promise<void> {
  if (!names.length) return;
  const gone = await db.deleteFrom('dnsRecords').where('zoneId', '=', zone.id).where('name', 'in', names).where('type', 'in', ['A', 'AAAA', 'CNAME'])
    .returning(['id', 'name', 'type', 'content', 'ttl']).execute();
  for (const r of gone) {
    await recordAudit(db, who ?? { actor: null, address: null, label: 'platform' }, {
      action: 'record.delete', targetType: 'record', targetId: r.id, target: `${r.name} ${r.type}`, customerId: zone.customerId,
      before: { name: r.name, type: r.type, content: r.content, ttl: r.ttl, reason: why },
    });
  }
}

/** Creates the platform domain's zone on first start (customers' sites may get names under it). */
export async function ensurePlatformZone(db: Db, config: Config): Promise<void> {
  if (!config.platformDomain) return;
  const zone = await db.selectFrom('zones').select(['id', 'platform']).where('name', '=', config.platformDomain).executeTakeFirst();
  if (zone?.platform) return;
  await db.transaction().execute(async (trx) => {
    if (zone) await trx.updateTable('zones').set({ platform: true, customerId: null, dns: 'managed' }).where('id', '=', zone.id).execute();
    const row = zone ?? (await createZone(trx, config.dns, { name: config.platformDomain!, customerId: null, dns: 'managed', edgeRecords: true, platform: true }));
    await zonesChanged(trx, [row.id], `platform zone ${config.platformDomain}`);
  });
}
