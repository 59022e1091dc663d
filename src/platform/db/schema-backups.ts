// Table of off-server backups (src/backups, migration 0036). Part of the Database interface of schema.ts.
import type { Generated } from 'kysely';
import type { CreatedAt } from './schema.js';

/** A hosting's restic repository on a backup server, its sealed secrets and its health. */
export interface BackupRepositoriesTable {
  hostingId: string;
  serverId: string;
  account: string;
  uid: number;
  passwordSealed: string;
  privateKeySealed: string;
  publicKey: string;
  backupRequests: Generated<number>;
  lastAttemptAt: Date | string | null;
  lastSuccessAt: Date | string | null;
  lastSnapshot: string | null;
  lastBytesAdded: number | null;
  lastTotalBytes: number | null;
  lastError: string | null;
  lastErrorAt: Date | string | null;
  createdAt: CreatedAt;
  /** 0047: restic checks of a sample of the data asked for, the subset named, how the last went */
  checkRequests: Generated<number>;
  checkSubset: Generated<string>;
  lastCheckAt: Date | string | null;
  lastCheckOk: boolean | null;
  lastCheckError: string | null;
}

/** The size of one part of a backup (a restic snapshot), as the server that made it reported it (0046). */
export interface BackupPartsTable {
  hostingId: string;
  snapshot: string;
  part: string;
  serverId: string | null;
  bytes: number | string | null;
  madeAt: Date | string;
}

/** A restore of a part of a backup (a database, a mailbox), tracked (0046). */
export interface BackupRestoresTable {
  id: Generated<string>;
  hostingId: string;
  serverId: string;
  snapshot: string;
  part: string;
  mode: 'new' | 'in-place';
  target: string;
  safetySnapshot: string | null;
  status: Generated<'requested' | 'running' | 'done' | 'failed'>;
  errorCode: string | null;
  errorMessage: string | null;
  requestedBy: string | null;
  requestedAt: Date | string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
}
