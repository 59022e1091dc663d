// The verbs of certificates: show a site's, upload one, ask for a renewal, go back to automatic;
// staff list every certificate and renew the platform's wildcard. Routes and the CLI call these; each
// change runs in change() (transaction, authorization, audit, revision for the edges).
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { assertStaff, customerScope } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { Subject } from '../platform/policy.js';
import type { Db } from '../platform/db/database.js';
import { displayDomain } from '../platform/names.js';
import type { ListQuery } from '../platform/http/list.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { jobsByKey } from '../jobs/store.js';
import type { JobRow } from '../jobs/model.js';
import { CERTIFICATE_JOB, certificateView, type CertificateView, type certificateUpload } from './model.js';
import { checkUpload, foreignNamesRefused, refusal, wildcardBases } from './rules.js';
import { covers } from './coverage.js';
import {
  certificateDue, certificateIdle, edgeServers, ensureSiteCertificate, forgetCustomCertificate, markRenewalDue, platformCertificate,
  platformCertificateWanted, siteCertificate, storeIssued, type CertificateRow,
} from './store.js';
import { findCertSite, foreignSiteNames, type CertSite } from './store-sites.js';
import { listCertificates as listRows, type CertificateListRow } from './store-list.js';
import { serverNames } from './store-mail.js';
import { mailHost } from '../dns/mail-records.js';
import type { z } from 'zod';

type SiteLike = { id: string; domain: string; aliases: string[]; httpsMode: string };

/** A site, as the policy sees it when its certificate is read or changed. */
const subjectOf = (s: CertSite): Subject => ({ what: 'site', customerId: s.customerId, customerStatus: s.customerStatus, hosting: { name: s.hostingName, status: s.hostingStatus } });

/** Views of certificates, with their jobs (next attempt) and their deployment on the edges, in a few queries. */
async function viewsOf(app: AppContext, db: Db, items: Array<{ row: CertificateRow | null; site: SiteLike | null }>, now: Date): Promise<CertificateView[]> {
  const rows = items.map((i) => i.row).filter((r): r is CertificateRow => !!r);
  const jobs: Map<string, JobRow> = await jobsByKey(db, CERTIFICATE_JOB, rows.map((r) => r.id));
  const deployed = rows.filter((r) => r.certPem);
  const edges = deployed.some((r) => r.kind !== 'mail') ? await edgeServers(db) : [];
  // a mail server's certificate is deployed on that server alone
  const states = await objectProvisioning(db, 'certificate', deployed.map((r) => ({ id: r.id, revision: r.revision, servers: r.kind === 'mail' ? [r.serverId!] : edges })));
  const servers = await serverNames(db, rows.flatMap((r) => (r.serverId ? [r.serverId] : [])));
  const mail = (r: CertificateRow | null) => {
    const server = r?.serverId ? servers.get(r.serverId) : undefined;
    return server === undefined ? null : { server, host: mailHost(server, app.config.platformDomain) };
  };
  return items.map(({ row, site }) => certificateView(row, site, {
    now, automatic: !!app.config.acme.directory, platformDomain: app.config.platformDomain, mail: mail(row),
    provisioning: row ? (states.get(row.id) ?? null) : null, job: row ? (jobs.get(row.id) ?? null) : null,
  }));
}

/** One certificate's view (a site's, the platform's, or a mail server's when its row names one). */
export const viewOf = async (app: AppContext, db: Db, row: CertificateRow | null, site: SiteLike | null, now: Date) => (await viewsOf(app, db, [{ row, site }], now))[0]!;

const auditView = (c: CertificateView) => ({ names: c.names, source: c.source, notAfter: c.notAfter, fingerprint: c.fingerprint });

const httpsDisabled = (s: CertSite) =>
  new AppError('certificate.https_disabled', `${displayDomain(s.domain)} is served over HTTP only: choose an HTTPS mode first`, { params: { domain: s.domain } });

export async function showSiteCertificate(app: AppContext, caller: Caller, ref: string): Promise<CertificateView> {
  const r = reader(app, caller);
  const site = await findCertSite(app.db, ref, customerScope(caller.actor));
  r.may(subjectOf(site));
  return viewOf(app, app.db, await siteCertificate(app.db, site.id), site, r.now);
}

