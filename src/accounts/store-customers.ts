// Customers and their delegations (which users act for which customer, with which role).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { prepared } from '../platform/db/prepared.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { DelegationRole } from '../platform/actor.js';
import type { CustomerRow, DelegationRow } from './model-customers.js';
import { inScope } from '../platform/store-scope.js';
import { tokensChanged } from './token-cache.js';
import { CommittedCache } from '../platform/committed-cache.js';

type CustomerStatus = 'active' | 'suspended' | 'closed';
export interface CustomerInput { name: string; contactEmail: string; postalAddress: string; status: CustomerStatus }

/** customers by id, for the write path (platform/committed-cache.ts): the stores below forget them when they write */
const customerCache = new CommittedCache<CustomerRow>(1000);

const customerById = prepared((db, p: { id: string }) => db.selectFrom('customers').selectAll().where('id', '=', p.id));

/** Finds a customer by id or number, within the visible scope (null = all). */
export async function findCustomer(db: Db, ref: string, scope: string[] | null = null): Promise<CustomerRow> {
  if (!scope && uuidLike.test(ref)) {
    // the staff's usual lookup (a hosting's customer, a zone's), compiled once and kept a second
    const row = await customerCache.read(db, ref, () => customerById.first(db, { id: ref }));
    if (!row) throw notFound('customer');
    return { ...row }; // the cached row stays as read
  }
  let q = db.selectFrom('customers').selectAll();
  if (uuidLike.test(ref)) q = q.where('id', '=', ref);
  else if (/^\d{1,9}$/.test(ref)) q = q.where('number', '=', Number(ref));
  else throw notFound('customer');
  if (scope) {
    if (!scope.length) throw notFound('customer');
    q = q.where('id', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('customer');
  return row;
}

export async function listCustomers(db: Db, scope: string[] | null, query: ListQuery) {
  let qb = db.selectFrom('customers');
  if (scope) qb = qb.where(inScope('customers.id', scope));
  return paginate(
    qb,
    {
      search: ['customers.name', 'customers.contact_email', 'customers.number', 'customers.postal_address'],
      sorts: { number: 'customers.number', name: 'customers.name', contactEmail: 'customers.contact_email', status: 'customers.status', createdAt: 'customers.created_at' },
      defaultSort: 'number',
      idColumn: 'customers.id',
    },
    query,
    (q) => q.selectAll(),
  ) as Promise<{ items: CustomerRow[]; nextCursor: string | null; total: number }>;
}

export async function createCustomer(db: Db, c: CustomerInput, now: Date): Promise<CustomerRow> {
  return db.insertInto('customers').values({ ...c, createdAt: now, updatedAt: now }).returningAll().executeTakeFirstOrThrow();
}

export async function updateCustomer(db: Db, id: string, c: Partial<CustomerInput>, now: Date): Promise<CustomerRow> {
  const row = await db.updateTable('customers').set({ ...c, updatedAt: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  customerCache.changed(db);
  return row;
}

export async function deleteCustomer(db: Db, id: string) {
  const live = await db.selectFrom('hostings').select('name').where('customerId', '=', id).where('status', '!=', 'terminated').executeTakeFirst();
  if (live) throw new AppError('customer.not_empty', `terminate the customer's hostings first (${live.name})`, { params: { hosting: live.name } });
  const any = await db.selectFrom('hostings').select('name').where('customerId', '=', id).executeTakeFirst();
  if (any) {
    throw new AppError('customer.not_empty', `the customer still has terminated hostings whose files are kept (${any.name}); close the customer instead`, { params: { hosting: any.name } });
  }
  await db.deleteFrom('customers').where('id', '=', id).execute();
  customerCache.changed(db);
  tokensChanged(db); // its delegations went with it
}

const delegationColumns = ['delegations.id', 'delegations.customerId', 'delegations.userId', 'delegations.role', 'delegations.createdAt', 'users.email', 'users.passwordHash'] as const;

export async function listDelegations(db: Db, customerId: string): Promise<DelegationRow[]> {
  return db
    .selectFrom('delegations')
    .innerJoin('users', 'users.id', 'delegations.userId')
    .select(delegationColumns)
    .where('delegations.customerId', '=', customerId)
    .orderBy('delegations.createdAt')
    .orderBy('delegations.id')
    .execute();
}

/** A delegation of the customer, by its id or its user's id. */
export async function findDelegation(db: Db, customerId: string, ref: string): Promise<DelegationRow> {
  if (!uuidLike.test(ref)) throw notFound('delegation');
  const row = await db
    .selectFrom('delegations')
    .innerJoin('users', 'users.id', 'delegations.userId')
    .select(delegationColumns)
    .where('delegations.customerId', '=', customerId)
    .where((eb) => eb.or([eb('delegations.id', '=', ref), eb('delegations.userId', '=', ref)]))
    .executeTakeFirst();
  if (!row) throw notFound('delegation');
  return row;
}

export async function hasDelegation(db: Db, customerId: string, userId: string): Promise<boolean> {
  return !!(await db.selectFrom('delegations').select('id').where('customerId', '=', customerId).where('userId', '=', userId).executeTakeFirst());
}

/** Whether an account with this email already acts for the customer. */
export async function emailActsFor(db: Db, customerId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('delegations')
    .innerJoin('users', 'users.id', 'delegations.userId')
    .select('delegations.id')
    .where('delegations.customerId', '=', customerId)
    .where(sql<boolean>`lower(users.email) = lower(${email})`)
    .executeTakeFirst();
  return !!row;
}

const delegationExists = () => new AppError('delegation.exists', 'this account already has access to this customer');

export async function createDelegation(db: Db, customerId: string, userId: string, role: DelegationRole, now: Date): Promise<DelegationRow> {
  if (await hasDelegation(db, customerId, userId)) throw delegationExists();
  const row = await db.insertInto('delegations').values({ customerId, userId, role, createdAt: now }).returning('id').executeTakeFirstOrThrow();
  tokensChanged(db); // the user's tokens act for this customer now
  return findDelegation(db, customerId, row.id);
}

async function ownersLeft(db: Db, customerId: string) {
  const r = await db.selectFrom('delegations').select(sql<number>`count(*)`.as('n')).where('customerId', '=', customerId).where('role', '=', 'owner').executeTakeFirstOrThrow();
  return Number(r.n);
}

const lastOwner = () => new AppError('delegation.last_owner', 'a customer keeps at least one owner; make someone else owner first');

export async function updateDelegation(db: Db, customerId: string, id: string, role: DelegationRole) {
  const before = await findDelegation(db, customerId, id);
  await db.updateTable('delegations').set({ role }).where('id', '=', before.id).execute();
  tokensChanged(db);
  if (before.role === 'owner' && role !== 'owner' && (await ownersLeft(db, customerId)) === 0) throw lastOwner();
  return { before, after: await findDelegation(db, customerId, before.id) };
}

export async function deleteDelegation(db: Db, customerId: string, id: string): Promise<DelegationRow> {
  const before = await findDelegation(db, customerId, id);
  await db.deleteFrom('delegations').where('id', '=', before.id).execute();
  tokensChanged(db);
  if (before.role === 'owner' && (await ownersLeft(db, customerId)) === 0) {
    const anyone = await db.selectFrom('delegations').select('id').where('customerId', '=', customerId).executeTakeFirst();
    if (anyone) throw lastOwner();
  }
  return before;
}
