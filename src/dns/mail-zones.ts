// The zones a mail domain's records live in: adding or removing a mail domain changes them (and the
// zone of the DMARC report address, which accepts each domain's reports), so the DNS servers get the
// change's revision and the zones are stamped with it (their provisioning).
import type { Change } from '../platform/change.js';
import { dnsServers, zonesOfNames } from './store-zones.js';
import { ruaDomain } from './mail-records.js';

export async function mailZonesChanged(c: Change, names: string[], reason: string): Promise<void> {
  const reports = ruaDomain(c.app.config.mail.dmarcRua);
  const zones = [...new Set([...(await zonesOfNames(c.db, reports ? [...names, reports] : names)).values()].map((z) => z.id))];
  if (zones.length) await c.bump(reason, dnsServers(), [{ table: 'zones', ids: zones }]);
}
