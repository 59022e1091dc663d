// The parts of the hostings' backups in the database: which server backs up which part of which
// hosting (its files on its web server, each database on the database server holding it, each mailbox
// on its mail server), the secrets each is given (only for the hostings it holds a part of), the sizes
// the servers report, and the restores of parts (0046-backup-parts).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { BackupRunReport, DesiredBackup, DesiredPartRestore, PartRestoreReport } from '../node/protocol-backups.js';
import type { DesiredRestore } from '../node/protocol-snapshots.js';
import { pendingRestores } from '../snapshots/store-restores.js';
import { recordBackupRuns } from './store.js';

/** Whether the hosting (hostings.id) has this part (db:<name>, mail:<address>) on this server. */
function partServerSql(part: string, serverId: string) {
  const [kind, name] = [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)];
  if (kind === 'db') return sql<boolean>`EXISTS (SELECT 1 FROM databases d WHERE d.hosting_id = hostings.id AND d.name = ${name} AND d.server_id = ${serverId})`;
  if (kind === 'mail') {
    return sql<boolean>`EXISTS (SELECT 1 FROM mailboxes b JOIN mail_domains md ON md.id = b.domain_id WHERE b.hosting_id = hostings.id AND b.local_part || '@' || md.name = ${name} AND md.server_id = ${serverId})`;
  }
  return sql<boolean>`false`;
}

interface Parts { files: boolean; databases: string[]; mailboxes: Array<{ id: string; address: string }> }

/** The parts of hostings a server holds, by hosting id (only hostings with a repository, not terminated). */
async function partsOn(db: Db, serverId: string, roles: string[]): Promise<Map<string, Parts>> {
  const out = new Map<string, Parts>();
  const of = (id: string) => out.get(id) ?? out.set(id, { files: false, databases: [], mailboxes: [] }).get(id)!;
  const live = (q: ReturnType<typeof base>) => q.innerJoin('backupRepositories', 'backupRepositories.hostingId', 'hostings.id').where('hostings.status', '!=', 'terminated');
  const base = () => db.selectFrom('hostings');
  if (roles.includes('web')) {
    for (const r of await live(base()).select('hostings.id').where('hostings.serverId', '=', serverId).execute()) of(r.id).files = true;
    // a terminated hosting whose files are kept: only while staff restore it from a backup (restoreOnly)
    const kept = await base().innerJoin('backupRepositories', 'backupRepositories.hostingId', 'hostings.id').select('hostings.id')
      .where('hostings.serverId', '=', serverId).where('hostings.status', '=', 'terminated').where('hostings.purgeRequestedAt', 'is', null)
      .where((eb) => eb.exists(eb.selectFrom('snapshotRestores').select('snapshotRestores.id').whereRef('snapshotRestores.hostingId', '=', 'hostings.id')
        .where('snapshotRestores.source', '=', 'backup').where('snapshotRestores.status', 'in', ['requested', 'running'])))
      .execute();
    for (const r of kept) of(r.id).files = true;
  }
  if (roles.includes('database')) {
    const rows = await live(base()).innerJoin('databases', 'databases.hostingId', 'hostings.id').select(['hostings.id', 'databases.name'])
      .where('databases.serverId', '=', serverId).orderBy('databases.name').execute();
    for (const r of rows) of(r.id).databases.push(r.name);
  }
  if (roles.includes('mail')) {
    const rows = await live(base()).innerJoin('mailboxes', 'mailboxes.hostingId', 'hostings.id').innerJoin('mailDomains', 'mailDomains.id', 'mailboxes.domainId')
      .select(['hostings.id', 'mailboxes.id as mailbox', 'mailboxes.localPart', 'mailDomains.name as domain'])
      .where('mailDomains.serverId', '=', serverId).orderBy('mailDomains.name').orderBy('mailboxes.localPart').execute();
    for (const r of rows) of(r.id).mailboxes.push({ id: r.mailbox, address: `${r.localPart}@${r.domain}` });
  }
  return out;
}

