// The snapshots of a hosting: whoever may see the hosting sees the list, which its web server's agent
// reads (a `hosting-snapshots` query, src/snapshots/apply-list.ts) while the request waits. Their
// space (exclusive bytes) is for staff only.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { customerScope, isStaff } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { findOffer } from '../offers/store.js';
import { findServer } from '../servers/store.js';
import { askServer } from '../servers/queries.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, hostingStamps } from '../hosting/store-hostings.js';
import { requestSnapshot } from './store.js';
import { MANUAL_KEPT } from './rules.js';
import { snapshotsAnswer, type SnapshotsArgs } from './model.js';

/** What an agent may answer instead of the list (declared in snapshots/errors.ts). */
export const SNAPSHOT_REFUSALS = ['snapshot.not_here'] as const;

export async function listSnapshots(app: AppContext, caller: Caller, ref: string) {
  const h = await findHosting(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(h));
  if (!h.serverId || h.status === 'terminated') throw new AppError('snapshot.not_here', 'this hosting is not on a web server');
  const [server, offer] = await Promise.all([findServer(app.db, h.serverId), findOffer(app.db, h.offerId)]);
  const args: SnapshotsArgs = { hosting: h.id };
  const answer = snapshotsAnswer.parse(await askServer(app, server, 'hosting-snapshots', args, { refusals: SNAPSHOT_REFUSALS }));
  const staff = isStaff(caller.actor);
  const snapshots = answer.snapshots.map((s) => ({ ...s, exclusiveBytes: staff ? s.exclusiveBytes : null }));
  return {
    hosting: h.id,
    folder: 'backups' as const,
    schedule: { hourly: offer.snapshotsHourly, daily: offer.snapshotsDaily, weekly: offer.snapshotsWeekly, monthly: offer.snapshotsMonthly },
    available: answer.available,
    snapshots,
    totalExclusiveBytes: staff && answer.available ? snapshots.reduce((sum, s) => sum + (s.exclusiveBytes ?? 0), 0) : null,
  };
}

/**
 * Asks the hosting's web server for a snapshot now ("manual": the last MANUAL_KEPT are kept): it is
 * taken when the server gets the change (a request made while it is down is taken when it is back).
 */
export function takeSnapshot(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const h = await findHosting(c.db, ref, customerScope(caller.actor), { lock: true });
    c.may(hostingSubject(h, 'snapshot'), 'manage');
    if (!h.serverId) throw new AppError('snapshot.not_here', 'this hosting is not on a web server');
    const requests = await requestSnapshot(c.db, h.id);
    await c.audit({ action: 'snapshot.request', targetType: 'hosting', targetId: h.id, target: h.name, customerId: h.customerId, after: { requests } });
    await c.bump(`snapshot of ${h.name} asked for`, [h.serverId], hostingStamps(h.id));
    return { hosting: h.id, requests, kept: MANUAL_KEPT };
  });
}
