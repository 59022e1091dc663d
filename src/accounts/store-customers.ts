// Customers and their delegations (which users act for which customer, with which role).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { AppError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/http/list.js';
import { uuidLike } from '../platform/validation.js';
import type { DelegationRole } from '../platform/actor.js';

type CustomerStatus = 'active' | 'suspended' | 'closed';
export interface CustomerInput { name: string; contactEmail: string; postalAddress: string; status: CustomerStatus }

/** Finds a customer by id or number, within the visible scope (null = all). */
export async function findCustomer(db: Db, ref: string, scope: string[] | null = null) {
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
  if (scope) qb = scope.length ? qb.where('customers.id', 'in', scope) : qb.where(sql<boolean>`false`);
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
  );
}

export async function createCustomer(db: Db, c: CustomerInput) {
  return db.insertInto('customers').values(c).returningAll().executeTakeFirstOrThrow();
}

export async function updateCustomer(db: Db, id: string, c: Partial<CustomerInput>) {
  return db.updateTable('customers').set({ ...c, updatedAt: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteCustomer(db: Db, id: string) {
  const live = await db.selectFrom('hostings').select('name').where('customerId', '=', id).where('status', '!=', 'terminated').executeTakeFirst();
  if (live) throw new AppError('customer.not_empty', `terminate the customer's hostings first (${live.name})`);
  const any = await db.selectFrom('hostings').select('name').where('customerId', '=', id).executeTakeFirst();
  if (any) throw new AppError('customer.not_empty', `the customer still has terminated hostings whose files are kept (${any.name}); close the customer instead`);
  await db.deleteFrom('customers').where('id', '=', id).execute();
}

const delegationColumns = ['delegations.id', 'delegations.customerId', 'delegations.userId', 'delegations.role', 'delegations.createdAt', 'users.email', 'users.passwordHash'] as const;

export async function listDelegations(db: Db, customerId: string) {
  return db
    .selectFrom('delegations')
    .innerJoin('users', 'users.id', 'delegations.userId')
    .select(delegationColumns)
    .where('delegations.customerId', '=', customerId)
    .orderBy('delegations.createdAt')
    .execute();
}

export async function findDelegation(db: Db, customerId: string, ref: string) {
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

export async function createDelegation(db: Db, customerId: string, userId: string, role: DelegationRole) {
  const exists = await db.selectFrom('delegations').select('id').where('customerId', '=', customerId).where('userId', '=', userId).executeTakeFirst();
  if (exists) throw new AppError('delegation.exists', 'this user already has access to this customer');
  const row = await db.insertInto('delegations').values({ customerId, userId, role }).returning('id').executeTakeFirstOrThrow();
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
  if (before.role === 'owner' && role !== 'owner' && (await ownersLeft(db, customerId)) === 0) throw lastOwner();
  return { before, after: await findDelegation(db, customerId, before.id) };
}

export async function deleteDelegation(db: Db, customerId: string, id: string) {
  const before = await findDelegation(db, customerId, id);
  await db.deleteFrom('delegations').where('id', '=', before.id).execute();
  if (before.role === 'owner' && (await ownersLeft(db, customerId)) === 0) {
    const anyone = await db.selectFrom('delegations').select('id').where('customerId', '=', customerId).executeTakeFirst();
    if (anyone) throw lastOwner();
  }
  return before;
}
