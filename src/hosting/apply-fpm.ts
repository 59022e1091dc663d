// PHP-FPM on a web node: one master per PHP version, one pool per hosting. The new pools are
// validated with `php-fpm -t` before the graceful reload; when PHP-FPM refuses them, the pools that
// changed are tried on top of the others to find the ones it refuses: those hostings are left out
// (each reported with PHP-FPM's answer for its own pool) and the rest goes live.
// Each version runs one master per block of uids (node/layout.ts fpmMasterOf): a change checks and
// reloads only its block's master, and a master that fails takes down only its block's pools.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { livePid } from '../platform/pid-file.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { ifAbsent } from '../platform/absent.js';
import { inParallel } from '../platform/parallel.js';
import { detailOf } from '../node/driver.js';
import { fpmMasterOf, fpmMasterPaths, type NodeLayout } from '../node/layout.js';
import type { ObjectProblem } from '../node/protocol.js';
import type { Pause } from '../node/pause.js';
import { fpmSocketPath, hostingPhpVersions, renderFpmVersion } from './render-fpm-pool.js';
import { findCulprits, RefusedError, refusedBy } from '../platform/culprits.js';
import type { WebNodeSpec } from './spec.js';
import { waitUntil } from '../platform/wait.js';

/** What applying a web node needs besides the spec. */
export interface WebApplyContext {
  exec: Executor;
  /** false on a render-only node: files are written, nothing is validated, started or reloaded */
  apply: boolean;
  log: Logger;
  pause?: Pause;
}

/**
 * Applies the pools of one PHP version. Returns the hostings whose pool PHP-FPM refused (nothing was
 * applied then: apply again without them); throws when PHP-FPM refuses with no pool to blame, or
 * does not run (the node's problem: the previous pools keep serving).
 */
export async function applyFpmVersion(ctx: WebApplyContext, spec: WebNodeSpec, version: string): Promise<Map<string, ObjectProblem>> {
  const rt = spec.php[version]!;
  const t: Record<string, number> = { start: performance.now() };
  const files = renderFpmVersion(spec, version);
  t.rendered = performance.now();
  const conf = path.join(rt.configDir, 'php-fpm.conf');
  const running = ctx.apply ? await livePid(rt.pidFile) : null;
  if (!files.length) {
    // FPM refuses to start without a pool: stop the master of a version nobody uses any more
    await applyFileSet(rt.configDir, [], ['pool.d']);
    if (running) {
      process.kill(running, 'SIGQUIT');
      await waitUntil(`PHP-FPM ${version} master to stop`, async () => !(await livePid(rt.pidFile)));
    }
    await rm(rt.configDir, { recursive: true, force: true });
    return new Map();
  }
  await ensureDir(rt.socketDir, 0o755); // the web server must reach the sockets
  await ensureDir(path.dirname(rt.errorLog), 0o755);
  const check = (file: string) => refusedBy('PHP-FPM', () => ctx.exec.run(rt.fpmBinary, ['-t', '-y', file]));
  const validate = ctx.apply ? async () => {
    await ctx.pause?.('fpm-written');
    t.written = performance.now();
    await check(conf);
    t.validated = performance.now();
  } : undefined;
  const reload = running ? async () => {
    await ctx.pause?.('fpm-validated');
    process.kill(running, 'SIGUSR2'); // graceful reload of every pool
  } : undefined;
  let changed: boolean;
  try {
    const result = await applyFileSet(rt.configDir, files, ['pool.d'], validate, reload);
    changed = result.changed.length + result.removed.length > 0;
  } catch (e) {
    if (!(e instanceof RefusedError)) throw e;
    const refused = await refusedPools(spec, version, files, check);
    if (!refused.size) throw e;
    return refused;
  }
  if (!ctx.apply) return new Map();
  if (!running) {
    await ensureDir(path.dirname(rt.pidFile), 0o755);
    await ctx.exec.startDaemon(rt.fpmBinary, ['-F', '-y', conf], { logFile: `${rt.errorLog}.out`, umask: spec.fpmUmask });
    ctx.log.info({ version }, 'PHP-FPM started');
  }
  const sockets = spec.hostings.filter((h) => hostingPhpVersions(h).includes(version)).map((h) => fpmSocketPath(spec, h.name, version));
  t.applied = performance.now();
  if (changed || !running) await waitUntil(`PHP-FPM ${version} sockets`, () => sockets.every((s) => existsSync(s)));
  t.sockets = performance.now();
  ctx.log.debug({ version, pools: sockets.length, ms: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v - t.start!)])) }, 'PHP-FPM apply phases');
  return new Map();
}

