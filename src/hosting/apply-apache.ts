// One Apache instance of a web node: its main config and a vhost per site, validated with
// `apache2 -t` before a graceful restart. When Apache refuses the new files, the vhosts that changed
// are tried on top of the others to find the ones it refuses: those sites are left out (each
// reported with Apache's answer for its own vhost) and everybody else's changes go live.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { livePid } from '../platform/pid-file.js';
import { applyFileSet, ensureDir } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import type { RenderedFile } from '../platform/render.js';
import type { ObjectProblem } from '../node/protocol.js';
import { apacheInstanceDirs, type NodeLayout } from '../node/layout.js';
import { renderApacheMain } from './render-apache-main.js';
import { renderApacheVhosts } from './render-apache-vhost.js';
import { findCulprits, RefusedError, refusedBy } from '../platform/culprits.js';
import type { WebApplyContext } from './apply-fpm.js';
import { waitUntil } from '../platform/wait.js';
import type { WebNodeSpec } from './spec.js';

/** The instance could not apply its new files (not a refusal of one site's vhost): the previous files serve. */
export class ApacheChangeError extends Error {
  constructor(msg: string, readonly sites: string[]) {
    super(msg);
  }
}

/** Thrown by the step before a reload: PHP-FPM left these hostings out, the instance is applied again without them. */
export class LeftOutByFpm extends Error {
  constructor(readonly hostings: string[]) {
    super(`PHP-FPM left out ${hostings.length} hosting(s)`);
  }
}

const vhostPath = (hosting: string, domain: string) => `sites/${hosting}_${domain}.conf`;

function renderInstance(spec: WebNodeSpec): RenderedFile[] {
  return [...renderApacheMain(spec), ...renderApacheVhosts(spec).map((f) => ({ ...f, path: `sites/${f.path}` }))];
}

/**
 * Applies one instance. Returns the sites whose vhost Apache refused (nothing was applied then:
 * apply again without them); throws ApacheChangeError when the change fails otherwise. `beforeReload`
 * runs once the new files are validated, before the reload or start; when it throws (LeftOutByFpm),
 * the previous files are put back and its error is rethrown.
 */
export async function applyApacheInstance(ctx: WebApplyContext, spec: WebNodeSpec, beforeReload: () => Promise<void> = async () => undefined): Promise<Map<string, ObjectProblem>> {
  const a = spec.apache;
  const conf = path.join(a.configDir, 'apache2.conf');
  const t: Record<string, number> = { start: performance.now() };
  const files = renderInstance(spec);
  t.rendered = performance.now();
  for (const d of [a.runDir, a.logDir]) await ensureDir(d, 0o755);
  const check = (file: string) => refusedBy('Apache', () => ctx.exec.run('apache2', ['-t', '-f', file]));
  const validate = ctx.apply ? async () => {
    await ctx.pause?.('apache-written');
    t.written = performance.now();
    await check(conf);
    t.validated = performance.now();
  } : undefined;
  const pidFile = path.join(a.runDir, 'apache2.pid');
  const errorLog = path.join(a.logDir, 'error.log');
  const running = ctx.apply ? await livePid(pidFile) : null;
  // umask 0022 whatever the agent's: the per-site logs Apache opens as root stay readable by their hosting
  const reload = running
    ? async () => {
        await beforeReload();
        await ctx.pause?.('apache-validated');
        const before = await countInFile(errorLog, APACHE_READY);
        // two log files per site: lift the master's open-file limit before it reopens them
        const lifted = await ctx.exec.run('prlimit', ['--pid', String(running), `--nofile=${await nofileLimit()}`], { allowFailure: true });
        if (lifted.code !== 0) ctx.log.warn({ stderr: lifted.stderr.trim() }, 'prlimit could not lift Apache\'s open-file limit');
        // the files were just validated with apache2 -t: signal the graceful restart ourselves
        // rather than `apache2 -k graceful`, which would parse the whole configuration once more
        t.signalled = performance.now();
        process.kill(running, 'SIGUSR1');
        await waitForApache(errorLog, before, pidFile);
        t.reloaded = performance.now();
        await ctx.pause?.('apache-reloaded');
      }
    : undefined;
  let failure: unknown = null;
  try {
    await applyFileSet(a.configDir, files, ['sites', 'empty'], validate, reload);
  } catch (e) {
    if (e instanceof LeftOutByFpm) throw e; // the previous files are back: applied again without them
    if (e instanceof RefusedError) {
      const refused = await refusedVhosts(spec, files, check);
      if (refused.size) return refused;
    }
    failure = e;
  }
  // not running (first start, or a reload that killed it: the previous files are back in place)
  if (ctx.apply && !(await livePid(pidFile)) && existsSync(conf)) {
    if (!failure) await beforeReload();
    const before = await countInFile(errorLog, APACHE_READY);
    await ctx.exec.run('prlimit', [`--nofile=${await nofileLimit()}`, 'apache2', '-f', conf, '-k', 'start'], { daemonizes: true, umask: 0o022 });
    await waitForApache(errorLog, before, pidFile);
    ctx.log.info('Apache started');
  }
  ctx.log.debug({ vhosts: files.length, ms: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v - t.start!)])) }, 'Apache apply phases');
  if (failure) throw new ApacheChangeError((failure as Error).message.slice(0, 2000), await changedSites(spec, files));
  return new Map();
}

