// App passwords of mailboxes: rows (a SHA-512 crypt string, never the password), each found with its
// mailbox's hosting and customer, so another customer's is "not found".
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { uuidLike } from '../platform/validation.js';
import type { AppPasswordRow } from './model-app-passwords.js';

const base = (db: Db) => db.selectFrom('mailAppPasswords')
  .innerJoin('mailboxes', 'mailboxes.id', 'mailAppPasswords.mailboxId')
  .innerJoin('mailDomains', 'mailDomains.id', 'mailboxes.domainId')
  .innerJoin('hostings', 'hostings.id', 'mailboxes.hostingId')
  .select([
    'mailAppPasswords.id', 'mailAppPasswords.name', 'mailAppPasswords.mailboxId', 'mailAppPasswords.createdAt',
    sql<string>`mailboxes.local_part || '@' || mail_domains.name`.as('address'),
  ]);

export async function listAppPasswords(db: Db, mailboxId: string): Promise<AppPasswordRow[]> {
  return base(db).where('mailAppPasswords.mailboxId', '=', mailboxId).orderBy('mailAppPasswords.createdAt').orderBy('mailAppPasswords.id').execute();
}

/** An app password by id, within the visible customers (null = all). */
export async function findAppPassword(db: Db, id: string, scope: string[] | null): Promise<AppPasswordRow> {
  if (!uuidLike.test(id) || (scope && !scope.length)) throw notFound('app_password');
  let q = base(db).where('mailAppPasswords.id', '=', id);
  if (scope) q = q.where('hostings.customerId', 'in', scope);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('app_password');
  return row;
}

export async function appPasswordNames(db: Db, mailboxId: string): Promise<string[]> {
  return (await db.selectFrom('mailAppPasswords').select('name').where('mailboxId', '=', mailboxId).execute()).map((r) => r.name);
}

export async function insertAppPassword(db: Db, a: { mailboxId: string; name: string; passwordHash: string; now: Date }): Promise<string> {
  return (await db.insertInto('mailAppPasswords').values({ mailboxId: a.mailboxId, name: a.name, passwordHash: a.passwordHash, createdAt: a.now })
    .returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteAppPassword(db: Db, id: string): Promise<void> {
  await db.deleteFrom('mailAppPasswords').where('id', '=', id).execute();
}
