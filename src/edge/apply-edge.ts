// The edge driver: HAProxy with its host → backend maps and its certificates. When HAProxy runs and
// only the maps and certificates differ, the change goes through the runtime API (no reload: set/add/
// del map, new/set/commit ssl cert, add/del ssl crt-list) and the files are rewritten for restarts;
// anything else is validated with `haproxy -c` and applied by a seamless reload (-sf old pids).
// One tenant's object never stops the edge: a host name that cannot be rendered takes its site out,
// a certificate that cannot be fetched or that HAProxy refuses is left out; each is reported on its
// own object and everybody else's changes go live.
import path from 'node:path';
import { rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { livePids } from '../platform/pid-file.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir, writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import type { RenderedFile } from '../platform/render.js';
import type { NodeSettings } from '../platform/config.js';
import { detailOf, objectState, type Driver, type DriverResult } from '../node/driver.js';
import type { CertificateBundle, DesiredCertificate, DesiredState, ObjectProblem, ObjectReport } from '../node/protocol.js';
import type { Pause } from '../node/pause.js';
import type { NodeLayout } from '../node/layout.js';
import { edgeSpec } from './node-spec.js';
import { CERTS_DIR, crtListPath, edgeMapEntries, edgeMapPath, edgeTlsMapEntries, edgeTlsMapPath, renderHaproxy } from './render-haproxy.js';
import { runtimeApi, expectSuccess } from './runtime-api.js';
import { certificateFiles, defaultCertificate, haproxyCheck, refusedCertificates, strayCertificateFiles, swapCertificatesAtRuntime } from './apply-certs.js';
import { partitionEdgeSpec, sniCoverage } from './spec-checks.js';
import type { EdgeSpec } from './spec.js';

export { runtimeApi } from './runtime-api.js';
export { crtListPath };

const RUNTIME_FILES = new Set(['maps/hosts.map', 'maps/hosts-tls.map', `${CERTS_DIR}/certs.list`]);
const isRuntimeFile = (rel: string) => RUNTIME_FILES.has(rel) || (rel.startsWith(`${CERTS_DIR}/`) && rel.endsWith('.pem') && rel !== `${CERTS_DIR}/default.pem`);

function parseMap(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' ') as [string, string]));
}

const serverFailed: ObjectProblem = { code: 'server.failed', params: { service: 'HAProxy' }, message: 'the edge could not apply the change; staff see why in the server\'s error' };

