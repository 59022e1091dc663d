// The web driver: system accounts, one PHP-FPM master per version with a pool per hosting, and the
// Apache instance with a vhost per site. Validate with the real tools before any reload; a failing
// config is rolled back and reported, and what ran before keeps serving.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { livePid } from '../platform/pid-file.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir } from '../platform/files.js';
import type { NodeSettings } from '../platform/config.js';
import type { Driver, DriverResult } from '../agent/driver.js';
import type { DesiredState, ObjectReport } from '../agent/protocol.js';
import { apacheInstanceDirs, apacheInstanceSpecs, webNodeSpec, type NodeLayout } from '../agent/node-layout.js';
import { ensureAccounts, ensureDocumentRoots, purgeAccounts } from './apply-accounts.js';
import { fpmSocketPath, hostingPhpVersions, renderFpmVersion } from './render-fpm-pool.js';
import { renderApacheMain } from './render-apache-main.js';
import { renderApacheVhosts } from './render-apache-vhost.js';
import { checkWebNodeSpec } from './spec-checks.js';
import type { WebNodeSpec } from './spec.js';

const message = (e: unknown) => (e as Error).message.slice(0, 2000);


async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Drops hostings whose data the renderers refuse (defence in depth), reporting them as errors. */
function renderable(spec: WebNodeSpec, errors: Map<string, string>): WebNodeSpec {
  try {
    checkWebNodeSpec(spec);
    return spec;
  } catch {
    const ok = spec.hostings.filter((h) => {
      try {
        checkWebNodeSpec({ ...spec, hostings: [h] });
        return true;
      } catch (e) {
        errors.set(h.id, message(e));
        return false;
      }
    });
    return { ...spec, hostings: ok };
  }
}

