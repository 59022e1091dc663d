// What zone contents are built from: the zone's records, the pending ACME DNS-01 values, the site
// names it holds, the edges' addresses. One zone (the records API), or every managed zone at once
// (the desired state of the DNS servers, in a few queries whatever the number of zones).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DnsSettings } from '../platform/config.js';
import type { MailPorts } from '../platform/config-mail.js';
import { edgeAddresses, namesUnder, siteNamesIn } from './store-zones.js';
import type { ZoneRow } from './model.js';
import type { ZoneContentInput } from './zone-content.js';
import { mailHost, ruaDomain, type DkimPublicKey, type MailZoneInput } from './mail-records.js';
import { inZone } from './names.js';

/** What zone contents need of the settings. */
export interface ZoneSettings { dns: DnsSettings; mail: { ports: MailPorts; dmarcRua?: string | null }; platformDomain: string | null }

const named = <T extends { host: string | null }>(r: T): r is T & { host: string } => r.host !== null;

/** The mail domains (in `zone`, or all) with their mail server's host name, and every mail server's addresses. */
export async function mailZoneInput(db: Db, settings: ZoneSettings, zone: string | null): Promise<MailZoneInput> {
  let q = db.selectFrom('mailDomains').innerJoin('servers', 'servers.id', 'mailDomains.serverId').select(['mailDomains.id', 'mailDomains.name', 'servers.name as server']);
  if (zone !== null) q = q.where((eb) => eb.or([eb('mailDomains.name', '=', zone), namesUnder('mailDomains.name', zone)]));
  const [domains, servers] = await Promise.all([
    q.orderBy('mailDomains.name').execute(),
    db.selectFrom('servers').select(['name', 'addresses', 'publicAddresses']).where(sql<boolean>`'mail' = ANY(roles)`).orderBy('name').execute(),
  ]);
  // every DKIM key still published (the signing one and the retired ones), by selector
  const keys = !domains.length ? [] : await db.selectFrom('mailDkimKeys').select(['domainId', 'selector', 'publicKey'])
    .where('domainId', 'in', domains.map((d) => d.id)).orderBy('selector').execute();
  const dkim = new Map<string, DkimPublicKey[]>();
  for (const { domainId, ...k } of keys) (dkim.get(domainId) ?? dkim.set(domainId, []).get(domainId)!).push(k);
  const host = (server: string) => mailHost(server, settings.platformDomain);
  return {
    ports: settings.mail.ports, dmarcRua: settings.mail.dmarcRua ?? null,
    // a server whose name is not a host name, without a platform domain, has no records (nothing could point at it)
    domains: domains.map((d) => ({ name: d.name, host: host(d.server), dkim: dkim.get(d.id) ?? [] })).filter(named),
    hosts: servers.map((s) => ({ host: host(s.name), addresses: s.publicAddresses.length ? s.publicAddresses : s.addresses })).filter(named),
  };
}

/** Everything the zone content is built from, for one zone. */
export async function zoneContentInput(db: Db, settings: ZoneSettings, zone: Pick<ZoneRow, 'id' | 'name' | 'platform' | 'edgeRecords' | 'customerId'>): Promise<ZoneContentInput> {
  const { dns } = settings;
  const [records, acme, siteNames, edges, mail] = await Promise.all([
    db.selectFrom('dnsRecords').select(['name', 'type', 'content', 'ttl']).where('zoneId', '=', zone.id).execute(),
    db.selectFrom('acmeChallenges').select(['name', 'value']).where('zoneId', '=', zone.id).where('kind', '=', 'dns-01').execute(),
    siteNamesIn(db, zone.name),
    edgeAddresses(db),
    mailZoneInput(db, settings, zone.name),
  ]);
  const mailNames = new Set(await namesOfThisZone(db, zone.name, mail.domains.map((d) => d.name)));
  // the zone of the DMARC report address, when it is the platform's own (no customer's), accepts every mail domain's reports
  const reportsTo = ruaDomain(mail.dmarcRua);
  const reportsFor = reportsTo && zone.customerId === null && (await namesOfThisZone(db, zone.name, [reportsTo])).some((n) => inZone(n, zone.name))
    ? (await mailZoneInput(db, settings, null)).domains.map((d) => d.name) : [];
  return {
    mail: { ...mail, domains: mail.domains.filter((d) => mailNames.has(d.name)), reportsFor },
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
    db.selectFrom('zones').select(['id', 'name', 'edgeRecords', 'platform', 'customerId']).where('dns', '=', 'managed').orderBy('name').execute(),
    db.selectFrom('dnsRecords').innerJoin('zones', 'zones.id', 'dnsRecords.zoneId').where('zones.dns', '=', 'managed')
      .select(['dnsRecords.zoneId', 'dnsRecords.name', 'dnsRecords.type', 'dnsRecords.content', 'dnsRecords.ttl']).execute(),
    db.selectFrom('acmeChallenges').select(['zoneId', 'name', 'value']).where('kind', '=', 'dns-01').execute(),
    db.selectFrom('siteNames').select('name').execute(),
    edgeAddresses(db),
    db.selectFrom('zones').select('name').execute(),
  ]);
  return { zones, records, acme, names: names.map((n) => n.name), edges, zoneNames: new Set(all.map((z) => z.name)) };
}
