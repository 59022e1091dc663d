// The files a hosting's jail mounts, on a web server (side effects): <dir>/seccomp.bpf (the filter
// of seccomp.ts) and <dir>/<hosting>/{passwd,group}, root-owned and readable (bubblewrap reads them
// as the hosting's uid). Jails of hostings no longer wanted are removed.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { jailGroup, jailPasswd, type JailSpec } from './render-bwrap.js';
import { seccompFilter } from './seccomp.js';

/** Where bubblewrap and sftp-server are on a Debian web server. */
export const BWRAP = '/usr/bin/bwrap';

export interface JailHosting {
  hosting: string;
  uid: number;
  gid: number;
  home: string;
}

export const jailFiles = (dir: string, hosting: string) => ({
  passwdFile: path.join(dir, hosting, 'passwd'),
  groupFile: path.join(dir, hosting, 'group'),
});

/** Whether this machine can run jails (bubblewrap installed). */
export const jailAvailable = async () => !!(await lstatIfExists(BWRAP));

/**
 * Writes the jails' files for these hostings and removes the others'; returns the seccomp filter's
 * file, or null when this machine's architecture has none (the jail runs without it: said in logs).
 */
export async function ensureJails(dir: string, hostings: JailHosting[]): Promise<string | null> {
  await ensureDir(dir, 0o755);
  const filter = seccompFilter();
  const seccompFile = path.join(dir, 'seccomp.bpf');
  if (filter) await writeAtomic(seccompFile, filter, 0o644); // a few hundred bytes, written atomically
  const wanted = new Set<string>();
  for (const h of hostings) {
    wanted.add(h.hosting);
    await ensureDir(path.join(dir, h.hosting), 0o755);
    const f = jailFiles(dir, h.hosting);
    for (const [file, text] of [
      [f.passwdFile, jailPasswd(h)],
      [f.groupFile, jailGroup(h)],
    ] as const) {
      if ((await readIfExists(file)) !== text) await writeAtomic(file, text, 0o644);
    }
  }
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !wanted.has(e.name)) await rm(path.join(dir, e.name), { recursive: true, force: true });
  }
  return filter ? seccompFile : null;
}

/** A hosting's jail as bwrapArgs takes it, with its files under `dir`. */
export const jailOf = (dir: string, h: JailHosting, start?: string): Omit<JailSpec, 'seccompFd'> => ({
  ...h,
  ...jailFiles(dir, h.hosting),
  ...(start ? { start } : {}),
});
