// What the customers concerned and the staff are told when a zone changes hands (durable notices
// the UI shows; the audit log has the details for the staff).
import type { Db } from '../platform/db/database.js';
import { displayDomain } from '../platform/names.js';
import { insertNotices } from '../notices/store.js';

export interface ZoneHandOver {
  zone: string;
  loserId: string;
  winnerId: string;
  /** site names the losing customer's sites lost (ASCII) */
  lost: string[];
  /** proven by a TXT token or by the domain's NS, or handed over by the staff */
  how: 'txt' | 'ns' | 'staff';
}

const proof = { txt: 'published the verification TXT record', ns: 'pointed its name servers at the platform', staff: 'was handed the zone by the staff' };

export async function noticeZoneLost(db: Db, h: ZoneHandOver, now: Date): Promise<void> {
  const zone = displayDomain(h.zone);
  const lost = h.lost.map(displayDomain);
  const names = lost.length ? ` Your sites no longer answer for ${lost.join(', ')}.` : '';
  const params = { zone, names: lost, how: h.how };
  await insertNotices(db, [
    {
      customerId: h.loserId, kind: 'zone.lost', params,
      message: h.how === 'staff'
        ? `The staff handed the zone ${zone} over to another customer.${names}`
        : `Another customer proved that the domain ${zone} is theirs (it ${proof[h.how]}) and took its zone over.${names} If the domain is yours, prove it the same way, or contact the staff.`,
    },
    {
      customerId: h.winnerId, kind: 'zone.won', params,
      message: h.how === 'staff' ? `The staff handed the zone ${zone} over to you.` : `The zone ${zone} is now yours: you proved the domain. It starts with the platform's default records.`,
    },
    { customerId: null, kind: 'zone.changed_hands', params: { ...params, from: h.loserId, to: h.winnerId }, message: `The zone ${zone} changed hands (the new customer ${proof[h.how]}).${lost.length ? ` Names taken from the former customer's sites: ${lost.join(', ')}.` : ''}` },
  ], now);
}
