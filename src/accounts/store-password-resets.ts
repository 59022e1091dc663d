// Password-reset links (0032-outbox): only the SHA-256 of a link's secret is kept; a link works once,
// for a limited time, and a new one (or a reset done) ends the user's earlier ones.
import type { Db } from '../platform/db/database.js';
import { digest, randomSecret } from '../platform/secrets.js';

export interface ResetRow {
  id: string;
  userId: string;
  expiresAt: Date | string;
  usedAt: Date | string | null;
}

/** A new link for the user (the links not used yet stop working). */
export async function createPasswordReset(db: Db, userId: string, expiresAt: Date, now: Date): Promise<string> {
  await endPasswordResets(db, userId, now);
  const secret = randomSecret();
  await db.insertInto('passwordResets').values({ userId, tokenHash: digest(secret), expiresAt, usedAt: null, createdAt: now }).execute();
  return secret;
}

/** The link behind a secret, locked (to be used once), or undefined. */
export async function findPasswordReset(db: Db, secret: string): Promise<ResetRow | undefined> {
  return db.selectFrom('passwordResets').select(['id', 'userId', 'expiresAt', 'usedAt']).where('tokenHash', '=', digest(secret)).forUpdate().executeTakeFirst();
}

/** Marks every link of the user not used yet as used (a reset done, a new link, a new password). */
export async function endPasswordResets(db: Db, userId: string, now: Date): Promise<void> {
  await db.updateTable('passwordResets').set({ usedAt: now }).where('userId', '=', userId).where('usedAt', 'is', null).execute();
}