/** The servers holding parts of a hosting besides its web server: those of its databases and of its mail domains. */
export async function partServers(db: Db, hostingId: string): Promise<string[]> {
  const rows = await db.selectFrom('databases').select('serverId').where('hostingId', '=', hostingId)
    .union(db.selectFrom('mailDomains').select('serverId').where('hostingId', '=', hostingId)).execute();
  return [...new Set(rows.map((r) => r.serverId))];
}

/** The restores a server must do (requested or running), by hosting, oldest first. */
async function pendingPartRestores(db: Db, serverId: string): Promise<Map<string, DesiredPartRestore[]>> {
  const rows = await db.selectFrom('backupRestores').select(['id', 'hostingId', 'snapshot', 'part', 'mode', 'target'])
    .where('serverId', '=', serverId).where('status', 'in', ['requested', 'running']).orderBy('requestedAt').orderBy('id').execute();
  const out = new Map<string, DesiredPartRestore[]>();
  for (const { hostingId, ...r } of rows) (out.get(hostingId) ?? out.set(hostingId, []).get(hostingId)!).push(r);
  return out;
}

/**
 * A server's desired backups: per hosting it holds a part of, the repository's secrets (opened with
 * `open`) and its parts here. A server holding no part of a hosting is given nothing of it.
 */
export async function serverBackupsState(db: Db, serverId: string, roles: string[], port: number, open: (sealed: string) => string): Promise<{ hostings: DesiredBackup[] }> {
  const parts = await partsOn(db, serverId, roles);
  if (!parts.size) return { hostings: [] };
  const partRestores = await pendingPartRestores(db, serverId);
  const restores = roles.includes('web') ? await pendingRestores(db, serverId, 'backup') : new Map<string, DesiredRestore[]>();
  const rows = await db.selectFrom('backupRepositories').innerJoin('hostings', 'hostings.id', 'backupRepositories.hostingId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId').innerJoin('servers', 'servers.id', 'backupRepositories.serverId')
    .select(['hostings.id', 'hostings.name', 'hostings.home', 'hostings.uid', 'hostings.status', 'backupRepositories.account', 'backupRepositories.passwordSealed', 'backupRepositories.privateKeySealed',
      'backupRepositories.backupRequests', 'backupRepositories.checkRequests', 'backupRepositories.checkSubset', 'offers.backupKeepDaily', 'offers.backupKeepWeekly', 'servers.addresses'])
    .where('hostings.id', 'in', [...parts.keys()]).orderBy('hostings.name').execute();
  return {
    hostings: rows.filter((r) => r.addresses.length > 0).map((r) => ({
      hosting: r.id, name: r.name, home: r.home, server: { address: r.addresses[0]!, port }, account: r.account,
      password: open(r.passwordSealed), privateKey: open(r.privateKeySealed), keepDaily: r.backupKeepDaily, keepWeekly: r.backupKeepWeekly, requests: r.backupRequests,
      ...parts.get(r.id)!, partRestores: partRestores.get(r.id) ?? [],
      // the hosting's files (its web server): the restores of files from its backups, the checks of its repository
      restores: restores.get(r.id) ?? [], check: { requests: parts.get(r.id)!.files ? r.checkRequests : 0, subset: r.checkSubset }, restoreOnly: r.status === 'terminated', uid: r.uid,
    })),
  };
}

/** Records the backups a server made: its hostings' files (a web server), the parts it holds (databases, mailboxes). */
export async function recordServerBackupRuns(db: Db, serverId: string, runs: BackupRunReport[]): Promise<number> {
  return (await recordBackupRuns(db, serverId, runs.filter((r) => r.part === 'files'))) + (await recordPartRuns(db, serverId, runs.filter((r) => r.part !== 'files')));
}

