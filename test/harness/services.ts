// Starts real Apache, PHP-FPM and HAProxy from a temporary directory on free loopback ports, applies
// rendered configs to them (write → validate with the real tool → start or graceful reload) and stops
// everything, also when a test fails (call stop() in after(); a process exit hook kills leftovers).
import { type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { renderHaproxy } from '../../src/edge/render-haproxy.js';
import type { EdgeSpec } from '../../src/edge/spec.js';
import { renderApacheMain } from '../../src/hosting/render-apache-main.js';
import { renderApacheVhosts } from '../../src/hosting/render-apache-vhost.js';
import { fpmSocketPath, hostingPhpVersions, renderFpmVersion } from '../../src/hosting/render-fpm-pool.js';
import type { WebHostingSpec, WebNodeSpec } from '../../src/hosting/spec.js';
import type { RenderedFile } from '../../src/platform/render.js';
import { findExecutable, run, signal, startProcess, stopProcess, track, untrack } from './run.js';

export const SERVICE_BINARIES = { apache: 'apache2', fpm: 'php-fpm8.2', haproxy: 'haproxy', setfacl: 'setfacl', useradd: 'useradd' };

/** What is missing to run the web-node services here (empty: everything is there). */
export function missingServices(): string[] {
  const missing = Object.values(SERVICE_BINARIES).filter((b) => !findExecutable(b));
  if (process.getuid?.() !== 0) missing.push('root (tests create Unix users)');
  return missing;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The first of `count` consecutive free loopback ports (Apache instances listen on port, port + 1…). */
export async function freePortRange(count: number): Promise<number> {
  const free = (port: number) => new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count > 65_535) continue;
    let ok = true;
    for (let k = 1; k < count && ok; k++) ok = await free(base + k);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => (c.destroy(), resolve(true)));
    c.on('error', () => resolve(false));
  });

const countIn = async (file: string, needle: string) => ((await readFile(file, 'utf8').catch(() => '')).split(needle).length - 1);

/** Writes files under dir (after removing the given subdirectories, so stale files go away). */
async function writeFiles(dir: string, files: RenderedFile[], clean: string[] = []): Promise<void> {
  for (const sub of clean) await rm(path.join(dir, sub), { recursive: true, force: true });
  for (const f of files) {
    const p = path.join(dir, f.path);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, f.content);
    await chmod(p, f.mode);
  }
}


export class WebNodeHarness {
  private apache: ChildProcess | null = null;
  private fpm = new Map<string, ChildProcess>();
  private haproxyRunning = false;

  private constructor(readonly dir: string, readonly homeRoot: string, readonly apachePort: number, readonly edgePort: number,
    readonly phpBinaries: Record<string, string>) {}

  /** A temp dir (0711, so hostings can reach their homes under it) and two free ports. */
  static async create(phpBinaries: Record<string, string> = { '8.2': '/usr/sbin/php-fpm8.2' }): Promise<WebNodeHarness> {
    const dir = await mkdtemp('/tmp/abri-web-');
    await chmod(dir, 0o711);
    const homeRoot = path.join(dir, 'homes');
    for (const d of ['homes', 'apache/run', 'apache/log', 'edge', 'run']) await mkdir(path.join(dir, d), { recursive: true });
    for (const d of ['', 'homes', 'run']) await chmod(path.join(dir, d), 0o711);
    return new WebNodeHarness(dir, homeRoot, await freePort(), await freePort(), phpBinaries);
  }

  webSpec(hostings: WebHostingSpec[], extraDirectives: string[] = []): WebNodeSpec {
    const php: WebNodeSpec['php'] = {};
    for (const [v, bin] of Object.entries(this.phpBinaries)) {
      php[v] = { fpmBinary: bin, configDir: `${this.dir}/php/${v}`, socketDir: `${this.dir}/run/php-${v}`, pidFile: `${this.dir}/php/${v}/php-fpm.pid`, errorLog: `${this.dir}/php/${v}/error.log` };
    }
    return {
      revision: 1,
      webServer: { user: 'www-data', group: 'www-data' },
      apache: { configDir: `${this.dir}/apache`, runDir: `${this.dir}/apache/run`, logDir: `${this.dir}/apache/log`, modulesDir: '/usr/lib/apache2/modules', listenAddress: '127.0.0.1', listenPort: this.apachePort, extraDirectives },
      php,
      fpmUmask: 0o022,
      hostings,
    };
  }

  edgeSpec(hosts: EdgeSpec['hosts'], managerPort: number): EdgeSpec {
    return {
      revision: 1, configDir: `${this.dir}/edge`, runtimeSocket: `${this.dir}/edge/haproxy.sock`, bindAddress: '127.0.0.1', httpPort: this.edgePort, maxConnections: 1000,
      manager: { address: '127.0.0.1', port: managerPort }, backends: [{ name: 'web1', address: '127.0.0.1', port: this.apachePort }], hosts,
    };
  }

