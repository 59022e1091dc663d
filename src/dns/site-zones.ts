// Sites and zones: a site's names fall in zones (one per registered domain), created with the site
// when missing. The platform keeps A/AAAA records of the edge at each site name; customer records
// that would collide there are replaced (they could only point the name elsewhere).
import type { Db } from '../platform/db/database.js';
import type { Config } from '../platform/config.js';
import { inZone, registeredDomain } from './names.js';
import { createZone, zonesChanged } from './store-zones.js';

/** Every parent of a name, itself included (a.b.example.org → a.b.example.org, b.example.org, example.org, org). */
const suffixes = (name: string) => name.split('.').map((_, i, labels) => labels.slice(i).join('.'));

/** The zone name a site name belongs to when no zone holds it yet. */
export function zoneNameFor(name: string, platformDomain: string | null): string | null {
  if (platformDomain && inZone(name, platformDomain)) return platformDomain;
  return registeredDomain(name);
}

/** Existing zones holding each name (longest match), by name. */
export async function zonesOfNames(db: Db, names: string[]): Promise<Map<string, { id: string; name: string }>> {
  const out = new Map<string, { id: string; name: string }>();
  if (!names.length) return out;
  const candidates = [...new Set(names.flatMap(suffixes))];
  const zones = await db.selectFrom('zones').select(['id', 'name']).where('name', 'in', candidates).execute();
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
    if (zone) await db.deleteFrom('dnsRecords').where('zoneId', '=', zone.id).where('name', '=', name).where('type', 'in', ['A', 'AAAA', 'CNAME']).execute();
  }
  const touched = await zonesOfNames(db, [...new Set([...change.before, ...change.after])]);
  await zonesChanged(db, [...touched.values()].map((z) => z.id), 'site names changed', revision);
  return created;
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
