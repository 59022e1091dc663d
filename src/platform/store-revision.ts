// The global revision of desired state. Bumped in the same transaction as every change that a
// server must apply, with the servers it affects; agents poll for revisions newer than theirs.
import { sql } from 'kysely';
import type { Db } from './db/database.js';

/**
 * Revisions are handed out in commit order: a transaction that bumps takes a transaction-scoped
 * lock first, so no revision can commit after a higher one (an agent that reached 11 would
 * otherwise never look at a 10 committed later).
 */
async function revisionLock(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(7358253)`.execute(db);
}

export async function bumpRevision(db: Db, reason: string, serverIds: string[]): Promise<number> {
  await revisionLock(db);
  const row = await db
    .insertInto('revisions')
    .values({ reason, serverIds: [...new Set(serverIds)] })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Adds servers (and a reason) to a revision made earlier in the same transaction. */
export async function widenRevision(db: Db, id: number, reason: string, serverIds: string[]): Promise<void> {
  await db
    .updateTable('revisions')
    .set({
      serverIds: sql<string[]>`ARRAY(SELECT DISTINCT unnest(server_ids || ${sql.val(serverIds)}::uuid[]))`,
      reason: sql<string>`CASE WHEN reason = ${reason} THEN reason ELSE left(reason || '; ' || ${reason}, 500) END`,
    })
    .where('id', '=', id)
    .execute();
}

export async function currentRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('revisions').select(({ fn }) => fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}
