// Telling people about works, in the database: what each user chose to receive, who receives the
// e-mail of a work (the users of the customers it affects), and one event of a history.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { WorkHistoryRow } from './model.js';
import type { NoticeChoice } from './rules-notify.js';
import { affects } from './store-affected.js';
import { historyRowOf } from './store.js';

/** What the user chose ("all" until they choose). */
export async function noticeChoiceOf(db: Db, userId: string): Promise<NoticeChoice> {
  const r = await db.selectFrom('workNoticePreferences').select('receive').where('userId', '=', userId).executeTakeFirst();
  return r?.receive ?? 'all';
}

export async function setNoticeChoice(db: Db, userId: string, receive: NoticeChoice, now: Date): Promise<void> {
  await db.insertInto('workNoticePreferences').values({ userId, receive, updatedAt: now })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ receive, updatedAt: now })).execute();
}

export interface NoticeRecipient {
  userId: string;
  email: string;
  locale: 'fr' | 'en';
  receive: NoticeChoice;
  /** one of the customers they act for that the work affects */
  customerId: string;
  /** their hostings the work affects, by name */
  hostings: string[];
}

/**
 * The users who act for a customer with a live hosting the work affects (a customer not closed, an
 * account not disabled), each once, with what they chose and their hostings it affects.
 */
export async function noticeRecipients(db: Db, workId: string): Promise<NoticeRecipient[]> {
  const { rows } = await sql<NoticeRecipient>`
    SELECT u.id AS "userId", u.email, u.locale, COALESCE(p.receive, 'all') AS receive,
      min(h.customer_id::text) AS "customerId", array_agg(DISTINCT h.name ORDER BY h.name) AS hostings
    FROM works
    JOIN hostings h ON h.status <> 'terminated' AND ${affects}
    JOIN customers cu ON cu.id = h.customer_id AND cu.status <> 'closed'
    JOIN delegations d ON d.customer_id = h.customer_id
    JOIN users u ON u.id = d.user_id AND NOT u.disabled
    LEFT JOIN work_notice_preferences p ON p.user_id = u.id
    WHERE works.id = ${workId}
    GROUP BY u.id, u.email, u.locale, p.receive
    ORDER BY u.email`.execute(db);
  return rows;
}

/** One event of a history by its id, or undefined. */
export async function historyEntry(db: Db, id: string): Promise<(WorkHistoryRow & { id: string }) | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const r = await db.selectFrom('workHistory').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { ...historyRowOf(r), id: String(r.id) } : undefined;
}

