// Sessions, API tokens, login rate limiting, and turning a request's credentials into an Actor.
import { sql } from 'kysely';
import type { Actor, DelegationRole } from '../platform/actor.js';
import type { Db } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { digest, randomSecret, verifyPassword } from '../platform/secrets.js';
import { findUserByEmail } from './store-users.js';
import type { UserRow } from './model.js';
import * as OTPAuth from 'otpauth';

const WINDOW_MS = 15 * 60_000;
export const TOKEN_PREFIX = 'abri_';

async function failuresSince(db: Db, key: string): Promise<number> {
  const r = await db
    .selectFrom('loginFailures')
    .select(sql<number>`count(*)`.as('n'))
    .where('key', '=', key)
    .where('at', '>', new Date(Date.now() - WINDOW_MS))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface LoginInput { email: string; password: string; totp?: string; address: string; maxFailures: number }

/** Checks credentials (rate-limited per account and per address). Returns the user or throws. */
export async function checkLogin(db: Db, input: LoginInput): Promise<UserRow> {
  const accountKey = `account:${input.email.toLowerCase()}`;
  const addressKey = `address:${input.address}`;
  if ((await failuresSince(db, accountKey)) >= input.maxFailures || (await failuresSince(db, addressKey)) >= input.maxFailures * 3) {
    throw new AppError('auth.rate_limited', 'too many failed logins; wait 15 minutes and try again');
  }
  const user = await findUserByEmail(db, input.email);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || user.disabled) {
    await db.insertInto('loginFailures').values([{ key: accountKey }, { key: addressKey }]).execute();
    await db.deleteFrom('loginFailures').where('at', '<', new Date(Date.now() - WINDOW_MS)).execute();
    throw new AppError('auth.invalid_credentials', 'wrong email or password, or the account is disabled');
  }
  if (user.totpSecret) {
    if (!input.totp) throw new AppError('auth.totp_required', 'enter the 6-digit code of your authenticator app');
    if (!checkTotp(user.totpSecret, input.totp)) {
      await db.insertInto('loginFailures').values([{ key: accountKey }, { key: addressKey }]).execute();
      throw new AppError('auth.totp_invalid', 'the authenticator code is wrong or expired');
    }
  }
  await db.deleteFrom('loginFailures').where('key', '=', accountKey).execute();
  return user;
}

export function totpFor(secret: string, label: string) {
  return new OTPAuth.TOTP({ issuer: 'Abri', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

export function checkTotp(secret: string, code: string): boolean {
  return totpFor(secret, 'check').validate({ token: code, window: 1 }) !== null;
}

export const newTotpSecret = () => new OTPAuth.Secret({ size: 20 }).base32;

export async function createSession(db: Db, userId: string, address: string, hours: number) {
  const secret = randomSecret();
  const csrfToken = randomSecret(18);
  await db
    .insertInto('sessions')
    .values({ id: digest(secret), userId, csrfToken, address, expiresAt: new Date(Date.now() + hours * 3600_000) })
    .execute();
  await db.deleteFrom('sessions').where('expiresAt', '<', new Date()).execute();
  return { secret, csrfToken };
}

export async function deleteSession(db: Db, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function createApiToken(db: Db, userId: string, name: string, expiresAt: string | null) {
  const secret = TOKEN_PREFIX + randomSecret();
  const row = await db
    .insertInto('apiTokens')
    .values({ userId, name, tokenHash: digest(secret), prefix: secret.slice(0, TOKEN_PREFIX.length + 6), expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}

export async function listApiTokens(db: Db, userId: string) {
  return db.selectFrom('apiTokens').selectAll().where('userId', '=', userId).orderBy('createdAt', 'desc').execute();
}

export async function deleteApiToken(db: Db, userId: string, id: string) {
  const row = await db.deleteFrom('apiTokens').where('id', '=', id).where('userId', '=', userId).returningAll().executeTakeFirst();
  if (!row) throw notFound('token');
  return row;
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

/** The actor behind an API token, or a 401 when the token is unknown, expired or its user disabled. */
export async function actorFromToken(db: Db, secret: string): Promise<Actor> {
  const row = await db
    .selectFrom('apiTokens')
    .innerJoin('users', 'users.id', 'apiTokens.userId')
    .selectAll('users')
    .select(['apiTokens.id as tokenId', 'apiTokens.expiresAt as tokenExpiresAt', 'apiTokens.lastUsedAt as tokenLastUsedAt'])
    .where('apiTokens.tokenHash', '=', digest(secret))
    .executeTakeFirst();
  if (!row || row.disabled || (row.tokenExpiresAt && new Date(row.tokenExpiresAt) <= new Date())) {
    throw new AppError('auth.invalid_token', 'this API token is unknown, expired or revoked');
  }
  if (!row.tokenLastUsedAt || Date.now() - new Date(row.tokenLastUsedAt).getTime() > 60_000) {
    await db.updateTable('apiTokens').set({ lastUsedAt: new Date() }).where('id', '=', row.tokenId).execute();
  }
  return actorOf(db, row as unknown as UserRow, 'token');
}

/** The actor behind a session cookie, or null when the session is unknown or expired. */
export async function actorFromSession(db: Db, secret: string): Promise<Actor | null> {
  const id = digest(secret);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .selectAll('users')
    .select(['sessions.csrfToken', 'sessions.lastSeenAt'])
    .where('sessions.id', '=', id)
    .where('sessions.expiresAt', '>', new Date())
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  if (Date.now() - new Date(row.lastSeenAt).getTime() > 60_000) {
    await db.updateTable('sessions').set({ lastSeenAt: new Date() }).where('id', '=', id).execute();
  }
  return actorOf(db, row as unknown as UserRow, 'session', { sessionId: id, csrfToken: row.csrfToken });
}
