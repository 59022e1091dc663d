// The verbs of the platform's e-mail. Capabilities queue a message inside their own change (the
// message exists if and only if the change commits); the "outbox.send" job sends it. Staff list the
// messages, read one (its link masked) and send one again.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { enqueueJob } from '../jobs/enqueue.js';
import { maskLink, type Locale, type MessageParams, type Template } from './render-message.js';
import { maskedMessage, outgoingMailView } from './model.js';
import { findMessage, insertMessage, listMessages, requeue, type MailStatus } from './store.js';

export const SEND_JOB = 'outbox.send';

export interface Message<T extends Template> {
  template: T;
  locale: Locale;
  to: string;
  params: MessageParams<T>;
  /** the link the message carries (a secret): sealed until sent */
  link: string;
  userId?: string | null;
  customerId?: string | null;
  /** queued once per key: another message with the same key is not queued */
  dedupeKey?: string;
}

/** Queues a message in the change's transaction; it is sent once the change commits. Answers its id (null: queued before under its key). */
export async function queueMessage<T extends Template>(c: Change, m: Message<T>): Promise<string | null> {
  const id = await insertMessage(c.db, {
    template: m.template, locale: m.locale, recipient: m.to, params: { ...m.params, linkMasked: maskLink(m.link) },
    linkSealed: c.app.secrets().seal(m.link), userId: m.userId, customerId: m.customerId, dedupeKey: m.dedupeKey,
  }, c.now);
  if (id) await enqueueJob(c.db, { kind: SEND_JOB, key: id, runAt: c.now }, c.now, c.afterCommit);
  return id ?? null;
}

/** A message without a secret, written by its capability, queued once per `dedupeKey` (true: queued now). */
export async function queueNotice<T extends Template>(c: Change, m: Omit<Message<T>, 'link'> & { dedupeKey: string }): Promise<boolean> {
  const id = await insertMessage(c.db, { template: m.template, locale: m.locale, recipient: m.to, params: m.params, linkSealed: null, userId: m.userId, customerId: m.customerId, dedupeKey: m.dedupeKey }, c.now);
  if (id) await enqueueJob(c.db, { kind: SEND_JOB, key: id, runAt: c.now }, c.now, c.afterCommit);
  return !!id;
}

export async function listOutgoing(app: AppContext, caller: Caller, query: ListQuery & { status?: MailStatus; template?: string }) {
  assertStaff(caller.actor);
  const page = await listMessages(app.db, query);
  return { ...page, items: page.items.map((r) => outgoingMailView(r, app.config.publicUrl)) };
}

export async function showOutgoing(app: AppContext, caller: Caller, id: string) {
  assertStaff(caller.actor);
  const row = await findMessage(app.db, id);
  return { ...outgoingMailView(row, app.config.publicUrl), text: maskedMessage(row, app.config.publicUrl).text };
}

/** Sends a queued or failed message again now (a sent one is not sent twice). */
export function resendOutgoing(app: AppContext, caller: Caller, id: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const row = await findMessage(c.db, id);
    if (row.status === 'sent') throw new AppError('outgoing_mail.sent', 'this message was sent already', { params: { sentAt: new Date(row.sentAt!).toISOString() } });
    await requeue(c.db, row.id, c.now);
    await enqueueJob(c.db, { kind: SEND_JOB, key: row.id, runAt: c.now, resetAttempts: true }, c.now, c.afterCommit);
    await c.audit({ action: 'outgoing_mail.resend', targetType: 'outgoing_mail', targetId: row.id, target: `${row.template} → ${row.recipient}`, before: { status: row.status, attempts: row.attempts, lastError: row.lastError } });
    const queued = { ...row, status: 'queued' as const };
    return { ...outgoingMailView(queued, app.config.publicUrl), text: maskedMessage(queued, app.config.publicUrl).text };
  });
}
