// Restores from off-server backups, and browsing a backup's tree, as the API shows them. A restore
// names a part of the backup (`part`), one body union on it: the hosting's files (a file or folder of
// the home, into a restored-<date>/ folder or in place; tracked with the restores from snapshots,
// source "backup"), for staff the whole hosting, a database (db:<name>, into a new database
// <db>_restored_<yyyymmdd> or in place after a safety dump) or a mailbox (mail:<address>, into a
// folder Restored-<yyyy-mm-dd> or in place after a safety copy). Databases and mailboxes are restored
// by the server holding them and tracked in their own table (0046); GET …/backups/restores lists both.
import { z } from 'zod';
import { ref } from '../platform/validation.js';
import { MAX_RESTORE_PATH, RESTORE_MODES } from '../snapshots/rules-restore.js';
import { restoreItem } from '../snapshots/model-restore.js';

export const backupId = z.string().regex(/^[0-9a-f]{8,64}$/).describe('the backup: its restic snapshot id, or its short id (see GET …/backups)');
export const backupParams = z.object({ id: ref, snapshot: backupId });

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

export type PartRestoreIn = z.infer<typeof databaseRestoreIn> | z.infer<typeof mailboxRestoreIn>;

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

export type PartRestoreItem = z.infer<typeof partRestoreItem>;

export const filesPart = z.strictObject({
  part: z.literal('files'),
  path: z.string().max(MAX_RESTORE_PATH).describe('the file or folder to restore, relative to the home (e.g. var/www/site/wp-config.php or var/www/site); see GET …/tree'),
  mode: z
    .enum(RESTORE_MODES)
    .default('copy')
    .describe('copy (default): into a new restored-<date>/ folder of the home, keeping the relative path · in-place: over the current file or folder, after a safety snapshot that undoes it'),
});

export const hostingPart = z
  .strictObject({ part: z.literal('hosting') })
  .describe('staff: the whole hosting\'s files (var/www, where every site and file of the hosting lives), in place, after a safety snapshot');

/** The parts a backup restores, by `part`: files, hosting, db:<name>, mail:<address> (a new part is one more member). */
export const backupRestoreIn = z.union([filesPart, hostingPart, databaseRestoreIn, mailboxRestoreIn]);
export type BackupRestoreIn = z.infer<typeof backupRestoreIn>;
export type FilesRestoreIn = z.infer<typeof filesPart> | z.infer<typeof hostingPart>;

/** What POST …/restore answers: files and hosting, the restore as GET …/snapshots/restores/{restoreId} shows it; a database or mailbox, as GET …/backups/restores does. */
export const backupRestoreOut = z.union([restoreItem, partRestoreItem]);

/** One restore from a hosting's backups, whatever its part (GET …/backups/restores). */
export const backupRestoreListItem = partRestoreItem.extend({
  part: z.string().describe('files, hosting, db:<name> or mail:<address>'),
  path: z.string().nullable().describe('files: the file or folder restored, relative to the home (hosting: var/www) · null for a database or mailbox'),
  mode: z.enum(['new', 'copy', 'in-place']).describe('new (database, mailbox) or copy (files): next to the current one · in-place: over it, after a safety copy'),
});
export const backupRestoresOut = z.object({ items: z.array(backupRestoreListItem).describe('the last 50 of each kind (files; databases and mailboxes), newest first') });
export type BackupRestoreListItem = z.infer<typeof backupRestoreListItem>;

export const treeQuery = z.object({
  path: z.string().max(MAX_RESTORE_PATH).default('').describe('the folder to list, relative to the home (empty: the home)'),
});

export const treeEntry = z.object({
  name: z.string(),
  path: z.string().describe('relative to the home: what a restore takes'),
  type: z.enum(['dir', 'file', 'symlink', 'other']),
  size: z.number().int().min(0).nullable(),
  mtime: z.string().datetime().nullable(),
});

/** What the web server's agent answers to a `backup-tree` query. */
export const treeAnswer = z.object({ entries: z.array(treeEntry).max(5000).describe('folders first, then by name; the first 5000') });
export const treeOut = treeAnswer.extend({ hosting: z.string().uuid(), backup: z.string(), path: z.string() });
export const treeArgs = z.strictObject({ hosting: z.string().uuid(), snapshot: backupId, path: z.string().max(MAX_RESTORE_PATH) });
export type TreeArgs = z.infer<typeof treeArgs>;
export type TreeAnswer = z.infer<typeof treeAnswer>;

export const checkRequestOut = z.object({
  hosting: z.string().uuid(),
  requests: z.number().int().describe('checks of a sample asked for so far: the web server runs one when it gets the change'),
  subset: z.string().describe('the part of the data this check reads (restic check --read-data-subset)'),
});
