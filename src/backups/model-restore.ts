// Restores of parts of off-server backups as the API shows them: a database (db:<name>) or a mailbox
// (mail:<address>) of a backup, into a new database <db>_restored_<yyyymmdd> / a mail folder
// Restored-<yyyy-mm-dd> (new, the default) or over it (in-place, after a safety copy). Done by the
// server holding the part, followed as requested → running → done or failed (with a stable code).
// The body is a union on the kind of part: the hosting's files have their own (`{ part: 'files', path }`).
import { z } from 'zod';
import { ref } from '../platform/validation.js';

export const PART_RESTORE_FAILURES = ['backup.part_missing', 'backup.part_not_here', 'backup.restore_failed', 'backup.mail_failed', 'backup.bad_part'] as const;

const mode = z.enum(['new', 'in-place']).default('new');

export const databaseRestoreIn = z.strictObject({
  part: z.string().regex(/^db:[a-z0-9_]{1,64}$/).describe('db:<name>: the dump of that database (its full name, e.g. db:abc1000_wp)'),
  mode: mode.describe('new (default): into a new database <name>_restored_<yyyymmdd> (it counts against the offer\'s limit; the users granted on <name> are granted on it) · in-place: over the database, after a safety dump kept in the repository (tagged safety)'),
});

export const mailboxRestoreIn = z.strictObject({
  part: z.string().regex(/^mail:[A-Za-z0-9._+-]{1,64}@[a-z0-9.-]{1,253}$/).describe('mail:<address>: the copy of that mailbox'),
  mode: mode.describe('new (default): into a folder Restored-<yyyy-mm-dd> of the mailbox · in-place: the mailbox made equal to the copy (mail received since is removed), after a safety copy kept in the repository (tagged safety)'),
});

/** What to restore: a union on the kind of part (db:…, mail:…; files are restored by their own variant). */
export const partRestoreIn = z.union([databaseRestoreIn, mailboxRestoreIn]);
export type PartRestoreIn = z.infer<typeof partRestoreIn>;

export const partRestoreParams = z.object({ id: ref, snapshot: z.string().regex(/^[0-9a-f]{8,64}$/).describe('the backup part\'s restic snapshot (its id or short id, see GET …/backups)') });

export const partRestoreItem = z.object({
  id: z.string().uuid(),
  hosting: z.string().uuid(),
  snapshot: z.string(),
  part: z.string(),
  mode: z.enum(['new', 'in-place']),
  target: z.string().describe('new: the database or mail folder restored into; in-place: the database or mailbox'),
  safetySnapshot: z.string().nullable().describe('in-place: the snapshot (tagged safety) of the part just before, which undoes the restore: restore it in place'),
  status: z.enum(['requested', 'running', 'done', 'failed']).describe('requested: its server gets it with its next change · running · done · failed: see error'),
  error: z.object({ code: z.string().max(64), message: z.string().nullable() }).nullable().describe(`why it failed: ${PART_RESTORE_FAILURES.join(', ')}`),
  requestedAt: z.string().datetime(),
  startedAt: z.string().datetime().nullable(),
  finishedAt: z.string().datetime().nullable(),
});

export const partRestoresOut = z.object({ items: z.array(partRestoreItem).describe('the last 50, newest first') });
export type PartRestoreItem = z.infer<typeof partRestoreItem>;
