// The 90 % quota warning of a mail server (side effects): its system user (ABRI_MAIL_WARN_USER, made
// once, never a login, never root's) and its directory, root's with the user's group (setgid 2750: the
// files written there take that group), so the script runs and reads its table without any privilege;
// the files themselves are rendered by render-quota-warning.ts and written with applyFileSet.
import { chown } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { ensureDir } from '../platform/files.js';
import type { MailSettings } from '../platform/config-mail.js';
import { shadowTool } from '../platform/shadow-tools.js';

export const quotaWarningDir = (root: string) => path.join(root, 'etc/abri/mail-warn');

const idOf = async (exec: Executor, flag: '-u' | '-g', user: string) => {
  const r = await exec.run('id', [flag, user], { allowFailure: true });
  return r.code === 0 ? Number(r.stdout.trim()) : null;
};

/** The warning's user and its group (the uid and gid given, else the system's choice); answers its gid. */
export async function ensureQuotaWarningUser(exec: Executor, s: MailSettings['quotaWarning']): Promise<number> {
  if ((await idOf(exec, '-u', s.user)) === null) {
    if (s.uid !== null && (await exec.run('getent', ['group', s.user], { allowFailure: true })).code !== 0) {
      await shadowTool(exec, 'groupadd', ['--system', '--gid', String(s.uid), s.user], { allowFailure: true });
    }
    const made = await shadowTool(exec, 'useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin',
      ...(s.uid !== null ? ['--uid', String(s.uid), '--gid', s.user] : ['--user-group']), s.user], { allowFailure: true });
    // another agent of this machine may have made it meanwhile
    if (made.code !== 0 && (await idOf(exec, '-u', s.user)) === null) throw new Error(`the quota warning's user ${s.user} could not be made: ${made.stderr.trim()}`);
  }
  const [uid, gid] = [await idOf(exec, '-u', s.user), await idOf(exec, '-g', s.user)];
  if (!uid || !gid) throw new Error(`ABRI_MAIL_WARN_USER ${s.user} is root or has root's group: refused`);
  return gid;
}

/** Its directory: root's, the user's group, setgid (2750). */
export async function ensureQuotaWarningDir(dir: string, gid: number): Promise<void> {
  await ensureDir(dir, 0o2750);
  await chown(dir, 0, gid);
  await ensureDir(dir, 0o2750); // chown clears the setgid bit
}
