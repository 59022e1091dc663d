// The web driver: system accounts, one PHP-FPM master per version with a pool per hosting, and the
// Apache instances with a vhost per site. One tenant's object never blocks another's change: what
// cannot be rendered, an account Abri did not create, a pool PHP-FPM refuses, a vhost Apache refuses
// is left out and reported on that object alone; everybody else's changes are applied. What fails
// for the node as a whole (its own settings, a service that will not run) is the node's error, and
// the previous configuration keeps serving.
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { detailOf, objectState, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState, ObjectProblem, ObjectReport } from '../node/protocol.js';
import type { Pause } from '../node/pause.js';
import type { NodeLayout } from '../node/layout.js';
import { apacheInstanceSpecs, webNodeSpec } from './node-spec.js';
import { ensureAccounts, ensureDocumentRoots } from './apply-accounts.js';
import { applyFpmMasters, type WebApplyContext } from './apply-fpm.js';
import { ApacheChangeError, applyApacheInstance, LeftOutByFpm, stopApacheInstancesFrom } from './apply-apache.js';
import { partitionWebSpec } from './spec-checks.js';
import type { WebHostingSpec, WebNodeSpec } from './spec.js';
import { HomeStorage } from './apply-storage.js';

const serverFailed = (service: string): ObjectProblem => ({
  code: 'server.failed', params: { service }, message: `${service} on this server could not apply the change; staff see why in the server's error`,
});

const withoutHostings = (spec: WebNodeSpec, ids: Iterable<string>): WebNodeSpec => {
  const out = new Set(ids);
  return { ...spec, hostings: spec.hostings.filter((h) => !out.has(h.id)) };
};
const withoutSites = (spec: WebNodeSpec, ids: Iterable<string>): WebNodeSpec => {
  const out = new Set(ids);
  return { ...spec, hostings: spec.hostings.map((h) => ({ ...h, sites: h.sites.filter((s) => !out.has(s.id)) })) };
};

export class WebDriver implements Driver {
  readonly name = 'web';
  /** what was last applied successfully: hosting:<id> → its spec, apache:<k> → the instance's spec (JSON) */
  private readonly applied = new Map<string, string>();
  /** what a service refused (hosting:<id> / site:<id> → its input and why): not tried again until it changes or a repair pass */
  private readonly refused = new Map<string, { input: string; problem: ObjectProblem }>();
  /** Apache instances at the last apply (null: not applied yet) */
  private instanceCount: number | null = null;
  private readonly ctx: WebApplyContext;
  /** homes as btrfs subvolumes with their quota where it can, and the measure of the space they use */
  private readonly storage: HomeStorage;

  constructor(
    exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
    hooks: { pause?: Pause } = {},
  ) {
    this.ctx = { exec, apply: node.apply, log, pause: hooks.pause };
    this.storage = new HomeStorage(exec, node.disk, log);
  }