/** Uploads the site's own certificate: it replaces automatic ones until removed. */
export function uploadCertificate(app: AppContext, caller: Caller, ref: string, body: z.output<typeof certificateUpload>) {
  return change(app, caller, async (c) => {
    const site = await findCertSite(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(subjectOf(site), 'manage');
    if (site.httpsMode === 'http-only') throw httpsDisabled(site);
    const names = [site.domain, ...site.aliases];
    const checked = checkUpload(body, names, app.config.platformDomain, c.now);
    if (!checked.ok) throw refusal(checked);
    // a wildcard below the site's own names must not cover another customer's site either
    const info = checked.value.info;
    const others = (await foreignSiteNames(c.db, site.customerId, [], wildcardBases(info.names))).filter((n) => covers(info.names, n));
    if (others.length) throw refusal(foreignNamesRefused(others, names));
    const row = await ensureSiteCertificate(c.db, site.id);
    const revision = await c.bump(`certificate of ${site.domain} uploaded`, await edgeServers(c.db));
    await storeIssued(c.db, app.secrets(), row.id, { ...checked.value, source: 'custom', renewAt: null, problems: [], failures: 0 }, revision, c.now);
    await certificateIdle(c.db, row.id, c.now);
    const shown = await viewOf(app, c.db, await siteCertificate(c.db, site.id), site, c.now);
    await c.audit({ action: 'certificate.upload', targetType: 'site', targetId: site.id, target: site.domain, customerId: site.customerId, after: auditView(shown) });
    return shown;
  });
}

/** Obtains the site's certificate again now (automatic certificates). */
export function renewCertificate(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const site = await findCertSite(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(subjectOf(site), 'manage');
    if (site.httpsMode === 'http-only') throw httpsDisabled(site);
    const current = await siteCertificate(c.db, site.id);
    if (current?.source === 'custom') throw new AppError('certificate.custom', 'this site uses an uploaded certificate: remove it (DELETE) to go back to automatic certificates');
    if (!app.config.acme.directory) throw new AppError('certificate.acme_disabled', 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)');
    const row = await ensureSiteCertificate(c.db, site.id);
    // due now: the job orders a new certificate even if the current one is far from its renewal
    await markRenewalDue(c.db, row.id, c.now);
    await certificateDue(c.db, row.id, c.now, c, { fresh: true });
    await c.audit({ action: 'certificate.renew', targetType: 'site', targetId: site.id, target: site.domain, customerId: site.customerId });
    return viewOf(app, c.db, await siteCertificate(c.db, site.id), site, c.now);
  });
}

/** Removes an uploaded certificate: the platform obtains one automatically again. */
export function removeCertificate(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const site = await findCertSite(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(subjectOf(site), 'manage');
    const current = await siteCertificate(c.db, site.id, { lock: true });
    if (!current || current.source !== 'custom') throw new AppError('certificate.not_custom', 'this site has no uploaded certificate (automatic certificates are renewed, not removed)');
    await forgetCustomCertificate(c.db, current.id, c.now);
    await c.bump(`custom certificate of ${site.domain} removed`, await edgeServers(c.db));
    if (site.httpsMode !== 'http-only') await certificateDue(c.db, current.id, c.now, c, { fresh: true });
    await c.audit({ action: 'certificate.remove', targetType: 'site', targetId: site.id, target: site.domain, customerId: site.customerId });
    return viewOf(app, c.db, await siteCertificate(c.db, site.id), site, c.now);
  });
}

/** Every certificate of the platform (staff). */
export async function listAllCertificates(app: AppContext, caller: Caller, query: ListQuery & { status?: 'pending' | 'valid' | 'failing' | 'expired' }) {
  assertStaff(caller.actor);
  const now = app.clock.now();
  const page = await listRows(app.db, query, now);
  const site = (r: CertificateListRow) => (r.siteId ? { id: r.siteId, domain: r.domain!, aliases: r.aliases ?? [], httpsMode: r.httpsMode! } : null);
  const views = await viewsOf(app, app.db, page.items.map((r) => ({ row: r, site: site(r) })), now);
  return { ...page, items: page.items.map((r, i) => ({ ...views[i]!, domain: r.domain, domainUnicode: r.domain ? displayDomain(r.domain) : null })) };
}

export async function showPlatformCertificate(app: AppContext, caller: Caller): Promise<CertificateView> {
  assertStaff(caller.actor);
  return viewOf(app, app.db, await platformCertificate(app.db), null, app.clock.now());
}

/** Obtains the platform's wildcard certificate again now (staff). */
export function renewPlatformCertificate(app: AppContext, caller: Caller) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    if (!app.config.platformDomain) throw new AppError('certificate.not_found', 'this platform has no platform domain (ABRI_PLATFORM_DOMAIN)');
    if (!app.config.acme.directory) throw new AppError('certificate.acme_disabled', 'certificates are not ordered on this platform (ABRI_ACME_DIRECTORY is empty)');
    const row = await platformCertificateWanted(c.db, c);
    await markRenewalDue(c.db, row.id, c.now);
    await certificateDue(c.db, row.id, c.now, c, { fresh: true });
    await c.audit({ action: 'certificate.renew', targetType: 'certificate', targetId: row.id, target: `*.${app.config.platformDomain}` });
    return viewOf(app, c.db, await platformCertificate(c.db), null, c.now);
  });
}
