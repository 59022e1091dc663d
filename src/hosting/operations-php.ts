// The verbs of a site's PHP settings: show them, change them within the offer's bounds.
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { serversAffectedBy } from '../servers/store.js';
import type { SitePhpPatch } from './model-php.js';
import { hostingSubject, siteSubject } from './rules.js';
import { effectivePhp, patchPhp, phpView } from './rules-php.js';
import { findHosting, hostingStamps } from './store-hostings.js';
import { findSite } from './store-sites.js';
import { sitePhpOf, writeSitePhp } from './store-php.js';

export async function showSitePhp(app: AppContext, caller: Caller, ref: string) {
  const site = await findSite(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(siteSubject(site));
  const { chosen, bounds } = await sitePhpOf(app.db, site.id);
  return phpView(site, chosen, bounds);
}

export function updateSitePhp(app: AppContext, caller: Caller, ref: string, patch: SitePhpPatch) {
  return change(app, caller, async (c) => {
    const site = await findSite(c.db, ref, customerScope(caller.actor));
    const hosting = await findHosting(c.db, site.hostingId, null, { lock: true });
    c.may(hostingSubject(hosting, 'site'), 'manage');
    const { chosen, bounds, offerName } = await sitePhpOf(c.db, site.id);
    const after = patchPhp(chosen, patch, bounds, offerName);
    await writeSitePhp(c.db, site.id, after, c.now);
    await c.audit({
      action: 'site.php', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId,
      before: { ...effectivePhp(chosen, bounds) }, after: { ...effectivePhp(after, bounds) },
    });
    await c.bump(`PHP settings of ${site.domain} changed`, serversAffectedBy(hosting.serverId), hostingStamps(hosting.id, site.id));
    return phpView(site, after, bounds);
  });
}
