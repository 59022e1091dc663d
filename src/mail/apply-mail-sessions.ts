// The open sessions of mailboxes that lost access. Dovecot keeps sessions across reloads (shutdown_clients
// = no), so a mailbox removed, suspended or given a new password (or an app password taken back) would
// keep the IMAP/POP3 sessions it opened before: after each apply of Dovecot's password files, Abri ends
// the sessions of every address whose credentials are gone or changed (`doveadm kick`).
import path from 'node:path';
import { readIfExists } from '../platform/if-exists.js';
import { MAX_APP_PASSWORDS } from './model-app-passwords.js';

/** Dovecot's password files in the Dovecot directory: the passwords, then each rank of app passwords. */
export const passwordFiles = ['passdb', ...Array.from({ length: MAX_APP_PASSWORDS }, (_, i) => `app-passdb-${i + 1}`)];

/** Each address's credential lines across the password files (files as path → content; absent: none). */
export function credentialsOf(files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of passwordFiles) {
    for (const line of (files.get(name) ?? '').split('\n')) {
      const user = line.slice(0, line.indexOf(':'));
      if (user) out.set(user, `${out.get(user) ?? ''}${name}:${line}\n`);
    }
  }
  return out;
}

/** The addresses that had credentials before and now have none, or other ones. */
export function lostAccess(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  return [...before].filter(([user, lines]) => after.get(user) !== lines).map(([user]) => user);
}

/** The password files as they are on disk now (before an apply replaces them). */
export async function readPasswordFiles(dovecotDir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of passwordFiles) {
    const content = await readIfExists(path.join(dovecotDir, name));
    if (content !== null) out.set(name, content);
  }
  return out;
}
