// What zone contents are built from: the zone's records, the pending ACME DNS-01 values, the site
// names it holds, the edges' addresses. One zone (the records API), or every managed zone at once
// (the desired state of the DNS servers, in a few queries whatever the number of zones).
import type { Db } from '../platform/db/database.js';
import type { DnsSettings } from '../platform/config.js';
import { edgeAddresses, namesUnder, siteNamesIn } from './store-zones.js';
import type { ZoneRow } from './model.js';
import type { ZoneContentInput } from './zone-content.js';

/** Everything the zone content is built from, for one zone. */
export async function zoneContentInput(db: Db, dns: DnsSettings, zone: Pick<ZoneRow, 'id' | 'name' | 'platform' | 'edgeRecords'>): Promise<ZoneContentInput> {
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
  const deeper = await db.selectFrom('zones').select('name').where(namesUnder('zones.name', zone)).execute();
  if (!deeper.length) return names;
  return names.filter((n) => !deeper.some((d) => n === d.name || n.endsWith(`.${d.name}`)));
}

/** Every managed zone with its records and ACME values, every site name, every zone name, the edges. */
export async function desiredInputs(db: Db) {
  const [zones, records, acme, names, edges, all] = await Promise.all([
    db.selectFrom('zones').select(['id', 'name', 'edgeRecords', 'platform']).where('dns', '=', 'managed').orderBy('name').execute(),
    db.selectFrom('dnsRecords').innerJoin('zones', 'zones.id', 'dnsRecords.zoneId').where('zones.dns', '=', 'managed')
      .select(['dnsRecords.zoneId', 'dnsRecords.name', 'dnsRecords.type', 'dnsRecords.content', 'dnsRecords.ttl']).execute(),
    db.selectFrom('acmeChallenges').select(['zoneId', 'name', 'value']).where('kind', '=', 'dns-01').execute(),
    db.selectFrom('siteNames').select('name').execute(),
    edgeAddresses(db),
    db.selectFrom('zones').select('name').execute(),
  ]);
  return { zones, records, acme, names: names.map((n) => n.name), edges, zoneNames: new Set(all.map((z) => z.name)) };
}
