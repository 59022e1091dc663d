// SFTP users of hostings and their public keys: rows (a password's SHA-512 crypt string, never the password).
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import type { Stamp } from '../platform/store-revision.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { SftpKeyRow, SftpUserRow } from './model.js';

const base = (db: Db) =>
  db.selectFrom('sftpUsers')
    .innerJoin('hostings', 'hostings.id', 'sftpUsers.hostingId')
    .leftJoin('servers', 'servers.id', 'hostings.serverId');

const columns = [
  'sftpUsers.id', 'sftpUsers.name', 'sftpUsers.hostingId', 'hostings.name as hostingName', 'hostings.status as hostingStatus', 'hostings.customerId', 'hostings.home as hostingHome',
  'hostings.serverId', 'servers.name as serverName', 'servers.addresses as serverAddresses', 'sftpUsers.folder', 'sftpUsers.passwordHash',
  'sftpUsers.passwordChangedAt', 'sftpUsers.enabled', 'sftpUsers.shell', 'sftpUsers.revision', 'sftpUsers.createdAt', 'sftpUsers.updatedAt',
] as const;

/** Finds an SFTP user by id or name within the visible customers (null = all). */
export async function findSftpUser(db: Db, ref: string, scope: string[] | null = null): Promise<SftpUserRow> {
  let q = base(db).select([...columns]);
  if (uuidLike.test(ref)) q = q.where('sftpUsers.id', '=', ref);
  else if (/^[a-z0-9_-]{1,32}$/.test(ref)) q = q.where('sftpUsers.name', '=', ref);
  else throw notFound('sftp_user');
  if (scope) {
    if (!scope.length) throw notFound('sftp_user');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('sftp_user');
  return row as SftpUserRow;
}

export async function listSftpUsers(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    base(db).where('sftpUsers.hostingId', '=', hostingId),
    {
      search: ['sftp_users.name', 'sftp_users.folder'],
      sorts: { name: 'sftp_users.name', createdAt: 'sftp_users.created_at', folder: 'sftp_users.folder' },
      defaultSort: 'name',
      idColumn: 'sftp_users.id',
    },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: SftpUserRow[]; nextCursor: string | null; total: number }>;
}

/** The keys of these users, by user id. */
export async function keysOf(db: Db, userIds: string[]): Promise<Map<string, SftpKeyRow[]>> {
  const out = new Map<string, SftpKeyRow[]>(userIds.map((id) => [id, []]));
  if (!userIds.length) return out;
  const rows = await db.selectFrom('sftpKeys').selectAll().where('userId', 'in', userIds).orderBy('createdAt').orderBy('fingerprint').execute();
  for (const k of rows) out.get(k.userId)?.push(k as SftpKeyRow);
  return out;
}

export async function insertSftpUser(db: Db, u: { hostingId: string; name: string; folder: string; passwordHash: string | null; enabled: boolean; shell: boolean; now: Date }): Promise<string> {
  const { now, ...values } = u;
  const row = await db.insertInto('sftpUsers').values({ ...values, passwordChangedAt: u.passwordHash ? now : null, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSftpUser(db: Db, id: string, set: { folder?: string; enabled?: boolean; shell?: boolean; passwordHash?: string | null }, now: Date): Promise<void> {
  const values: Record<string, unknown> = { ...set, updatedAt: now };
  if (set.passwordHash !== undefined) values.passwordChangedAt = set.passwordHash ? now : null;
  await db.updateTable('sftpUsers').set(values).where('id', '=', id).execute();
}

export async function deleteSftpUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sftpUsers').where('id', '=', id).execute();
}

export async function insertKey(db: Db, userId: string, k: { type: string; blob: string; bits: number; fingerprint: string; comment: string }, now: Date): Promise<void> {
  await db.insertInto('sftpKeys').values({ userId, ...k, createdAt: now }).execute();
  await db.updateTable('sftpUsers').set({ updatedAt: now }).where('id', '=', userId).execute();
}

/** Removes a key of a user by id or fingerprint; false when it has none such. */
export async function deleteKey(db: Db, userId: string, ref: string, now: Date): Promise<SftpKeyRow | null> {
  let q = db.deleteFrom('sftpKeys').where('userId', '=', userId);
  q = uuidLike.test(ref) ? q.where('id', '=', ref) : q.where('fingerprint', '=', ref.startsWith('SHA256:') ? ref : `SHA256:${ref}`);
  const row = await q.returningAll().executeTakeFirst();
  if (row) await db.updateTable('sftpUsers').set({ updatedAt: now }).where('id', '=', userId).execute();
  return (row as SftpKeyRow | undefined) ?? null;
}

/** What a change to a user stamps: the user (its web server reports on it). */
export const sftpStamps = (userIds: string[]): Stamp[] => [{ table: 'sftp_users', ids: userIds }];
