// Database users of hostings: rows (MariaDB's password hash, never the password) and their grants.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { DatabaseUserRow } from './model.js';

const base = (db: Db) =>
  db.selectFrom('databaseUsers')
    .innerJoin('hostings', 'hostings.id', 'databaseUsers.hostingId')
    .innerJoin('servers', 'servers.id', 'databaseUsers.serverId');

const columns = [
  'databaseUsers.id', 'databaseUsers.name', 'databaseUsers.hostingId', 'hostings.name as hostingName', 'hostings.customerId', 'databaseUsers.serverId',
  'servers.name as serverName', 'servers.addresses as serverAddresses', 'databaseUsers.passwordChangedAt', 'databaseUsers.revision',
  'databaseUsers.createdAt', 'databaseUsers.updatedAt',
] as const;

const databasesOf = sql<string[]>`ARRAY(SELECT d.name FROM database_grants g JOIN databases d ON d.id = g.database_id WHERE g.user_id = database_users.id ORDER BY d.name)`;

/** Finds a database user by id or name within the visible customers (null = all). */
export async function findDatabaseUser(db: Db, ref: string, scope: string[] | null = null): Promise<DatabaseUserRow> {
  let q = base(db).select([...columns, databasesOf.as('databases')]);
  if (uuidLike.test(ref)) q = q.where('databaseUsers.id', '=', ref);
  else if (/^[a-z0-9_]{1,80}$/.test(ref)) q = q.where('databaseUsers.name', '=', ref);
  else throw notFound('database_user');
  if (scope) {
    if (!scope.length) throw notFound('database_user');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('database_user');
  return row as DatabaseUserRow;
}

export async function listDatabaseUsers(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    base(db).where('databaseUsers.hostingId', '=', hostingId),
    {
      search: ['database_users.name'],
      sorts: { name: 'database_users.name', createdAt: 'database_users.created_at', passwordChangedAt: 'database_users.password_changed_at' },
      defaultSort: 'name',
      idColumn: 'database_users.id',
    },
    query,
    (q) => q.select([...columns, databasesOf.as('databases')]),
  ) as Promise<{ items: DatabaseUserRow[]; nextCursor: string | null; total: number }>;
}

export async function countDatabaseUsers(db: Db, hostingId: string): Promise<number> {
  const r = await db.selectFrom('databaseUsers').select(sql<number>`count(*)`.as('n')).where('hostingId', '=', hostingId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function userNameTaken(db: Db, name: string): Promise<boolean> {
  return !!(await db.selectFrom('databaseUsers').select('id').where('name', '=', name).executeTakeFirst());
}

export async function insertDatabaseUser(db: Db, u: { hostingId: string; serverId: string; name: string; authString: string; now: Date }): Promise<string> {
  const { now, ...values } = u;
  const row = await db.insertInto('databaseUsers').values({ ...values, passwordChangedAt: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setAuthString(db: Db, id: string, authString: string, now: Date): Promise<void> {
  await db.updateTable('databaseUsers').set({ authString, passwordChangedAt: now, updatedAt: now }).where('id', '=', id).execute();
}

export async function deleteDatabaseUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('databaseUsers').where('id', '=', id).execute();
}

/** The databases a user has privileges on, from now on exactly these. */
export async function setGrants(db: Db, userId: string, databaseIds: string[], now: Date): Promise<void> {
  await db.deleteFrom('databaseGrants').where('userId', '=', userId).execute();
  if (databaseIds.length) await db.insertInto('databaseGrants').values(databaseIds.map((databaseId) => ({ userId, databaseId }))).execute();
  await db.updateTable('databaseUsers').set({ updatedAt: now }).where('id', '=', userId).execute();
}