/** Records the parts (databases, mailboxes) a server backed up: only of parts it holds; a failure is the repository's last error. */
async function recordPartRuns(db: Db, serverId: string, runs: BackupRunReport[]): Promise<number> {
  let recorded = 0;
  for (const r of runs) {
    const held = await db.selectFrom('hostings').select('id').where('id', '=', r.hosting).where(partServerSql(r.part, serverId)).executeTakeFirst();
    if (!held) continue;
    if (r.ok && r.snapshot) {
      await db.insertInto('backupParts').values({ hostingId: r.hosting, snapshot: r.snapshot, part: r.part, serverId, bytes: r.totalBytes, madeAt: r.endedAt })
        .onConflict((oc) => oc.columns(['hostingId', 'snapshot']).doNothing()).execute();
    } else if (!r.ok) {
      await db.updateTable('backupRepositories').set({ lastError: `${r.part}: ${r.error ?? 'the backup failed'}`.slice(0, 4000), lastErrorAt: r.endedAt }).where('hostingId', '=', r.hosting).execute();
    }
    recorded++;
  }
  return recorded;
}

/** The sizes of a hosting's parts by snapshot id (as reported). */
export async function partSizes(db: Db, hostingId: string): Promise<Map<string, number | null>> {
  const rows = await db.selectFrom('backupParts').select(['snapshot', 'bytes']).where('hostingId', '=', hostingId).execute();
  return new Map(rows.map((r) => [r.snapshot, r.bytes === null ? null : Number(r.bytes)]));
}

/** The hosting's mailbox of this address and its mail server, or undefined. */
export function hostingMailbox(db: Db, hostingId: string, address: string) {
  return db.selectFrom('mailboxes').innerJoin('mailDomains', 'mailDomains.id', 'mailboxes.domainId').select(['mailboxes.id', 'mailDomains.serverId'])
    .where('mailboxes.hostingId', '=', hostingId).where(sql<boolean>`mailboxes.local_part || '@' || mail_domains.name = ${address}`).executeTakeFirst();
}

export interface NewPartRestore { hostingId: string; serverId: string; snapshot: string; part: string; mode: 'new' | 'in-place'; target: string; requestedBy: string | null; requestedAt: Date }

const COLUMNS = ['id', 'hostingId', 'snapshot', 'part', 'mode', 'target', 'safetySnapshot', 'status', 'errorCode', 'errorMessage', 'requestedAt', 'startedAt', 'finishedAt'] as const;

export function insertPartRestore(db: Db, r: NewPartRestore) {
  return db.insertInto('backupRestores').values(r).returning(COLUMNS).executeTakeFirstOrThrow();
}
export type PartRestoreRow = Awaited<ReturnType<typeof insertPartRestore>>;

/** A hosting's restores of parts, newest first (the last `limit`). */
export function hostingPartRestores(db: Db, hostingId: string, limit: number): Promise<PartRestoreRow[]> {
  return db.selectFrom('backupRestores').select(COLUMNS).where('hostingId', '=', hostingId).orderBy('requestedAt', 'desc').orderBy('id').limit(limit).execute();
}

/** What a server reports of its restores: only its own, never backwards. */
export async function recordPartRestoreReports(db: Db, serverId: string, reports: PartRestoreReport[]): Promise<void> {
  for (const r of reports) {
    const open = db.updateTable('backupRestores').where('id', '=', r.id).where('serverId', '=', serverId);
    if (r.status === 'running') {
      await open.set((eb) => ({ status: 'running', startedAt: r.at, safetySnapshot: eb.fn.coalesce('safetySnapshot', eb.val(r.safetySnapshot)) })).where('status', '=', 'requested').execute();
      continue;
    }
    await open.set((eb) => ({
      status: r.status, finishedAt: r.at, startedAt: eb.fn.coalesce('startedAt', eb.val(r.at)), safetySnapshot: eb.fn.coalesce('safetySnapshot', eb.val(r.safetySnapshot)),
      errorCode: r.status === 'failed' ? (r.code ?? 'backup.restore_failed') : null, errorMessage: r.status === 'failed' ? r.message : null,
    })).where('status', 'in', ['requested', 'running']).execute();
  }
}
