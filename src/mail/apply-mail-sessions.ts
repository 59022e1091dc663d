// The open sessions of mailboxes that lost access. Dovecot keeps sessions across reloads (shutdown_clients
// = no), so a mailbox removed, suspended or given a new password (or an app password taken back) would
// keep the IMAP/POP3 sessions it opened before: after each apply of Dovecot's password files, Abri ends
// the sessions of every address whose credentials are gone or changed (`doveadm kick`).
import type { RenderedFile } from '../platform/render.js';
import { MAX_APP_PASSWORDS } from './model-app-passwords.js';

/** Dovecot's password files in the Dovecot directory: the passwords, then each rank of app passwords. */
const passwordFiles = ['passdb', ...Array.from({ length: MAX_APP_PASSWORDS }, (_, i) => `app-passdb-${i + 1}`)];

/** Each address's credential lines across the password files (a file's content by name; absent: none). */
function credentialsOf(content: (file: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of passwordFiles) {
    for (const line of content(name).split('\n')) {
      const user = line.slice(0, line.indexOf(':'));
      if (user) out.set(user, `${out.get(user) ?? ''}${name}:${line}\n`);
    }
  }
  return out;
}

/**
 * The addresses that had credentials before an apply and now have none, or other ones: from the
 * files the apply wrote and what the changed ones held before (applyFileSet's `previous`).
 */
export function lostAccess(files: readonly RenderedFile[], previous: ReadonlyMap<string, Buffer | null>): string[] {
  if (!passwordFiles.some((name) => previous.has(name))) return [];
  const written = new Map(files.map((f) => [f.path, f.content]));
  const now = (name: string) => written.get(name) ?? '';
  const had = credentialsOf((name) => (previous.has(name) ? (previous.get(name)?.toString('utf8') ?? '') : now(name)));
  const has = credentialsOf(now);
  return [...had].filter(([user, lines]) => has.get(user) !== lines).map(([user]) => user);
}
