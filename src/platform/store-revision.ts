// The global revision of desired state. Bumped in the same transaction as every change that a
// server must apply, with the servers it affects; agents poll for revisions newer than theirs, woken
// when one commits (platform/wakeups.ts).
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db/database.js';
import { recordAuditRows, type AuditRow } from './store-audit.js';
import { prepared, type Prepared } from './db/prepared.js';
import { committedRevisions } from './wakeups.js';
import { whenCommitted } from './when-committed.js';

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
 * Servers chosen by an expression a capability's store writes (the servers of a hosting, say),
 * evaluated in the statement that writes the revision rather than by a query of its own: `select`
 * writes it for one parameter, `param`. Keep `select` a function of its module (not a closure made
 * per call): the statement is prepared once per function.
 */
export interface ServerQuery {
  select: (param: unknown) => RawBuilder<string[]>;
  param: unknown;
}

/** The servers a revision is for: ids, or a ServerQuery. */
export type ServerIds = string[] | ServerQuery;

const serverArray = (ids: ServerIds) => (Array.isArray(ids) ? sql<string[]>`${sql.val([...new Set(ids)])}::uuid[]` : sql<string[]>`ARRAY(SELECT DISTINCT unnest(${ids.select(ids.param)}))`);

/**
 * Objects to stamp with a revision: rows of a table of revision_stamps by id, or (`by`) the rows
 * whose column holds one of `ids` (the sites of a hosting).
 */
export interface Stamp {
  table: 'hostings' | 'sites' | 'zones' | 'certificates' | 'databases' | 'database_users' | 'sftp_users' | 'ftp_users' | 'cron_tasks' | 'mail_domains' | 'mailboxes' | 'mail_aliases';
  ids: string[];
  by?: 'id' | 'hosting_id';
}

/**
 * One object (or the sites of one hosting) is compared with `=`: the statements are prepared, and
 * PostgreSQL's generic plan of `= ANY($1)`, made while a new database's tables are tiny, scans the
 * whole table for as long as the connection lives.
 */
const stampSql = (s: Stamp, revision: RawBuilder<number> | number, ids: unknown = stampIds(s)) => {
  const column = sql.raw(s.by === 'hosting_id' ? 'hosting_id' : 'id');
  return sql<Record<string, never>>`UPDATE ${sql.table(s.table)} SET revision = ${revision} WHERE ${new Set(s.ids).size === 1 ? sql`${column} = ${ids}::uuid` : sql`${column} = ANY(${ids}::uuid[])`}`;
};
const stampIds = (s: Stamp) => {
  const ids = [...new Set(s.ids)];
  return ids.length === 1 ? ids[0] : ids;
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
    const id = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${REVISION_LOCK})`.execute(trx);
      await recordAuditRows(trx, audit);
      const row = await trx.insertInto('revisions')
        .values({ id: sql<number>`nextval(pg_get_serial_sequence('revisions', 'id'))`, reason, serverIds: serverArray(serverIds) })
        .returning('id').executeTakeFirstOrThrow();
      await stampRevision(trx, Number(row.id), stamps);
      return Number(row.id);
    });
    committedRevisions.wake('revision');
    return id;
  }
  // the agents' polls look again once it commits (a change that rolls back wakes none)
  whenCommitted(db, () => committedRevisions.wake('revision'));
  // one statement for the change's audit entries, its revision and its stamps (each round trip counts under load)
  const stamped = stamps.filter((st) => st.ids.length);
  const params: Record<string, unknown> = { reason, servers: Array.isArray(serverIds) ? [...new Set(serverIds)] : serverIds.param };
  audit.forEach((row, i) => auditColumns.forEach((k) => (params[`a${i}${k}`] = row[k])));
  stamped.forEach((st, i) => (params[`s${i}`] = stampIds(st)));
  const row = await bumpStatement(serverIds, audit.length, stamped).first(db, params);
  return Number(row!.id);
}

const auditColumns = ['actorId', 'actor', 'action', 'targetType', 'targetId', 'target', 'customerId', 'address', 'before', 'after'] as const;
const selectIds = new Map<ServerQuery['select'], number>(); // a few module functions
const bumps = new Map<string, Prepared<Record<string, unknown>, { id: number | string }>>();

/** The statement of bumpRevision for this form of change (how servers are chosen, how many audit entries, what is stamped), compiled once. */
function bumpStatement(serverIds: ServerIds, audits: number, stamps: Stamp[]) {
  let selectId = 0;
  if (!Array.isArray(serverIds)) {
    selectId = selectIds.get(serverIds.select) ?? selectIds.set(serverIds.select, selectIds.size + 1).get(serverIds.select)!;
  }
  const key = [selectId, audits, ...stamps.map((st) => `${st.table}.${st.by ?? 'id'}.${new Set(st.ids).size === 1 ? 1 : 'n'}`)].join(' ');
  let q = bumps.get(key);
  if (!q) {
    q = prepared((db, p: Record<string, unknown>) => {
      const servers = Array.isArray(serverIds) ? sql<string[]>`${p.servers}::uuid[]` : sql<string[]>`ARRAY(SELECT DISTINCT unnest(${serverIds.select(p.servers)}))`;
      let w = db.with('opened', (c) => c.insertInto('revisions').values({ reason: p.reason as string, serverIds: servers }).returning('id'));
      if (audits) {
        const rows = Array.from({ length: audits }, (_, i) => Object.fromEntries(auditColumns.map((k) => [k, p[`a${i}${k}`]])) as AuditRow);
        w = w.with('audited', (c) => c.insertInto('auditLog').values(rows)) as unknown as typeof w;
      }
      stamps.forEach((st, i) => {
        w = w.with(`stamped${i}`, () => sql<Record<string, never>>`(${stampSql(st, sql<number>`(SELECT id FROM opened)`, p[`s${i}`])})`) as unknown as typeof w;
      });
      return w.selectFrom('opened').select('id');
    });
    // the usual forms are kept; a change of many entries (a bulk deletion) is compiled for itself
    if (audits <= 8 && stamps.length <= 8) bumps.set(key, q);
  }
  return q;
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
