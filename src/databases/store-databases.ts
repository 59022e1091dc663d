// Databases of hostings: rows, placement on a database server, sizes and the read-only mark.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import type { Stamp } from '../platform/store-revision.js';
import { uuidLike } from '../platform/validation.js';
import type { DatabaseRow } from './model.js';

const base = (db: Db) =>
  db.selectFrom('databases')
    .innerJoin('hostings', 'hostings.id', 'databases.hostingId')
    .innerJoin('servers', 'servers.id', 'databases.serverId');

const columns = [
  'databases.id', 'databases.name', 'databases.hostingId', 'hostings.name as hostingName', 'hostings.customerId', 'databases.serverId',
  'servers.name as serverName', 'servers.addresses as serverAddresses', 'databases.sizeBytes', 'databases.measuredAt', 'databases.readOnlySince',
  'databases.revision', 'databases.createdAt', 'databases.updatedAt',
] as const;

const usersOf = sql<string[]>`ARRAY(SELECT u.name FROM database_grants g JOIN database_users u ON u.id = g.user_id WHERE g.database_id = databases.id ORDER BY u.name)`;

/** A name as Abri makes them, or a reference that can name no database (answered "not found"). */
const NAME_REF = /^[a-z0-9_]{1,64}$/;

/** Finds a database by id or name within the visible customers (null = all). */
export async function findDatabase(db: Db, ref: string, scope: string[] | null = null): Promise<DatabaseRow> {
  let q = base(db).select([...columns, usersOf.as('users')]);
  if (uuidLike.test(ref)) q = q.where('databases.id', '=', ref);
  else if (NAME_REF.test(ref)) q = q.where('databases.name', '=', ref);
  else throw notFound('database');
  if (scope) {
    if (!scope.length) throw notFound('database');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('database');
  return row as DatabaseRow;
}

export async function listDatabases(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    base(db).where('databases.hostingId', '=', hostingId),
    {
      search: ['databases.name'],
      sorts: { name: 'databases.name', createdAt: 'databases.created_at', updatedAt: 'databases.updated_at' },
      defaultSort: 'name',
      idColumn: 'databases.id',
    },
    query,
    (q) => q.select([...columns, usersOf.as('users')]),
  ) as Promise<{ items: DatabaseRow[]; nextCursor: string | null; total: number }>;
}

/** The databases of a hosting named by `refs` (ids or names), in the order given; `missing` lists the refs that name none. */
export async function databasesOfHosting(db: Db, hostingId: string, refs: string[]) {
  const ids = refs.filter((r) => uuidLike.test(r));
  const names = refs.filter((r) => !uuidLike.test(r));
  const rows = refs.length
    ? await db.selectFrom('databases').select(['id', 'name']).where('hostingId', '=', hostingId)
      .where((eb) => eb.or([...(ids.length ? [eb('id', 'in', ids)] : []), ...(names.length ? [eb('name', 'in', names)] : []), eb.val(false)]))
      .execute()
    : [];
  const found = refs.map((r) => rows.find((d) => d.id === r || d.name === r));
  return { rows: [...new Map(found.filter((d) => d !== undefined).map((d) => [d.id, d])).values()], missing: refs.flatMap((r, i) => (found[i] ? [] : [i])) };
}

