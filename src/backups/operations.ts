// Off-server backups: repositories set up for the hostings (by a job, or by staff now), a hosting's
// backups listed (its web server's agent reads the repository: only it holds the key) with the
// health the web servers report, a backup asked for now, and every repository's health for staff.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { assertStaff, customerScope, isStaff, systemCaller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/store-list.js';
import { findOffer } from '../offers/store.js';
import { findServer } from '../servers/store.js';
import { askServer } from '../servers/queries.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, hostingStamps } from '../hosting/store-hostings.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { backupServersByLoad, findRepository, hostingsWithoutRepository, insertRepository, listRepositories, requestBackup, type BackupHealthFilter, type RepositoryRow } from './store.js';
import { newRepositorySecrets } from './keys.js';
import { backupAccount, backupDays } from './rules.js';
import { partServers, partSizes } from './store-parts.js';
import { backupsAnswer, type BackupsAnswer, type BackupsArgs } from './model.js';
import { registerBackupCheckJob } from './operations-restore.js';

/** What an agent may answer instead of the list (declared in backups/errors.ts). */
export const BACKUP_REFUSALS = ['backup.not_here', 'backup.unreadable'] as const;
export const ASSIGN_JOB = 'backups.assign';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const healthOf = (r: { lastError: string | null; lastSuccessAt: Date | string | null }) => (r.lastError !== null ? 'failed' : r.lastSuccessAt ? 'ok' : 'never') as 'ok' | 'failed' | 'never';

/** A repository as the caller may see it: where it is and why it failed are for staff. */
export function showRepository(r: Omit<RepositoryRow, 'hostingId' | 'serverId'>, staff: boolean) {
  return {
    server: staff ? r.serverName : null, account: staff ? r.account : null, createdAt: iso(r.createdAt)!, health: healthOf(r), requests: r.backupRequests,
    lastAttemptAt: iso(r.lastAttemptAt), lastSuccessAt: iso(r.lastSuccessAt), lastSnapshot: r.lastSnapshot, lastBytesAdded: r.lastBytesAdded, lastTotalBytes: r.lastTotalBytes,
    lastError: staff ? r.lastError : null, lastErrorAt: iso(r.lastErrorAt),
    checkRequests: r.checkRequests, lastCheckAt: iso(r.lastCheckAt), checkHealth: (r.lastCheckOk === null ? 'never' : r.lastCheckOk ? 'ok' : 'failed') as 'ok' | 'failed' | 'never',
    checkError: staff ? r.lastCheckError : null,
  };
}

/**
 * Gives every hosting placed on a web server without a repository one, on the backup server holding
 * the fewest: its account (bk-<hosting>, uid = the hosting's + the offset), a new restic password and
 * key pair (sealed); both servers are told.
 */
export function assignRepositories(app: AppContext, caller: Caller) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const [hostings, servers] = await Promise.all([hostingsWithoutRepository(c.db), backupServersByLoad(c.db)]);
    if (!hostings.length || !servers.length) {
      c.nothingToAudit();
      return { assigned: 0, waiting: hostings.length };
    }
    const box = app.secrets();
    const touched = new Set<string>();
    for (const h of hostings) {
      const server = servers.sort((a, b) => a.repositories - b.repositories || a.name.localeCompare(b.name))[0]!;
      const account = backupAccount(h.name);
      const s = newRepositorySecrets(account);
      await insertRepository(c.db, {
        hostingId: h.id, serverId: server.id, account, uid: h.uid + app.config.backups.uidOffset, passwordSealed: box.seal(s.password), privateKeySealed: box.seal(s.privateKey), publicKey: s.publicKey,
      });
      server.repositories++;
      touched.add(server.id).add(h.serverId!);
      for (const id of await partServers(c.db, h.id)) touched.add(id);
      await c.audit({ action: 'backup.repository_create', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: { server: server.name, account } });
    }
    await c.bump(`backup repositories of ${hostings.length} hosting(s) set up`, [...touched], hostings.flatMap((h) => hostingStamps(h.id)));
    return { assigned: hostings.length, waiting: 0 };
  });
}

export async function listHostingBackups(app: AppContext, caller: Caller, ref: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  const [repo, offer] = await Promise.all([findRepository(app.db, h.id), findOffer(app.db, h.offerId)]);
  const staff = isStaff(caller.actor);
  const base = { hosting: h.id, retention: { keepDaily: offer.backupKeepDaily, keepWeekly: offer.backupKeepWeekly } };
  if (!repo) return { ...base, repository: null, readable: true, snapshots: [], days: [] };
  if (!h.serverId || h.status === 'terminated') throw new AppError('backup.not_here', 'this hosting is not on a web server: its backups are listed from there');
  const server = await findServer(app.db, h.serverId);
  const args: BackupsArgs = { hosting: h.id };
  let snapshots: BackupsAnswer['snapshots'] | null = null;
  try {
    snapshots = backupsAnswer.parse(await askServer(app, server, 'hosting-backups', args, { refusals: BACKUP_REFUSALS, timeoutMs: 30_000 })).snapshots;
  } catch (e) {
    // the repository could not be read now (its backup server down, say): the health still tells
    if (!(e instanceof AppError && e.code === 'backup.unreadable')) throw e;
  }
  // the sizes of the parts other servers made (databases, mailboxes), as they reported them
  const sizes = await partSizes(app.db, h.id);
  const list = (snapshots ?? []).map((s) => ({ ...s, sizeBytes: s.sizeBytes ?? sizes.get(s.id) ?? sizes.get(s.shortId) ?? null }));
  return { ...base, repository: showRepository(repo, staff), readable: snapshots !== null, snapshots: list, days: backupDays(list) };
}

/** Asks the hosting's web server for a backup now: made when the server gets the change (or when it is back). */
export function takeBackup(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(h, 'backup'), 'manage');
    const repo = await findRepository(c.db, h.id);
    if (!repo) throw new AppError('backup.none', 'this hosting has no backup repository yet');
    if (!h.serverId) throw new AppError('backup.not_here', 'this hosting is not on a web server');
    const requests = await requestBackup(c.db, h.id);
    await c.audit({ action: 'backup.request', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: { requests } });
    // its web server backs its files up, the servers of its databases and mailboxes those
    await c.bump(`backup of ${h.name} asked for`, [...new Set([h.serverId, ...(await partServers(c.db, h.id))])], hostingStamps(h.id));
    return { hosting: h.id, requests };
  });
}

/** Every repository and its health (staff). */
export async function listBackupRepositories(app: AppContext, caller: Caller, query: ListQuery & { health?: BackupHealthFilter }) {
  assertStaff(caller.actor);
  const page = await listRepositories(app.db, query);
  return {
    ...page,
    items: page.items.map((r) => ({ ...showRepository(r, true), hosting: r.hostingId, hostingName: r.hostingName, hostingStatus: r.hostingStatus as 'active' | 'suspended' | 'terminated', customerName: r.customerName })),
  };
}

async function assignJob(ctx: Pick<JobContext, 'app' | 'log'>): Promise<JobOutcome> {
  const r = await assignRepositories(ctx.app, systemCaller('backups'));
  if (r.assigned) ctx.log.info({ assigned: r.assigned }, 'backup repositories set up');
}

export function registerBackupJobs(registry: JobRegistry): void {
  registry.register({ kind: ASSIGN_JOB, retryDelaysMs: [60_000, 600_000], maxAttempts: null, recurring: 'every 10m', run: assignJob });
  registerBackupCheckJob(registry); // weekly: restic check of a sample of every repository
}
