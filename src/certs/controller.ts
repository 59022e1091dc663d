// The certificate controller (runs in every manager process; rows are leased, so several managers
// share the work). It obtains certificates for new HTTPS sites, renews them when a third of their
// lifetime remains, retries failures after 1 min, 10 min, 100 min then daily, and stores each new
// certificate with a revision bump so the edges swap it in without a reload.
import type { Logger } from 'pino';
import type { AppContext } from '../platform/context.js';
import { siteNamesOf } from '../platform/names.js';
import { objectProvisioning, provisioningOf, serversWithRole } from '../servers/store-provisioning.js';
import { zonesOfNames } from '../dns/site-zones.js';
import { acmeClient, acme } from './acme.js';
import { NameChecker, type NamePlan } from './precheck.js';
import { FAILING_AFTER, retryDelayMs } from './model.js';
import { claimDue, storeFailure, type CertificateRow } from './store.js';
import { obtain } from './order.js';

const LEASE_MS = 15 * 60_000;
/** A site or zone the platform is still publishing is waited for, not counted as a failure. */
const WAIT_MS = 2000;

export class CertificateController {
  private timer: NodeJS.Timeout | null = null;
  private inflight = new Set<Promise<void>>();
  private stopped = false;
  /** one ACME client (and account) per process, made on first use */
  private client: Promise<acme.Client> | null = null;
  /** resolves each time a certificate attempt ends (tests and benchmarks wait on it) */
  attempts = 0;

  constructor(private readonly app: AppContext, private readonly log: Logger) {}

  start() {
    this.schedule(0);
    return this;
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inflight]);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    try {
      const free = this.app.config.acme.concurrency - this.inflight.size;
      if (free > 0) {
        for (const cert of await claimDue(this.app.db, free, LEASE_MS)) {
          const work = this.work(cert).finally(() => {
            this.inflight.delete(work);
            this.attempts++;
            this.schedule(0);
          });
          this.inflight.add(work);
        }
      }
      await this.app.db.deleteFrom('acmeChallenges').where('expiresAt', '<', new Date()).execute();
    } catch (e) {
      this.log.error({ err: e }, 'certificate controller: cannot read the certificates to work on');
    }
    this.schedule(1000);
  }

  /** The names a certificate must cover, and whether the platform is still publishing them. */
  private async wanted(cert: CertificateRow): Promise<{ names: string[]; domain: string; publishing: boolean } | null> {
    const { db, config } = this.app;
    if (cert.kind === 'platform') {
      if (!config.platformDomain) return null;
      const names = [config.platformDomain, `*.${config.platformDomain}`];
      return { names, domain: config.platformDomain, publishing: await this.zonesPublishing(names) };
    }
    const site = await db.selectFrom('sites').innerJoin('hostings', 'hostings.id', 'sites.hostingId')
      .select(['sites.id', 'sites.domain', 'sites.aliases', 'sites.platformLabel', 'sites.httpsMode', 'sites.status', 'sites.revision', 'hostings.serverId', 'hostings.status as hostingStatus'])
      .where('sites.id', '=', cert.siteId!).executeTakeFirst();
    if (!site || site.httpsMode === 'http-only' || site.hostingStatus === 'terminated') return null;
    const names = [site.domain, ...site.aliases];
    const served = (await provisioningOf(db, [site])).get(site.id)!;
    const publishing = served.status === 'pending' || (await this.zonesPublishing(siteNamesOf(site, config.platformDomain)));
    return { names, domain: site.domain, publishing };
  }

  /** True while a zone the platform publishes for these names is not yet live on its DNS servers. */
  private async zonesPublishing(names: string[]): Promise<boolean> {
    const zones = [...new Map([...(await zonesOfNames(this.app.db, names)).values()].map((z) => [z.id, z])).keys()];
    if (!zones.length) return false;
    const rows = await this.app.db.selectFrom('zones').select(['id', 'revision']).where('id', 'in', zones).where('dns', '=', 'managed').execute();
    const servers = await serversWithRole(this.app.db, 'dns');
    if (!servers.length || !rows.length) return false;
    const states = await objectProvisioning(this.app.db, 'zone', rows.map((r) => ({ id: r.id, revision: r.revision, servers })));
    return [...states.values()].some((s) => s.status === 'pending');
  }

  private async work(cert: CertificateRow): Promise<void> {
    const { db } = this.app;
    const release = (next: Date | null, note?: string) =>
      db.updateTable('certificates').set({ leaseUntil: null, nextAttemptAt: next, ...(note ? { lastError: note } : {}) }).where('id', '=', cert.id).execute();
    let problems: Array<{ name: string; reason: string }> = [];
    try {
      const wanted = await this.wanted(cert);
      if (!wanted) return void (await release(null));
      if (wanted.publishing) {
        // the platform has not published the site or its zone yet: look again in a moment
        return void (await release(new Date(Date.now() + WAIT_MS), 'waiting for the platform to publish the site and its zone before ordering'));
      }
      const plans: NamePlan[] = await new NameChecker(db, this.app.config).plan(wanted.names);
      problems = plans.filter((p): p is Extract<NamePlan, { method: null }> => p.method === null).map((p) => ({ name: p.name, reason: p.reason }));
      const ok = plans.filter((p): p is Exclude<NamePlan, { method: null }> => p.method !== null);
      if (!ok.length) throw new Error(`no name can be validated: ${problems.map((p) => `${p.name}: ${p.reason}`).join('; ')}`);
      const renewalDue = !cert.certPem || !cert.renewAt || new Date(cert.renewAt).getTime() <= Date.now() || new Date(cert.notAfter ?? 0).getTime() <= Date.now();
      const newNames = ok.some((p) => !cert.names.includes(p.name));
      if (!renewalDue && !newNames) {
        // nothing to order: only names still failing, looked at again on the retry schedule
        await this.recordProblems(cert, problems);
        return;
      }
      const client = await (this.client ??= acmeClient(db, this.app.secrets(), this.app.config.acme).catch((e) => {
        this.client = null;
        throw e;
      }));
      await obtain(this.app, client, cert, ok, problems, this.log);
      this.log.info({ certificate: cert.id, names: ok.map((p) => p.name), problems: problems.length }, 'certificate obtained');
    } catch (e) {
      const failures = cert.failures + 1;
      const message = (e as Error).message;
      this.log.warn({ certificate: cert.id, failures, err: message }, 'certificate attempt failed');
      await storeFailure(db, cert, message, problems, new Date(Date.now() + retryDelayMs(failures)), failures >= FAILING_AFTER).catch((err) =>
        this.log.error({ err }, 'certificate failure not recorded'));
    }
  }

  private async recordProblems(cert: CertificateRow, problems: Array<{ name: string; reason: string }>) {
    const failures = problems.length ? cert.failures + 1 : 0;
    const retry = problems.length ? Date.now() + retryDelayMs(failures) : Infinity;
    const renew = cert.renewAt ? new Date(cert.renewAt).getTime() : Infinity;
    await this.app.db.updateTable('certificates').set({
      problems: JSON.stringify(problems), failures, leaseUntil: null, lastAttemptAt: new Date(),
      lastError: problems.length ? problems.map((p) => `${p.name}: ${p.reason}`).join('; ') : null,
      nextAttemptAt: Number.isFinite(Math.min(retry, renew)) ? new Date(Math.min(retry, renew)) : null,
    }).where('id', '=', cert.id).execute();
  }
}
