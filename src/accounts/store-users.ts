// Users: accounts of the staff and of customers' people.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { hashPassword } from '../platform/secrets.js';
import { uuidLike } from '../platform/validation.js';
import type { UserRow } from './model.js';
import { tokensChanged } from './token-cache.js';

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql<boolean>`lower(email) = lower(${email})`).executeTakeFirst() as Promise<UserRow | undefined>;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() as Promise<UserRow | undefined>;
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

const emailTaken = (email: string) => new AppError('user.email_taken', `a user with email ${email} already exists`, { params: { email } });

export async function createUser(db: Db, u: NewUser, now?: Date): Promise<UserRow> {
  if (await findUserByEmail(db, u.email)) throw emailTaken(u.email);
  const row = await db
    .insertInto('users')
    .values({
      email: u.email,
      passwordHash: u.password ? await hashPassword(u.password) : null,
      role: u.role,
      locale: u.locale,
      totpSecret: null,
      totpPending: null,
      ...(now ? { createdAt: now, updatedAt: now } : {}),
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

/** Writes the changes (a password is hashed); sessions and tokens are the caller's decision. */
export async function updateUser(db: Db, id: string, c: UserChanges, now: Date): Promise<UserRow> {
  if (c.email) {
    const other = await findUserByEmail(db, c.email);
    if (other && other.id !== id) throw emailTaken(c.email);
  }
  const { password, ...rest } = c;
  const row = await db
    .updateTable('users')
    .set({ ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}), updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('user');
  tokensChanged(db); // its tokens' actors (role, locale, disabled…)
  return row as UserRow;
}

export async function deleteUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
  tokensChanged(db);
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

/** The customers a user acts for, with the role, by customer number. */
export async function customersOf(db: Db, userId: string) {
  return db
    .selectFrom('delegations')
    .innerJoin('customers', 'customers.id', 'delegations.customerId')
    .select(['customers.id as customerId', 'customers.number', 'customers.name', 'delegations.role'])
    .where('delegations.userId', '=', userId)
    .orderBy('customers.number')
    .execute();
}