export class WebDriver implements Driver {
  readonly name = 'web';
  /** what was last applied successfully: hosting:<id> → its spec, apache:<k> → the instance's spec (JSON) */
  private readonly applied = new Map<string, string>();
  /** Apache instances at the last apply (null: not applied yet) */
  private instanceCount: number | null = null;
  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
  ) {}

  handles(state: DesiredState) {
    return !!state.web;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    const repair = opts.repair ?? true;
    /** whether `key` must be applied: always on a repair pass, else when its input changed */
    const due = (key: string, input: unknown) => repair || this.applied.get(key) !== JSON.stringify(input);
    const done = (key: string, input: unknown) => this.applied.set(key, JSON.stringify(input));
    const errors = new Map<string, string>(); // hosting id → error
    const timings: Record<string, number> = {};
    let mark = Date.now();
    const lap = (what: string) => {
      timings[what] = Date.now() - mark;
      mark = Date.now();
    };
    let spec = webNodeSpec(state, this.node, this.layout);
    spec = renderable(spec, errors);
    const failed = new Set<string>(); // site ids whose config could not be applied
    let nodeError: string | undefined;
    const apply = this.node.apply;
    if (apply) {
      // accounts and document roots of the hostings that changed (all of them on a repair pass)
      const changed = spec.hostings.filter((h) => due(`hosting:${h.id}`, h));
      for (const [id, err] of await ensureAccounts(this.exec, changed, this.node.web.user)) errors.set(id, err);
      spec = { ...spec, hostings: spec.hostings.filter((h) => !errors.has(h.id)) };
      lap('accounts');
      await ensureDocumentRoots(changed.filter((h) => !errors.has(h.id)));
      for (const h of changed) if (!errors.has(h.id)) done(`hosting:${h.id}`, h);
      lap('docroots');
    }
    for (const version of Object.keys(spec.php)) {
      try {
        await this.applyFpm(spec, version, apply);
      } catch (e) {
        nodeError = `PHP-FPM ${version}: ${message(e)}`;
        for (const h of spec.hostings) if (hostingPhpVersions(h).includes(version)) for (const s of h.sites) failed.add(s.id);
      }
    }
    lap('fpm');
    // each instance validates and reloads only when its own files changed: a change costs the
    // reload of the instance that holds the site, not of every site of the node
    const instances = apacheInstanceSpecs(spec, state.web?.apacheInstances ?? 1, this.layout);
    await Promise.all(instances.map(async (instance, k) => {
      const input = { ...instance, revision: 0 }; // the revision number alone changes nothing in the files
      if (!due(`apache:${k}`, input)) return; // same vhosts as last applied: nothing to render or reload
      this.applied.delete(`apache:${k}`);
      try {
        await this.applyApache(instance, apply);
        done(`apache:${k}`, input);
      } catch (e) {
        nodeError = [nodeError, `Apache${instances.length > 1 ? ` ${k}` : ''}: ${message(e)}`].filter(Boolean).join('; ');
        for (const s of e instanceof ApacheChangeError ? e.sites : []) failed.add(s);
      }
    }));
    // instances beyond the count: looked for when the count changes, and on the periodic pass
    if (apply && (repair || this.instanceCount !== instances.length)) {
      await this.stopApacheInstancesFrom(instances.length);
      this.instanceCount = instances.length;
    }
    lap('apache');
    this.log.debug({ timings, hostings: spec.hostings.length }, 'web node reconciled');
    const objects: ObjectReport[] = [];
    const ok = apply ? 'live' : 'rendered';
    // purges last: the pools and vhosts of these hostings are already gone from the rendered config
    const purges = state.web?.purges ?? [];
    if (apply && purges.length) {
      for (const [id, err] of await purgeAccounts(this.exec, purges)) objects.push({ kind: 'purge', id, status: err ? 'error' : 'live', message: err });
    }
    for (const h of state.web?.hostings ?? []) {
      const err = errors.get(h.id);
      objects.push({ kind: 'hosting', id: h.id, status: err ? 'error' : ok, message: err ?? null });
      for (const s of h.sites) {
        const siteErr = err ?? (failed.has(s.id) ? nodeError : undefined);
        objects.push({ kind: 'site', id: s.id, status: siteErr ? 'error' : ok, message: siteErr ?? null });
      }
    }
    return { objects, error: nodeError };
  }

  private async applyFpm(spec: WebNodeSpec, version: string, apply: boolean) {
    const rt = spec.php[version];
    const files = renderFpmVersion(spec, version);
    const conf = path.join(rt.configDir, 'php-fpm.conf');
    const running = apply ? await livePid(rt.pidFile) : null;
    if (!files.length) {
      // FPM refuses to start without a pool: stop the master of a version nobody uses any more
      await applyFileSet(rt.configDir, [], ['pool.d']);
      if (running) process.kill(running, 'SIGQUIT');
      return;
    }
    await ensureDir(rt.socketDir, 0o755); // the web server must reach the sockets
    await ensureDir(path.dirname(rt.errorLog), 0o755);
    const validate = apply ? async () => void (await this.exec.run(rt.fpmBinary, ['-t', '-y', conf])) : undefined;
    const reload = running ? async () => void process.kill(running, 'SIGUSR2') : undefined; // graceful reload of every pool
    const result = await applyFileSet(rt.configDir, files, ['pool.d'], validate, reload);
    if (!apply) return;
    const changed = result.changed.length + result.removed.length > 0;
    if (!running) {
      await ensureDir(path.dirname(rt.pidFile), 0o755);
      await this.exec.startDaemon(rt.fpmBinary, ['-F', '-y', conf], { logFile: `${rt.errorLog}.out`, umask: spec.fpmUmask });
      this.log.info({ version }, 'PHP-FPM started');
    }
    const sockets = spec.hostings.filter((h) => hostingPhpVersions(h).includes(version)).map((h) => fpmSocketPath(spec, h.name, version));
    if (changed || !running) await waitUntil(`PHP-FPM ${version} sockets`, () => sockets.every((s) => existsSync(s)));
  }

  private async applyApache(spec: WebNodeSpec, apply: boolean) {
    const a = spec.apache;
    const conf = path.join(a.configDir, 'apache2.conf');
    const vhosts = renderApacheVhosts(spec);
    const files = [...renderApacheMain(spec), ...vhosts.map((f) => ({ ...f, path: `sites/${f.path}` }))];
    for (const d of [a.runDir, a.logDir]) await ensureDir(d, 0o755);
    const validate = apply ? async () => void (await this.exec.run('apache2', ['-t', '-f', conf])) : undefined;
    const pidFile = path.join(a.runDir, 'apache2.pid');
    const errorLog = path.join(a.logDir, 'error.log');
    const running = apply ? await livePid(pidFile) : null;
    // umask 0022 whatever the agent's: the per-site logs Apache opens as root stay readable by their hosting
    const reload = running
      ? async () => {
          const before = await countInFile(errorLog, APACHE_READY);
          // two log files per site: lift the master's open-file limit before it reopens them
          await this.exec.run('prlimit', ['--pid', String(running), `--nofile=${await nofileLimit()}`], { allowFailure: true });
          // the files were just validated with apache2 -t: signal the graceful restart ourselves
          // rather than `apache2 -k graceful`, which would parse the whole configuration once more
          process.kill(running, 'SIGUSR1');
          await waitForApache(errorLog, before, pidFile);
        }
      : undefined;
    let failure: unknown = null;
    try {
      await applyFileSet(a.configDir, files, ['sites', 'empty'], validate, reload);
    } catch (e) {
      failure = e;
    }
    // not running (first start, or a reload that killed it: the previous files are back in place)
    if (apply && !(await livePid(pidFile))) {
      const before = await countInFile(errorLog, APACHE_READY);
      await this.exec.run('prlimit', [`--nofile=${await nofileLimit()}`, 'apache2', '-f', conf, '-k', 'start'], { daemonizes: true, umask: 0o022 });
      await waitForApache(errorLog, before, pidFile);
      this.log.info('Apache started');
    }
    if (failure) throw new ApacheChangeError(message(failure), await this.changedSites(spec, files));
  }

  /** Stops the Apache instances numbered `count` and above (the node now runs fewer) and drops their vhosts. */
  private async stopApacheInstancesFrom(count: number) {
    for (let k = Math.max(1, count); k < 64; k++) {
      this.applied.delete(`apache:${k}`); // should the count grow again, the instance is rebuilt
      const dirs = apacheInstanceDirs(this.layout, k);
      if (!existsSync(dirs.configDir)) continue;
      const pid = await livePid(path.join(dirs.runDir, 'apache2.pid'));
      if (pid) {
        process.kill(pid, 'SIGTERM'); // Apache's "stop"
        await waitUntil(`Apache instance ${k} to stop`, async () => !(await livePid(path.join(dirs.runDir, 'apache2.pid'))), 30_000).catch(() => process.kill(pid, 'SIGKILL'));
      }
      await rm(dirs.configDir, { recursive: true, force: true });
      this.log.info({ instance: k }, 'Apache instance stopped (the node runs fewer instances)');
    }
  }

  /** Sites whose vhost differs from what is on disk (they are the ones a failed change concerns). */
  private async changedSites(spec: WebNodeSpec, files: { path: string; content: string }[]): Promise<string[]> {
    const out: string[] = [];
    for (const h of spec.hostings) {
      for (const s of h.sites) {
        const f = files.find((x) => x.path === `sites/${h.name}_${s.domain}.conf`);
        if (!f) continue;
        const cur = await readFile(path.join(spec.apache.configDir, f.path), 'utf8').catch(() => null);
        if (cur !== f.content) out.push(s.id);
      }
    }
    return out;
  }
}

