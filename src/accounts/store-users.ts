// Users and invitations.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/http/list.js';
import { digest, hashPassword, randomSecret } from '../platform/secrets.js';
import { uuidLike } from '../platform/validation.js';
import type { UserRow } from './model.js';

const INVITATION_DAYS = 14;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql<boolean>`lower(email) = lower(${email})`).executeTakeFirst() as Promise<UserRow | undefined>;
}

export async function findUser(db: Db, ref: string): Promise<UserRow> {
  const row = uuidLike.test(ref)
    ? await db.selectFrom('users').selectAll().where('id', '=', ref).executeTakeFirst()
    : await findUserByEmail(db, ref);
  if (!row) throw notFound('user');
  return row as UserRow;
}

export async function countAdmins(db: Db): Promise<number> {
  const r = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).where('role', '=', 'admin').where('disabled', '=', false).executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface NewUser {
  email: string;
  password?: string;
  role: 'admin' | 'staff' | 'customer';
  locale: 'fr' | 'en';
}

export async function createUser(db: Db, u: NewUser): Promise<UserRow> {
  if (await findUserByEmail(db, u.email)) throw new AppError('user.email_taken', `a user with email ${u.email} already exists`);
  const row = await db
    .insertInto('users')
    .values({
      email: u.email,
      passwordHash: u.password ? await hashPassword(u.password) : null,
      role: u.role,
      locale: u.locale,
      totpSecret: null,
      totpPending: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return row as UserRow;
}

export interface UserChanges {
  email?: string;
  password?: string;
  role?: 'admin' | 'staff' | 'customer';
  locale?: 'fr' | 'en';
  disabled?: boolean;
  totpSecret?: string | null;
  totpPending?: string | null;
}

export async function updateUser(db: Db, id: string, c: UserChanges): Promise<UserRow> {
  if (c.email) {
    const other = await findUserByEmail(db, c.email);
    if (other && other.id !== id) throw new AppError('user.email_taken', `a user with email ${c.email} already exists`);
  }
  const { password, ...rest } = c;
  const row = await db
    .updateTable('users')
    .set({ ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}), updatedAt: sql`now()` as unknown as Date })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('user');
  if (password || c.disabled) await db.deleteFrom('sessions').where('userId', '=', id).execute();
  return row as UserRow;
}

export async function deleteUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function listUsers(db: Db, query: ListQuery) {
  return paginate(
    db.selectFrom('users'),
    {
      search: ['users.email', 'users.role'],
      sorts: { email: 'users.email', role: 'users.role', createdAt: 'users.created_at' },
      defaultSort: 'email',
      idColumn: 'users.id',
    },
    query,
    (q) => q.selectAll(),
  ) as Promise<{ items: UserRow[]; nextCursor: string | null; total: number }>;
}

/** Creates a one-time link for a user without a password; returns the secret to put in it. */
export async function createInvitation(db: Db, userId: string): Promise<string> {
  const secret = randomSecret();
  await db.deleteFrom('invitations').where('userId', '=', userId).execute();
  await db
    .insertInto('invitations')
    .values({ userId, tokenHash: digest(secret), expiresAt: new Date(Date.now() + INVITATION_DAYS * 86400_000) })
    .execute();
  return secret;
}

/** Sets the password of the invited user and consumes the invitation. */
export async function acceptInvitation(db: Db, secret: string, password: string): Promise<UserRow> {
  const inv = await db
    .deleteFrom('invitations')
    .where('tokenHash', '=', digest(secret))
    .where('expiresAt', '>', new Date())
    .returning('userId')
    .executeTakeFirst();
  if (!inv) throw new AppError('invitation.not_found', 'this invitation link is unknown, used or expired');
  return updateUser(db, inv.userId, { password });
}
