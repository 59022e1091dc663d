// Restores from off-server backups, browsing a backup's tree, and checks of a repository's data.
// Whoever may change the hosting restores its files from any of its backups (its web server's agent
// does it, as the hosting, with the repository's key: src/backups/apply-restore.ts), tracked with the
// restores from snapshots (source "backup"); staff restore the whole hosting. Whoever may see the
// hosting browses its backups. Staff ask for a `restic check` of a sample now; a weekly job asks for
// one of every repository. Another customer's hosting, and so its backups, is "not found".
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { customerScope, systemCaller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { findServer } from '../servers/store.js';
import { askServer } from '../servers/queries.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, hostingStamps, type HostingRow } from '../hosting/store-hostings.js';
import type { JobContext, JobOutcome, JobRegistry } from '../jobs/registry.js';
import { insertRestore } from '../snapshots/store-restores.js';
import { restoreView } from '../snapshots/operations-restore.js';
import { normalRestorePath, restorePathProblem, restoreTarget, safetySnapshotName, type RestoreMode } from '../snapshots/rules-restore.js';
import { findRepository, requestChecks } from './store.js';
import { CHECK_PARTS, WHOLE_HOSTING_PATH } from './rules.js';
import { treeAnswer, type BackupRestoreIn, type BackupRestoreListItem, type FilesRestoreIn, type TreeArgs } from './model-restore.js';
import { lastPartRestores, requestPartRestore } from './operations-restore-parts.js';
import { hostingRestores } from '../snapshots/store-restores.js';

export const CHECK_JOB = 'backups.check';
/** What an agent may answer instead of a backup's tree (declared in backups/errors.ts). */
export const TREE_REFUSALS = ['backup.not_here', 'backup.unreadable', 'backup.not_found', 'backup.path_not_found'] as const;

const badPath = (p: string, reason: string) => new AppError('backup.bad_path', `this path cannot be restored: ${reason}`, { params: { path: p.slice(0, 200), reason } });

/** The hosting's web server, which holds its repository's key, or why not (`backup`: without a repository, no backup of it has that id). */
async function placed(c: { db: AppContext['db'] }, h: HostingRow, backup?: string, terminatedToo = false) {
  if (!(await findRepository(c.db, h.id))) {
    if (backup) throw new AppError('backup.not_found', 'this hosting has no backups yet', { params: { backup } });
    throw new AppError('backup.none', 'this hosting has no backup repository yet');
  }
  const kept = terminatedToo && h.status === 'terminated' && !h.purgeRequestedAt; // a terminated hosting whose files are still on its web server
  if (!h.serverId || (h.status === 'terminated' && !kept)) throw new AppError('backup.not_here', 'this hosting is not on a web server (or its files were purged): its backups are restored from there');
  return h.serverId;
}

/**
 * Asks the hosting's web server to restore a part of one of its backups: a file or folder into a new
 * restored-<date>/ folder or in place (after a safety snapshot, named in the answer); staff: the whole
 * hosting in place. It is done when the server gets the change; a failure is on the restore.
 */
export function requestBackupRestore(app: AppContext, caller: Caller, ref: string, snapshot: string, input: BackupRestoreIn) {
  if (input.part !== 'files' && input.part !== 'hosting') return requestPartRestore(app, caller, ref, snapshot, input as Exclude<BackupRestoreIn, FilesRestoreIn>);
  return requestFilesRestore(app, caller, ref, snapshot, input as FilesRestoreIn);
}

function requestFilesRestore(app: AppContext, caller: Caller, ref: string, snapshot: string, input: FilesRestoreIn) {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    if (input.part === 'hosting') c.staffOnly();
    else c.may(hostingSubject(h, 'backup'), 'manage');
    const serverId = await placed(c, h, snapshot, input.part === 'hosting');
    const [raw, mode]: [string, RestoreMode] = input.part === 'hosting' ? [WHOLE_HOSTING_PATH, 'in-place'] : [input.path, input.mode];
    const reason = restorePathProblem(raw);
    if (reason) throw badPath(raw, reason);
    const path = normalRestorePath(raw);
    const row = await insertRestore(c.db, {
      hostingId: h.id, serverId, snapshot, path, mode, target: restoreTarget(mode, path, c.now), safetySnapshot: safetySnapshotName(mode, c.now),
      requestedBy: caller.actor?.userId ?? null, requestedAt: c.now, source: 'backup',
    });
    await c.audit({
      action: 'backup.restore', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId,
      after: { restore: row.id, part: input.part, backup: snapshot, path: row.path, mode: row.mode, target: row.target, safetySnapshot: row.safetySnapshot },
    });
    await c.bump(`restore of ${h.name} from a backup asked for`, [serverId], hostingStamps(h.id));
    return restoreView(row);
  });
}

