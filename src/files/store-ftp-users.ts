// FTP users of hostings: rows (a password's SHA-512 crypt string, never the password).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { notFound } from '../platform/errors.js';
import type { Stamp } from '../platform/store-revision.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { uuidLike } from '../platform/validation.js';
import type { FtpUserRow } from './model-ftp.js';

const base = (db: Db) =>
  db.selectFrom('ftpUsers')
    .innerJoin('hostings', 'hostings.id', 'ftpUsers.hostingId')
    .leftJoin('servers', 'servers.id', 'hostings.serverId');

const columns = [
  'ftpUsers.id', 'ftpUsers.name', 'ftpUsers.hostingId', 'hostings.name as hostingName', 'hostings.status as hostingStatus', 'hostings.customerId',
  'hostings.serverId', 'servers.name as serverName', 'servers.addresses as serverAddresses', 'ftpUsers.folder', 'ftpUsers.passwordHash',
  'ftpUsers.passwordChangedAt', 'ftpUsers.enabled', 'ftpUsers.revision', 'ftpUsers.createdAt', 'ftpUsers.updatedAt',
] as const;

/** Finds an FTP user by id or name within the visible customers (null = all). */
export async function findFtpUser(db: Db, ref: string, scope: string[] | null = null): Promise<FtpUserRow> {
  let q = base(db).select([...columns]);
  if (uuidLike.test(ref)) q = q.where('ftpUsers.id', '=', ref);
  else if (/^[a-z0-9_-]{1,32}$/.test(ref)) q = q.where('ftpUsers.name', '=', ref);
  else throw notFound('ftp_user');
  if (scope) {
    if (!scope.length) throw notFound('ftp_user');
    q = q.where('hostings.customerId', 'in', scope);
  }
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('ftp_user');
  return row as FtpUserRow;
}

export async function listFtpUsers(db: Db, hostingId: string, query: ListQuery) {
  return paginate(
    base(db).where('ftpUsers.hostingId', '=', hostingId),
    {
      search: ['ftp_users.name', 'ftp_users.folder'],
      sorts: { name: 'ftp_users.name', createdAt: 'ftp_users.created_at', folder: 'ftp_users.folder' },
      defaultSort: 'name',
      idColumn: 'ftp_users.id',
    },
    query,
    (q) => q.select([...columns]),
  ) as Promise<{ items: FtpUserRow[]; nextCursor: string | null; total: number }>;
}

/** The file-transfer accounts of a hosting: its SFTP and FTP users (the offer's maxFtpUsers counts both). */
export async function countTransferUsers(db: Db, hostingId: string): Promise<number> {
  const r = await sql<{ n: string }>`
    SELECT (SELECT count(*) FROM sftp_users WHERE hosting_id = ${hostingId}) + (SELECT count(*) FROM ftp_users WHERE hosting_id = ${hostingId}) AS n
  `.execute(db);
  return Number(r.rows[0]!.n);
}

/** A name is one file-transfer account: taken by an FTP or an SFTP user. */
export async function transferUserNameTaken(db: Db, name: string): Promise<boolean> {
  const ftp = await db.selectFrom('ftpUsers').select('id').where('name', '=', name).executeTakeFirst();
  return !!ftp || !!(await db.selectFrom('sftpUsers').select('id').where('name', '=', name).executeTakeFirst());
}

export async function insertFtpUser(db: Db, u: { hostingId: string; name: string; folder: string; passwordHash: string; enabled: boolean; now: Date }): Promise<string> {
  const { now, ...values } = u;
  const row = await db.insertInto('ftpUsers').values({ ...values, passwordChangedAt: now, createdAt: now, updatedAt: now }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateFtpUser(db: Db, id: string, set: { folder?: string; enabled?: boolean; passwordHash?: string }, now: Date): Promise<void> {
  const values: Record<string, unknown> = { ...set, updatedAt: now };
  if (set.passwordHash !== undefined) values.passwordChangedAt = now;
  await db.updateTable('ftpUsers').set(values).where('id', '=', id).execute();
}

export async function deleteFtpUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('ftpUsers').where('id', '=', id).execute();
}

/** What a change to a user stamps: the user (its web server reports on it). */
export const ftpStamps = (userIds: string[]): Stamp[] => [{ table: 'ftp_users', ids: userIds }];
