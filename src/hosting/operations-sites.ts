// The verbs of sites: list, show, create, change, remove. Routes, the CLI, controllers and jobs call
// these; each change runs in change() (transaction, authorization, audit, revision).
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { customerScope } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/database.js';
import { defaultDocumentRoot, siteNamesOf } from '../platform/names.js';
import { serversAffectedBy } from '../servers/store.js';
import { provisioningOf } from '../servers/store-provisioning.js';
import { assertOwnZones, syncSiteZones } from '../dns/site-zones.js';
import { siteCertificateWanted } from '../certs/store.js';
import { siteView, type siteCreate, type sitePatch, type SiteRow } from './model.js';
import { assertHttpsAllowed, assertSiteQuota, defaultHttpsMode, hostingSubject, siteSubject } from './rules.js';
import { assertPhpAllowed, findHosting, hostingStamps, offerOf, type HostingRow } from './store-hostings.js';
import {
  createSite as insertSite, deleteSite, findSite, listSites, newSiteNames, siteCountAndTakenName, siteNameTaken, updateSite as writeSite,
} from './store-sites.js';

export type SiteInput = z.output<typeof siteCreate>;
export type SitePatch = z.output<typeof sitePatch>;

/** Sites as the API shows them, with their provisioning state. */
export async function siteViews(app: { db: Db; config: Config }, rows: SiteRow[], opts: { created?: boolean } = {}) {
  const states = await provisioningOf(app.db, rows, opts);
  return rows.map((r) => siteView(r, states.get(r.id)!, app.config.platformDomain));
}

const auditView = (s: SiteRow) => ({
  domain: s.domain, aliases: s.aliases, platformSubdomain: s.platformLabel, documentRoot: s.documentRoot, phpVersion: s.phpVersion, httpsMode: s.httpsMode, status: s.status,
});

/** What the audit log keeps of a site (also for changes made by other capabilities: hosting/zone-loss.ts). */
export const siteAuditView = auditView;

function platformLabelOf(config: Config, label: string | null | undefined): string | null | undefined {
  if (label && !config.platformDomain) {
    throw fieldError('site.no_platform_domain', 'body.platformSubdomain', 'this platform has no platform domain (ABRI_PLATFORM_DOMAIN) to give sites a name under');
  }
  return label;
}

/** A site's domain and aliases never fall under the platform domain: its platform name comes with platformSubdomain. */
function assertNotPlatformNames(config: Config, names: { domain?: string; aliases?: string[] }) {
  const pd = config.platformDomain;
  const given = [...(names.domain ? [names.domain] : []), ...(names.aliases ?? [])];
  const platformName = pd ? given.find((n) => n === pd || n.endsWith(`.${pd}`)) : undefined;
  if (platformName) {
    throw fieldError('site.platform_domain', names.domain === platformName ? 'body.domain' : 'body.aliases',
      `${platformName} is under the platform's own domain: ask for a platform name with platformSubdomain instead`, { name: platformName });
  }
}

/**
 * After a site changed: the revision (its web server, the edges, the DNS servers), its new names in
 * no other customer's zone, its zones (created when new), its certificate.
 */
export async function siteChanged(c: Change, hosting: HostingRow, reason: string, before: SiteRow | null, after: SiteRow | null, dns?: 'managed' | 'external'): Promise<number> {
  const { config } = c.app;
  const revision = await c.bump(reason, serversAffectedBy(hosting.serverId), hostingStamps(hosting.id, (after ?? before)!.id));
  const names = (s: SiteRow | null) => (s ? siteNamesOf(s, config.platformDomain) : []);
  // refuses names in another customer's zone (site.zone_taken), then creates and stamps the zones
  await syncSiteZones(c.db, config, { customerId: hosting.customerId, before: names(before), after: names(after), dns, who: c.caller }, revision);
  if (after) await siteCertificateWanted(c.db, after, c, { created: before === null });
  return revision;
}

export async function listSitesOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const r = reader(app, caller);
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  r.may(hostingSubject(hosting));
  const page = await listSites(app.db, hosting.id, query);
  return { ...page, items: await siteViews(app, page.items) };
}

