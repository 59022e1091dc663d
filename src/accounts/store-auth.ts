// Sessions and API tokens, and turning a request's credentials into an Actor.
import type { Actor, DelegationRole } from '../platform/actor.js';
import type { Db } from '../platform/db/database.js';
import { prepared } from '../platform/db/prepared.js';
import { AppError, notFound } from '../platform/errors.js';
import { digest, randomSecret } from '../platform/secrets.js';
import { uuidLike } from '../platform/validation.js';
import type { TokenRow, UserRow } from './model.js';
import { tokenCache, tokensChanged } from './token-cache.js';

export const TOKEN_PREFIX = 'abri_';
/** last use (of a session or token) is written at most this often, unless the address changes */
const TOUCH_MS = 60_000;

export async function createSession(db: Db, userId: string, address: string | null, hours: number, now: Date) {
  const secret = randomSecret();
  const csrfToken = randomSecret(18);
  const expiresAt = new Date(now.getTime() + hours * 3600_000);
  await db.insertInto('sessions').values({ id: digest(secret), userId, csrfToken, address, createdAt: now, lastSeenAt: now, expiresAt }).execute();
  await db.deleteFrom('sessions').where('expiresAt', '<', now).execute();
  return { secret, csrfToken, expiresAt };
}

export async function deleteSession(db: Db, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user (but `exceptId`); returns how many ended. */
export async function endSessions(db: Db, userId: string, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('userId', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function createApiToken(db: Db, userId: string, name: string, expiresAt: string | Date | null, now?: Date) {
  const secret = TOKEN_PREFIX + randomSecret();
  const row = await db
    .insertInto('apiTokens')
    .values({ userId, name, tokenHash: digest(secret), prefix: secret.slice(0, TOKEN_PREFIX.length + 6), expiresAt, ...(now ? { createdAt: now } : {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row: row as TokenRow, secret };
}

export async function listApiTokens(db: Db, userId: string): Promise<TokenRow[]> {
  return db.selectFrom('apiTokens').selectAll().where('userId', '=', userId).orderBy('createdAt', 'desc').orderBy('id').execute() as Promise<TokenRow[]>;
}

export async function deleteApiToken(db: Db, userId: string, id: string): Promise<TokenRow> {
  if (!uuidLike.test(id)) throw notFound('token');
  const row = await db.deleteFrom('apiTokens').where('id', '=', id).where('userId', '=', userId).returningAll().executeTakeFirst();
  if (!row) throw notFound('token');
  tokensChanged(db);
  return row as TokenRow;
}

/** Revokes every API token of a user; returns how many. */
export async function revokeApiTokens(db: Db, userId: string): Promise<number> {
  const r = await db.deleteFrom('apiTokens').where('userId', '=', userId).executeTakeFirst();
  tokensChanged(db);
  return Number(r.numDeletedRows);
}

async function delegationsOf(db: Db, userId: string): Promise<Map<string, DelegationRole>> {
  const rows = await db.selectFrom('delegations').select(['customerId', 'role']).where('userId', '=', userId).execute();
  return new Map(rows.map((r) => [r.customerId, r.role]));
}

async function actorOf(db: Db, user: UserRow, via: Actor['via'], extra: Partial<Actor> = {}): Promise<Actor> {
  return {
    userId: user.id,
    email: user.email,
    role: user.role,
    locale: user.locale,
    delegations: user.role === 'customer' ? await delegationsOf(db, user.id) : new Map(),
    via,
    ...extra,
  };
}

/** A token's user (every request with a token reads it: compiled once). */
const userOfToken = prepared((db, p: { hash: string }) => db
  .selectFrom('apiTokens')
  .innerJoin('users', 'users.id', 'apiTokens.userId')
  .selectAll('users')
  .select(['apiTokens.id as tokenId', 'apiTokens.expiresAt as tokenExpiresAt', 'apiTokens.lastUsedAt as tokenLastUsedAt', 'apiTokens.lastUsedAddress as tokenLastUsedAddress'])
  .where('apiTokens.tokenHash', '=', p.hash));

/**
 * The actor behind an API token (its last use and address recorded), or a 401 when unknown, expired
 * or its user disabled. A token used again within a second is not read again (token-cache.ts).
 */
export async function actorFromToken(db: Db, secret: string, now: Date, address: string | null): Promise<Actor> {
  const hash = digest(secret);
  let token = tokenCache.get(db, hash);
  if (!token) {
    const mark = tokenCache.mark();
    const row = await userOfToken.first(db, { hash });
    if (!row || row.disabled) throw invalidToken();
    const actor = await actorOf(db, row as unknown as UserRow, 'token', { tokenId: row.tokenId });
    token = { actor, expiresAt: row.tokenExpiresAt ? new Date(row.tokenExpiresAt) : null, lastUsedAt: row.tokenLastUsedAt ? new Date(row.tokenLastUsedAt) : null, lastUsedAddress: row.tokenLastUsedAddress };
    tokenCache.keep(db, hash, mark, token);
  }
  if (token.expiresAt && token.expiresAt <= now) throw invalidToken();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > TOUCH_MS || token.lastUsedAddress !== address) {
    await db.updateTable('apiTokens').set({ lastUsedAt: now, lastUsedAddress: address }).where('id', '=', token.actor.tokenId!).execute();
    tokenCache.update(db, hash, (t) => ({ ...t, lastUsedAt: now, lastUsedAddress: address }));
  }
  return { ...token.actor };
}

const invalidToken = () => new AppError('auth.invalid_token', 'this API token is unknown, expired or revoked');

/** The actor behind a session cookie, or null when the session is unknown or expired. */
export async function actorFromSession(db: Db, secret: string, now: Date): Promise<Actor | null> {
  const id = digest(secret);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .selectAll('users')
    .select(['sessions.csrfToken', 'sessions.lastSeenAt'])
    .where('sessions.id', '=', id)
    .where('sessions.expiresAt', '>', now)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  if (now.getTime() - new Date(row.lastSeenAt).getTime() > TOUCH_MS) {
    await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', id).execute();
  }
  return actorOf(db, row as unknown as UserRow, 'session', { sessionId: id, csrfToken: row.csrfToken });
}
