// The chroots of SFTP users on a web server (side effects). sshd wants every component of a chroot
// root-owned and not writable by others, while a user's folder belongs to its hosting: so each user
// gets <chrootDir>/<name> (root, 0755) holding one folder, /files, on which its restriction folder is
// bind-mounted. The user sees /files and nothing else; a symlink the hosting made (to /etc, to another
// home) resolves inside the chroot, where nothing else exists.
//
// The bind mount's source is opened first (each missing component created as the hosting's, never
// through a symlink), its real path checked through /proc/self/fd, and the mount made from that open
// descriptor (/proc/<pid>/fd/N): a component the hosting swaps for a symlink meanwhile changes nothing.
// Chroot folders are only ever removed with rmdir, never recursively (they may hold a mount).
import { constants } from 'node:fs';
import { chmod, chown, mkdir, open, readFile, readlink, readdir, realpath, rmdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { ensureDir } from '../platform/files.js';
import { lstatIfExists } from '../platform/if-exists.js';

/** The mount points of this mount namespace (octal escapes of /proc/self/mountinfo decoded). */
export async function mountPoints(): Promise<Set<string>> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
  return new Set(text.split('\n').filter(Boolean).map((l) => unescape(l.split(' ')[4]!)));
}

export class UnsafeFolder extends Error {}
export class HostingNotReady extends Error {}

/**
 * Opens the folder (relative to the home) without following a symlink anywhere below the home,
 * creating missing components (the hosting's, 0755); throws UnsafeFolder when it cannot be trusted.
 */
async function openFolder(home: string, folder: string, uid: number): Promise<FileHandle> {
  const st = await lstatIfExists(home);
  if (!st || !st.isDirectory() || st.uid !== 0) {
    const found = !st ? 'absent' : st.isSymbolicLink() ? 'a symbolic link' : !st.isDirectory() ? 'not a folder' : `owned by uid ${st.uid}`;
    throw new HostingNotReady(`the home ${home} is not set up (${found}, where its web server makes a root-owned folder)`);
  }
  let p = home;
  for (const part of folder ? folder.split('/') : []) {
    p = path.join(p, part);
    const here = await lstatIfExists(p);
    if (here?.isSymbolicLink()) throw new UnsafeFolder(`${p} is a symbolic link`);
    if (here && !here.isDirectory()) throw new UnsafeFolder(`${p} is not a folder`);
    if (!here) {
      await mkdir(p, { mode: 0o755 });
      const dir = await open(p, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      try {
        await dir.chown(uid, uid);
        await dir.chmod(0o755);
      } finally {
        await dir.close();
      }
    }
  }
  const fd = await open(p, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ELOOP' || e.code === 'ENOTDIR') throw new UnsafeFolder(`${p} is not a folder`);
    throw e;
  });
  // the directories above the home are root's: compare with the home's own real path
  const expected = path.join(await realpath(home), folder);
  const real = await readlink(`/proc/self/fd/${fd.fd}`);
  if (real !== expected) {
    await fd.close();
    throw new UnsafeFolder(`${p} leads to ${real}`);
  }
  return fd;
}

/** Makes <chrootDir>/<name>/files (root-owned, 0755) and mounts the folder there (again when `remount`). */
export async function ensureChroot(exec: Executor, chrootDir: string, u: { name: string; uid: number; home: string; folder: string }, mounted: Set<string>, remount: boolean): Promise<void> {
  const root = path.join(chrootDir, u.name);
  const target = path.join(root, 'files');
  for (const d of [root, target]) {
    if (mounted.has(d) && d === target) continue;
    const st = await lstatIfExists(d);
    if (st && (!st.isDirectory() || st.isSymbolicLink())) throw new Error(`${d} exists and is not a directory`);
    if (!st) await mkdir(d, { mode: 0o755 });
    if (!st || st.uid !== 0 || st.gid !== 0) await chown(d, 0, 0);
    if (!st || (st.mode & 0o7777) !== 0o755) await chmod(d, 0o755);
  }
  if (mounted.has(target) && !remount) return;
  if (mounted.has(target)) await unmount(exec, target);
  const fd = await openFolder(u.home, u.folder, u.uid);
  try {
    await exec.run('mount', ['--no-canonicalize', '--bind', `/proc/${process.pid}/fd/${fd.fd}`, target]);
  } finally {
    await fd.close();
  }
}

async function unmount(exec: Executor, target: string): Promise<void> {
  // lazily: a session still inside keeps it until it ends (its sessions were ended before)
  await exec.run('umount', ['-l', target]);
}

/** Unmounts and removes the chroot of a user no longer served (rmdir only: never through a mount). */
export async function removeChroot(exec: Executor, chrootDir: string, name: string, mounted: Set<string>): Promise<void> {
  const root = path.join(chrootDir, name);
  const target = path.join(root, 'files');
  if (mounted.has(target)) await unmount(exec, target);
  for (const d of [target, root]) {
    await rmdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** The chroots present (names of <chrootDir>/*). */
export async function chrootNames(chrootDir: string): Promise<string[]> {
  await ensureDir(chrootDir, 0o755);
  return readdir(chrootDir);
}

/**
 * Ends the SSH sessions of a user: the privileged monitor of each ("sshd: <name> [priv]", root) and
 * its session process ("sshd: <name>@…"). Never by uid: the hosting's PHP and its other users share it.
 */
export async function endSessions(names: Set<string>): Promise<number> {
  if (!names.size) return 0;
  let ended = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ESRCH') return '';
      throw e;
    });
    const m = /^sshd: ([a-z0-9_-]+)(?: \[priv\]|@)/.exec(cmd.split('\0')[0] ?? '');
    if (!m || !names.has(m[1]!)) continue;
    try {
      process.kill(Number(pid), 'SIGTERM');
      ended++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  return ended;
}
