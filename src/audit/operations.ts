// Reading the audit log (staff only): entries are written by every change (platform/store-audit.ts).
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { reader } from '../platform/change.js';
import type { ListQuery } from '../platform/http/list.js';
import { listAudit, type AuditFilter } from './store.js';

export async function listAuditEntries(app: AppContext, caller: Caller, filter: AuditFilter, query: ListQuery) {
  assertStaff(caller.actor);
  const r = reader(app, caller);
  const page = await listAudit(r.db, filter, query);
  return { ...page, items: page.items.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
}
