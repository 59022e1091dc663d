// Snapshots in the agent protocol: how many of each kind the web server keeps of a hosting's home
// (its offer's counts; src/snapshots/ takes them), and the restores from them it must do.
import { z } from 'zod';

/**
 * A restore from a snapshot the web server must do (requested or running; src/snapshots/apply-restore.ts):
 * copy `path` of `backups/<snapshot>` to `target` (both relative to the home), as the hosting; an
 * in-place restore takes the read-only snapshot `safety` first.
 */
export const desiredRestore = z.object({
  id: z.string().uuid(),
  snapshot: z.string(),
  path: z.string(),
  mode: z.enum(['copy', 'in-place']),
  target: z.string(),
  safety: z.string().nullable(),
});

export const desiredSnapshotCounts = z.object({
  hourly: z.number().int().min(0),
  daily: z.number().int().min(0),
  weekly: z.number().int().min(0),
  monthly: z.number().int().min(0),
  /** snapshots asked for on demand so far: one "manual" snapshot is taken when it grows (absent from older managers: none) */
  requests: z.number().int().min(0).default(0),
  /** restores from its snapshots to do (requested or running; absent from older managers: none) */
  restores: z.array(desiredRestore).default([]),
});

export type SnapshotCounts = Pick<z.infer<typeof desiredSnapshotCounts>, 'hourly' | 'daily' | 'weekly' | 'monthly'>;

/** What the web server says of a restore (POST /agent/v1/snapshot-restores): started, or finished with its verdict. */
export const restoreReport = z.strictObject({
  id: z.string().uuid(),
  status: z.enum(['running', 'done', 'failed']),
  at: z.string().datetime(),
  code: z.string().regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/).max(64).nullable().default(null),
  message: z.string().max(2000).nullable().default(null),
});

export type DesiredRestore = z.infer<typeof desiredRestore>;
export type RestoreReport = z.infer<typeof restoreReport>;
