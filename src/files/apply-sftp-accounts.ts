// The Unix accounts of SFTP users on a web server (side effects through the Executor). Each shares
// its hosting's uid and gid (useradd -o), so what it writes belongs to the hosting; its shell is
// nologin (a shell user's: its jail script, render-shell.ts), its home / (the chroot's root for an
// SFTP user; a shell user's jail starts in the hosting's var/www). The home never changes: usermod
// refuses to change it while a process runs with the uid, and the hosting's PHP always does. The shadow entry holds the password's SHA-512 crypt
// string, `*` for a keys-only user, `!…` when it may not sign in (sshd refuses a locked account
// even with a key).
//
// Abri never adopts or deletes an account it did not create: before useradd it records the name in
// its own state (records.json, root only). An account of the same name without that record, or with
// another uid, is refused and left alone.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { shadowTool } from '../platform/shadow-tools.js';
import { accountRows } from '../platform/system-accounts.js';

export interface AccountWant { name: string; uid: number; shadow: string; shell: string }

export const NOLOGIN = '/usr/sbin/nologin';
export interface SftpRecord { uid: number; folder: string | null }

/** name → uid of /etc/passwd; name → password field of /etc/shadow. */
async function tables(): Promise<{ uids: Map<string, number>; shadow: Map<string, string>; login: Map<string, string> }> {
  const [passwd, shadow] = await Promise.all([accountRows('/etc/passwd'), accountRows('/etc/shadow')]);
  return {
    uids: new Map(passwd.map((f) => [f[0]!, Number(f[2])])),
    login: new Map(passwd.map((f) => [f[0]!, f[6] ?? ''])),
    shadow: new Map(shadow.map((f) => [f[0]!, f[1] ?? ''])),
  };
}

export class SftpRecords {
  constructor(private readonly file: string) {}

  async read(): Promise<Map<string, SftpRecord>> {
    const text = await readIfExists(this.file);
    return new Map(Object.entries(text ? (JSON.parse(text) as Record<string, SftpRecord>) : {}));
  }

  async write(records: Map<string, SftpRecord>): Promise<void> {
    await ensureDir(path.dirname(this.file), 0o700);
    await writeAtomic(this.file, JSON.stringify(Object.fromEntries([...records].sort(([a], [b]) => a.localeCompare(b)))) + '\n', 0o600);
  }
}

/**
 * Creates or corrects the accounts (uid, shadow entry) of `wanted`; returns a problem per name it
 * refused or could not set up. `records` is updated (and must be written by the caller).
 */
export async function ensureSftpAccounts(exec: Executor, wanted: AccountWant[], records: Map<string, SftpRecord>, save: () => Promise<void>): Promise<Map<string, string>> {
  const problems = new Map<string, string>();
  const { uids, shadow, login } = await tables();
  let changed = false;
  for (const w of wanted) {
    try {
      const mine = records.get(w.name);
      if (uids.has(w.name)) {
        if (!mine || mine.uid !== w.uid || uids.get(w.name) !== w.uid) {
          problems.set(w.name, `not_ours:the account ${w.name} (uid ${uids.get(w.name)}) exists and was not created by Abri for this SFTP user`);
          continue;
        }
        if (shadow.get(w.name) !== w.shadow) {
          await shadowTool(exec, 'usermod', ['-p', w.shadow, w.name]);
          changed = true;
        }
        if (login.get(w.name) !== w.shell) {
          await shadowTool(exec, 'usermod', ['-s', w.shell, w.name]);
          changed = true;
        }
        continue;
      }
      if (!mine || mine.uid !== w.uid) {
        records.set(w.name, { uid: w.uid, folder: null });
        await save(); // the record first: an agent killed after useradd still knows the account is Abri's
      }
      await shadowTool(exec, 'useradd', ['-o', '-u', String(w.uid), '-g', String(w.uid), '-M', '-N', '-d', '/', '-s', w.shell, '-c', 'Abri SFTP user', '-p', w.shadow, w.name]);
      changed = true;
    } catch (e) {
      problems.set(w.name, `failed:${(e as Error).message}`);
    }
  }
  if (changed) await flushNscd(exec);
  return problems;
}

/** Deletes an account Abri created (by its record), even while the hosting's processes run with its uid. */
export async function deleteSftpAccount(exec: Executor, name: string, records: Map<string, SftpRecord>): Promise<void> {
  const { uids } = await tables();
  const mine = records.get(name);
  if (uids.has(name) && mine && uids.get(name) === mine.uid) {
    await shadowTool(exec, 'userdel', ['-f', name]); // -f: the hosting's PHP runs with the same uid; without -r nothing on disk is removed
    await flushNscd(exec);
  }
}

async function flushNscd(exec: Executor): Promise<void> {
  if (!existsSync('/run/nscd/socket')) return;
  for (const db of ['passwd', 'shadow']) await exec.run('nscd', ['-i', db], { allowFailure: true });
}
