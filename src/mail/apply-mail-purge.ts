// The mail of purged hostings (side effects): a terminated hosting's mail is kept (nobody signs in)
// for the retention period, like its files; once staff ask for its purge, the mail server deletes
// its vmail directory (every mailbox of the hosting). Only a real directory named like a hosting,
// right under the vmail area, is removed (never a symlink); removing what is gone already is nothing.
import { lstat, rm } from 'node:fs/promises';
import path from 'node:path';
import { isAbsent } from '../platform/absent.js';

const HOSTING = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Deletes the mail of each purged hosting; answers the hostings whose mail was deleted now. */
export async function purgeHostingsMail(vmailDir: string, hostings: string[]): Promise<string[]> {
  const done: string[] = [];
  for (const hosting of hostings.filter((h) => HOSTING.test(h))) {
    const dir = path.join(vmailDir, hosting);
    try {
      if (!(await lstat(dir)).isDirectory()) continue;
    } catch (e) {
      if (isAbsent(e)) continue;
      throw e;
    }
    await rm(dir, { recursive: true, force: true });
    done.push(hosting);
  }
  return done;
}
