// The zones a mail domain's records live in: adding or removing a mail domain changes them, so the
// DNS servers get the change's revision and the zones are stamped with it (their provisioning).
import type { Change } from '../platform/change.js';
import { dnsServers, zonesOfNames } from './store-zones.js';

export async function mailZonesChanged(c: Change, names: string[], reason: string): Promise<void> {
  const zones = [...(await zonesOfNames(c.db, names)).values()].map((z) => z.id);
  if (zones.length) await c.bump(reason, dnsServers(), [{ table: 'zones', ids: zones }]);
}
