// What a web server's sshd must serve: the SFTP users of the hostings placed on it, read in two queries.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredSftpUser } from '../node/protocol.js';

/**
 * The SFTP users of a web server's hostings. Users of a terminated hosting are sent inactive until
 * its purge is asked; then they are no longer wanted and the server deletes their accounts.
 */
export async function sftpServerState(db: Db, serverId: string): Promise<{ users: DesiredSftpUser[] }> {
  const users = await db
    .selectFrom('sftpUsers')
    .innerJoin('hostings', 'hostings.id', 'sftpUsers.hostingId')
    .innerJoin('offers', 'offers.id', 'hostings.offerId')
    .select([
      'sftpUsers.id', 'sftpUsers.name', 'hostings.name as hosting', 'hostings.uid', 'hostings.home', 'sftpUsers.folder', 'sftpUsers.passwordHash',
      sql<boolean>`sftp_users.enabled AND hostings.status = 'active'`.as('active'),
      // an offer that no longer allows SSH takes the shell back at the next revision of the server
      sql<boolean>`sftp_users.shell AND offers.ssh_allowed`.as('shell'),
    ])
    .where('hostings.serverId', '=', serverId)
    .where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('sftpUsers.name')
    .execute();
  const keys = users.length
    ? await db.selectFrom('sftpKeys').innerJoin('sftpUsers', 'sftpUsers.id', 'sftpKeys.userId').innerJoin('hostings', 'hostings.id', 'sftpUsers.hostingId')
      .select(['sftpKeys.userId', 'sftpKeys.type', 'sftpKeys.blob']).where('hostings.serverId', '=', serverId).orderBy('sftpKeys.createdAt').orderBy('sftpKeys.fingerprint').execute()
    : [];
  const byUser = new Map<string, Array<{ type: string; blob: string }>>();
  for (const k of keys) (byUser.get(k.userId) ?? byUser.set(k.userId, []).get(k.userId)!).push({ type: k.type, blob: k.blob });
  return { users: users.map((u) => ({ ...u, keys: byUser.get(u.id) ?? [] })) };
}
