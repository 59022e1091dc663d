// The verbs of works that read: the staff see every work; a customer sees the works that affect
// one of its hostings (any other is "not found"), on its dashboard and on each hosting.
import type { AppContext } from '../platform/context.js';
import { customerScope, isStaff, type Caller } from '../platform/actor.js';
import { reader } from '../platform/change.js';
import type { Db } from '../platform/db/database.js';
import type { ListQuery } from '../platform/http/list.js';
import { findHosting } from '../hosting/store-hostings.js';
import { hostingSubject } from '../hosting/rules.js';
import type { WorkRow, WorkView } from './model.js';
import { recordOf, type WorkKind, type WorkState } from './rules.js';
import { affectedBy } from './store-affected.js';
import { doneWorks, findWork, historyOf, listWorks, serverNames, type WorkScope } from './store.js';
import { historyView, workSummary } from './views.js';

/** What a caller sees of works: all (staff, the platform), or those affecting its customers' hostings. */
const scopeOf = (caller: Caller): WorkScope => {
  const scope = customerScope(caller.actor);
  return scope ? { scope } : null;
};

/** A work as the caller sees it: its history, and the hostings it affects among the caller's. */
export async function showWorkIn(db: Db, caller: Caller, w: WorkRow): Promise<WorkView> {
  const [names, history, affected] = await Promise.all([serverNames(db, w.affectsServers), historyOf(db, [w.id]), affectedBy(db, w.id, customerScope(caller.actor))]);
  const staff = !caller.actor || isStaff(caller.actor);
  return { ...workSummary(w, names), affected, history: history.get(w.id)!.map((h) => historyView(h, staff)) };
}

type WorkListQuery = ListQuery & { kind?: WorkKind; state?: WorkState; open?: 'true' | 'false' };

async function page(app: AppContext, scope: WorkScope, query: WorkListQuery) {
  const open = query.open === undefined ? undefined : query.open === 'true';
  const p = await listWorks(app.db, scope, { ...query, open });
  const names = await serverNames(app.db, [...new Set(p.items.flatMap((w) => w.affectsServers))]);
  return { ...p, items: p.items.map((w) => workSummary(w, names)) };
}

export async function listWorksOf(app: AppContext, caller: Caller, query: WorkListQuery) {
  // works belong to the platform: everyone may list them, and the scope keeps to a customer's own
  reader(app, caller).may({ what: 'work', customerId: null });
  return page(app, scopeOf(caller), query);
}

export async function listHostingWorks(app: AppContext, caller: Caller, hostingRef: string, query: WorkListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'hosting'));
  return page(app, { hostingId: hosting.id }, query);
}

export async function showWork(app: AppContext, caller: Caller, ref: string) {
  reader(app, caller).may({ what: 'work', customerId: null });
  return showWorkIn(app.db, caller, await findWork(app.db, ref, scopeOf(caller)));
}

/** The host's record: how often a planned work held within its announced duration. */
export async function workRecord(app: AppContext, caller: Caller) {
  reader(app, caller).may({ what: 'work', customerId: null });
  return recordOf(await doneWorks(app.db));
}
