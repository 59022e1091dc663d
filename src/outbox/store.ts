// The platform's outgoing messages in the database (0032-outbox): queued in the transaction of the
// change that causes them, marked sent or failed by the job that sends them.
import type { Selectable } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { OutgoingMailTable } from '../platform/db/schema.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';

export type OutgoingMailRow = Selectable<OutgoingMailTable>;
export type MailStatus = OutgoingMailRow['status'];

export interface NewMessage {
  template: string;
  locale: 'fr' | 'en';
  recipient: string;
  params: Record<string, unknown>;
  linkSealed: string | null;
  userId?: string | null;
  customerId?: string | null;
  /** a message queued once per key: another with the same key is not queued (null: no key) */
  dedupeKey?: string | null;
}

/** Queues a message; with a dedupe key already queued, nothing (undefined). */
export async function insertMessage(db: Db, m: NewMessage, now: Date): Promise<string | undefined> {
  const r = await db
    .insertInto('outgoingMail')
    .values({ ...m, params: JSON.stringify(m.params), userId: m.userId ?? null, customerId: m.customerId ?? null, dedupeKey: m.dedupeKey ?? null, lastError: null, messageId: null, sentAt: null, createdAt: now, updatedAt: now })
    .onConflict((oc) => oc.column('dedupeKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  return r?.id;
}

export async function findMessage(db: Db, ref: string): Promise<OutgoingMailRow> {
  if (!uuidLike.test(ref)) throw notFound('outgoing_mail');
  const row = await db.selectFrom('outgoingMail').selectAll().where('id', '=', ref).executeTakeFirst();
  if (!row) throw notFound('outgoing_mail');
  return row;
}

/** The message a send job works on, or undefined when it is gone. */
export const messageToSend = (db: Db, id: string) => db.selectFrom('outgoingMail').selectAll().where('id', '=', id).executeTakeFirst();

export async function listMessages(db: Db, query: ListQuery & { status?: MailStatus; template?: string; userId?: string }) {
  let base = db.selectFrom('outgoingMail');
  if (query.status) base = base.where('status', '=', query.status);
  if (query.template) base = base.where('template', '=', query.template);
  if (query.userId) base = base.where('userId', '=', query.userId);
  return paginate(
    base,
    {
      search: ['outgoing_mail.recipient', 'outgoing_mail.template', 'outgoing_mail.status', 'outgoing_mail.last_error'],
      sorts: { createdAt: 'outgoing_mail.created_at', recipient: 'outgoing_mail.recipient', status: 'outgoing_mail.status', attempts: 'outgoing_mail.attempts' },
      defaultSort: '-createdAt',
      idColumn: 'outgoing_mail.id',
    },
    query,
    (q) => q.selectAll('outgoingMail'),
  ) as Promise<{ items: OutgoingMailRow[]; nextCursor: string | null; total: number }>;
}

/** Sent: the link it carried is no longer kept. */
export async function markSent(db: Db, id: string, messageId: string | null, now: Date): Promise<void> {
  await db.updateTable('outgoingMail').set((eb) => ({ status: 'sent', sentAt: now, messageId, linkSealed: null, lastError: null, attempts: eb('attempts', '+', 1), updatedAt: now })).where('id', '=', id).execute();
}

/** A failed attempt: retried (queued) or given up (failed; staff may send it again, with its link). */
export async function markAttemptFailed(db: Db, id: string, error: string, final: boolean, now: Date): Promise<void> {
  await db
    .updateTable('outgoingMail')
    .set((eb) => ({ status: final ? 'failed' : 'queued', lastError: error.slice(0, 2000), attempts: eb('attempts', '+', 1), updatedAt: now }))
    .where('id', '=', id)
    .execute();
}

/** Staff send a message again: queued once more. */
export async function requeue(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('outgoingMail').set({ status: 'queued', updatedAt: now }).where('id', '=', id).execute();
}
