// Out-of-office replies of mailboxes (table mailbox_vacations): read, set, removed.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { VacationRow } from './model-vacation.js';

const columns = [
  'mailboxId', 'enabled', 'subject', 'message', sql<string | null>`to_char(starts_on, 'YYYY-MM-DD')`.as('startsOn'),
  sql<string | null>`to_char(ends_on, 'YYYY-MM-DD')`.as('endsOn'), 'updatedAt',
] as const;

export async function findVacation(db: Db, mailboxId: string): Promise<VacationRow | null> {
  return ((await db.selectFrom('mailboxVacations').select([...columns]).where('mailboxId', '=', mailboxId).executeTakeFirst()) as VacationRow | undefined) ?? null;
}

export async function storeVacation(db: Db, mailboxId: string, v: Omit<VacationRow, 'mailboxId' | 'updatedAt'>, now: Date): Promise<void> {
  const values = { enabled: v.enabled, subject: v.subject, message: v.message, startsOn: v.startsOn, endsOn: v.endsOn, updatedAt: now };
  await db.insertInto('mailboxVacations').values({ mailboxId, ...values, createdAt: now })
    .onConflict((oc) => oc.column('mailboxId').doUpdateSet(values)).execute();
}

/** True when there was one. */
export async function deleteVacation(db: Db, mailboxId: string): Promise<boolean> {
  return Number((await db.deleteFrom('mailboxVacations').where('mailboxId', '=', mailboxId).executeTakeFirst()).numDeletedRows) > 0;
}
