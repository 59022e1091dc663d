// The world of test/agent-snapshot-restore.test.ts: a btrfs filesystem on a loop device, a manager
// (its clock the test's), a web server whose agent has the hostings' accounts and homes (the web
// driver's own code), the snapshot and restore drivers; hostings A (40 MB of disk) and B with their
// owners. Also what the test compares with: a tree read without following links, commands as a hosting.
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { startTestManager, seedHosting } from './manager.js';
import { until } from './node.js';
import { run } from '../harness/run.js';
import { createBtrfsLoop } from '../harness/btrfs.js';
import { AccountsDriver } from './accounts-driver.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Clock } from '../../src/platform/clock.js';
import { lstatIfExists } from '../../src/platform/if-exists.js';
import { LocalExecutor } from '../../src/platform/executor.js';
import { Agent } from '../../src/agent/loop.js';
import { HttpManagerLink } from '../../src/agent/client.js';
import { nodeLayout } from '../../src/node/layout.js';
import { HomeStorage } from '../../src/hosting/apply-storage.js';
import { SnapshotDriver } from '../../src/snapshots/apply-snapshots.js';
import { RestoreDriver } from '../../src/snapshots/apply-restores.js';
import { snapshotsQuery } from '../../src/snapshots/apply-list.js';

export interface Hosting { id: string; name: string; uid: number; home: string }

/** A shell script run as the hosting's uid and gid (no supplementary groups). */
export const asHosting = (h: Hosting, script: string) => run('setpriv', ['--reuid', String(h.uid), '--regid', String(h.uid), '--clear-groups', 'sh', '-ec', script], { allowFailure: true });

/** Every entry under `dir` (never following a link): type, mode, owner, mtime (files), content or link target. */
export async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    const p = path.join(dir, rel);
    const st = await lstat(p);
    const what = st.isSymbolicLink() ? `link ${await readlink(p)}` : st.isDirectory() ? 'dir' : `file ${(await readFile(p)).toString('base64')}`;
    out[rel || '.'] = `${what} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}${st.isSymbolicLink() || st.isDirectory() ? '' : ` ${st.mtimeMs}`}`;
    if (st.isDirectory()) for (const name of (await readdir(p)).sort()) await walk(path.join(rel, name));
  };
  await walk('');
  return out;
}

export async function startRestoreWorld(clock: Clock) {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const step of cleanups.reverse()) await Promise.resolve().then(step).catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  };
  try {
    const fs = await createBtrfsLoop();
    cleanups.push(() => fs.cleanup());
    const root = await mkdtemp('/tmp/abri-restore-');
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    await chmod(root, 0o755);
    await mkdir(path.join(root, 'node'), { mode: 0o755 });
    const m = await startTestManager({ clock, settings: { ABRI_HOSTING_PREFIX: 'ars', ABRI_UID_MIN: '68200', ABRI_UID_MAX: '68299', ABRI_HOSTING_ROOT: path.join(fs.mountpoint, 'www') } });
    cleanups.push(() => m.close());
    const server = (await m.api('POST', '/api/v1/servers', { name: 'web-restore', roles: ['web'], addresses: ['127.0.0.1'] })).body;
    const seededA = await seedHosting(m, { customer: 'Alpha', offer: { diskMb: 40 } });
    const seededB = await seedHosting(m, { customer: 'Bravo' });
    const [a, b] = [seededA.hosting as Hosting, seededB.hosting as Hosting];
    cleanups.push(async () => {
      for (const h of [a, b]) {
        await run('userdel', ['-f', h.name], { allowFailure: true });
        await run('groupdel', [h.name], { allowFailure: true });
      }
    });
    const ownerA = await m.user('owner@alpha.test');
    assert.equal((await m.join(seededA.customer.id, 'owner@alpha.test', 'owner')).status, 201);
    const ownerB = await m.user('owner@bravo.test');
    assert.equal((await m.join(seededB.customer.id, 'owner@bravo.test', 'owner')).status, 201);
    const layout = nodeLayout(path.join(root, 'node'));
    const config = loadConfig({}, { ABRI_CONFIG: '/nonexistent', ABRI_DATA_DIR: '/nonexistent', ABRI_APPLY: '1', ABRI_NODE_ROOT: layout.root, ABRI_RECONCILE_SECONDS: '1' });
    const exec = new LocalExecutor();
    const log = pino({ level: 'silent' });
    const link = new HttpManagerLink(m.url, server.agentToken);
    const snaps = new SnapshotDriver(exec, layout.root, true, log, clock);
    const agent = new Agent({
      link, mode: 'apply', log, reconcileMs: 1000, waitMs: 2000,
      queries: { 'hosting-snapshots': snapshotsQuery(exec, layout.root) },
      drivers: [new AccountsDriver(layout.accountsDir, new HomeStorage(exec, config.node.disk, log)), snaps, new RestoreDriver(exec, layout.root, true, (r) => link.snapshotRestores(r), log, clock)],
    }).start();
    cleanups.push(async () => {
      snaps.stop();
      await agent.stop();
    });
    for (const h of [a, b]) await until(`${h.name}'s home`, async () => (await lstatIfExists(path.join(h.home, 'backups')))?.uid === 0);
    /**
     * Waits until the agent has called the manager since the test moved the clock forward: until
     * then, between two of its long polls, the manager counts it unreachable (its last contact is
     * older than the clock's now by more than 75 s) and a snapshot listing answers 503.
     */
    const inContact = () =>
      until('the agent in contact at the clock\'s new time', async () => {
        const at = (await m.api('GET', `/api/v1/servers/${server.id as string}`)).body.lastContactAt as string | null;
        return at !== null && Date.parse(at) >= clock.now().getTime();
      });
    return { m, a, b, ownerA, ownerB, inContact, close };
  } catch (e) {
    await close().catch(() => undefined); // the first error is the one thrown
    throw e;
  }
}
