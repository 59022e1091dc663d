// Invitations: a customer's (email + role) or an account's activation link (a staff-created account
// without a password). Only the SHA-256 of the link's secret is stored; a link works once, until it expires.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import { digest, randomSecret } from '../platform/secrets.js';
import { uuidLike } from '../platform/validation.js';
import type { DelegationRole } from '../platform/actor.js';
import type { InvitationRow } from './model-customers.js';

const columns = [
  'invitations.id', 'invitations.customerId', 'invitations.userId', 'invitations.email', 'invitations.role',
  'invitations.expiresAt', 'invitations.createdAt', 'inviter.email as invitedByEmail',
] as const;

const base = (db: Db) => db.selectFrom('invitations').leftJoin('users as inviter', 'inviter.id', 'invitations.invitedBy');

export interface NewInvitation {
  customerId: string;
  email: string;
  role: DelegationRole;
  invitedBy: string | null;
  expiresAt: Date;
}

/** Invites an email to a customer; a pending invitation of the same email there is replaced. */
export async function createInvitation(db: Db, i: NewInvitation, now: Date): Promise<{ row: InvitationRow; secret: string }> {
  await db
    .updateTable('invitations')
    .set({ revokedAt: now })
    .where('customerId', '=', i.customerId)
    .where(sql<boolean>`lower(email) = lower(${i.email})`)
    .where('acceptedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .execute();
  const secret = randomSecret();
  const { id } = await db
    .insertInto('invitations')
    .values({ ...i, tokenHash: digest(secret), createdAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { row: await findInvitation(db, i.customerId, id), secret };
}

/** The activation link of an account created without a password (an earlier link of it stops working). */
export async function createActivation(db: Db, user: { id: string; email: string }, invitedBy: string | null, expiresAt: Date, now: Date): Promise<string> {
  await db.updateTable('invitations').set({ revokedAt: now }).where('userId', '=', user.id).where('acceptedAt', 'is', null).where('revokedAt', 'is', null).execute();
  const secret = randomSecret();
  await db.insertInto('invitations').values({ userId: user.id, email: user.email, tokenHash: digest(secret), invitedBy, expiresAt, createdAt: now }).execute();
  return secret;
}

/** The customer's invitations still waiting for their recipient (expired ones too: they can be renewed). */
export async function listInvitations(db: Db, customerId: string): Promise<InvitationRow[]> {
  return base(db)
    .select(columns)
    .where('invitations.customerId', '=', customerId)
    .where('invitations.acceptedAt', 'is', null)
    .where('invitations.revokedAt', 'is', null)
    .orderBy('invitations.createdAt')
    .orderBy('invitations.id')
    .execute() as Promise<InvitationRow[]>;
}

/** A waiting invitation of the customer, by id. */
export async function findInvitation(db: Db, customerId: string, ref: string): Promise<InvitationRow> {
  if (!uuidLike.test(ref)) throw notFound('invitation');
  const row = await base(db)
    .select(columns)
    .where('invitations.id', '=', ref)
    .where('invitations.customerId', '=', customerId)
    .where('invitations.acceptedAt', 'is', null)
    .where('invitations.revokedAt', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound('invitation');
  return row as InvitationRow;
}

export async function revokeInvitation(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('invitations').set({ revokedAt: now }).where('id', '=', id).execute();
}

/** A new secret and expiry for a waiting invitation (the old link stops working). */
export async function renewInvitation(db: Db, customerId: string, id: string, expiresAt: Date): Promise<{ row: InvitationRow; secret: string }> {
  const secret = randomSecret();
  await db.updateTable('invitations').set({ tokenHash: digest(secret), expiresAt }).where('id', '=', id).execute();
  return { row: await findInvitation(db, customerId, id), secret };
}

export interface LinkRow extends InvitationRow {
  customerNumber: number | null;
  customerName: string | null;
}

/** The waiting invitation behind a link's secret (locked when asked, to be accepted once), or undefined. */
export async function findBySecret(db: Db, secret: string, opts: { lock?: boolean } = {}): Promise<LinkRow | undefined> {
  let q = base(db)
    .leftJoin('customers', 'customers.id', 'invitations.customerId')
    .select([...columns, 'customers.number as customerNumber', 'customers.name as customerName'])
    .where('invitations.tokenHash', '=', digest(secret))
    .where('invitations.acceptedAt', 'is', null)
    .where('invitations.revokedAt', 'is', null);
  if (opts.lock) q = q.forUpdate('invitations');
  return q.executeTakeFirst() as Promise<LinkRow | undefined>;
}

export async function markAccepted(db: Db, id: string, userId: string, now: Date): Promise<void> {
  await db.updateTable('invitations').set({ acceptedAt: now, acceptedBy: userId }).where('id', '=', id).execute();
}
