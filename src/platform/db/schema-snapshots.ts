// Row types of the restores from snapshots (0035-snapshot-restores).
import type { Generated } from 'kysely';

export interface SnapshotRestoresTable {
  id: Generated<string>;
  hostingId: string;
  serverId: string;
  snapshot: string;
  path: string;
  mode: 'copy' | 'in-place';
  target: string;
  safetySnapshot: string | null;
  status: Generated<'requested' | 'running' | 'done' | 'failed'>;
  errorCode: string | null;
  errorMessage: string | null;
  requestedBy: string | null;
  requestedAt: Date | string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
  /** 0047: a restore from a snapshot of the home, or from an off-server backup (restic) */
  source: Generated<'snapshot' | 'backup'>;
}