export async function showSite(app: AppContext, caller: Caller, ref: string) {
  const site = await findSite(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(siteSubject(site));
  return (await siteViews(app, [site]))[0];
}

export function createSite(app: AppContext, caller: Caller, hostingRef: string, input: SiteInput) {
  return change(app, caller, async (c) => {
    const hosting = await findHosting(c.db, hostingRef, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(hosting, 'site'), 'manage');
    return createSiteIn(c, hosting, input);
  });
}

/** createSite inside the caller's change, on a hosting it locked, once it decided who may (an order's first site). */
export async function createSiteIn(c: Change, hosting: HostingRow, input: SiteInput) {
  const { app } = c;
  const offer = offerOf(hosting);
  const { dns, platformSubdomain, ...fields } = input;
  const claimed = newSiteNames({ domain: input.domain, aliases: input.aliases, platformLabel: platformSubdomain ?? null }, app.config.platformDomain);
  // counted after the lock: two creations in one hosting cannot both take its last site
  const { count, taken } = await siteCountAndTakenName(c.db, hosting.id, claimed.names);
  assertSiteQuota(offer, count);
  const phpVersion = input.phpVersion ?? hosting.phpVersion;
  assertPhpAllowed(offer, phpVersion);
  const httpsMode = input.httpsMode ?? defaultHttpsMode(offer);
  assertHttpsAllowed(offer, httpsMode);
  const platformLabel = platformLabelOf(app.config, platformSubdomain) ?? null;
  assertNotPlatformNames(app.config, input);
  if (taken) throw siteNameTaken(taken, input);
  const site = await insertSite(c.db, hosting.id, { ...fields, platformLabel, documentRoot: input.documentRoot ?? defaultDocumentRoot(input.domain), phpVersion, httpsMode }, claimed);
  await c.audit({ action: 'site.create', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId, after: auditView(site) });
  const revision = await siteChanged(c, hosting, `site ${site.domain} created`, null, site, dns);
  return (await siteViews({ db: c.db, config: app.config }, [{ ...site, revision }], { created: true }))[0]; // only its stamp changed
}

/**
 * Whether a customer could make a site of this domain (an order's, before its hosting exists): not
 * under the platform domain, held by no site, in no other customer's zone. Throws the site's codes.
 */
export async function assertSiteNameFree(c: Change, customerId: string, domain: string): Promise<void> {
  assertNotPlatformNames(c.app.config, { domain });
  const { names } = newSiteNames({ domain, aliases: [], platformLabel: null }, c.app.config.platformDomain);
  const { taken } = await siteCountAndTakenName(c.db, NO_HOSTING, names);
  if (taken) throw siteNameTaken(taken, { domain, aliases: [] });
  await assertOwnZones(c.db, customerId, names);
}
const NO_HOSTING = '00000000-0000-0000-0000-000000000000';

export function updateSite(app: AppContext, caller: Caller, ref: string, patch: SitePatch) {
  return change(app, caller, async (c) => {
    const site = await findSite(c.db, ref, customerScope(caller.actor));
    const hosting = await findHosting(c.db, site.hostingId, null, { lock: true });
    c.may(hostingSubject(hosting, 'site'), 'manage');
    const offer = offerOf(hosting);
    if (patch.phpVersion) assertPhpAllowed(offer, patch.phpVersion);
    if (patch.httpsMode) assertHttpsAllowed(offer, patch.httpsMode);
    const { platformSubdomain, ...fields } = patch;
    const platformLabel = platformLabelOf(app.config, platformSubdomain);
    assertNotPlatformNames(app.config, patch);
    const after = await writeSite(c.db, site.id, site, { ...fields, ...(platformLabel !== undefined ? { platformLabel } : {}) }, app.config.platformDomain, c.now);
    await c.audit({ action: 'site.update', targetType: 'site', targetId: site.id, target: after.domain, customerId: hosting.customerId, before: auditView(site), after: auditView(after) });
    await siteChanged(c, hosting, `site ${after.domain} changed`, site, after);
    return (await siteViews({ db: c.db, config: app.config }, [await findSite(c.db, site.id)]))[0];
  });
}

export function removeSite(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const site = await findSite(c.db, ref, customerScope(caller.actor));
    const hosting = await findHosting(c.db, site.hostingId, null, { lock: true });
    c.may(hostingSubject(hosting, 'site'), 'manage');
    await deleteSite(c.db, site.id);
    await c.audit({ action: 'site.delete', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId, before: auditView(site) });
    await siteChanged(c, hosting, `site ${site.domain} removed`, site, null);
  });
}
