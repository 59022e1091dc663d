// Sites of a hosting: customers (owner/manager) and staff add, change and remove them within the offer's quotas.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError } from '../platform/errors.js';
import { idParams } from '../platform/validation.js';
import { assertCanChange, customerScope, type Actor } from '../platform/actor.js';
import { recordAudit } from '../audit/store.js';
import { findOffer } from '../offers/store.js';
import { hostingChanged } from './changes.js';
import { provisioningOf } from '../agent/provisioning.js';
import type { OfferRow } from '../offers/model.js';
import type { Db } from '../platform/db/database.js';
import { showSite, siteCreate, siteOut, sitePatch, type SiteRow } from './model.js';
import { assertPhpAllowed, findHosting } from './store-hostings.js';
import { countSites, createSite, deleteSite, findSite, listSites, siteNamesOf, updateSite } from './store-sites.js';
import type { Config } from '../platform/config.js';
import { assertOwnZones, syncSiteZones } from '../dns/site-zones.js';
import type { Who } from '../audit/store.js';
import { siteCertificateWanted } from '../certs/store.js';

function assertHttpsAllowed(offer: OfferRow, mode: SiteRow['httpsMode']) {
  if (mode !== 'http-only' && !offer.tlsAllowed) {
    throw new AppError('offer.tls_not_allowed', `the offer "${offer.name}" does not include HTTPS; use httpsMode "http-only"`, {
      status: 409,
      issues: [{ path: 'body.httpsMode', message: 'HTTPS is not included in the offer' }],
    });
  }
}

function assertWritable(h: { status: string; name: string }) {
  if (h.status === 'terminated') throw new AppError('hosting.terminated', `${h.name} is terminated`, { status: 409 });
}

/** Loads a site with its hosting and offer, checking that the actor may change it. */
async function siteForChange(db: Db, actor: Actor, ref: string) {
  const site = await findSite(db, ref, customerScope(actor));
  assertCanChange(actor, site.customerId, 'site');
  const hosting = await findHosting(db, site.hostingId, null, { lock: true });
  assertWritable(hosting);
  return { site, hosting, offer: await findOffer(db, hosting.offerId) };
}

/** Sites as the API shows them, with their provisioning state. */
async function show(app: { db: Db; config: Config }, rows: SiteRow[]) {
  const states = await provisioningOf(app.db, rows);
  return rows.map((r) => showSite(r, states.get(r.id)!, app.config.platformDomain));
}
const showOne = async (app: { db: Db; config: Config }, row: SiteRow) => (await show(app, [row]))[0];

const audit = (s: SiteRow) => ({ domain: s.domain, aliases: s.aliases, platformSubdomain: s.platformLabel, documentRoot: s.documentRoot, phpVersion: s.phpVersion, httpsMode: s.httpsMode, status: s.status });

function platformLabelOf(config: Config, label: string | null | undefined): string | null | undefined {
  if (label && !config.platformDomain) {
    throw new AppError('site.no_platform_domain', 'this platform has no platform domain (ABRI_PLATFORM_DOMAIN) to give sites a name under', {
      issues: [{ path: 'body.platformSubdomain', message: 'the platform has no platform domain' }],
    });
  }
  return label;
}

/** A site's domain and aliases never fall under the platform domain: its platform name comes with platformSubdomain. */
function assertNotPlatformNames(config: Config, names: { domain?: string; aliases?: string[] }) {
  const pd = config.platformDomain;
  const given = [...(names.domain ? [names.domain] : []), ...(names.aliases ?? [])];
  const platformName = pd ? given.find((n) => n === pd || n.endsWith(`.${pd}`)) : undefined;
  if (platformName) {
    throw new AppError('site.platform_domain', `${platformName} is under the platform's own domain: ask for a platform name with platformSubdomain instead`, {
      issues: [{ path: names.domain === platformName ? 'body.domain' : 'body.aliases', message: 'names under the platform domain come with platformSubdomain' }],
    });
  }
}

/** After a site changed: its new names in no other customer's zone, its zones (created when new), its certificate. */
async function siteChanged(trx: Db, config: Config, who: Who, customerId: string, revision: number, before: SiteRow | null, after: SiteRow | null, dns?: 'managed' | 'external') {
  const names = (s: SiteRow | null) => (s ? siteNamesOf(s, config.platformDomain) : []);
  const added = names(after).filter((n) => !names(before).includes(n));
  await assertOwnZones(trx, customerId, added);
  await syncSiteZones(trx, config, { customerId, before: names(before), after: names(after), dns, who }, revision);
  if (after) await siteCertificateWanted(trx, after);
}


