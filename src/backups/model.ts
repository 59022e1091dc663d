// Off-server backups as the API shows them. A hosting's backups are listed by its web server's agent
// (a `hosting-backups` query: it holds the repository's key) while the request waits; the health of
// each repository is what the web servers reported after each backup.
import { z } from 'zod';
import { listQuery } from '../platform/http/list.js';

const time = z.string().datetime().nullable();

export const backupHealth = z.enum(['ok', 'failed', 'never']).describe('ok: the last backup succeeded · failed: the last one failed (see lastError) · never: none has succeeded yet');

export const repositoryOut = z.object({
  server: z.string().nullable().describe('staff: the backup server holding the repository; null for customers'),
  account: z.string().nullable().describe('staff: the hosting\'s SFTP account on the backup server; null for customers'),
  createdAt: z.string().datetime(),
  health: backupHealth,
  requests: z.number().int().describe('backups asked for on demand so far: the web server makes one when it gets the change'),
  lastAttemptAt: time.describe('when the last backup ended, successful or not'),
  lastSuccessAt: time.describe('when the last good backup ended'),
  lastSnapshot: z.string().nullable().describe('the restic snapshot of the last good backup (its short id)'),
  lastBytesAdded: z.number().int().nullable().describe('what the last good backup added to the repository (new data after deduplication, bytes)'),
  lastTotalBytes: z.number().int().nullable().describe('the size of the files the last good backup saved (bytes)'),
  lastError: z.string().nullable().describe('staff: why the last backup failed (null when it succeeded); customers see only the health'),
  lastErrorAt: time,
  checkRequests: z.number().int().describe('checks of a sample of the repository asked for so far (weekly, or by staff)'),
  lastCheckAt: time.describe('when the last restic check of a sample of the data ended'),
  checkHealth: backupHealth.describe('how the last check went: ok · failed (staff see checkError) · never (none yet)'),
  checkError: z.string().nullable().describe('staff: why the last check failed; null for customers'),
});

export const backupItem = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/).describe('the restic snapshot'),
  shortId: z.string().max(16),
  time: z.string().datetime().describe('when the backup was made: the content of the home at that time'),
  sizeBytes: z.number().int().min(0).nullable().describe('the size of what it holds (the files, the dump, the mailbox\'s copy), when known'),
  part: z.string().max(320).default('files').describe('what it holds: files (the home), db:<name> (a dump of that database), mail:<address> (a copy of that mailbox)'),
  safety: z.boolean().default(false).describe('a copy taken just before an in-place restore (restoring it undoes that restore)'),
});

export const backupDay = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('the day (UTC)'),
  parts: z.array(backupItem).describe('the parts backed up that day, the latest of each (files, each database, each mailbox), with their size'),
});

/** What the web server's agent answers. */
export const backupsAnswer = z.object({ snapshots: z.array(backupItem).max(2000).describe('newest first') });

export const hostingBackupsOut = z.object({
  hosting: z.string().uuid(),
  retention: z.object({ keepDaily: z.number().int(), keepWeekly: z.number().int() }).describe('how many daily and weekly backups are kept (the hosting\'s offer)'),
  repository: repositoryOut.nullable().describe('null: the hosting has no repository yet (it gets one within minutes once a backup server exists)'),
  readable: z.boolean().describe('false: the repository could not be read just now (its backup server unreachable, say): the list is empty, the health still tells how the last backup went'),
  snapshots: z.array(backupItem).describe('every part (a restic snapshot each), newest first; empty without a repository'),
  days: z.array(backupDay).describe('per backup day, newest first: which parts it holds and their size'),
});

/** The arguments of a `hosting-backups` query. */
export const backupsArgs = z.strictObject({ hosting: z.string().uuid() });
export type BackupsArgs = z.infer<typeof backupsArgs>;
export type BackupsAnswer = z.infer<typeof backupsAnswer>;

export const backupRequestOut = z.object({
  hosting: z.string().uuid(),
  requests: z.number().int().describe('backups asked for on demand so far: the web server makes one when it gets the change'),
});

export const repositoryListItem = repositoryOut.extend({
  hosting: z.string().uuid(),
  hostingName: z.string(),
  hostingStatus: z.enum(['active', 'suspended', 'terminated']),
  customerName: z.string(),
});

export const repositoryListQuery = listQuery.extend({ health: backupHealth.optional().describe('only the repositories in this health') });

export const assignOut = z.object({
  assigned: z.number().int().describe('hostings that got a repository now'),
  waiting: z.number().int().describe('hostings still without one (no backup server has the backup role yet)'),
});