export async function countDatabases(db: Db, hostingId: string): Promise<number> {
  const r = await db.selectFrom('databases').select(sql<number>`count(*)`.as('n')).where('hostingId', '=', hostingId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function databaseNameTaken(db: Db, name: string): Promise<boolean> {
  return !!(await db.selectFrom('databases').select('id').where('name', '=', name).executeTakeFirst());
}

/** The database server of a hosting: the server of its databases and users, if it has any (they all live on one). */
export async function hostingDatabaseServer(db: Db, hostingId: string): Promise<string | null> {
  const r = await sql<{ serverId: string }>`
    SELECT server_id AS "serverId" FROM databases WHERE hosting_id = ${hostingId}
    UNION ALL SELECT server_id FROM database_users WHERE hosting_id = ${hostingId} LIMIT 1`.execute(db);
  return r.rows[0]?.serverId ?? null;
}

/** The server with the database role holding the fewest databases (null: there is none). */
export async function pickDatabaseServer(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('servers')
    .leftJoin('databases', 'databases.serverId', 'servers.id')
    .select(['servers.id', sql<number>`count(databases.id)`.as('n')])
    .where(sql<boolean>`'database' = ANY(servers.roles)`)
    .groupBy('servers.id')
    .orderBy('n')
    .orderBy('servers.name')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A server's name and addresses (where PHP connects). */
export async function serverContact(db: Db, serverId: string) {
  return db.selectFrom('servers').select(['id', 'name as serverName', 'addresses as serverAddresses']).where('id', '=', serverId).executeTakeFirstOrThrow();
}

export async function insertDatabase(db: Db, d: { hostingId: string; serverId: string; name: string; readOnlySince: Date | string | null }): Promise<string> {
  const row = await db.insertInto('databases').values(d).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteDatabase(db: Db, id: string): Promise<void> {
  await db.deleteFrom('databases').where('id', '=', id).execute();
}

/** The read-only mark of a hosting's databases (the same on each of its rows), its space quota, and the sum of their sizes. */
export async function hostingSpace(db: Db, hostingId: string) {
  const r = await db
    .selectFrom('hostings')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .leftJoin('databases', 'databases.hostingId', 'hostings.id')
    .select([
      'hostings.id', 'hostings.name', 'hostings.customerId', 'offers.databaseMb', 'offers.maxDatabases',
      sql<string>`coalesce(sum(databases.size_bytes), 0)`.as('usedBytes'),
      sql<Date | null>`min(databases.read_only_since)`.as('readOnlySince'),
      sql<Date | null>`CASE WHEN bool_or(databases.id IS NOT NULL AND databases.measured_at IS NULL) THEN NULL ELSE min(databases.measured_at) END`.as('measuredAt'),
      sql<number>`count(databases.id)`.as('databases'),
    ])
    .where('hostings.id', '=', hostingId)
    .groupBy(['hostings.id', 'offers.databaseMb', 'offers.maxDatabases'])
    .executeTakeFirstOrThrow();
  return { ...r, usedBytes: Number(r.usedBytes), databases: Number(r.databases) };
}

/**
 * Records sizes a database server measured (only of its own databases); returns the hostings
 * concerned with their quota, total size and read-only mark.
 */
export async function recordSizes(db: Db, serverId: string, sizes: Array<{ id: string; bytes: number }>, now: Date) {
  if (!sizes.length) return [];
  const { rows } = await sql<{ hostingId: string }>`
    UPDATE databases d SET size_bytes = s.bytes, measured_at = ${now}
    FROM unnest(${sql.val(sizes.map((s) => s.id))}::uuid[], ${sql.val(sizes.map((s) => s.bytes))}::bigint[]) AS s(id, bytes)
    WHERE d.id = s.id AND d.server_id = ${serverId}
    RETURNING d.hosting_id AS "hostingId"`.execute(db);
  const ids = [...new Set(rows.map((r) => r.hostingId))];
  return Promise.all(ids.map((id) => hostingSpace(db, id)));
}

/** Marks (or unmarks, null) every database of a hosting read-only. */
export async function setReadOnly(db: Db, hostingId: string, since: Date | null): Promise<void> {
  await db.updateTable('databases').set({ readOnlySince: since }).where('hostingId', '=', hostingId).execute();
}

/** What a change to a hosting's databases or users stamps: all of them (its server reconciles them together). */
export const databaseStamps = (hostingId: string): Stamp[] => [
  { table: 'databases', by: 'hosting_id', ids: [hostingId] },
  { table: 'database_users', by: 'hosting_id', ids: [hostingId] },
];