  handles(state: DesiredState) {
    return !!state.web;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    const repair = opts.repair ?? true;
    const ok = this.node.apply ? 'live' : 'rendered';
    const hostings = new Map<string, ObjectProblem>(); // hosting id → why it is left out
    const sites = new Map<string, ObjectProblem>(); // site id → why it is left out
    const nodeErrors: string[] = [];
    const objects: ObjectReport[] = [];
    if (repair) this.refused.clear();
    let spec: WebNodeSpec;
    try {
      const parts = partitionWebSpec(webNodeSpec(state, this.node, this.layout), this.appliedHostings());
      for (const [id, p] of parts.hostings) hostings.set(id, p);
      for (const [id, p] of parts.sites) sites.set(id, p);
      spec = this.skipRefused(parts.spec, hostings, sites);
      const t0 = performance.now();
      if (this.node.apply) spec = await this.applyAccounts(spec, repair, hostings);
      const t1 = performance.now();
      // Apache renders, writes and validates its vhosts while PHP-FPM checks and reloads the pools;
      // an instance reloads only once PHP-FPM has decided, without the hostings whose pool it refused
      const fpm = this.applyFpm(spec, hostings, sites, nodeErrors);
      const [fpmDone, apacheDone] = await Promise.allSettled([fpm.then(() => performance.now()), this.applyApache(state, spec, repair, sites, nodeErrors, fpm)]);
      for (const r of [fpmDone, apacheDone]) if (r.status === 'rejected') throw r.reason;
      const ms = (a: number, b: number) => Math.round(b - a);
      this.log.debug({ revision: state.revision, accountsMs: ms(t0, t1), fpmMs: ms(t1, (fpmDone as PromiseFulfilledResult<number>).value), webMs: ms(t1, performance.now()) }, 'web apply phases');
    } catch (e) {
      // the node's own settings refused, or a step that is nobody's object failed
      nodeErrors.push(detailOf(e));
      for (const h of state.web?.hostings ?? []) for (const s of h.sites) if (!sites.has(s.id)) sites.set(s.id, serverFailed('The web server'));
    }
    for (const h of state.web?.hostings ?? []) {
      const problem = hostings.get(h.id);
      objects.push(objectState('hosting', h.id, ok, problem));
      for (const s of h.sites) {
        const siteProblem: ObjectProblem | undefined = problem
          ? { code: 'web.hosting_failed', params: { hosting: h.name }, message: `its hosting ${h.name} is in error on this server` }
          : sites.get(s.id);
        objects.push(objectState('site', s.id, ok, siteProblem));
      }
    }
    // the space the homes use (those this server made for their hosting), every ABRI_DISK_MEASURE_SECONDS
    const usage = this.node.apply ? await this.storage.measure((state.web?.hostings ?? []).filter((h) => !hostings.has(h.id) && this.applied.has(`hosting:${h.id}`))) : undefined;
    return { objects, error: nodeErrors.length ? nodeErrors.join('; ') : undefined, ...(usage?.length ? { usage } : {}) };
  }

  private appliedHostings(): Set<string> {
    return new Set([...this.applied.keys()].filter((k) => k.startsWith('hosting:')).map((k) => k.slice(8)));
  }

  /** Leaves out what a service refused before, as long as it has not changed (no second search for the culprit). */
  private skipRefused(spec: WebNodeSpec, hostings: Map<string, ObjectProblem>, sites: Map<string, ObjectProblem>): WebNodeSpec {
    const same = (key: string, input: unknown) => {
      const r = this.refused.get(key);
      return r && r.input === JSON.stringify(input) ? r.problem : null;
    };
    for (const h of spec.hostings) {
      const p = same(`hosting:${h.id}`, h);
      if (p) hostings.set(h.id, p);
      for (const s of h.sites) {
        const sp = same(`site:${s.id}`, { ...h, sites: [s] });
        if (sp) sites.set(s.id, sp);
      }
    }
    return withoutSites(withoutHostings(spec, hostings.keys()), sites.keys());
  }

  private refuse(key: string, input: unknown, problem: ObjectProblem) {
    this.refused.set(key, { input: JSON.stringify(input), problem });
  }

  /** Accounts and document roots of the hostings that changed (all of them on a repair pass). */
  private async applyAccounts(spec: WebNodeSpec, repair: boolean, hostings: Map<string, ObjectProblem>): Promise<WebNodeSpec> {
    const changed = spec.hostings.filter((h) => repair || this.applied.get(`hosting:${h.id}`) !== JSON.stringify(h));
    const problems = await ensureAccounts(this.ctx.exec, changed, { webUser: this.node.web.user, recordsDir: this.layout.accountsDir, storage: this.storage, pause: this.ctx.pause, log: this.log });
    for (const [id, p] of problems) {
      hostings.set(id, p);
      this.applied.delete(`hosting:${id}`);
    }
    const fine = changed.filter((h) => !problems.has(h.id));
    await ensureDocumentRoots(fine);
    for (const h of fine) this.applied.set(`hosting:${h.id}`, JSON.stringify(h));
    return withoutHostings(spec, problems.keys());
  }

