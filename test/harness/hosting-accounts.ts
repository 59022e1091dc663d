// Real Unix accounts and home trees for test hostings (uids in a test-only range), removed afterwards.
// The agent will do this for real later (apply-*.ts); the test applies it directly for now.
import { chmod, chown, mkdir } from 'node:fs/promises';
import { run } from './run.js';

/** Test-only uid range: never allocated by a real node (ABRI_UID_MAX stays below it in tests). */
export const TEST_UID_MIN = 193_000;
export const TEST_UID_MAX = 193_999;

export interface TestAccount {
  name: string;
  uid: number;
  home: string;
}

async function exists(kind: 'passwd' | 'group', name: string): Promise<boolean> {
  return (await run('getent', [kind, name], { allowFailure: true })).code === 0;
}

/** Removes the user and group (if a crashed run left them behind). */
export async function removeAccount(name: string): Promise<void> {
  if (await exists('passwd', name)) await run('userdel', [name]);
  if (await exists('group', name)) await run('groupdel', [name]);
}

/**
 * Creates group + user <name> with gid = uid, no login shell, and the home tree:
 * home 0710 owned by the hosting with an ACL giving the web server traverse only;
 * backups/ tmp/ (0700), var/ (0711), var/www (0755), var/log (0750), var/stats (0750), all the hosting's.
 */
export async function createAccount(account: TestAccount, webServerUser: string): Promise<void> {
  const { name, uid, home } = account;
  if (uid < TEST_UID_MIN || uid > TEST_UID_MAX) throw new Error(`test uid ${uid} outside ${TEST_UID_MIN}–${TEST_UID_MAX}`);
  await removeAccount(name);
  await run('groupadd', ['--gid', String(uid), name]);
  await run('useradd', ['--uid', String(uid), '--gid', String(uid), '--no-create-home', '--home-dir', home, '--shell', '/usr/sbin/nologin', name]);
  const dirs: Array<[string, number]> = [
    ['', 0o710], ['backups', 0o700], ['tmp', 0o700], ['var', 0o711], ['var/www', 0o755], ['var/log', 0o750], ['var/stats', 0o750],
  ];
  for (const [rel, mode] of dirs) {
    const p = rel ? `${home}/${rel}` : home;
    await mkdir(p, { recursive: true });
    await chown(p, uid, uid);
    await chmod(p, mode);
  }
  await run('setfacl', ['-m', `u:${webServerUser}:--x`, home]);
}
