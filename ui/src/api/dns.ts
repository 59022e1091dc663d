// Which zones hold a site's names: each name and its parents are asked for (GET /api/v1/zones/{name});
// the longest zone that answers holds the name. Zones the user may not see (the platform's own, for
// customers) answer 404 and are left out; their names are returned apart.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './client.js';
import type { Site, Zone } from './types.js';

export interface SiteZone {
  zone: Zone;
  /** the site's names this zone holds (ASCII) */
  names: string[];
}

/** A name and its parents, longest first, down to two labels (www.example.org → www.example.org, example.org). */
export const parentsOf = (name: string) => {
  const labels = name.split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
};

export const siteNames = (site: Site) => [site.domain, ...site.aliases, ...(site.platformName ? [site.platformName] : [])];

export function useSiteZones(site: Site) {
  const names = siteNames(site);
  const key = names.join(' ');
  const [zones, setZones] = useState<SiteZone[] | null>(null);
  const [outside, setOutside] = useState<string[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    const candidates = [...new Set(names.flatMap(parentsOf))];
    Promise.all(
      candidates.map((c) =>
        api<Zone>('GET', `/api/v1/zones/${encodeURIComponent(c)}`).then(
          (z) => [c, z] as const,
          (e) => {
            if (e instanceof ApiError && e.notFound) return [c, null] as const;
            throw e;
          },
        ),
      ),
    )
      .then((answers) => {
        if (!live) return;
        const byName = new Map(answers);
        const held = new Map<string, SiteZone>();
        const without: string[] = [];
        for (const n of names) {
          const zone = parentsOf(n).map((p) => byName.get(p)).find((z) => z);
          if (!zone) without.push(n);
          else (held.get(zone.id) ?? held.set(zone.id, { zone, names: [] }).get(zone.id)!).names.push(n);
        }
        setZones([...held.values()]);
        setOutside(without);
        setError(null);
      })
      .catch((e) => live && setError(e instanceof ApiError ? e : new ApiError(0, 'internal', String(e))));
    return () => {
      live = false;
    };
  }, [key, generation]);

  return { zones, outside, error, reload: useCallback(() => setGeneration((g) => g + 1), []) };
}

/** Whether the user may change a zone: customers their own (owners and managers), staff every zone. */
export const zoneWritable = (zone: Zone, session: { isStaff: boolean; canChange(id: string): boolean }) =>
  zone.customerId ? session.canChange(zone.customerId) : session.isStaff;
