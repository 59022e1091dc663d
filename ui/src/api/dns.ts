// Which zones hold a site's names. Zones are made for registered domains and belong to the site's
// customer, so one search of that customer's zones per distinct "last two labels" of the names finds
// them (the zone of www.example.org contains "example.org"); the longest zone name that ends a name
// holds it. No zone is asked for by a name it may not have (no 404 for an alias on every visit).
// The platform address lives in the platform's zone: staff open it, customers are told about it.
import { useQueries } from '@tanstack/react-query';
import type { ApiError } from './client.js';
import type { Site, Zone } from './model.js';
import { usePlatform } from './platform.js';
import { getQuery, useGet } from './query.js';

export interface SiteZone {
  zone: Zone;
  /** the site's names this zone holds (ASCII) */
  names: string[];
}

const lastTwo = (name: string) => name.split('.').slice(-2).join('.');
const holds = (zone: string, name: string) => name === zone || name.endsWith(`.${zone}`);

export function useSiteZones(site: Site, staff: boolean) {
  const platform = usePlatform();
  const hosting = useGet('/hostings/{id}', { path: { id: site.hostingId } });
  const customerId = hosting.data?.customerId;
  const names = [site.domain, ...site.aliases];
  const searches = [...new Set(names.map(lastTwo))];
  const answers = useQueries({
    queries: searches.map((q) => ({ ...getQuery('/zones', { query: { customerId, q, limit: 100, sort: 'name' } }), enabled: !!customerId })),
  });
  const platformDomain = site.platformName ? platform?.platformDomain ?? null : null;
  const platformZone = useGet('/zones/{id}', { path: { id: platformDomain ?? '' } }, { enabled: staff && !!platformDomain });

  const error: ApiError | null = hosting.error ?? answers.find((a) => a.error)?.error ?? null;
  const loaded = answers.every((a) => a.data) && (!site.platformName || !!platform) && (!staff || !platformDomain || !!platformZone.data || !!platformZone.error);
  if (!loaded || error) return { zones: null, outside: [], error };

  const found = answers.flatMap((a) => a.data?.items ?? []);
  if (platformZone.data) found.push(platformZone.data);
  const held = new Map<string, SiteZone>();
  const outside: string[] = [];
  for (const n of [...names, ...(site.platformName ? [site.platformName] : [])]) {
    const zone = found.filter((z) => holds(z.name, n)).sort((a, b) => b.name.length - a.name.length)[0];
    if (!zone) outside.push(n);
    else (held.get(zone.id) ?? held.set(zone.id, { zone, names: [] }).get(zone.id)!).names.push(n);
  }
  return { zones: [...held.values()], outside, error: null };
}

/** Whether the user may change a zone: customers their own (owners and managers), staff every zone. */
export const zoneWritable = (zone: Zone, session: { isStaff: boolean; canChange(id: string): boolean }) =>
  zone.customerId ? session.canChange(zone.customerId) : session.isStaff;
