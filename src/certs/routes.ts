// Certificates of sites: see the state, upload a custom one, ask for a renewal, go back to automatic.
// Staff also list every certificate (those failing first, say) and see the platform's wildcard.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { AppError } from '../platform/errors.js';
import { idParams } from '../platform/validation.js';
import { customerScope } from '../platform/actor.js';
import { decide } from '../platform/policy.js';
import type { Db } from '../platform/db/database.js';
import type { Config } from '../platform/config.js';
import { recordAudit } from '../platform/store-audit.js';
import { findSite } from '../hosting/store-sites.js';
import { displayDomain } from '../platform/names.js';
import { findHosting } from '../hosting/store-hostings.js';
import { objectProvisioning, serversWithRole } from '../servers/store-provisioning.js';
import { certificateOut, certificateUpload, checkUpload } from './model.js';
import { edgesChanged, platformCertificate, platformCertificateWanted, siteCertificate, storeIssued, type CertificateRow } from './store.js';
import { listCertificates } from './store-list.js';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function showCertificate(db: Db, config: Config, c: CertificateRow | null, site: { id: string; domain: string; aliases: string[]; httpsMode: string } | null) {
  const wanted = site ? [site.domain, ...site.aliases] : config.platformDomain ? [config.platformDomain, `*.${config.platformDomain}`] : [];
  const expired = !!c?.notAfter && new Date(c.notAfter).getTime() <= Date.now();
  const status: z.infer<typeof certificateOut>['status'] = !c || (site?.httpsMode === 'http-only' && !c.certPem) ? 'none' : expired ? 'expired' : c.status;
  const provisioning = c?.certPem
    ? (await objectProvisioning(db, 'certificate', [{ id: c.id, revision: c.revision, servers: await serversWithRole(db, 'edge') }])).get(c.id)!
    : null;
  const disabled = !config.acme.directory && c?.source !== 'custom' && status !== 'none' ? 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)' : null;
  return {
    id: c?.id ?? null,
    siteId: site?.id ?? null,
    kind: site ? ('site' as const) : ('platform' as const),
    source: c?.source ?? null,
    status,
    names: c?.names ?? [],
    wanted,
    issuer: c?.issuer ?? null,
    serial: c?.serial ?? null,
    fingerprint: c?.fingerprint ?? null,
    notBefore: iso(c?.notBefore ?? null),
    notAfter: iso(c?.notAfter ?? null),
    renewAt: c?.source === 'acme' ? iso(c.renewAt) : null,
    nextAttemptAt: disabled || status === 'none' ? null : iso(c?.nextAttemptAt ?? null),
    lastAttemptAt: iso(c?.lastAttemptAt ?? null),
    lastError: status === 'none' ? null : c?.lastError ?? disabled,
    failures: c?.failures ?? 0,
    problems: c?.problems ?? [],
    provisioning,
  };
}

/** The site and its hosting, when the actor may see it (and change it, with `change`). */
async function siteOf(db: Db, actor: Parameters<typeof customerScope>[0], ref: string, change: boolean) {
  const site = await findSite(db, ref, customerScope(actor));
  if (change) decide(actor, { what: 'site', customerId: site.customerId }, 'manage');
  const hosting = await findHosting(db, site.hostingId, null, { lock: change });
  if (change && hosting.status === 'terminated') throw new AppError('hosting.terminated', `${hosting.name} is terminated`);
  return { site, hosting };
}

const auditView = (c: { names: string[]; source: string | null; notAfter: string | null; fingerprint: string | null }) =>
  ({ names: c.names, source: c.source, notAfter: c.notAfter, fingerprint: c.fingerprint });

