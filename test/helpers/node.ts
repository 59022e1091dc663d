// A throw-away node root for agent integration tests: free ports, a temp directory holding every
// path the agent writes, and a cleanup that stops the daemons it started and removes test users.
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { freePort, freePortRange, missingServices } from '../harness/services.js';
import { removeAccount } from '../harness/hosting-accounts.js';
import { nodeLayout } from '../../src/node/layout.js';
import type { TestManager } from './manager.js';

export interface TestNode {
  root: string;
  webPort: number;
  edgePort: number;
  edgeTlsPort: number;
  settings: Record<string, string>;
  cleanup(): Promise<void>;
}

/** uids 194000–194999 are for agent tests (hosting names abt194000…). */
export async function createTestNode(uidBase: number, count = 100, apacheInstances = 1, parent = '/tmp'): Promise<TestNode> {
  await removeTestAccounts(uidBase, count); // what a crashed run left: the agent would rightly refuse to adopt it
  // parent: /srv for a node serving SFTP (sshd wants every component of a chroot root-owned and not
  // world-writable, which /tmp is not)
  const root = await mkdtemp(path.join(parent, 'abri-node-'));
  await chmod(root, 0o711);
  await mkdir(path.join(root, 'home'), { mode: 0o711 });
  await chmod(path.join(root, 'home'), 0o711);
  const webPort = await freePortRange(apacheInstances);
  const outsideWebPorts = async () => {
    for (;;) {
      const p = await freePort();
      if (p < webPort || p >= webPort + apacheInstances) return p;
    }
  };
  const edgePort = await outsideWebPorts();
  const edgeTlsPort = await outsideWebPorts();
  const settings = {
    ABRI_APPLY: '1',
    ABRI_NODE_ROOT: root,
    ABRI_HOSTING_ROOT: path.join(root, 'home'),
    ABRI_HOSTING_PREFIX: 'abt',
    ABRI_UID_MIN: String(uidBase),
    ABRI_UID_MAX: String(uidBase + count - 1),
    ABRI_WEB_LISTEN: `127.0.0.1:${webPort}`,
    ABRI_EDGE_BIND: '127.0.0.1',
    ABRI_EDGE_HTTP_PORT: String(edgePort),
    ABRI_EDGE_HTTPS_PORT: String(edgeTlsPort),
    ABRI_RECONCILE_SECONDS: '2',
    ABRI_APACHE_INSTANCES: String(apacheInstances),
  };
  return {
    root,
    webPort,
    edgePort,
    edgeTlsPort,
    settings,
    async cleanup() {
      const l = nodeLayout(root);
      const fpmPids = (await readdir(l.runDir).catch(() => [] as string[])).filter((f) => /^php-fpm-.*\.pid$/.test(f)).map((f) => path.join(l.runDir, f));
      const pidFiles = [path.join(l.apacheRunDir, 'apache2.pid'), l.edgePidFile, ...fpmPids];
      for (const f of pidFiles) {
        for (const pid of (await readFile(f, 'utf8').catch(() => '')).split(/\s+/).filter(Boolean).map(Number)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
      // Killed masters leave orphans (Apache children, FPM pool workers) that would keep the test
      // users busy (userdel refuses): kill every process of this node until none is left
      for (let round = 0; round < 50; round++) {
        const left = await nodeProcesses(root, uidBase, uidBase + count - 1);
        if (!left.length) break;
        for (const pid of left) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      await removeTestAccounts(uidBase, count);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Removes the test users and groups <prefix><uid> of the range that exist, and the SFTP users
 * <prefix><uid>-<name> sharing their uid, those first (one read of /etc/passwd and /etc/group); `force`:
 * even while a process of the user runs (userdel -f).
 */
export async function removeTestAccounts(uidBase: number, count: number, opts: { prefix?: string; force?: boolean } = {}): Promise<void> {
  const prefix = opts.prefix ?? 'abt';
  const names = new Set<string>();
  const named = new RegExp(`^${prefix}(\\d+)(-[a-z0-9]+)?$`);
  for (const file of ['/etc/passwd', '/etc/group']) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      const name = line.split(':')[0]!;
      const uid = Number(named.exec(name)?.[1]);
      if (uid >= uidBase && uid < uidBase + count) names.add(name);
    }
  }
  const failed: string[] = [];
  for (const name of [...names].sort((a, b) => Number(b.includes('-')) - Number(a.includes('-')))) await removeAccount(name, opts).catch((e: Error) => failed.push(e.message));
  if (failed.length) throw new Error(`could not remove every test user: ${failed.join('; ')}`);
}

/**
 * The processes a test node started: their command line names a file under its root (Apache and its
 * children, HAProxy, the PHP-FPM master) or they run as one of its test uids (FPM pool workers).
 */
async function nodeProcesses(root: string, uidMin: number, uidMax: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1] ?? -1);
    if (cmdline.includes(`${root}/`) || (uid >= uidMin && uid <= uidMax)) out.push(pid);
  }
  return out;
}

export { missingServices };

/**
 * Services the agent tests need: returns the missing ones (empty = run). Under CI=true a missing
 * service registers a failing test; locally the caller skips and this says so loudly.
 */
export function requireNodeServices(file: string, test: (name: string, fn: () => void) => unknown): string[] {
  const missing = missingServices();
  if (missing.length && process.env.CI === 'true') test('agent services are installed (CI=true)', () => { throw new Error(`missing: ${missing.join(', ')}`); });
  else if (missing.length) console.warn(`\n*** SKIPPING ${file}: missing ${missing.join(', ')} (this FAILS under CI=true) ***\n`);
  return missing;
}

/**
 * How often the agents of the integration tests repair drift (re-apply an unchanged state and report
 * it, with usage): the product does it every 60 s (ABRI_RECONCILE_SECONDS). A change of the desired
 * state reaches an agent at once whatever this is (its long poll returns); each repair costs a report
 * written by the manager and the driver's checks (processes started): every second, that was a large
 * part of a file's CPU. What only a repair or a report brings (usage, a restarted service) comes
 * within this.
 */
export const TEST_RECONCILE_MS = 3000;

/**
 * Polls `fn` until it returns something truthy; the last error is part of the timeout message. Every
 * `every` ms when given; by default after 100 ms, then 1.5 times longer each time up to 500 ms: a
 * probe often starts processes (an IMAP client, postqueue, restic) or calls the API, and a wait of
 * seconds polled every 100 ms cost more CPU than what it waited for (a condition met late is seen at
 * most 0.5 s after).
 */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 90_000, every?: number): Promise<T> {
  const start = Date.now();
  let wait = every ?? 100;
  const end = start + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      // ABRI_TEST_UNTIL_LOG=1: where a test waits (every wait over a second, on stderr)
      if (v && process.env.ABRI_TEST_UNTIL_LOG && Date.now() - start > 1000) console.error(`until ${what}: ${Date.now() - start} ms`);
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, wait));
    if (every === undefined) wait = Math.min(500, wait * 1.5);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/**
 * Waits until the agent made the hosting's account and home: files a test puts there before would
 * make a home the agent never adopts (it did not create it).
 */
export async function homeMade(m: TestManager, hostingId: string): Promise<void> {
  await until(`home of hosting ${hostingId} made by the agent`, async () => {
    const p = (await m.api('GET', `/api/v1/hostings/${hostingId}`)).body.provisioning;
    if (p?.status === 'error') throw new Error(`${p.code}: ${p.message}`);
    return p?.status === 'live';
  });
}

/** The config directories of the node's PHP-FPM masters of a version (one per block of uids). */
export function fpmMasterDirs(root: string, version = '8.2'): string[] {
  const dir = nodeLayout(root).phpDir(version);
  return existsSync(dir) ? readdirSync(dir).filter((d) => /^\d+$/.test(d)).map((d) => path.join(dir, d)) : [];
}
