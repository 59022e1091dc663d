// Notices in the database: written by the operations that must tell someone, read by the UI.
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { NoticeRow } from './model.js';
import { inScope } from '../platform/store-scope.js';

const columns = ['notices.id', 'notices.customerId', 'notices.kind', 'notices.message', 'notices.params', 'notices.createdAt', 'notices.readAt', 'notices.readBy'] as const;

export interface NoticeInput {
  /** null: to the staff */
  customerId: string | null;
  kind: string;
  message: string;
  params?: Record<string, unknown>;
}

export async function insertNotices(db: Db, notices: NoticeInput[], now: Date): Promise<void> {
  if (!notices.length) return;
  await db.insertInto('notices').values(notices.map((n) => ({ customerId: n.customerId, kind: n.kind, message: n.message, params: JSON.stringify(n.params ?? {}), createdAt: now }))).execute();
}

/** A notice by id, among the customers visible (null = all, staff; customers never see the staff's). */
export async function findNotice(db: Db, id: string, scope: string[] | null, opts: { lock?: boolean } = {}): Promise<NoticeRow> {
  if (!uuidLike.test(id)) throw notFound('notice');
  let q = db.selectFrom('notices').select(columns).where('notices.id', '=', id);
  if (scope) q = q.where(inScope('notices.customer_id', scope));
  const row = await (opts.lock ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw notFound('notice');
  return row as NoticeRow;
}

export async function listNotices(db: Db, scope: string[] | null, query: ListQuery & { customerId?: string; staff?: boolean; unread?: boolean }) {
  let base = db.selectFrom('notices');
  if (scope) base = base.where(inScope('notices.customer_id', scope));
  if (query.customerId) base = base.where('notices.customerId', '=', query.customerId);
  if (query.staff !== undefined) base = base.where('notices.customerId', query.staff ? 'is' : 'is not', null);
  if (query.unread !== undefined) base = base.where('notices.readAt', query.unread ? 'is' : 'is not', null);
  return paginate(
    base,
    {
      search: ['notices.kind', 'notices.message'],
      sorts: { createdAt: 'notices.created_at', kind: 'notices.kind' },
      defaultSort: '-createdAt',
      idColumn: 'notices.id',
    },
    query,
    (q) => q.select(columns),
  ) as Promise<{ items: NoticeRow[]; nextCursor: string | null; total: number }>;
}

export async function markRead(db: Db, id: string, by: string, now: Date): Promise<void> {
  await db.updateTable('notices').set({ readAt: now, readBy: by }).where('id', '=', id).where('readAt', 'is', null).execute();
}
