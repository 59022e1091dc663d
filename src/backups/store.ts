// Off-server backups in the database: the repositories (one per hosting, on a backup server), their
// health as the web servers report it, and the parts of the desired state they give the servers.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import type { BackupRunReport, DesiredBackupAccount } from '../node/protocol-backups.js';

/** Hostings that are placed on a web server and have no repository yet (terminated ones get none). */
export function hostingsWithoutRepository(db: Db) {
  return db.selectFrom('hostings').leftJoin('backupRepositories', 'backupRepositories.hostingId', 'hostings.id')
    .select(['hostings.id', 'hostings.name', 'hostings.uid', 'hostings.customerId', 'hostings.serverId'])
    .where('backupRepositories.hostingId', 'is', null).where('hostings.serverId', 'is not', null).where('hostings.status', '!=', 'terminated')
    .orderBy('hostings.name').execute();
}

/** The backup servers, those holding the fewest repositories first. */
export function backupServersByLoad(db: Db) {
  return db.selectFrom('servers').leftJoin('backupRepositories', 'backupRepositories.serverId', 'servers.id')
    .select(['servers.id', 'servers.name', sql<number>`count(backup_repositories.hosting_id)::int`.as('repositories')])
    .where(sql<boolean>`'backup' = ANY(servers.roles)`).groupBy(['servers.id', 'servers.name'])
    .orderBy('repositories').orderBy('servers.name').execute();
}

export interface NewRepository { hostingId: string; serverId: string; account: string; uid: number; passwordSealed: string; privateKeySealed: string; publicKey: string }

export async function insertRepository(db: Db, r: NewRepository): Promise<void> {
  await db.insertInto('backupRepositories').values(r).execute();
}

const publicColumns = [
  'backupRepositories.hostingId', 'backupRepositories.serverId', 'backupRepositories.account', 'backupRepositories.backupRequests',
  'backupRepositories.lastAttemptAt', 'backupRepositories.lastSuccessAt', 'backupRepositories.lastSnapshot', 'backupRepositories.lastBytesAdded',
  'backupRepositories.lastTotalBytes', 'backupRepositories.lastError', 'backupRepositories.lastErrorAt', 'backupRepositories.createdAt',
  'backupRepositories.checkRequests', 'backupRepositories.checkSubset', 'backupRepositories.lastCheckAt', 'backupRepositories.lastCheckOk', 'backupRepositories.lastCheckError',
] as const;

/** A hosting's repository (without its secrets) and its backup server's name, or undefined. */
export function findRepository(db: Db, hostingId: string) {
  return db.selectFrom('backupRepositories').innerJoin('servers', 'servers.id', 'backupRepositories.serverId')
    .select([...publicColumns, 'servers.name as serverName']).where('backupRepositories.hostingId', '=', hostingId).executeTakeFirst();
}
export type RepositoryRow = NonNullable<Awaited<ReturnType<typeof findRepository>>>;

export type BackupHealthFilter = 'failed' | 'ok' | 'never';

/** Every repository with its hosting and health (staff), filtered by health. */
export function listRepositories(db: Db, query: ListQuery & { health?: BackupHealthFilter }) {
  let base = db.selectFrom('backupRepositories').innerJoin('servers', 'servers.id', 'backupRepositories.serverId')
    .innerJoin('hostings', 'hostings.id', 'backupRepositories.hostingId').innerJoin('customers', 'customers.id', 'hostings.customerId');
  if (query.health === 'failed') base = base.where('backupRepositories.lastError', 'is not', null);
  if (query.health === 'ok') base = base.where('backupRepositories.lastError', 'is', null).where('backupRepositories.lastSuccessAt', 'is not', null);
  if (query.health === 'never') base = base.where('backupRepositories.lastSuccessAt', 'is', null);
  return paginate(base, {
    search: ['hostings.name', 'servers.name', 'customers.name', 'backup_repositories.last_error'],
    sorts: { hosting: 'hostings.name', server: 'servers.name', createdAt: 'backup_repositories.created_at' },
    defaultSort: 'hosting',
    idColumn: 'backup_repositories.hosting_id',
  }, query, (q) => q.select([...publicColumns, 'servers.name as serverName', 'hostings.name as hostingName', 'hostings.status as hostingStatus', 'customers.name as customerName']));
}