const APACHE_READY = 'resuming normal operations';
/**
 * Open files Apache may hold: two log files per site add up fast (10,000 sites → 20,000 descriptors).
 * The soft limit is lifted to the hard limit this process has (root cannot go past it in a container).
 */
async function nofileLimit(): Promise<string> {
  const limits = await readFile('/proc/self/limits', 'utf8').catch(() => '');
  const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(limits)?.[1] ?? '65536';
  return hard === 'unlimited' ? '1048576:1048576' : `${hard}:${hard}`;
}

async function countInFile(file: string, needle: string): Promise<number> {
  return (await readFile(file, 'utf8').catch(() => '')).split(needle).length - 1;
}

/** Waits until Apache logs that it (re)loaded its config; fails with its last log lines if it died. */
async function waitForApache(errorLog: string, before: number, pidFile: string) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if ((await countInFile(errorLog, APACHE_READY)) > before) return;
    if (!(await livePid(pidFile)) && (await readFile(pidFile, 'utf8').catch(() => '')) !== '') {
      await new Promise((r) => setTimeout(r, 200));
      if (!(await livePid(pidFile))) {
        const tail = (await readFile(errorLog, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
        throw new Error(`Apache stopped while loading its configuration: ${tail}`);
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('Apache did not finish loading its configuration within 120 s');
}

class ApacheChangeError extends Error {
  constructor(msg: string, readonly sites: string[]) {
    super(msg);
  }
}
