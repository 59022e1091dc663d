// System accounts and home trees of the hostings on a web node (side effects through the Executor).
//
// Ownership (safe against symlink tricks, since Apache opens the per-site logs as root):
//   home        root:<hosting> 0710 + ACL web server --x   (the hosting cannot rename var/ or var/log/)
//   var         root:<hosting> 0710 + ACL web server --x
//   var/www     <hosting>      0755   (the sites' files)
//   var/log     root:<hosting> 0750   (Apache's per-site logs, readable by the hosting)
//   var/log/php <hosting>      0700   (PHP's own error log)
//   var/stats   root:<hosting> 0750
//   tmp         <hosting>      0700   (PHP uploads and sessions)
//   backups     root:<hosting> 0750   (read-only snapshots the agent takes, src/snapshots: the hosting reads, never renames or deletes)
//
// Abri never adopts what it did not create for the hosting: before it creates a hosting's user,
// group and home it writes a record (accounts/<name>.json, root only, in the node's own state) naming
// the hosting. A user, group, uid or home that exists without that record (an earlier installation,
// another manager, a local admin) is refused and left alone: nothing is chowned, chmodded or deleted.
import { constants, existsSync } from 'node:fs';
import { chmod, chown, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import type { ObjectProblem } from '../node/protocol.js';
import type { Pause } from '../node/pause.js';
import type { WebHostingSpec } from './spec.js';
import { addAccounts } from './unix-accounts.js';
import { shadowTool } from '../platform/shadow-tools.js';
import { accountIds } from '../platform/system-accounts.js';
import { inParallel } from '../platform/parallel.js';
import type { HomeStorage } from './apply-storage.js';

interface Dir { rel: string; owner: 'root' | 'hosting'; mode: number; acl: boolean }

export const HOME_TREE: Dir[] = [
  { rel: '', owner: 'root', mode: 0o710, acl: true },
  { rel: 'var', owner: 'root', mode: 0o710, acl: true },
  { rel: 'var/www', owner: 'hosting', mode: 0o755, acl: false },
  { rel: 'var/log', owner: 'root', mode: 0o750, acl: false },
  { rel: 'var/log/php', owner: 'hosting', mode: 0o700, acl: false },
  { rel: 'var/stats', owner: 'root', mode: 0o750, acl: false },
  { rel: 'tmp', owner: 'hosting', mode: 0o700, acl: false },
  { rel: 'backups', owner: 'root', mode: 0o750, acl: false }, // homes made before it was root's are fixed at the next repair pass
];

/** What the node remembers creating for a hosting. */
export interface AccountRecord { hostingId: string; name: string; uid: number; home: string; createdAt: string }

const recordFile = (dir: string, name: string) => path.join(dir, `${name}.json`);

export async function readAccountRecord(dir: string, name: string): Promise<AccountRecord | null> {
  const text = await readIfExists(recordFile(dir, name));
  return text === null ? null : (JSON.parse(text) as AccountRecord);
}

const isOurs = (r: AccountRecord | null, h: { id: string; name: string; uid: number; home: string }) =>
  !!r && r.hostingId === h.id && r.name === h.name && r.uid === h.uid && r.home === h.home;

const notOurs = (h: WebHostingSpec, what: string): ObjectProblem => ({
  code: 'web.account_not_ours', params: { name: h.name, uid: h.uid },
  message: `${what} already exists on this server and was not created by Abri for this hosting: refused, nothing was changed (staff: remove it or give the hosting another uid)`,
});
const failed = (h: WebHostingSpec, detail: string): ObjectProblem => ({ code: 'web.account_failed', params: { name: h.name, detail }, message: `account ${h.name}: ${detail}` });

export interface AccountOptions {
  webUser: string;
  /** where the node keeps its account records (NodeLayout.accountsDir) */
  recordsDir: string;
  /** makes homes (btrfs subvolumes with their quota where it can) */
  storage: HomeStorage;
  pause?: Pause;
  log?: Logger;
}

/**
 * Creates the users/groups (gid = uid, no login shell) and home trees of the hostings, and fixes the
 * trees of those it created before; returns a problem per hosting it refused or could not set up.
 */
export async function ensureAccounts(exec: Executor, hostings: WebHostingSpec[], opts: AccountOptions): Promise<Map<string, ObjectProblem>> {
  const problems = new Map<string, ObjectProblem>();
  const T: Record<string, number> = { start: performance.now() };
  const users = await accountIds('/etc/passwd');
  const groups = await accountIds('/etc/group');
  const accepted: WebHostingSpec[] = [];
  let recordsDirMade = false;
  // a few dozen hostings at a time: each step is a small file operation, 1,000 of them in a row add up
  await inParallel(hostings, 16, async (h) => {
    try {
      if (isOurs(await readAccountRecord(opts.recordsDir, h.name), h)) {
        accepted.push(h);
        return;
      }
      // not created by Abri for this hosting: anything already there is somebody else's
      const there = users.byName.has(h.name) ? `user ${h.name}` : groups.byName.has(h.name) ? `group ${h.name}`
        : users.byId.has(h.uid) ? `uid ${h.uid}` : groups.byId.has(h.gid) ? `gid ${h.gid}` : null;
      if (there) {
        problems.set(h.id, notOurs(h, there));
        return;
      }
      if (await lstatIfExists(h.home)) {
        problems.set(h.id, { code: 'web.home_not_ours', params: { home: h.home },
          message: `the home ${h.home} already exists on this server and was not created by Abri for this hosting: refused, nothing was changed (staff: move it away)` });
        return;
      }
      // the record first: an agent killed after useradd still knows the account is this hosting's
      if (!recordsDirMade) {
        await ensureDir(path.dirname(opts.recordsDir), 0o755); // var/lib/abri: other services' state lives there too
        await ensureDir(opts.recordsDir, 0o700);
        recordsDirMade = true;
      }
      const record: AccountRecord = { hostingId: h.id, name: h.name, uid: h.uid, home: h.home, createdAt: new Date().toISOString() };
      await writeAtomic(recordFile(opts.recordsDir, h.name), `${JSON.stringify(record)}\n`, 0o600);
      accepted.push(h);
    } catch (e) {
      problems.set(h.id, failed(h, (e as Error).message));
    }
  });
  const order = new Map(hostings.map((h, i) => [h.id, i]));
  accepted.sort((a, b) => order.get(a.id)! - order.get(b.id)!); // accounts written in the hostings' order
  T.records = performance.now();
  // the missing users and groups, written in one pass (groupadd + useradd cost tens of ms each)
  const missing = accepted.filter((h) => !users.byName.has(h.name) || !groups.byName.has(h.name));
  const accountErrors = await addAccounts(missing.map((h) => ({ name: h.name, uid: h.uid, gid: h.gid, home: h.home, comment: `Abri hosting ${h.name}`, shell: '/usr/sbin/nologin' })));
  if (missing.length && existsSync('/run/nscd/socket')) {
    for (const db of ['passwd', 'group']) {
      const r = await exec.run('nscd', ['-i', db], { allowFailure: true });
      if (r.code !== 0) opts.log?.warn({ code: r.code, stderr: r.stderr.trim() }, `nscd -i ${db} failed: new accounts may take a moment to be seen`);
    }
  }
  T.accounts = performance.now();
  if (missing.length) await opts.pause?.('accounts-written');
  const aclFixes: Array<{ h: WebHostingSpec; paths: string[] }> = []; // applied together below
  await inParallel(accepted, 16, async (h) => {
    const accountError = accountErrors.get(h.name);
    if (accountError) {
      problems.set(h.id, /exists with|belongs to another/.test(accountError) ? notOurs(h, accountError.replace(/ exists with.*| belongs to another.*/, '')) : failed(h, accountError));
      return;
    }
    if (users.byName.has(h.name) && users.byName.get(h.name) !== h.uid) {
      problems.set(h.id, notOurs(h, `user ${h.name} (uid ${users.byName.get(h.name)})`));
      return;
    }
    try {
      const paths = await ensureHomeTree(h, opts.storage);
      if (paths.length) aclFixes.push({ h, paths });
    } catch (e) {
      problems.set(h.id, failed(h, (e as Error).message));
    }
  });
  // the disk quota of the homes that are btrfs subvolumes (their offer may have changed)
  for (const [id, e] of await opts.storage.applyLimits(accepted.filter((h) => !problems.has(h.id)))) problems.set(id, failed(accepted.find((h) => h.id === id)!, `disk quota: ${e.message}`));
  T.trees = performance.now();
  // the web server's traverse ACL, one setfacl for many homes (one per hosting only to tell which failed)
  for (let i = 0; i < aclFixes.length; i += 200) {
    const batch = aclFixes.slice(i, i + 200);
    const all = await exec.run('setfacl', ['-m', `u:${opts.webUser}:--x`, ...batch.flatMap((f) => f.paths)], { allowFailure: true });
    if (all.code === 0) continue;
    for (const f of batch) {
      try {
        await exec.run('setfacl', ['-m', `u:${opts.webUser}:--x`, ...f.paths]);
      } catch (e) {
        problems.set(f.h.id, failed(f.h, (e as Error).message));
      }
    }
  }
  T.acl = performance.now();
  opts.log?.debug({ hostings: hostings.length, ms: Object.fromEntries(Object.entries(T).map(([k, v]) => [k, Math.round(v - T.start!)])) }, 'accounts phases');
  return problems;
}

/** Makes the home tree as it must be (owner, group, mode); returns the paths whose ACL must be set. */
async function ensureHomeTree(h: WebHostingSpec, storage: HomeStorage): Promise<string[]> {
  const aclFix: string[] = [];
  for (const d of HOME_TREE) {
    const p = d.rel ? `${h.home}/${d.rel}` : h.home;
    const uid = d.owner === 'root' ? 0 : h.uid;
    const st = await lstatIfExists(p);
    if (st && !st.isDirectory()) throw new Error(`${p} exists and is not a directory`);
    if (!st && !d.rel) await storage.createHome(h, d.mode);
    else if (!st) await mkdir(p, { recursive: true, mode: d.mode });
    if (!st || st.uid !== uid || st.gid !== h.gid) await chown(p, uid, h.gid);
    if (!st || (st.mode & 0o7777) !== d.mode) await chmod(p, d.mode);
    if (d.acl && (!st || (st.mode & 0o7777) !== d.mode)) aclFix.push(p);
  }
  return aclFix;
}

/** Creates missing document roots under var/www (owned by the hosting); never touches existing files. */
export async function ensureDocumentRoots(hostings: WebHostingSpec[]): Promise<void> {
  await inParallel(hostings, 16, async (h) => {
    for (const s of h.sites) {
      if (!s.documentRoot) continue;
      let p = `${h.home}/var/www`;
      for (const part of s.documentRoot.split('/')) {
        p = `${p}/${part}`;
        if (await lstatIfExists(p)) continue; // existing path (maybe a symlink the hosting made): leave it
        await mkdir(p, { mode: 0o755 });
        // owner and mode (mkdir's is cut by the agent's umask) set on the directory itself, opened
        // without following links: never through a symlink the hosting may have swapped in
        const dir = await open(p, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
        try {
          await dir.chown(h.uid, h.gid);
          await dir.chmod(0o755);
        } finally {
          await dir.close();
        }
      }
    }
  });
}

export interface Purge { id: string; name: string; uid: number; home: string }

/**
 * Deletes the home and the Unix account of terminated hostings whose purge staff requested, when
 * Abri created them for that hosting; returns an error (null: done) per purge.
 */
export async function purgeAccounts(exec: Executor, purges: Purge[], recordsDir: string, storage: HomeStorage): Promise<Map<string, string | null>> {
  const results = new Map<string, string | null>(); // id → error or null
  const users = await accountIds('/etc/passwd');
  for (const p of purges) {
    try {
      const home = path.posix.normalize(p.home);
      if (!path.posix.isAbsolute(home) || home !== p.home || home.split('/').length < 3 || path.posix.basename(home) !== p.name) {
        throw new Error(`refusing to delete ${p.home}: not a hosting home named after ${p.name}`);
      }
      const record = await readAccountRecord(recordsDir, p.name);
      if (!record && !users.byName.has(p.name) && !(await lstatIfExists(home))) {
        results.set(p.id, null); // nothing of it on this server (never applied here, or purged already)
        continue;
      }
      if (!isOurs(record, p)) throw new Error(`${p.name} and ${p.home} were not created by Abri for this hosting: not deleting them`);
      if (users.byName.has(p.name) && users.byName.get(p.name) !== p.uid) throw new Error(`user ${p.name} has uid ${users.byName.get(p.name)}, not ${p.uid}: not deleting`);
      await storage.removeHome(home); // a btrfs subvolume, or a directory tree
      if (users.byName.has(p.name)) await shadowTool(exec, 'userdel', [p.name]);
      if ((await accountIds('/etc/group')).byName.has(p.name)) await shadowTool(exec, 'groupdel', [p.name]);
      await rm(recordFile(recordsDir, p.name), { force: true });
      results.set(p.id, null);
    } catch (e) {
      results.set(p.id, `purge of ${p.name}: ${(e as Error).message}`);
    }
  }
  return results;
}