export class EdgeDriver implements Driver {
  readonly name = 'edge';
  /** the input and result of the last successful apply: a revision that changes nothing here is skipped */
  private last: { input: string; result: DriverResult } | null = null;
  /** certificates HAProxy refused: id → the refused fingerprint and why (not tried again until it changes, or a repair pass) */
  private readonly refused = new Map<string, { fingerprint: string; problem: ObjectProblem }>();

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly manager: { address: string; port: number },
    private readonly log: Logger,
    /** fetches a certificate's PEM (certificate, chain, key) from the manager */
    private readonly fetchCertificate: (id: string) => Promise<CertificateBundle> = async () => {
      throw new Error('this agent cannot fetch certificates');
    },
    private readonly hooks: { pause?: Pause } = {},
  ) {}

  handles(state: DesiredState) {
    return !!state.edge;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    const repair = opts.repair ?? true;
    const desired = state.edge ?? { backends: [], hosts: [], certificates: [] };
    const certs = desired.certificates ?? [];
    const spec = edgeSpec(state, this.node, this.layout, this.manager);
    const input = JSON.stringify({ ...spec, revision: 0, certificates: certs });
    if (!repair && this.last?.input === input) return this.last.result;
    this.last = null;
    if (repair) this.refused.clear();
    const ok = this.node.apply ? 'live' : 'rendered';
    const siteOf = new Map(desired.hosts.map((h) => [h.host, h.siteId]));
    const sites = new Map<string, ObjectProblem>();
    const certProblems = new Map<string, ObjectProblem>();
    for (const c of certs) {
      if (!c.serves?.length) certProblems.set(c.id, { code: 'edge.certificate_unused', params: { names: c.names.join(' ') }, message: 'this certificate covers none of the current names of its site: it is not served' });
      const r = this.refused.get(c.id);
      if (r && r.fingerprint === c.fingerprint) certProblems.set(c.id, r.problem);
    }
    let error: string | undefined;
    try {
      const parts = partitionEdgeSpec(spec);
      for (const [host, p] of parts.hosts) if (siteOf.has(host)) sites.set(siteOf.get(host)!, p);
      for (const [id, p] of parts.certificates) certProblems.set(id, p);
      // a site with a host name left out is left out whole (the web node leaves it out too)
      const kept = { ...parts.spec, hosts: parts.spec.hosts.filter((h) => !sites.has(siteOf.get(h.host)!)) };
      await this.apply(kept, certs, certProblems);
    } catch (e) {
      error = `HAProxy: ${detailOf(e)}`;
    }
    const objects = new Map<string, ObjectReport>();
    for (const h of desired.hosts) objects.set(`site/${h.siteId}`, objectState('site', h.siteId, ok, sites.get(h.siteId) ?? (error ? serverFailed : null)));
    for (const c of certs) objects.set(`certificate/${c.id}`, objectState('certificate', c.id, ok, certProblems.get(c.id) ?? (error ? serverFailed : null)));
    const result = { objects: [...objects.values()], error };
    // a certificate not fetched is tried again with the next revision
    if (!error && ![...certProblems.values()].some((p) => p.code === 'edge.certificate_not_fetched')) this.last = { input, result };
    return result;
  }

  /** Applies the edge; the certificates it could not fetch or HAProxy refuses are added to `problems` and left out. */
  private async apply(spec: EdgeSpec, certs: DesiredCertificate[], problems: Map<string, ObjectProblem>): Promise<void> {
    const tls = this.node.apply && spec.httpsPort != null;
    const wanted = certs.filter((c) => !problems.has(c.id) && (spec.certificates ?? []).some((s) => s.id === c.id));
    const fetched = tls ? await certificateFiles(spec, wanted, this.fetchCertificate, this.log) : { files: [], failed: new Map<string, string>(), fresh: new Set<string>() };
    for (const [id, detail] of fetched.failed) problems.set(id, { code: 'edge.certificate_not_fetched', params: { detail }, message: `certificate not fetched: ${detail}` });
    const files: RenderedFile[] = [...fetched.files];
    if (tls) {
      files.push(await defaultCertificate(this.exec, spec));
      const fresh = [...fetched.fresh].filter((id) => !problems.has(id));
      for (const [id, detail] of await refusedCertificates(this.exec, spec, files, fresh)) this.refuse(certs, id, detail, problems);
    }
    const cfg = path.join(spec.configDir, 'haproxy.cfg');
    const owned = ['maps', 'pages', ...(spec.httpsPort != null ? [CERTS_DIR] : [])];
    let served = this.served(spec, problems);
    let rendered = this.rendered(served, files, problems);
    if (!this.node.apply) return void (await applyFileSet(spec.configDir, rendered, owned));
    await ensureDir(path.dirname(this.layout.edgePidFile), 0o755);
    const running = await livePids(this.layout.edgePidFile);
    let reloadNeeded = false;
    if (running.length && (await this.onlyRuntimeFilesDiffer(spec, rendered))) {
      try {
        const refused = await this.updateAtRuntime(served, rendered);
        if (!refused.size) return;
        // refused at runtime after all: reload from files that leave them out
        for (const [id, detail] of refused) this.refuse(certs, id, detail, problems);
        served = this.served(spec, problems);
        rendered = this.rendered(served, files, problems);
        reloadNeeded = true;
      } catch (e) {
        // the running state may be half updated: a reload from the rendered files puts it right
        this.log.warn({ err: e }, 'runtime update failed; reloading HAProxy instead');
        reloadNeeded = true;
      }
    }
    let started = false;
    const start = async () => {
      await this.exec.run('haproxy', ['-f', cfg, '-D', '-p', this.layout.edgePidFile, ...(running.length ? ['-sf', ...running.map(String)] : [])], { daemonizes: true, umask: 0o022 });
      started = true;
      this.log.info({ reload: running.length > 0 }, running.length ? 'HAProxy reloaded' : 'HAProxy started');
    };
    const validate = async () => {
      await this.hooks.pause?.('edge-written');
      await haproxyCheck(this.exec, cfg);
    };
    // a reload is part of the change (journal kept until HAProxy runs the new files); a first start is not
    await applyFileSet(spec.configDir, rendered, owned, validate, running.length ? start : undefined);
    if (!started && (!running.length || reloadNeeded)) await start();
  }

  private refuse(certs: DesiredCertificate[], id: string, detail: string, problems: Map<string, ObjectProblem>) {
    const problem: ObjectProblem = { code: 'edge.certificate_refused', params: { detail }, message: `HAProxy refused this certificate: ${detail}` };
    problems.set(id, problem);
    const c = certs.find((x) => x.id === id);
    if (c) this.refused.set(id, { fingerprint: c.fingerprint, problem });
    this.log.warn({ certificate: id, detail }, 'certificate refused by HAProxy; the edge serves the others');
  }

  /** The spec with only the certificates served, and HTTPS redirects only for hosts one of them covers. */
  private served(spec: EdgeSpec, problems: Map<string, ObjectProblem>): EdgeSpec {
    const certificates = (spec.certificates ?? []).filter((c) => !problems.has(c.id));
    const covered = sniCoverage(certificates.flatMap((c) => c.serves));
    return { ...spec, certificates, hosts: spec.hosts.map((h) => ({ ...h, tls: (h.tls ?? false) && covered(h.host) })) };
  }

  private rendered(spec: EdgeSpec, files: RenderedFile[], problems: Map<string, ObjectProblem>): RenderedFile[] {
    const keep = new Set([`${CERTS_DIR}/default.pem`, ...(spec.certificates ?? []).map((c) => `${CERTS_DIR}/${c.id}.pem`)]);
    return [...renderHaproxy(spec), ...files.filter((f) => keep.has(f.path) && !problems.has(path.basename(f.path, '.pem')))];
  }

  /** True when every file but the maps, the crt-list and the certificates is what is on disk already. */
  private async onlyRuntimeFilesDiffer(spec: EdgeSpec, files: RenderedFile[]): Promise<boolean> {
    for (const f of files) {
      if (isRuntimeFile(f.path)) continue;
      if ((await readIfExists(path.join(spec.configDir, f.path))) !== f.content) return false;
    }
    return true;
  }

  /** Brings the running maps and certificates in line with the files, then rewrites the files; returns the certificates HAProxy refused. */
  private async updateAtRuntime(spec: EdgeSpec, files: RenderedFile[]): Promise<Map<string, string>> {
    await this.updateMap(edgeMapPath(spec), edgeMapEntries(spec));
    if (spec.httpsPort != null) {
      await this.updateMap(edgeTlsMapPath(spec), edgeTlsMapEntries(spec));
      const { changed, refused } = await swapCertificatesAtRuntime(spec, files, this.layout.edgeSocket, this.log);
      if (refused.size) return refused;
      if (changed) this.log.info({ certificates: changed }, 'HAProxy certificates updated at runtime');
    }
    for (const f of files) {
      if (!isRuntimeFile(f.path)) continue;
      const file = path.join(spec.configDir, f.path);
      if ((await readIfExists(file)) !== f.content) await writeAtomic(file, f.content, f.mode);
    }
    // certificates no longer served (HAProxy dropped them above): their files go too
    for (const rel of await strayCertificateFiles(spec, new Set(files.map((f) => f.path)))) await rm(path.join(spec.configDir, rel), { force: true });
    return new Map();
  }

  /** del/set/add map so the running map matches `entries` (the file is rewritten afterwards). */
  private async updateMap(file: string, entries: Array<[string, string]>) {
    const before = parseMap((await readIfExists(file)) ?? '');
    const after = new Map(entries);
    const commands: string[] = [];
    for (const host of before.keys()) if (!after.has(host)) commands.push(`del map ${file} ${host}`);
    for (const [host, backend] of after) {
      if (!before.has(host)) commands.push(`add map ${file} ${host} ${backend}`);
      else if (before.get(host) !== backend) commands.push(`set map ${file} ${host} ${backend}`);
    }
    if (!commands.length) return;
    expectSuccess('the map update', await runtimeApi(this.layout.edgeSocket, commands));
    this.log.info({ map: path.basename(file), changes: commands.length }, 'HAProxy map updated at runtime');
  }
}
