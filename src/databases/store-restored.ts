// The queries of a database made by a restore (operations-restored.ts).
import type { Db } from '../platform/db/database.js';

/** The hosting's database of this name, or undefined. */
export function hostingDatabaseNamed(db: Db, hostingId: string, name: string) {
  return db.selectFrom('databases').select(['id', 'serverId', 'name']).where('hostingId', '=', hostingId).where('name', '=', name).executeTakeFirst();
}

/** Grants on `to` every user granted on `from`. */
export async function grantLike(db: Db, from: string, to: string): Promise<void> {
  const users = await db.selectFrom('databaseGrants').select('userId').where('databaseId', '=', from).execute();
  if (users.length) await db.insertInto('databaseGrants').values(users.map((u) => ({ userId: u.userId, databaseId: to }))).execute();
}