  /** Renders and applies the web node: FPM masters first (sockets must exist), then Apache. */
  async applyWeb(spec: WebNodeSpec): Promise<void> {
    for (const [version, rt] of Object.entries(spec.php)) {
      const files = renderFpmVersion(spec, version);
      const running = this.fpm.get(version);
      if (files.length === 0) {
        if (running) await stopProcess(running), this.fpm.delete(version);
        continue;
      }
      await mkdir(rt.socketDir, { recursive: true });
      await chmod(rt.socketDir, 0o755);
      await writeFiles(rt.configDir, files, ['pool.d']);
      const conf = path.join(rt.configDir, 'php-fpm.conf');
      await run(rt.fpmBinary, ['-t', '-y', conf]);
      const ready = await countIn(rt.errorLog, 'ready to handle connections');
      if (running && running.exitCode === null) signal(running.pid!, 'SIGUSR2');
      else this.track(version, startProcess(rt.fpmBinary, ['-F', '-y', conf], { logFile: `${rt.configDir}.out`, umask: spec.fpmUmask }));
      await waitFor(`PHP-FPM ${version} ready`, async () => (await countIn(rt.errorLog, 'ready to handle connections')) > ready);
      const sockets = spec.hostings.filter((h) => hostingPhpVersions(h).includes(version)).map((h) => fpmSocketPath(spec, h.name, version));
      await waitFor(`FPM sockets of ${version}`, () => sockets.every((s) => existsSync(s)));
    }
    const a = spec.apache;
    await writeFiles(a.configDir, [...renderApacheMain(spec), ...renderApacheVhosts(spec).map((f) => ({ ...f, path: `sites/${f.path}` }))], ['sites']);
    await this.reloadApache(spec);
  }

  /** Validates the files in apache.configDir with `apache2 -t`, then starts Apache or reloads it gracefully. */
  async reloadApache(spec: WebNodeSpec): Promise<void> {
    const a = spec.apache;
    const conf = path.join(a.configDir, 'apache2.conf');
    await run('apache2', ['-t', '-f', conf]);
    const errorLog = path.join(a.logDir, 'error.log');
    const resumed = await countIn(errorLog, 'resuming normal operations');
    if (this.apache && this.apache.exitCode === null) signal(this.apache.pid!, 'SIGUSR1');
    else {
      this.apache = startProcess('apache2', ['-f', conf, '-DFOREGROUND'], { logFile: path.join(a.logDir, 'stdout.log'), umask: 0o022 });
      track(this.apache.pid);
    }
    await waitFor('Apache (re)started', async () => (await countIn(errorLog, 'resuming normal operations')) > resumed);
    await waitFor('Apache listening', () => listening(a.listenPort));
  }

  /** Validates with `apache2 -t` only (for configs that must be rejected). */
  async validateApache(spec: WebNodeSpec): Promise<void> {
    const dir = await mkdtemp(path.join(this.dir, 'check-'));
    const s = { ...spec, apache: { ...spec.apache, configDir: dir } };
    await writeFiles(dir, [...renderApacheMain(s), ...renderApacheVhosts(s).map((f) => ({ ...f, path: `sites/${f.path}` }))]);
    try {
      await run('apache2', ['-t', '-f', path.join(dir, 'apache2.conf')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Renders and applies the edge: validate with `haproxy -c`, then start or reload (-sf old pid). */
  async applyEdge(spec: EdgeSpec): Promise<void> {
    await writeFiles(spec.configDir, renderHaproxy(spec), ['maps', 'pages']);
    const cfg = path.join(spec.configDir, 'haproxy.cfg');
    const pidFile = path.join(spec.configDir, 'haproxy.pid');
    await run('haproxy', ['-c', '-q', '-f', cfg]);
    const old = this.haproxyRunning ? await this.haproxyPids(pidFile) : [];
    await run('haproxy', ['-f', cfg, '-D', '-p', pidFile, ...(old.length ? ['-sf', ...old.map(String)] : [])]);
    this.haproxyRunning = true;
    for (const pid of await this.haproxyPids(pidFile)) track(pid);
    await waitFor('HAProxy listening', () => listening(spec.httpPort));
  }

  /** One command on HAProxy's runtime API (e.g. `add map <file> host backend`). */
  async edgeRuntime(spec: EdgeSpec, command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      let out = '';
      const c = net.connect(spec.runtimeSocket, () => c.end(`${command}\n`));
      c.on('data', (d) => (out += d));
      c.on('end', () => resolve(out));
      c.on('error', reject);
    });
  }

  private async haproxyPids(pidFile: string): Promise<number[]> {
    return (await readFile(pidFile, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number);
  }

  private track(version: string, child: ChildProcess) {
    this.fpm.set(version, child);
    track(child.pid);
  }


  /** Stops every service this harness started and removes its temporary directory (not the homes' users). */
  async stop(): Promise<void> {
    for (const pid of await this.haproxyPids(path.join(this.dir, 'edge', 'haproxy.pid'))) signal(pid, 'SIGTERM'), untrack(pid);
    if (this.apache) await stopProcess(this.apache);
    for (const child of this.fpm.values()) await stopProcess(child, 'SIGQUIT');
    await rm(this.dir, { recursive: true, force: true });
  }
}
