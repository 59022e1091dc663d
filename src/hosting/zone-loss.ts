// A customer lost a zone (another customer proved the domain, or the staff handed it over): its
// sites lose their names in that zone. An alias goes; a site whose domain is in the zone is removed
// (its files stay in the hosting, as when a site is removed by hand). Registered with dns/zone-loss.ts.
import type { Change } from '../platform/change.js';
import { siteNamesOf } from '../platform/names.js';
import type { ZoneLoss } from '../dns/zone-loss.js';
import { inZone } from '../dns/names.js';
import { findHosting } from './store-hostings.js';
import { deleteSite, findSite, siteIdsWithNamesIn, updateSite as writeSite } from './store-sites.js';
import { siteAuditView, siteChanged } from './operations-sites.js';

export const sitesLoseZoneNames: ZoneLoss = async (c: Change, zone, loserId, why) => {
  const pd = c.app.config.platformDomain;
  const lost: string[] = [];
  for (const id of await siteIdsWithNamesIn(c.db, loserId, zone.name)) {
    const site = await findSite(c.db, id);
    const hosting = await findHosting(c.db, site.hostingId, null, { lock: true });
    const names = siteNamesOf(site, pd).filter((n) => inZone(n, zone.name));
    lost.push(...names);
    if (inZone(site.domain, zone.name)) {
      await deleteSite(c.db, site.id);
      await c.audit({ action: 'site.delete', targetType: 'site', targetId: site.id, target: site.domain, customerId: loserId, before: { ...siteAuditView(site), reason: why } });
      await siteChanged(c, hosting, `site ${site.domain} removed: ${why}`, site, null);
      continue;
    }
    const aliases = site.aliases.filter((a) => !inZone(a, zone.name));
    const after = await writeSite(c.db, site.id, site, { aliases }, pd, c.now);
    await c.audit({ action: 'site.update', targetType: 'site', targetId: site.id, target: site.domain, customerId: loserId, before: siteAuditView(site), after: { ...siteAuditView(after), reason: why } });
    await siteChanged(c, hosting, `site ${site.domain} lost names: ${why}`, site, after);
  }
  return lost;
};
