// The global revision of desired state. Bumped in the same transaction as every change that a
// server must apply, with the servers it affects; agents poll for revisions newer than theirs.
import type { Db } from './db/database.js';

export async function bumpRevision(db: Db, reason: string, serverIds: string[]): Promise<number> {
  const row = await db
    .insertInto('revisions')
    .values({ reason, serverIds: [...new Set(serverIds)] })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function currentRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('revisions').select(({ fn }) => fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}