export const certificateRoutes = [
  route({
    method: 'GET', path: '/api/v1/sites/{id}/certificate', summary: 'The site\'s certificate: issuer, names, validity, status, last error, next renewal', tag: 'certificates',
    access: 'user', tenant: true, params: idParams, response: certificateOut,
    async handler({ app, actor, params }) {
      const { site } = await siteOf(app.db, actor, params.id, false);
      return showCertificate(app.db, app.config, await siteCertificate(app.db, site.id), site);
    },
  }),
  route({
    method: 'POST', path: '/api/v1/sites/{id}/certificate', summary: 'Upload the site\'s own certificate (PEM certificate, key, chain); it replaces automatic certificates until removed',
    tag: 'certificates', access: 'user', tenant: true, params: idParams, body: certificateUpload, response: certificateOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const { site, hosting } = await siteOf(trx, actor, params.id, true);
        if (site.httpsMode === 'http-only') throw new AppError('certificate.https_disabled', `${site.domain} is served over HTTP only: choose an HTTPS mode first`);
        const checked = checkUpload(body, [site.domain, ...site.aliases], new Date());
        if (!checked.ok) throw new AppError(checked.code, checked.message, { issues: checked.issues });
        await trx.insertInto('certificates').values({ siteId: site.id, kind: 'site' }).onConflict((oc) => oc.column('siteId').doNothing()).execute();
        const row = (await siteCertificate(trx, site.id))!;
        await storeIssued(trx, app.secrets(), row.id, { ...checked.value, source: 'custom', renewAt: null, problems: [], nextAttemptAt: null, failures: 0 });
        const shown = await showCertificate(trx, app.config, await siteCertificate(trx, site.id), site);
        await recordAudit(trx, { actor, address: req.address }, { action: 'certificate.upload', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId, after: auditView(shown) });
        return shown;
      });
    },
  }),
  route({
    method: 'POST', path: '/api/v1/sites/{id}/certificate/renew', summary: 'Obtain the certificate again now (automatic certificates)', tag: 'certificates',
    access: 'user', tenant: true, params: idParams, response: certificateOut,
    async handler({ app, actor, params, req }) {
      return app.db.transaction().execute(async (trx) => {
        const { site, hosting } = await siteOf(trx, actor, params.id, true);
        if (site.httpsMode === 'http-only') throw new AppError('certificate.https_disabled', `${site.domain} is served over HTTP only: choose an HTTPS mode first`);
        const c = await siteCertificate(trx, site.id);
        if (c?.source === 'custom') throw new AppError('certificate.custom', 'this site uses an uploaded certificate: remove it (DELETE) to go back to automatic certificates');
        if (!app.config.acme.directory) throw new AppError('certificate.acme_disabled', 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)');
        await trx.insertInto('certificates').values({ siteId: site.id, kind: 'site' }).onConflict((oc) => oc.column('siteId').doNothing()).execute();
        // due now: the controller orders a new certificate even if the current one is far from its renewal
        await trx.updateTable('certificates').set({ nextAttemptAt: new Date(), renewAt: new Date(), failures: 0, updatedAt: new Date() }).where('siteId', '=', site.id).execute();
        await recordAudit(trx, { actor, address: req.address }, { action: 'certificate.renew', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId });
        return showCertificate(trx, app.config, await siteCertificate(trx, site.id), site);
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/sites/{id}/certificate', summary: 'Remove an uploaded certificate: the platform obtains one automatically again', tag: 'certificates',
    access: 'user', tenant: true, params: idParams, response: certificateOut,
    async handler({ app, actor, params, req }) {
      return app.db.transaction().execute(async (trx) => {
        const { site, hosting } = await siteOf(trx, actor, params.id, true);
        const c = await siteCertificate(trx, site.id);
        if (!c || c.source !== 'custom') throw new AppError('certificate.not_custom', 'this site has no uploaded certificate (automatic certificates are renewed, not removed)');
        await trx.updateTable('certificates').set({
          source: 'acme', status: 'pending', names: [], issuer: null, serial: null, fingerprint: null, notBefore: null, notAfter: null, certPem: null, chainPem: null,
          keySealed: null, renewAt: null, nextAttemptAt: site.httpsMode === 'http-only' ? null : new Date(), failures: 0, lastError: null, problems: '[]', updatedAt: new Date(),
        }).where('id', '=', c.id).execute();
        await edgesChanged(trx, `custom certificate of ${site.domain} removed`);
        await recordAudit(trx, { actor, address: req.address }, { action: 'certificate.remove', targetType: 'site', targetId: site.id, target: site.domain, customerId: hosting.customerId });
        return showCertificate(trx, app.config, await siteCertificate(trx, site.id), site);
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/certificates', summary: 'Every certificate of the platform (staff): search, filter by status, sort by expiry', tag: 'certificates',
    access: 'staff', query: listQuery.extend({ status: z.enum(['pending', 'valid', 'failing', 'expired']).optional() }),
    response: listOf(certificateOut.extend({ domain: z.string().nullable(), domainUnicode: z.string().nullable() })),
    async handler({ app, query }) {
      const page = await listCertificates(app.db, query);
      const items = await Promise.all(page.items.map(async (r) => ({
        ...(await showCertificate(app.db, app.config, r, r.siteId ? { id: r.siteId, domain: r.domain!, aliases: r.aliases ?? [], httpsMode: r.httpsMode! } : null)),
        domain: r.domain,
        domainUnicode: r.domain ? displayDomain(r.domain) : null,
      })));
      return { ...page, items };
    },
  }),
  route({
    method: 'GET', path: '/api/v1/certificates/platform', summary: 'The platform\'s wildcard certificate (staff)', tag: 'certificates', access: 'staff', response: certificateOut,
    async handler({ app }) {
      return showCertificate(app.db, app.config, await platformCertificate(app.db), null);
    },
  }),
  route({
    method: 'POST', path: '/api/v1/certificates/platform/renew', summary: 'Obtain the platform\'s wildcard certificate again now (staff)', tag: 'certificates', access: 'staff',
    response: certificateOut,
    async handler({ app, actor, req }) {
      if (!app.config.platformDomain) throw new AppError('certificate.not_found', 'this platform has no platform domain (ABRI_PLATFORM_DOMAIN)');
      if (!app.config.acme.directory) throw new AppError('certificate.acme_disabled', 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)');
      return app.db.transaction().execute(async (trx) => {
        await platformCertificateWanted(trx);
        await trx.updateTable('certificates').set({ nextAttemptAt: new Date(), renewAt: new Date(), failures: 0, updatedAt: new Date() }).where('kind', '=', 'platform').execute();
        await recordAudit(trx, { actor, address: req.address }, { action: 'certificate.renew', targetType: 'certificate', target: `*.${app.config.platformDomain}` });
        return showCertificate(trx, app.config, await platformCertificate(trx), null);
      });
    },
  }),
];
