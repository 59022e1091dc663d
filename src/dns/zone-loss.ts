// A customer loses a zone (another customer proved the domain, or the staff handed it over): the
// names of that customer's sites in the zone must go with it, or one customer would keep serving
// names of another's domain. Sites belong to hosting, above DNS: hosting registers what losing the
// names means for sites (src/routes.ts wires it), and the zone change refuses to commit while any
// site name of another customer is left in the zone.
import type { Change } from '../platform/change.js';
import { displayDomain } from '../platform/names.js';
import { foreignSiteNamesIn } from './store-zones.js';

/** What losing a zone does to one kind of object; returns the names (ASCII) taken away. */
export type ZoneLoss = (c: Change, zone: { id: string; name: string }, loserId: string, why: string) => Promise<string[]>;

const handlers: ZoneLoss[] = [];

/** Registers what a capability above DNS does when a customer loses a zone. */
export function onZoneLost(handler: ZoneLoss): void {
  if (!handlers.includes(handler)) handlers.push(handler);
}

/**
 * The zone now belongs to `winnerId`: every registered handler takes the loser's names away, then
 * no site name of another customer may be left in it. Returns the names taken away.
 */
export async function zoneLost(c: Change, zone: { id: string; name: string }, loserId: string, winnerId: string, why: string): Promise<string[]> {
  const lost: string[] = [];
  for (const h of handlers) lost.push(...(await h(c, zone, loserId, why)));
  const left = await foreignSiteNamesIn(c.db, zone.name, winnerId);
  if (left.length) {
    throw new Error(`zone ${zone.name} changes hands but sites of another customer still use ${left.slice(0, 5).map(displayDomain).join(', ')} (is the hosting handler registered?)`);
  }
  return lost;
}
