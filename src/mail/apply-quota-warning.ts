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
import { systemGroup, systemUser } from '../platform/system-accounts.js';

export const quotaWarningDir = (root: string) => path.join(root, 'etc/abri/mail-warn');

/** The warning's user and its group (the uid and gid given, else the system's choice); answers its gid. */
export async function ensureQuotaWarningUser(exec: Executor, s: MailSettings['quotaWarning']): Promise<number> {
  if (!(await systemUser(s.user))) {
    if (s.uid !== null && (await systemGroup(s.user)) === null) {
      await shadowTool(exec, 'groupadd', ['--system', '--gid', String(s.uid), s.user], { allowFailure: true });
    }
    const made = await shadowTool(exec, 'useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin',
      ...(s.uid !== null ? ['--uid', String(s.uid), '--gid', s.user] : ['--user-group']), s.user], { allowFailure: true });
    // another agent of this machine may have made it meanwhile
    if (made.code !== 0 && !(await systemUser(s.user))) throw new Error(`the quota warning's user ${s.user} could not be made: ${made.stderr.trim()}`);
  }
  const ids = await systemUser(s.user);
  if (!ids) throw new Error(`the quota warning's user ${s.user} is not in /etc/passwd`);
  if (!ids.uid || !ids.gid) throw new Error(`ABRI_MAIL_WARN_USER ${s.user} is root or has root's group: refused`);
  return ids.gid;
}

/** Its directory: root's, the user's group, setgid (2750). */
export async function ensureQuotaWarningDir(dir: string, gid: number): Promise<void> {
  await ensureDir(dir, 0o2750);
  await chown(dir, 0, gid);
  await ensureDir(dir, 0o2750); // chown clears the setgid bit
}
