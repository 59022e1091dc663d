// The verbs of notices: list those the caller may read, mark one read.
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import type { ListQuery } from '../platform/http/list.js';
import { findCustomer } from '../accounts/store-customers.js';
import { noticeView } from './model.js';
import { findNotice, listNotices, markRead } from './store.js';

export async function listNoticesOf(app: AppContext, caller: Caller, query: ListQuery & { customerId?: string; staff?: 'true' | 'false'; unread?: 'true' | 'false' }) {
  const r = reader(app, caller);
  const scope = customerScope(caller.actor);
  const customerId = query.customerId ? (await findCustomer(app.db, query.customerId, scope)).id : undefined;
  r.may({ what: 'notice', customerId: customerId ?? null });
  const flag = (v?: 'true' | 'false') => (v === undefined ? undefined : v === 'true');
  const page = await listNotices(app.db, scope, { ...query, customerId, staff: flag(query.staff), unread: flag(query.unread) });
  return { ...page, items: page.items.map(noticeView) };
}

export function markNoticeRead(app: AppContext, caller: Caller, id: string) {
  return change(app, caller, async (c) => {
    const notice = await findNotice(c.db, id, customerScope(c.actor), { lock: true });
    if (notice.customerId) {
      const customer = await findCustomer(c.db, notice.customerId);
      c.may({ what: 'notice', customerId: customer.id, customerStatus: customer.status }, 'manage');
    } else c.staffOnly();
    const by = c.actor?.email ?? c.caller.label ?? 'platform';
    await markRead(c.db, notice.id, by, c.now);
    await c.audit({ action: 'notice.read', targetType: 'notice', targetId: notice.id, target: notice.kind, customerId: notice.customerId, after: { readBy: by } });
    return noticeView(await findNotice(c.db, notice.id, null));
  });
}
