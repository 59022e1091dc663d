// The desired state of a DNS server: every zone the platform publishes, as rrsets, and the
// secondaries to notify. Built from a few queries (store-zone-content.ts) whatever the number of zones.
import type { Db } from '../platform/db/database.js';
import { zoneFor } from './names.js';
import { desiredInputs, mailZoneInput, type ZoneSettings } from './store-zone-content.js';
import { zoneRrsets, type ZoneContentInput } from './zone-content.js';
import { ruaDomain, type MailZoneInput } from './mail-records.js';
import type { DesiredState } from '../node/protocol.js';

type Grouped<T> = Map<string, T[]>;
const push = <T>(m: Grouped<T>, k: string, v: T) => void (m.get(k) ?? m.set(k, []).get(k)!).push(v);

export async function dnsState(db: Db, settings: ZoneSettings): Promise<NonNullable<DesiredState['dns']>> {
  const { dns } = settings;
  const { zones, records, acme, names, edges, zoneNames } = await desiredInputs(db);
  const mail = await mailZoneInput(db, settings, null);
  // the zone of the DMARC report address, when it is the platform's own (no customer's), accepts every mail domain's reports
  const reportsTo = ruaDomain(mail.dmarcRua);
  const reportsZone = reportsTo ? zoneFor(reportsTo, zoneNames) : null;
  const ownReportsZone = zones.some((z) => z.name === reportsZone && z.customerId === null) ? reportsZone : null;
  const mailBy: Grouped<MailZoneInput['domains'][number]> = new Map();
  for (const d of mail.domains) {
    const z = zoneFor(d.name, zoneNames);
    if (z) push(mailBy, z, d);
  }
  const recordsBy: Grouped<ZoneContentInput['records'][number]> = new Map();
  for (const { zoneId, ...r } of records) push(recordsBy, zoneId, r);
  const acmeBy: Grouped<{ name: string; value: string }> = new Map();
  for (const { zoneId, ...a } of acme) if (zoneId) push(acmeBy, zoneId, a);
  const namesBy: Grouped<string> = new Map();
  for (const name of names) {
    const z = zoneFor(name, zoneNames);
    if (z) push(namesBy, z, name);
  }
  return {
    secondaries: dns.secondaries,
    zones: zones.map((z) => ({
      id: z.id,
      name: z.name,
      rrsets: zoneRrsets({
        zone: z.name, platform: z.platform, edgeRecords: z.edgeRecords, nameservers: dns.nameservers, nameserverAddresses: dns.nameserverAddresses, hostmaster: dns.hostmaster,
        ttl: dns.ttl, edgeTtl: dns.edgeTtl, edgeAddresses: edges, siteNames: z.platform ? [] : (namesBy.get(z.name) ?? []),
        records: recordsBy.get(z.id) ?? [], acme: acmeBy.get(z.id) ?? [], mail: { ...mail, domains: mailBy.get(z.name) ?? [], reportsFor: z.name === ownReportsZone ? mail.domains.map((d) => d.name) : [] },
      }),
    })),
  };
}
