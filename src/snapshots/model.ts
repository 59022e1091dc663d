// Snapshots as the API shows them: read on the hosting's web server by its agent (a
// `hosting-snapshots` query) while the request waits.
import { z } from 'zod';
import { MANUAL_KEPT, SAFETY_KEPT, SNAPSHOT_KINDS } from './rules.js';

export const snapshotKind = z
  .enum(SNAPSHOT_KINDS)
  .describe(`hourly (on the hour) · daily (05:00) · weekly (Sunday 07:00) · monthly (the 1st, 08:00), UTC · manual (asked for; the last ${MANUAL_KEPT} kept) · safety (taken before an in-place restore, to undo it; the last ${SAFETY_KEPT} kept)`);

export const snapshotItem = z.object({
  kind: snapshotKind,
  name: z.string().max(64).describe('its folder in backups/, e.g. daily-2026-12-01'),
  takenAt: z.string().datetime().describe('when it was taken: the content of the home at that time'),
  path: z.string().max(80).describe('where the hosting finds it, relative to its home (over SFTP, FTP, SSH, or from PHP): read-only'),
  exclusiveBytes: z.number().int().min(0).nullable().describe('staff: the space only this snapshot holds (its btrfs qgroup\'s exclusive bytes); null for customers, or when not measured'),
});

/** What the agent answers. */
export const snapshotsAnswer = z.object({
  available: z.boolean().describe('false: the home is not a btrfs subvolume on its web server (a plain directory): no snapshots are taken'),
  snapshots: z.array(snapshotItem).max(1000).describe('newest first'),
});

export const snapshotsOut = snapshotsAnswer.extend({
  hosting: z.string().uuid(),
  folder: z.literal('backups').describe('the folder of the home holding the snapshots, with latest-<kind> pointing at the newest of each kind'),
  schedule: z.object({ hourly: z.number().int(), daily: z.number().int(), weekly: z.number().int(), monthly: z.number().int() }).describe('how many of each kind are kept (the hosting\'s offer)'),
  totalExclusiveBytes: z.number().int().min(0).nullable().describe('staff: the space the snapshots take together beyond the home (sum of their exclusive bytes); null for customers'),
});

/** The arguments of a `hosting-snapshots` query. */
export const snapshotsArgs = z.strictObject({ hosting: z.string().uuid() });

export type SnapshotsAnswer = z.infer<typeof snapshotsAnswer>;
export type SnapshotsArgs = z.infer<typeof snapshotsArgs>;

export const snapshotRequestOut = z.object({
  hosting: z.string().uuid(),
  requests: z.number().int().describe('snapshots asked for on demand so far: the web server takes one when it gets the change'),
  kept: z.number().int().describe('how many snapshots taken on demand are kept (the oldest beyond are deleted)'),
});