export const siteRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/sites', summary: 'List the sites of a hosting (search, sort, pages)', tag: 'sites', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(siteOut),
    async handler({ app, actor, params, query }) {
      const h = await findHosting(app.db, params.id, customerScope(actor));
      const page = await listSites(app.db, h.id, query);
      return { ...page, items: await show(app, page.items) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/sites', summary: 'Add a site to a hosting', tag: 'sites', access: 'user', tenant: true, status: 201,
    params: idParams, body: siteCreate, response: siteOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const hosting = await findHosting(trx, params.id, customerScope(actor), { lock: true });
        assertCanChange(actor, hosting.customerId, 'site');
        assertWritable(hosting);
        const offer = await findOffer(trx, hosting.offerId);
        if ((await countSites(trx, hosting.id)) >= offer.maxSites) {
          throw new AppError('quota.sites_exceeded', `the offer "${offer.name}" allows ${offer.maxSites} site(s) per hosting`);
        }
        const phpVersion = body.phpVersion ?? hosting.phpVersion;
        assertPhpAllowed(offer, phpVersion);
        const httpsMode = body.httpsMode ?? (offer.tlsAllowed ? 'both' : 'http-only');
        assertHttpsAllowed(offer, httpsMode);
        const { dns, platformSubdomain, ...fields } = body;
        const platformLabel = platformLabelOf(app.config, platformSubdomain) ?? null;
        assertNotPlatformNames(app.config, body);
        const site = await createSite(trx, hosting.id, { ...fields, platformLabel, documentRoot: body.documentRoot ?? body.domain, phpVersion, httpsMode }, app.config.platformDomain);
        await recordAudit(trx, { actor, address: req.address }, { action: 'site.create', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId, after: audit(site) });
        const revision = await hostingChanged(trx, hosting, `site ${site.domain} created`, { siteId: site.id });
        await siteChanged(trx, app.config, { actor, address: req.address }, hosting.customerId, revision, null, site, dns);
        return showOne({ db: trx, config: app.config }, await findSite(trx, site.id));
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/sites/{id}', summary: 'Show a site (id or domain)', tag: 'sites', access: 'user', tenant: true, params: idParams, response: siteOut,
    async handler({ app, actor, params }) {
      return showOne(app, await findSite(app.db, params.id, customerScope(actor)));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/sites/{id}', summary: 'Change a site', tag: 'sites', access: 'user', tenant: true, params: idParams, body: sitePatch, response: siteOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const { site, hosting, offer } = await siteForChange(trx, actor, params.id);
        if (body.phpVersion) assertPhpAllowed(offer, body.phpVersion);
        if (body.httpsMode) assertHttpsAllowed(offer, body.httpsMode);
        const { platformSubdomain, ...fields } = body;
        const platformLabel = platformLabelOf(app.config, platformSubdomain);
        assertNotPlatformNames(app.config, body);
        const after = await updateSite(trx, site.id, site, { ...fields, ...(platformLabel !== undefined ? { platformLabel } : {}) }, app.config.platformDomain);
        await recordAudit(trx, { actor, address: req.address }, { action: 'site.update', targetType: 'site', targetId: site.id, target: after.domain, customerId: hosting.customerId, before: audit(site), after: audit(after) });
        const revision = await hostingChanged(trx, hosting, `site ${after.domain} changed`, { siteId: site.id });
        await siteChanged(trx, app.config, { actor, address: req.address }, hosting.customerId, revision, site, after);
        return showOne({ db: trx, config: app.config }, await findSite(trx, site.id));
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/sites/{id}', summary: 'Remove a site (its files stay in the hosting)', tag: 'sites', access: 'user', tenant: true, params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const { site, hosting } = await siteForChange(trx, actor, params.id);
        await deleteSite(trx, site.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'site.delete', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId, before: audit(site) });
        const revision = await hostingChanged(trx, hosting, `site ${site.domain} removed`, { siteId: site.id });
        await siteChanged(trx, app.config, { actor, address: req.address }, hosting.customerId, revision, site, null);
      });
    },
  }),
];