/**
 * A hosting's last restores from its backups, whatever the part, newest first: its files' (tracked
 * with the restores from snapshots, source "backup") and its databases' and mailboxes' (their own table).
 */
export async function listBackupRestores(app: AppContext, caller: Caller, ref: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  const files = (await hostingRestores(app.db, h.id, 50, 'backup')).map((row): BackupRestoreListItem => {
    const r = restoreView(row);
    const part = r.path === WHOLE_HOSTING_PATH && r.mode === 'in-place' ? 'hosting' : 'files';
    return { id: r.id, hosting: r.hosting, snapshot: r.snapshot, part, path: r.path, mode: r.mode, target: r.target, safetySnapshot: r.safetySnapshot, status: r.status, error: r.error, requestedAt: r.requestedAt, startedAt: r.startedAt, finishedAt: r.finishedAt };
  });
  const items = [...files, ...(await lastPartRestores(app.db, h.id))];
  return { items: items.sort((x, y) => y.requestedAt.localeCompare(x.requestedAt) || x.id.localeCompare(y.id)) };
}

/** One folder of a backup (its entries, read on the web server while the request waits). */
export async function backupTree(app: AppContext, caller: Caller, ref: string, snapshot: string, folder: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  const serverId = await placed(app, h, snapshot);
  const p = folder.replace(/\/+$/, '');
  if (p !== '') {
    const reason = restorePathProblem(p);
    if (reason) throw badPath(p, reason);
  }
  const args: TreeArgs = { hosting: h.id, snapshot, path: p };
  const answer = treeAnswer.parse(await askServer(app, await findServer(app.db, serverId), 'backup-tree', args, { refusals: TREE_REFUSALS, timeoutMs: 30_000 }));
  return { hosting: h.id, backup: snapshot, path: p, entries: answer.entries };
}

/** Staff: a `restic check` of the next sample of the hosting's repository now. */
export function requestBackupCheck(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.staffOnly();
    await placed(c, h);
    const servers = await requestChecks(c.db, CHECK_PARTS, h.id);
    const repo = (await findRepository(c.db, h.id))!;
    await c.audit({ action: 'backup.check', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: { requests: repo.checkRequests, subset: repo.checkSubset } });
    await c.bump(`check of ${h.name}'s backups asked for`, servers, hostingStamps(h.id));
    return { hosting: h.id, requests: repo.checkRequests, subset: repo.checkSubset };
  });
}

/** The weekly job: a check of the next sample of every repository (each web server checks its hostings'). */
async function checkJob(ctx: Pick<JobContext, 'app' | 'log'>): Promise<JobOutcome> {
  const servers = await change(ctx.app, systemCaller('backups'), async (c) => {
    c.staffOnly();
    const touched = await requestChecks(c.db, CHECK_PARTS);
    if (!touched.length) {
      c.nothingToAudit();
      return touched;
    }
    await c.audit({ action: 'backup.check_all', targetType: 'platform', targetId: null, target: 'backups', after: { servers: touched.length } });
    await c.bump('weekly check of the backup repositories', touched);
    return touched;
  });
  if (servers.length) ctx.log.info({ servers: servers.length }, 'checks of the backup repositories asked for');
}

export function registerBackupCheckJob(registry: JobRegistry): void {
  registry.register({ kind: CHECK_JOB, retryDelaysMs: [600_000, 3_600_000], maxAttempts: null, recurring: 'every 7d', run: checkJob });
}