  /** Every PHP version's pools; a hosting whose pool PHP-FPM refuses is left out everywhere (its vhosts need the pool). */
  private async applyFpm(spec: WebNodeSpec, hostings: Map<string, ObjectProblem>, sites: Map<string, ObjectProblem>, nodeErrors: string[]): Promise<WebNodeSpec> {
    const versions = Object.keys(spec.php);
    for (let round = 0; round <= versions.length; round++) {
      let again = false;
      for (const version of versions) {
        const { refused, failed } = await applyFpmMasters(this.ctx, spec, version, this.layout, this.node.fpmPoolsPerMaster);
        for (const f of failed) {
          nodeErrors.push(f.detail);
          for (const h of f.hostings) for (const s of h.sites) sites.set(s.id, serverFailed('PHP-FPM'));
        }
        if (!refused.size) continue;
        for (const [id, p] of refused) {
          hostings.set(id, p);
          this.refuse(`hosting:${id}`, spec.hostings.find((h) => h.id === id), p);
        }
        spec = withoutHostings(spec, refused.keys());
        again = true; // the versions applied before may hold these pools too
        break;
      }
      if (!again) break;
    }
    return spec;
  }

  /**
   * Each instance validates and reloads only when its own files changed: a change costs the reload
   * of the instance that holds the site, not of every site of the node.
   */
  private async applyApache(state: DesiredState, spec: WebNodeSpec, repair: boolean, sites: Map<string, ObjectProblem>, nodeErrors: string[], fpm: Promise<WebNodeSpec>) {
    const instances = apacheInstanceSpecs(spec, state.web?.apacheInstances ?? 1, this.layout);
    await Promise.all(instances.map(async (first, k) => {
      let instance = first;
      // before a reload (or a start): PHP-FPM's verdict; the hostings it left out are left out here too
      const afterFpm = async () => {
        const kept = new Set((await fpm).hostings.map((h) => h.id));
        const out = instance.hostings.filter((h) => !kept.has(h.id)).map((h) => h.id);
        if (out.length) throw new LeftOutByFpm(out);
      };
      for (let attempt = 0; attempt < 4; attempt++) {
        const key = `apache:${k}`;
        const input = JSON.stringify({ ...instance, revision: 0 }); // the revision number alone changes nothing in the files
        try {
          if (!repair && this.applied.get(key) === input) return void (await afterFpm()); // same vhosts as last applied: nothing to render or reload
          this.applied.delete(key);
          const refused = await applyApacheInstance(this.ctx, instance, afterFpm);
          if (!refused.size) return void this.applied.set(key, input);
          for (const [id, p] of refused) {
            sites.set(id, p);
            const h = instance.hostings.find((x) => x.sites.some((s) => s.id === id))!;
            this.refuse(`site:${id}`, { ...h, sites: h.sites.filter((s) => s.id === id) } satisfies WebHostingSpec, p);
          }
          instance = withoutSites(instance, refused.keys());
        } catch (e) {
          if (e instanceof LeftOutByFpm) {
            this.applied.delete(key);
            instance = withoutHostings(instance, e.hostings);
            continue;
          }
          nodeErrors.push(`Apache${instances.length > 1 ? ` ${k}` : ''}: ${detailOf(e)}`);
          for (const id of e instanceof ApacheChangeError ? e.sites : instance.hostings.flatMap((h) => h.sites.map((s) => s.id))) sites.set(id, serverFailed('Apache'));
          return;
        }
      }
      nodeErrors.push(`Apache${instances.length > 1 ? ` ${k}` : ''}: the configuration is still refused after leaving out the sites Apache refused`);
    }));
    // instances beyond the count: looked for when the count changes, and on the periodic pass
    if (this.node.apply && (repair || this.instanceCount !== instances.length)) {
      await stopApacheInstancesFrom(this.ctx, this.layout, instances.length, (k) => this.applied.delete(`apache:${k}`));
      this.instanceCount = instances.length;
    }
  }
}
