// Restores from snapshots as the API shows them: asked for by whoever may change the hosting, done by
// its web server's agent (src/snapshots/apply-restore.ts), followed as requested → running → done or
// failed (with a stable code).
import { z } from 'zod';
import { ref } from '../platform/validation.js';
import { MAX_RESTORE_PATH, RESTORE_FAILURES, RESTORE_MODES } from './rules-restore.js';

export const restoreIn = z.strictObject({
  snapshot: z.string().min(1).max(64).describe('the snapshot to restore from, by its name in backups/ (e.g. daily-2026-12-01; see GET …/snapshots)'),
  path: z.string().max(MAX_RESTORE_PATH).describe('the file or folder to restore, relative to the home (e.g. var/www/site/wp-config.php or var/www/site); not backups/'),
  mode: z
    .enum(RESTORE_MODES)
    .default('copy')
    .describe('copy (default): into a new restored-<date>/ folder of the home, keeping the relative path · in-place: over the current file or folder, after a safety snapshot that undoes it'),
});

export const restoreItem = z.object({
  id: z.string().uuid(),
  hosting: z.string().uuid(),
  snapshot: z.string(),
  path: z.string(),
  mode: z.enum(RESTORE_MODES),
  target: z.string().describe('where it is (or was) written, relative to the home'),
  safetySnapshot: z.string().nullable().describe('in-place: the snapshot (kind safety, in backups/) taken just before, which undoes the restore: restore the same path from it in place'),
  status: z.enum(['requested', 'running', 'done', 'failed']).describe('requested: its web server gets it with its next change · running · done · failed: see error'),
  error: z
    .object({ code: z.enum(RESTORE_FAILURES).or(z.string().max(64)), message: z.string().nullable() })
    .nullable()
    .describe(`why it failed: ${RESTORE_FAILURES.join(', ')}`),
  requestedAt: z.string().datetime(),
  startedAt: z.string().datetime().nullable(),
  finishedAt: z.string().datetime().nullable(),
  source: z.enum(['snapshot', 'backup']).describe('snapshot: `snapshot` is the name of a snapshot in backups/ · backup: `snapshot` is the id of an off-server backup (restic)'),
});

export const restoresOut = z.object({ items: z.array(restoreItem).describe('the last 50, newest first') });
export const restoreParams = z.object({ id: ref, restoreId: ref });

export type RestoreItem = z.infer<typeof restoreItem>;
export type RestoreIn = z.infer<typeof restoreIn>;
