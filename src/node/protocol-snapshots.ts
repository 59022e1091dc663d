// Snapshots in the agent protocol: how many of each kind the web server keeps of a hosting's home
// (its offer's counts; src/snapshots/ takes them).
import { z } from 'zod';

export const desiredSnapshotCounts = z.object({
  hourly: z.number().int().min(0),
  daily: z.number().int().min(0),
  weekly: z.number().int().min(0),
  monthly: z.number().int().min(0),
  /** snapshots asked for on demand so far: one "manual" snapshot is taken when it grows (absent from older managers: none) */
  requests: z.number().int().min(0).default(0),
});

export type SnapshotCounts = Pick<z.infer<typeof desiredSnapshotCounts>, 'hourly' | 'daily' | 'weekly' | 'monthly'>;