/** What applying a version's masters gave: the pools PHP-FPM refused, and the masters that failed with their hostings. */
export interface FpmMastersResult {
  refused: Map<string, ObjectProblem>;
  failed: Array<{ detail: string; hostings: WebNodeSpec['hostings'] }>;
}

/**
 * Applies every master of a PHP version (two at a time), each with the pools of its block of uids;
 * stops the masters left without a pool. A master's failure is reported with its own hostings only.
 */
export async function applyFpmMasters(ctx: WebApplyContext, spec: WebNodeSpec, version: string, layout: NodeLayout, poolsPerMaster: number): Promise<FpmMastersResult> {
  await stopSingleMaster(ctx, layout, version);
  const blocks = new Map<number, WebNodeSpec['hostings']>();
  for (const h of spec.hostings.filter((x) => hostingPhpVersions(x).includes(version))) {
    const first = fpmMasterOf(h.uid, poolsPerMaster);
    const block = blocks.get(first);
    if (block) block.push(h);
    else blocks.set(first, [h]);
  }
  const dirs = await readdir(layout.phpDir(version)).catch(ifAbsent([] as string[]));
  for (const d of dirs) if (/^\d+$/.test(d) && !blocks.has(Number(d))) blocks.set(Number(d), []);
  const out: FpmMastersResult = { refused: new Map(), failed: [] };
  // the masters left without a pool stop first: a pool that moved to another master (a new
  // ABRI_FPM_POOLS_PER_MASTER) keeps its socket, which only one master may listen on
  const apply = async ([first, hostings]: [number, WebNodeSpec['hostings']]) => {
    const master: WebNodeSpec = { ...spec, php: { ...spec.php, [version]: { ...spec.php[version]!, ...fpmMasterPaths(layout, version, first) } }, hostings };
    try {
      for (const [id, p] of await applyFpmVersion(ctx, master, version)) out.refused.set(id, p);
    } catch (e) {
      out.failed.push({ detail: `PHP-FPM ${version} (master ${first}): ${detailOf(e)}`, hostings });
    }
  };
  await inParallel([...blocks].filter(([, h]) => !h.length), 2, apply);
  await inParallel([...blocks].filter(([, h]) => h.length), 2, apply);
  return out;
}

/**
 * Nodes set up before the masters were cut by uid ran one master per version, straight in
 * etc/php/V/fpm/abri: it must be gone before the new masters listen on the same sockets (PHP-FPM
 * refuses a socket another master listens on), so its pools pause for the time of one start.
 */
async function stopSingleMaster(ctx: WebApplyContext, layout: NodeLayout, version: string) {
  const dir = layout.phpDir(version);
  if (!existsSync(path.join(dir, 'php-fpm.conf'))) return;
  const pidFile = path.join(layout.runDir, `php-fpm-${version}.pid`);
  const pid = ctx.apply ? await livePid(pidFile) : null;
  if (pid) {
    process.kill(pid, 'SIGQUIT');
    await waitUntil(`the single PHP-FPM ${version} master to stop`, async () => !(await livePid(pidFile)));
    ctx.log.info({ version }, 'PHP-FPM: the single master of this version stopped, one master per block of uids from now on');
  }
  for (const f of ['php-fpm.conf', 'pool.d', '.abri-journal']) await rm(path.join(dir, f), { recursive: true, force: true });
}

/** The hostings whose pool PHP-FPM refuses: the new pools tried on top of those that did not change. */
async function refusedPools(spec: WebNodeSpec, version: string, files: Array<{ path: string; content: string }>, check: (file: string) => Promise<void>): Promise<Map<string, ObjectProblem>> {
  const rt = spec.php[version]!;
  const users = spec.hostings.filter((h) => hostingPhpVersions(h).includes(version));
  const unchanged: WebNodeSpec['hostings'] = [];
  const changed: WebNodeSpec['hostings'] = [];
  for (const h of users) {
    const rel = `pool.d/${h.name}.conf`;
    const same = (await readIfExists(path.join(rt.configDir, rel))) === files.find((f) => f.path === rel)?.content;
    (same ? unchanged : changed).push(h);
  }
  const culprits = await findCulprits(changed.map((h) => h.id), unchanged.map((h) => h.id), rt.configDir,
    (dir, ids) => renderFpmVersion({ ...spec, php: { ...spec.php, [version]: { ...rt, configDir: dir } }, hostings: users.filter((h) => ids.includes(h.id)) }, version),
    (dir) => check(path.join(dir, 'php-fpm.conf')));
  const out = new Map<string, ObjectProblem>();
  for (const [id, detail] of culprits ?? []) {
    const h = users.find((x) => x.id === id)!;
    out.set(id, { code: 'web.fpm_refused', params: { version, detail }, message: `PHP-FPM ${version} refused the pool of ${h.name}: ${detail}` });
  }
  return out;
}
