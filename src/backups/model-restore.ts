// Restores from off-server backups, and browsing a backup's tree, as the API shows them. A restore
// names a part of the backup (`part`): the hosting's files (a file or folder of the home, into a
// restored-<date>/ folder or in place) or, for staff, the whole hosting; other parts (databases,
// mailboxes) join the same union. It is tracked with the restores from snapshots (source "backup").
import { z } from 'zod';
import { ref } from '../platform/validation.js';
import { MAX_RESTORE_PATH, RESTORE_MODES } from '../snapshots/rules-restore.js';

export const backupId = z.string().regex(/^[0-9a-f]{8,64}$/).describe('the backup: its restic snapshot id, or its short id (see GET …/backups)');
export const backupParams = z.object({ id: ref, snapshot: backupId });

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

/** The parts a backup restores, by `part` (a new part is one more member). */
export const backupRestoreIn = z.discriminatedUnion('part', [filesPart, hostingPart]);
export type BackupRestoreIn = z.infer<typeof backupRestoreIn>;

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
