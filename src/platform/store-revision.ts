// The global revision of desired state. Bumped in the same transaction as every change that a
// server must apply, with the servers it affects; agents poll for revisions newer than theirs.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db/database.js';
import { recordAuditRows, type AuditRow } from './store-audit.js';

/**
 * Revisions are handed out in commit order: a revision gets its id under a lock held until its
 * transaction ends, so no revision can commit after a higher one (an agent that reached 11 would
 * otherwise never look at a 10 committed later).
 *
 * Inside its transaction a revision has a placeholder id, at or above OPEN_REVISION_BASE (objects
 * stamped with it read "pending"); COMMIT runs a deferred trigger (migration 0009) that takes the
 * lock, gives the revision its id and moves the stamps written with the placeholder (tables listed
 * in revision_stamps) to it. The lock is held only while committing, not from the bump on.
 */
const REVISION_LOCK = 7358253;
export const OPEN_REVISION_BASE = 2 ** 52;

/**
 * The servers a revision is for: ids, or an expression a capability's store builds (the servers of a
 * hosting, say) evaluated in the statement that writes the revision rather than by a query of its own.
 */
export type ServerIds = string[] | RawBuilder<string[]>;

const serverArray = (ids: ServerIds) => (Array.isArray(ids) ? sql<string[]>`${sql.val([...new Set(ids)])}::uuid[]` : sql<string[]>`ARRAY(SELECT DISTINCT unnest(${ids}))`);

/**
 * Objects to stamp with a revision: rows of a table of revision_stamps by id, or (`by`) the rows
 * whose column holds one of `ids` (the sites of a hosting).
 */
export interface Stamp {
  table: 'hostings' | 'sites' | 'zones' | 'certificates' | 'databases' | 'database_users';
  ids: string[];
  by?: 'id' | 'hosting_id';
}

/**
 * One object (or the sites of one hosting) is compared with `=`: the statements are prepared, and
 * PostgreSQL's generic plan of `= ANY($1)`, made while a new database's tables are tiny, scans the
 * whole table for as long as the connection lives.
 */
const stampSql = (s: Stamp, revision: RawBuilder<number> | number) => {
  const ids = [...new Set(s.ids)];
  const column = sql.raw(s.by === 'hosting_id' ? 'hosting_id' : 'id');
  return sql<Record<string, never>>`UPDATE ${sql.table(s.table)} SET revision = ${revision} WHERE ${ids.length === 1 ? sql`${column} = ${ids[0]}::uuid` : sql`${column} = ANY(${sql.val(ids)}::uuid[])`}`;
};

/** Stamps objects with a revision opened earlier (bumpRevision stamps those it is given itself). */
export async function stampRevision(db: Db, revision: number, stamps: Stamp[]): Promise<void> {
  for (const s of stamps) if (s.ids.length) await stampSql(s, revision).execute(db);
}

/**
 * Opens this transaction's revision for these servers; stamp what changed with the number returned
 * (a placeholder until the commit). Outside a transaction the revision commits at once and the
 * number is its id. `audit` (entries of the same change) and `stamps` are written by the same
 * statement in a transaction.
 */
export async function bumpRevision(db: Db, reason: string, serverIds: ServerIds, audit: AuditRow[] = [], stamps: Stamp[] = []): Promise<number> {
  if (!db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${REVISION_LOCK})`.execute(trx);
      await recordAuditRows(trx, audit);
      const row = await trx.insertInto('revisions')
        .values({ id: sql<number>`nextval(pg_get_serial_sequence('revisions', 'id'))`, reason, serverIds: serverArray(serverIds) })
        .returning('id').executeTakeFirstOrThrow();
      await stampRevision(trx, Number(row.id), stamps);
      return Number(row.id);
    });
  }
  // one statement for the change's audit entries, its revision and its stamps (each round trip counts under load)
  let q = db.with('opened', (w) => w.insertInto('revisions').values({ reason, serverIds: serverArray(serverIds) }).returning('id'));
  if (audit.length) q = q.with('audited', (w) => w.insertInto('auditLog').values(audit)) as unknown as typeof q;
  stamps.forEach((s, i) => {
    if (s.ids.length) q = q.with(`stamped${i}`, () => sql<Record<string, never>>`(${stampSql(s, sql<number>`(SELECT id FROM opened)`)})`) as unknown as typeof q;
  });
  const row = await q.selectFrom('opened').select('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/**
 * Stamps objects with this transaction's revision when it commits rather than now: for an object
 * that many concurrent changes stamp (the zone of many sites), an UPDATE now would hold its row
 * until the commit and make each change wait for the previous one. Reads inside the transaction see
 * the previous stamp.
 */
export async function stampAtCommit(db: Db, revision: number, table: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  if (revision < OPEN_REVISION_BASE) {
    await sql`UPDATE ${sql.table(table)} SET revision = ${revision} WHERE id IN (${sql.join([...new Set(ids)])})`.execute(db);
    return;
  }
  await laterStampsSql(revision, table, [...new Set(ids)]).execute(db);
}

/**
 * stampAtCommit as a statement to run inside another (a CTE), for a revision opened in this
 * transaction (a placeholder); its values may be parameters of a prepared() statement.
 */
export const laterStampsSql = (revision: unknown, table: string, ids: unknown): RawBuilder<unknown> =>
  sql`INSERT INTO revision_later_stamps (revision, table_name, object_id) SELECT ${revision}::bigint, ${table}, unnest(${ids}::uuid[])`;

/** Adds servers (and a reason) to a revision made earlier in the same transaction. */
export async function widenRevision(db: Db, id: number, reason: string, serverIds: ServerIds): Promise<void> {
  await db
    .updateTable('revisions')
    .set({
      serverIds: sql<string[]>`ARRAY(SELECT DISTINCT unnest(server_ids || ${serverArray(serverIds)}))`,
      reason: sql<string>`CASE WHEN reason = ${reason} THEN reason ELSE left(reason || '; ' || ${reason}, 500) END`,
    })
    .where('id', '=', id)
    .execute();
}

/** The highest committed revision (the open one of the calling transaction is not counted). */
export async function currentRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('revisions').select(({ fn }) => fn.max('id').as('id')).where('id', '<', OPEN_REVISION_BASE).executeTakeFirst();
  return Number(row?.id ?? 0);
}