/** Counts one more backup asked for on demand; returns the new count. */
export async function requestBackup(db: Db, hostingId: string): Promise<number> {
  const row = await db.updateTable('backupRepositories').set({ backupRequests: sql`backup_requests + 1` }).where('hostingId', '=', hostingId).returning('backupRequests').executeTakeFirstOrThrow();
  return row.backupRequests;
}

/** Records backups a web server made: only of hostings placed on it (others' are ignored); newer reports win. */
export async function recordBackupRuns(db: Db, webServerId: string, runs: BackupRunReport[]): Promise<number> {
  let recorded = 0;
  for (const r of runs) {
    if (r.kind === 'check') {
      const res = await db.updateTable('backupRepositories').set({ lastCheckAt: r.endedAt, lastCheckOk: r.ok, lastCheckError: r.ok ? null : (r.error ?? 'the check failed') })
        .where('hostingId', '=', r.hosting).where('hostingId', 'in', db.selectFrom('hostings').select('id').where('serverId', '=', webServerId))
        .where((eb) => eb.or([eb('lastCheckAt', 'is', null), eb('lastCheckAt', '<=', r.endedAt)])).executeTakeFirst();
      recorded += Number(res.numUpdatedRows);
      continue;
    }
    const base = db.updateTable('backupRepositories').set({ lastAttemptAt: r.endedAt })
      .where('hostingId', '=', r.hosting)
      .where('hostingId', 'in', db.selectFrom('hostings').select('id').where('serverId', '=', webServerId))
      .where((eb) => eb.or([eb('lastAttemptAt', 'is', null), eb('lastAttemptAt', '<=', r.endedAt)]));
    const res = r.ok
      ? await base.set({ lastSuccessAt: r.endedAt, lastSnapshot: r.snapshot, lastBytesAdded: r.bytesAdded, lastTotalBytes: r.totalBytes, lastError: null, lastErrorAt: null }).executeTakeFirst()
      : await base.set({ lastError: r.error ?? 'the backup failed', lastErrorAt: r.endedAt }).executeTakeFirst();
    recorded += Number(res.numUpdatedRows);
  }
  return recorded;
}

/** The accounts a backup server keeps: every repository placed on it (terminated hostings' too: their backups are kept). */
export async function backupServerState(db: Db, serverId: string): Promise<{ accounts: DesiredBackupAccount[] }> {
  const rows = await db.selectFrom('backupRepositories').select(['hostingId', 'account', 'uid', 'publicKey']).where('serverId', '=', serverId).orderBy('account').execute();
  return { accounts: rows.map((r) => ({ hosting: r.hostingId, account: r.account, uid: r.uid, publicKey: r.publicKey })) };
}

/**
 * Asks for one more `restic check` of a sample of the repository (of one hosting, or of every hosting
 * placed on a web server), each naming the next subset of `parts` (1/N, 2/N… N/N, then 1/N again: the
 * whole data is read over N checks). Returns the web servers told.
 */
export async function requestChecks(db: Db, parts: number, hostingId?: string): Promise<string[]> {
  let q = db.updateTable('backupRepositories')
    .set({ checkRequests: sql`check_requests + 1`, checkSubset: sql`((check_requests % ${parts}) + 1)::text || '/' || ${String(parts)}::text` })
    .from('hostings').whereRef('hostings.id', '=', 'backupRepositories.hostingId').where('hostings.serverId', 'is not', null).where('hostings.status', '!=', 'terminated');
  if (hostingId) q = q.where('backupRepositories.hostingId', '=', hostingId);
  const rows = await q.returning('hostings.serverId').execute();
  return [...new Set(rows.map((r) => r.serverId!))];
}
