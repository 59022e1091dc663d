// Restores from snapshots: whoever may change the hosting asks for one (its web server's agent does it
// as the hosting, src/snapshots/apply-restore.ts) and follows it; whoever may see the hosting sees its
// restores. Another customer's hosting, and so its restores, is "not found".
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { customerScope } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { uuidLike } from '../platform/validation.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { parseSnapshotName } from './rules.js';
import { normalRestorePath, restorePathProblem, restoreTarget, safetySnapshotName } from './rules-restore.js';
import { findRestore, hostingRestores, insertRestore, type RestoreRow } from './store-restores.js';
import type { RestoreIn, RestoreItem } from './model-restore.js';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const restoreView = (r: RestoreRow): RestoreItem => ({
  id: r.id, hosting: r.hostingId, snapshot: r.snapshot, path: r.path, mode: r.mode, target: r.target, safetySnapshot: r.safetySnapshot, status: r.status,
  error: r.status === 'failed' ? { code: r.errorCode ?? 'snapshot.restore_failed', message: r.errorMessage } : null,
  requestedAt: iso(r.requestedAt)!, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), source: r.source,
});

/**
 * Asks the hosting's web server to restore a file or folder of a snapshot, into a new
 * restored-<date>/ folder or in place (after a safety snapshot, named in the answer). It is done when
 * the server gets the change; a failure (no such path in the snapshot, no space…) is on the restore.
 */
export function requestRestore(app: AppContext, caller: Caller, ref: string, input: RestoreIn) {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(h, 'snapshot'), 'manage');
    if (!h.serverId) throw new AppError('snapshot.not_here', 'this hosting is not on a web server');
    if (!parseSnapshotName(input.snapshot)) {
      throw new AppError('snapshot.bad_name', `${input.snapshot} is not the name of a snapshot (see the list: daily-2026-12-01, manual-2026-12-01-131502…)`, { params: { snapshot: input.snapshot } });
    }
    const reason = restorePathProblem(input.path);
    if (reason) throw new AppError('snapshot.bad_path', `this path cannot be restored: ${reason}`, { params: { path: input.path.slice(0, 200), reason } });
    const path = normalRestorePath(input.path);
    const row = await insertRestore(c.db, {
      hostingId: h.id, serverId: h.serverId, snapshot: input.snapshot, path, mode: input.mode, target: restoreTarget(input.mode, path, c.now),
      safetySnapshot: safetySnapshotName(input.mode, c.now), requestedBy: caller.actor?.userId ?? null, requestedAt: c.now,
    });
    await c.audit({
      action: 'snapshot.restore', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId,
      after: { restore: row.id, snapshot: row.snapshot, path: row.path, mode: row.mode, target: row.target, safetySnapshot: row.safetySnapshot },
    });
    await c.bump(`restore of ${h.name} asked for`, [h.serverId]);
    return restoreView(row);
  });
}

/** A hosting's last restores, newest first. */
export async function listRestores(app: AppContext, caller: Caller, ref: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  return { items: (await hostingRestores(app.db, h.id, 50)).map(restoreView) };
}

/** One restore of a hosting. */
export async function showRestore(app: AppContext, caller: Caller, ref: string, id: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  const r = uuidLike.test(id) ? await findRestore(app.db, h.id, id) : undefined;
  if (!r) throw new AppError('snapshot_restore.not_found', 'no such restore of this hosting');
  return restoreView(r);
}
