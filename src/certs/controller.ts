// The certificate controller, as the job runner's first user: one job per certificate (kind
// "certificate", key = its id), whose runAt is the next attempt or the renewal. A run obtains the
// certificate of a new HTTPS site, renews one when a third of its lifetime remains, or looks again at
// names that could not be validated; failures are retried after 1 min, 10 min, 100 min, then daily
// (the job's retry delays) and after four in a row the certificate is failing. Each new certificate
// is stored in one change with a revision bump, so the edges swap it in without a reload (a mail
// server's certificate: that mail server, which reloads Postfix and Dovecot).
import type { AppContext } from '../platform/context.js';
import { systemCaller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { siteNamesOf } from '../platform/names.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { objectProvisioning, provisioningOf, serversWithRole } from '../servers/store-provisioning.js';
import { zonesOfNames } from '../dns/site-zones.js';
import { zonesChanged } from '../dns/store-zones.js';
import type acme from 'acme-client';
import { NameChecker, type NamePlan } from './precheck.js';
import { CERTIFICATE_JOB, CHALLENGE_CLEANUP_JOB, RETRY_DELAYS_MS, renewalTime, type CertificateInfo } from './model.js';
import { certificateById, storeAttempt, storeIssued, storeNote, type CertificateRow } from './store.js';
import { certificateSite, managedZoneRevisions } from './store-sites.js';
import { deleteExpiredChallenges } from './store-acme.js';
import type { Obtained } from './order.js';
import { certificateServers, mailCertificateServer } from './store-mail.js';
import { mailHost } from '../dns/mail-records.js';

/** A site or zone the platform is still publishing is waited for, not counted as a failure. */
const WAIT_MS = 2000;
const LEASE_MS = 15 * 60_000;

type Problem = { name: string; reason: string };
const describe = (problems: Problem[]) => problems.map((p) => `${p.name}: ${p.reason}`).join('; ');

interface Wanted {
  names: string[];
  /** the certificate's owner: the site's customer, or null for the platform's wildcard and the mail servers' */
  customerId: string | null;
  siteId: string | null;
  /** the platform has not published the site or its zone yet */
  publishing: boolean;
}

/** True while a zone the platform publishes for these names is not yet live on its DNS servers. */
async function zonesPublishing(app: AppContext, names: string[]): Promise<boolean> {
  const zones = [...new Set([...(await zonesOfNames(app.db, names)).values()].map((z) => z.id))];
  const rows = await managedZoneRevisions(app.db, zones);
  const servers = await serversWithRole(app.db, 'dns');
  if (!servers.length || !rows.length) return false;
  const states = await objectProvisioning(app.db, 'zone', rows.map((r) => ({ id: r.id, revision: r.revision, servers })));
  return [...states.values()].some((s) => s.status === 'pending');
}

/** The names a certificate must cover, whose they are, and whether the platform is still publishing them. */
async function wanted(app: AppContext, cert: CertificateRow): Promise<Wanted | null> {
  const { config } = app;
  if (cert.kind === 'mail') {
    const server = await mailCertificateServer(app.db, cert.serverId!);
    const name = server?.roles.includes('mail') ? mailHost(server.name, config.platformDomain) : null;
    return name ? { names: [name], customerId: null, siteId: null, publishing: await zonesPublishing(app, [name]) } : null;
  }
  if (cert.kind === 'platform') {
    if (!config.platformDomain) return null;
    const names = [config.platformDomain, `*.${config.platformDomain}`];
    return { names, customerId: null, siteId: null, publishing: await zonesPublishing(app, names) };
  }
  const site = await certificateSite(app.db, cert.siteId!);
  if (!site || site.httpsMode === 'http-only' || site.hostingStatus === 'terminated') return null;
  const served = (await provisioningOf(app.db, [site])).get(site.id)!;
  const publishing = served.status === 'pending' || (await zonesPublishing(app, siteNamesOf(site, config.platformDomain)));
  return { names: [site.domain, ...site.aliases], customerId: site.customerId, siteId: site.id, publishing };
}

/** Stores a new certificate in one change (revision for the edges, audit entry); false if an upload came first. */
function store(app: AppContext, cert: CertificateRow, w: Wanted, got: Obtained, renewAt: Date, problems: Problem[], failures: number): Promise<boolean> {
  return change(app, systemCaller('certificates', 'upkeep'), async (c) => {
    c.staffOnly();
    const current = await certificateById(c.db, cert.id);
    if (!current || current.source !== 'acme') {
      c.nothingToAudit();
      return false;
    }
    const revision = await c.bump(`certificate ${got.info.names[0] ?? cert.id} stored`, await certificateServers(c.db, cert));
    await storeIssued(c.db, app.secrets(), cert.id, { ...got, source: 'acme', renewAt, problems, failures }, revision, c.now);
    await c.audit({
      action: 'certificate.issue', targetType: w.siteId ? 'site' : 'certificate', targetId: w.siteId ?? cert.id, target: got.info.names[0] ?? null,
      customerId: w.customerId, after: view(got.info),
    });
    return true;
  });
}

const view = (i: CertificateInfo) => ({ names: i.names, issuer: i.issuer, notAfter: i.notAfter.toISOString(), fingerprint: i.fingerprint });

/** One run of a certificate's job. */
export async function runCertificateJob(ctx: JobContext, client: () => Promise<acme.Client>): Promise<JobOutcome> {
  const { app, job, now, log } = ctx;
  const cert = await certificateById(app.db, job.key);
  if (!cert) return { forget: true };
  if (cert.source === 'custom') return { done: true };
  const w = await wanted(app, cert);
  if (!w) return { done: true };
  if (w.publishing) {
    // the platform has not published the site or its zone yet: look again in a moment
    await storeNote(app.db, cert.id, 'waiting for the platform to publish the site and its zone before ordering', now);
    return { next: new Date(now.getTime() + WAIT_MS) };
  }
  const failures = job.attempts + 1;
  let problems: Problem[] = [];
  try {
    const plans: NamePlan[] = await new NameChecker(app, { customerId: w.customerId }).plan(w.names);
    problems = plans.filter((p): p is Extract<NamePlan, { method: null }> => p.method === null).map((p) => ({ name: p.name, reason: p.reason }));
    const ok = plans.filter((p): p is Exclude<NamePlan, { method: null }> => p.method !== null);
    if (!ok.length) throw new Error(`no name can be validated: ${describe(problems)}`);
    const renewAt = cert.renewAt ? new Date(cert.renewAt) : null;
    const renewalDue = !cert.certPem || !renewAt || renewAt <= now || new Date(cert.notAfter ?? 0) <= now;
    const newNames = ok.some((p) => !cert.names.includes(p.name));
    if (!renewalDue && !newNames) {
      // nothing to order: only names still failing, looked at again on the retry schedule
      await storeAttempt(app.db, cert.id, { failures: problems.length ? failures : 0, error: problems.length ? describe(problems) : null, problems, now, failing: false });
      return problems.length ? { failed: describe(problems), retryBefore: renewAt! } : { next: renewAt! };
    }
    const { obtain } = await import('./order.js'); // acme-client (and its crypto libraries) load with the first order
    const got = await obtain(app, await client(), cert.id, ok, log);
    const next = renewalTime(got.info.notBefore, got.info.notAfter, Math.random());
    if (!(await store(app, cert, w, got, next, problems, problems.length ? failures : 0))) return { done: true };
    log.info({ certificate: cert.id, names: got.info.names, problems: problems.length }, 'certificate obtained');
    // names left out are looked at again on the failure schedule; else the next work is the renewal
    return problems.length ? { failed: describe(problems), retryBefore: next } : { next };
  } catch (e) {
    await storeAttempt(app.db, cert.id, { failures, error: (e as Error).message, problems, now, failing: true });
    throw e;
  }
}

/** Removes challenges past their expiry (an order interrupted before its cleanup), and their records. */
export async function expireChallenges(ctx: JobContext): Promise<JobOutcome> {
  const { removed, zones } = await deleteExpiredChallenges(ctx.app.db, ctx.now);
  if (zones.length) await zonesChanged(ctx.app.db, zones, 'expired ACME DNS-01 records removed');
  if (removed) ctx.log.info({ removed }, 'expired ACME challenges removed');
}

/** The job kinds of certificates, registered by the manager when it orders certificates. */
export function registerCertificateJobs(registry: JobRegistry, app: AppContext): void {
  // one ACME client (and account) per process, made on first use: acme-client is loaded then, not at start
  let client: Promise<acme.Client> | null = null;
  const clientOnce = () => (client ??= import('./acme.js').then(({ acmeClient }) => acmeClient(app.db, app.secrets(), app.config.acme)).catch((e: unknown) => {
    client = null;
    throw e;
  }));
  registry.register({
    kind: CERTIFICATE_JOB, retryDelaysMs: RETRY_DELAYS_MS, maxAttempts: null, leaseMs: LEASE_MS, concurrency: app.config.acme.concurrency,
    run: (ctx) => runCertificateJob(ctx, clientOnce),
  });
  registry.register({ kind: CHALLENGE_CLEANUP_JOB, retryDelaysMs: [60_000, 600_000], maxAttempts: null, recurring: 'every 10m', run: expireChallenges });
}
