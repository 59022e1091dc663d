// The database admin's rows: each user's own console password (sealed) and its MariaDB string, and
// the single-use tickets (a nonce's digest, the user it opens, its expiry, when it was used).
import type { Db } from '../platform/db/database.js';

export async function consoleOf(db: Db, userId: string): Promise<{ consoleSecret: string | null; consoleAuth: string | null }> {
  return db.selectFrom('databaseUsers').select(['consoleSecret', 'consoleAuth']).where('id', '=', userId).executeTakeFirstOrThrow();
}

export async function setConsole(db: Db, userId: string, consoleSecret: string, consoleAuth: string): Promise<void> {
  await db.updateTable('databaseUsers').set({ consoleSecret, consoleAuth }).where('id', '=', userId).execute();
}

/** Records a ticket; tickets expired for a day are forgotten on the way. */
export async function insertTicket(db: Db, t: { nonceDigest: string; userId: string; expiresAt: Date; now: Date }): Promise<void> {
  await db.deleteFrom('dbadminTickets').where('expiresAt', '<', new Date(t.now.getTime() - 86_400_000)).execute();
  await db.insertInto('dbadminTickets').values({ nonceDigest: t.nonceDigest, userId: t.userId, expiresAt: t.expiresAt }).execute();
}

/** Uses a ticket: true once, for the user it was made for, before it expires; false ever after. */
export async function consumeTicket(db: Db, nonceDigest: string, userId: string, now: Date): Promise<boolean> {
  const row = await db.updateTable('dbadminTickets').set({ usedAt: now })
    .where('nonceDigest', '=', nonceDigest).where('userId', '=', userId).where('usedAt', 'is', null).where('expiresAt', '>', now)
    .returning('nonceDigest').executeTakeFirst();
  return !!row;
}
