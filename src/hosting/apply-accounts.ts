// System accounts and home trees of the hostings on a web node (side effects through the Executor).
//
// Ownership (safe against symlink tricks, since Apache opens the per-site logs as root):
//   home        root:<hosting> 0710 + ACL web server --x   (the hosting cannot rename var/ or var/log/)
//   var         root:<hosting> 0710 + ACL web server --x
//   var/www     <hosting>      0755   (the sites' files)
//   var/log     root:<hosting> 0750   (Apache's per-site logs, readable by the hosting)
//   var/log/php <hosting>      0700   (PHP's own error log)
//   var/stats   root:<hosting> 0750
//   tmp, backups <hosting>     0700   (PHP uploads and sessions; backups)
import { constants, existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import type { WebHostingSpec } from './spec.js';
import { addAccounts } from './unix-accounts.js';

interface Dir { rel: string; owner: 'root' | 'hosting'; mode: number; acl: boolean }

export const HOME_TREE: Dir[] = [
  { rel: '', owner: 'root', mode: 0o710, acl: true },
  { rel: 'var', owner: 'root', mode: 0o710, acl: true },
  { rel: 'var/www', owner: 'hosting', mode: 0o755, acl: false },
  { rel: 'var/log', owner: 'root', mode: 0o750, acl: false },
  { rel: 'var/log/php', owner: 'hosting', mode: 0o700, acl: false },
  { rel: 'var/stats', owner: 'root', mode: 0o750, acl: false },
  { rel: 'tmp', owner: 'hosting', mode: 0o700, acl: false },
  { rel: 'backups', owner: 'hosting', mode: 0o700, acl: false },
];

async function names(file: string): Promise<Map<string, number>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return new Map(text.split('\n').filter(Boolean).map((l) => l.split(':')).map((f) => [f[0], Number(f[2])]));
}

/** Creates missing users/groups (gid = uid, no login shell) and fixes each home tree; returns errors per hosting id. */
export async function ensureAccounts(exec: Executor, hostings: WebHostingSpec[], webUser: string): Promise<Map<string, string>> {
  const errors = new Map<string, string>();
  const users = await names('/etc/passwd');
  const groups = await names('/etc/group');
  const aclFixes: Array<{ id: string; name: string; paths: string[] }> = []; // applied together below
  // the missing users and groups, written in one pass (groupadd + useradd cost tens of ms each)
  const missing = hostings.filter((h) => !users.has(h.name) || !groups.has(h.name));
  const accountErrors = await addAccounts(missing.map((h) => ({ name: h.name, uid: h.uid, gid: h.gid, home: h.home, comment: `Abri hosting ${h.name}`, shell: '/usr/sbin/nologin' })));
  if (missing.length && existsSync('/run/nscd/socket')) {
    for (const db of ['passwd', 'group']) await exec.run('nscd', ['-i', db], { allowFailure: true });
  }
  for (const h of hostings) {
    try {
      if (users.has(h.name) && users.get(h.name) !== h.uid) throw new Error(`user ${h.name} exists with uid ${users.get(h.name)}, not ${h.uid}`);
      const accountError = accountErrors.get(h.name);
      if (accountError) throw new Error(accountError);
      const aclFix: string[] = [];
      for (const d of HOME_TREE) {
        const p = d.rel ? `${h.home}/${d.rel}` : h.home;
        const uid = d.owner === 'root' ? 0 : h.uid;
        const st = await lstat(p).catch(() => null);
        if (st && !st.isDirectory()) throw new Error(`${p} exists and is not a directory`);
        if (!st) await mkdir(p, { recursive: true, mode: d.mode });
        if (!st || st.uid !== uid || st.gid !== h.gid) await chown(p, uid, h.gid);
        if (!st || (st.mode & 0o7777) !== d.mode) await chmod(p, d.mode);
        if (d.acl && (!st || (st.mode & 0o7777) !== d.mode)) aclFix.push(p);
      }
      if (aclFix.length) aclFixes.push({ id: h.id, name: h.name, paths: aclFix });
    } catch (e) {
      errors.set(h.id, `account ${h.name}: ${(e as Error).message}`);
    }
  }
  // the web server's traverse ACL, one setfacl for many homes (one per hosting only to tell which failed)
  for (let i = 0; i < aclFixes.length; i += 200) {
    const batch = aclFixes.slice(i, i + 200);
    const all = await exec.run('setfacl', ['-m', `u:${webUser}:--x`, ...batch.flatMap((f) => f.paths)], { allowFailure: true });
    if (all.code === 0) continue;
    for (const f of batch) {
      try {
        await exec.run('setfacl', ['-m', `u:${webUser}:--x`, ...f.paths]);
      } catch (e) {
        errors.set(f.id, `account ${f.name}: ${(e as Error).message}`);
      }
    }
  }
  return errors;
}

/** Creates missing document roots under var/www (owned by the hosting); never touches existing files. */
export async function ensureDocumentRoots(hostings: WebHostingSpec[]): Promise<void> {
  for (const h of hostings) {
    for (const s of h.sites) {
      if (!s.documentRoot) continue;
      let p = `${h.home}/var/www`;
      for (const part of s.documentRoot.split('/')) {
        p = `${p}/${part}`;
        const st = await lstat(p).catch(() => null);
        if (st) continue; // existing path (maybe a symlink the hosting made): leave it
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
  }
}

export interface Purge { id: string; name: string; uid: number; home: string }

/** Deletes the home and the Unix account of terminated hostings whose purge staff requested. */
export async function purgeAccounts(exec: Executor, purges: Purge[]): Promise<Map<string, string | null>> {
  const results = new Map<string, string | null>(); // id → error or null
  const users = await names('/etc/passwd');
  for (const p of purges) {
    try {
      const home = path.posix.normalize(p.home);
      if (!path.posix.isAbsolute(home) || home !== p.home || home.split('/').length < 3 || path.posix.basename(home) !== p.name) {
        throw new Error(`refusing to delete ${p.home}: not a hosting home named after ${p.name}`);
      }
      if (users.has(p.name) && users.get(p.name) !== p.uid) throw new Error(`user ${p.name} has uid ${users.get(p.name)}, not ${p.uid}: not deleting`);
      await rm(home, { recursive: true, force: true });
      if (users.has(p.name)) await exec.run('userdel', [p.name]);
      if ((await names('/etc/group')).has(p.name)) await exec.run('groupdel', [p.name]);
      results.set(p.id, null);
    } catch (e) {
      results.set(p.id, `purge of ${p.name}: ${(e as Error).message}`);
    }
  }
  return results;
}