/** The sites whose vhost Apache refuses: the new vhosts tried on top of those that did not change. */
async function refusedVhosts(spec: WebNodeSpec, files: RenderedFile[], check: (file: string) => Promise<void>): Promise<Map<string, ObjectProblem>> {
  const changed = new Set(await changedSites(spec, files));
  const all = spec.hostings.flatMap((h) => h.sites.map((s) => s.id));
  const culprits = await findCulprits([...changed], all.filter((id) => !changed.has(id)), spec.apache.configDir, (dir, ids) => renderInstance({
    ...spec,
    apache: { ...spec.apache, configDir: dir },
    hostings: spec.hostings.map((h) => ({ ...h, sites: h.sites.filter((s) => ids.includes(s.id)) })),
  }), (dir) => check(path.join(dir, 'apache2.conf')));
  const out = new Map<string, ObjectProblem>();
  for (const [id, detail] of culprits ?? []) {
    const site = spec.hostings.flatMap((h) => h.sites).find((s) => s.id === id)!;
    out.set(id, { code: 'web.apache_refused', params: { detail }, message: `Apache refused the configuration of ${site.domain}: ${detail}` });
  }
  return out;
}

/** Sites whose vhost differs from what is on disk (they are the ones a failed change concerns). */
async function changedSites(spec: WebNodeSpec, files: RenderedFile[]): Promise<string[]> {
  const out: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  for (const h of spec.hostings) {
    for (const s of h.sites) {
      const rel = vhostPath(h.name, s.domain);
      const content = byPath.get(rel);
      if (content === undefined) continue;
      if ((await readIfExists(path.join(spec.apache.configDir, rel))) !== content) out.push(s.id);
    }
  }
  return out;
}

/** Stops the Apache instances numbered `count` and above (the node now runs fewer) and drops their files. */
export async function stopApacheInstancesFrom(ctx: WebApplyContext, layout: NodeLayout, count: number, forget: (k: number) => void) {
  for (let k = Math.max(1, count); k < 64; k++) {
    forget(k); // should the count grow again, the instance is rebuilt
    const dirs = apacheInstanceDirs(layout, k);
    if (!existsSync(dirs.configDir)) continue;
    const pidFile = path.join(dirs.runDir, 'apache2.pid');
    const pid = await livePid(pidFile);
    if (pid) {
      process.kill(pid, 'SIGTERM'); // Apache's "stop"
      try {
        await waitUntil(`Apache instance ${k} to stop`, async () => !(await livePid(pidFile)), 30_000);
      } catch (e) {
        ctx.log.warn({ instance: k, err: e }, 'Apache instance did not stop: killing it');
        process.kill(pid, 'SIGKILL');
      }
    }
    await rm(dirs.configDir, { recursive: true, force: true });
    ctx.log.info({ instance: k }, 'Apache instance stopped (the node runs fewer instances)');
  }
}

/**
 * A graceful restart of a running instance whose files did not change (its logs are reopened, requests
 * under way finish): checked with `apache2 -t` first, so that a configuration that would not load is
 * never signalled. False: the instance is not running.
 */
export async function gracefulApache(ctx: WebApplyContext, dirs: { configDir: string; runDir: string; logDir: string }): Promise<boolean> {
  const pidFile = path.join(dirs.runDir, 'apache2.pid');
  const pid = await livePid(pidFile);
  if (!pid) return false;
  await refusedBy('Apache', () => ctx.exec.run('apache2', ['-t', '-f', path.join(dirs.configDir, 'apache2.conf')]));
  const errorLog = path.join(dirs.logDir, 'error.log');
  const before = await countInFile(errorLog, APACHE_READY);
  process.kill(pid, 'SIGUSR1');
  await waitForApache(errorLog, before, pidFile);
  return true;
}

const APACHE_READY = 'resuming normal operations';
/**
 * Open files Apache may hold: two log files per site add up fast (10,000 sites → 20,000 descriptors).
 * The soft limit is lifted to the hard limit this process has (root cannot go past it in a container).
 */
async function nofileLimit(): Promise<string> {
  const limits = (await readIfExists('/proc/self/limits')) ?? '';
  const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(limits)?.[1] ?? '65536';
  return hard === 'unlimited' ? '1048576:1048576' : `${hard}:${hard}`;
}

async function countInFile(file: string, needle: string): Promise<number> {
  return ((await readIfExists(file)) ?? '').split(needle).length - 1;
}

/** Waits until Apache logs that it (re)loaded its config; fails with its last log lines if it died. */
async function waitForApache(errorLog: string, before: number, pidFile: string) {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if ((await countInFile(errorLog, APACHE_READY)) > before) return;
    if (!(await livePid(pidFile)) && ((await readIfExists(pidFile)) ?? '') !== '') {
      await new Promise((r) => setTimeout(r, 200));
      if (!(await livePid(pidFile))) {
        const tail = ((await readIfExists(errorLog)) ?? '').trim().split('\n').slice(-3).join(' | ');
        throw new Error(`Apache stopped while loading its configuration: ${tail}`);
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('Apache did not finish loading its configuration within 120 s');
}
