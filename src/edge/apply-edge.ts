// The edge driver: HAProxy with its host → backend maps and its certificates. When HAProxy runs and
// only the maps and certificates differ, the change goes through the runtime API (no reload: set/add/
// del map, new/set/commit ssl cert, add/del ssl crt-list) and the files are rewritten for restarts;
// anything else is validated with `haproxy -c` and applied by a seamless reload (-sf old pids).
import path from 'node:path';
import { readdir, readFile, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { livePids } from '../platform/pid-file.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir, writeAtomic } from '../platform/files.js';
import type { RenderedFile } from '../platform/render.js';
import type { NodeSettings } from '../platform/config.js';
import type { Driver, DriverResult } from '../agent/driver.js';
import type { CertificateBundle, DesiredState, ObjectReport } from '../agent/protocol.js';
import { edgeSpec, type NodeLayout } from '../agent/node-layout.js';
import { CERTS_DIR, crtListPath, edgeMapEntries, edgeMapPath, edgeTlsMapEntries, edgeTlsMapPath, renderHaproxy } from './render-haproxy.js';
import { runtimeApi, expectSuccess } from './runtime-api.js';
import { certificateFiles, defaultCertificate, swapCertificatesAtRuntime, type CertificateFiles } from './apply-certs.js';
import type { EdgeSpec } from './spec.js';

export { runtimeApi } from './runtime-api.js';

const RUNTIME_FILES = new Set(['maps/hosts.map', 'maps/hosts-tls.map', `${CERTS_DIR}/certs.list`]);
const isRuntimeFile = (rel: string) => RUNTIME_FILES.has(rel) || (rel.startsWith(`${CERTS_DIR}/`) && rel.endsWith('.pem') && rel !== `${CERTS_DIR}/default.pem`);

function parseMap(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' ') as [string, string]));
}


export class EdgeDriver implements Driver {
  readonly name = 'edge';
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
  ) {}

  handles(state: DesiredState) {
    return !!state.edge;
  }

  /** the input and result of the last successful apply: a revision that changes nothing here is skipped */
  private last: { input: string; result: DriverResult } | null = null;

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    const spec = edgeSpec(state, this.node, this.layout, this.manager);
    const input = JSON.stringify({ ...spec, revision: 0, certificates: state.edge?.certificates ?? [] });
    if (!(opts.repair ?? true) && this.last?.input === input) return this.last.result;
    this.last = null;
    const ok = this.node.apply ? 'live' : 'rendered';
    let error: string | undefined;
    let certErrors = new Map<string, string>();
    try {
      certErrors = await this.apply(spec, state.edge?.certificates ?? []);
    } catch (e) {
      error = `HAProxy: ${(e as Error).message.slice(0, 2000)}`;
    }
    const objects = new Map<string, ObjectReport>();
    for (const h of state.edge?.hosts ?? []) objects.set(`site/${h.siteId}`, { kind: 'site', id: h.siteId, status: error ? 'error' : ok, message: error ?? null });
    for (const c of state.edge?.certificates ?? []) {
      const message = error ?? certErrors.get(c.id) ?? null;
      objects.set(`certificate/${c.id}`, { kind: 'certificate', id: c.id, status: message ? 'error' : ok, message });
    }
    const result = { objects: [...objects.values()], error };
    if (!error && !certErrors.size) this.last = { input, result };
    return result;
  }

  /** Applies the edge; returns the certificates that could not be fetched (id → error), left out meanwhile. */
  private async apply(spec: EdgeSpec, wanted: Array<{ id: string; fingerprint: string }>): Promise<Map<string, string>> {
    const certs: CertificateFiles = this.node.apply && spec.httpsPort != null
      ? await certificateFiles(spec, wanted, this.fetchCertificate, this.log)
      : { files: [], failed: new Map() };
    // a certificate that could not be fetched is not listed: the rest still deploys
    const served = { ...spec, certificates: (spec.certificates ?? []).filter((id) => !certs.failed.has(id)) };
    const files = [...renderHaproxy(served), ...certs.files];
    const owned = ['maps', 'pages', ...(spec.httpsPort != null ? [CERTS_DIR] : [])];
    const cfg = path.join(spec.configDir, 'haproxy.cfg');
    if (!this.node.apply) {
      await applyFileSet(spec.configDir, files, owned);
      return certs.failed;
    }
    if (spec.httpsPort != null) files.push(await defaultCertificate(this.exec, spec));
    await ensureDir(path.dirname(this.layout.edgePidFile), 0o755);
    const running = await livePids(this.layout.edgePidFile);
    let reloadNeeded = false;
    if (running.length && (await this.onlyRuntimeFilesDiffer(spec, files))) {
      try {
        await this.updateAtRuntime(served, files);
        return certs.failed;
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
    // a reload is part of the change (journal kept until HAProxy runs the new files); a first start is not
    await applyFileSet(spec.configDir, files, owned, async () => void (await this.exec.run('haproxy', ['-c', '-q', '-f', cfg])), running.length ? start : undefined);
    if (!started && (!running.length || reloadNeeded)) await start();
    return certs.failed;
  }

  /** True when every file but the maps, the crt-list and the certificates is what is on disk already. */
  private async onlyRuntimeFilesDiffer(spec: EdgeSpec, files: RenderedFile[]): Promise<boolean> {
    for (const f of files) {
      if (isRuntimeFile(f.path)) continue;
      if ((await readFile(path.join(spec.configDir, f.path), 'utf8').catch(() => null)) !== f.content) return false;
    }
    return true;
  }

  /** Brings the running maps and certificates in line with the files, then rewrites the files. */
  private async updateAtRuntime(spec: EdgeSpec, files: RenderedFile[]) {
    await this.updateMap(edgeMapPath(spec), edgeMapEntries(spec));
    if (spec.httpsPort != null) {
      await this.updateMap(edgeTlsMapPath(spec), edgeTlsMapEntries(spec));
      const changed = await swapCertificatesAtRuntime(spec, files, this.layout.edgeSocket);
      if (changed) this.log.info({ certificates: changed }, 'HAProxy certificates updated at runtime');
    }
    for (const f of files) {
      if (!isRuntimeFile(f.path)) continue;
      const file = path.join(spec.configDir, f.path);
      if ((await readFile(file, 'utf8').catch(() => null)) !== f.content) await writeAtomic(file, f.content, f.mode);
    }
    // certificates no longer served (HAProxy dropped them above): their files go too
    const kept = new Set(files.map((f) => f.path));
    for (const name of await readdir(path.join(spec.configDir, CERTS_DIR)).catch(() => [] as string[])) {
      const rel = `${CERTS_DIR}/${name}`;
      if (isRuntimeFile(rel) && !kept.has(rel)) await rm(path.join(spec.configDir, rel), { force: true });
    }
  }

  /** del/set/add map so the running map matches `entries` (the file is rewritten afterwards). */
  private async updateMap(file: string, entries: Array<[string, string]>) {
    const before = parseMap(await readFile(file, 'utf8').catch(() => ''));
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

export { crtListPath };
