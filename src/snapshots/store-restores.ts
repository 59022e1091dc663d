// Restores from snapshots in the database: the tracked requests (0035-snapshot-restores), what a web
// server must do, and what it reports.
import type { Db } from '../platform/db/database.js';
import type { DesiredRestore, RestoreReport } from '../node/protocol-snapshots.js';
import type { RestoreMode } from './rules-restore.js';

export interface NewRestore {
  hostingId: string;
  serverId: string;
  snapshot: string;
  path: string;
  mode: RestoreMode;
  target: string;
  safetySnapshot: string | null;
  requestedBy: string | null;
  requestedAt: Date;
  /** a restore from an off-server backup (`snapshot`: the restic snapshot), default from a snapshot */
  source?: 'snapshot' | 'backup';
}

const COLUMNS = ['id', 'hostingId', 'snapshot', 'path', 'mode', 'target', 'safetySnapshot', 'status', 'errorCode', 'errorMessage', 'requestedAt', 'startedAt', 'finishedAt', 'source'] as const;

export async function insertRestore(db: Db, r: NewRestore) {
  return db.insertInto('snapshotRestores').values(r).returning(COLUMNS).executeTakeFirstOrThrow();
}

export type RestoreRow = Awaited<ReturnType<typeof insertRestore>>;

/** A hosting's restores (those from `source` only, when given), newest first (the last `limit`). */
export async function hostingRestores(db: Db, hostingId: string, limit: number, source?: 'snapshot' | 'backup'): Promise<RestoreRow[]> {
  let q = db.selectFrom('snapshotRestores').select(COLUMNS).where('hostingId', '=', hostingId);
  if (source) q = q.where('source', '=', source);
  return q.orderBy('requestedAt', 'desc').orderBy('id').limit(limit).execute();
}

/** One restore of a hosting, or undefined. */
export async function findRestore(db: Db, hostingId: string, id: string): Promise<RestoreRow | undefined> {
  return db.selectFrom('snapshotRestores').select(COLUMNS).where('hostingId', '=', hostingId).where('id', '=', id).executeTakeFirst();
}

/** The restores a web server must do (requested or running) from snapshots (or from backups), by hosting, oldest first. */
export async function pendingRestores(db: Db, serverId: string, source: 'snapshot' | 'backup' = 'snapshot'): Promise<Map<string, DesiredRestore[]>> {
  const rows = await db
    .selectFrom('snapshotRestores')
    .select(['id', 'hostingId', 'snapshot', 'path', 'mode', 'target', 'safetySnapshot'])
    .where('serverId', '=', serverId)
    .where('source', '=', source)
    .where('status', 'in', ['requested', 'running'])
    .orderBy('requestedAt')
    .orderBy('id')
    .execute();
  const out = new Map<string, DesiredRestore[]>();
  for (const r of rows) {
    const item = { id: r.id, snapshot: r.snapshot, path: r.path, mode: r.mode, target: r.target, safety: r.safetySnapshot };
    (out.get(r.hostingId) ?? out.set(r.hostingId, []).get(r.hostingId)!).push(item);
  }
  return out;
}

/**
 * What a web server reports of its restores: only its own, and never backwards (a finished restore
 * stays as it finished; a late "running" does not reopen it).
 */
export async function recordRestoreReports(db: Db, serverId: string, reports: RestoreReport[]): Promise<void> {
  for (const r of reports) {
    const open = db.updateTable('snapshotRestores').where('id', '=', r.id).where('serverId', '=', serverId);
    if (r.status === 'running') {
      await open.set({ status: 'running', startedAt: r.at }).where('status', '=', 'requested').execute();
    } else {
      await open
        .set((eb) => ({
          status: r.status, finishedAt: r.at, startedAt: eb.fn.coalesce('startedAt', eb.val(r.at)),
          errorCode: r.status === 'failed' ? (r.code ?? 'snapshot.restore_failed') : null, errorMessage: r.status === 'failed' ? r.message : null,
        }))
        .where('status', 'in', ['requested', 'running'])
        .execute();
    }
  }
}
