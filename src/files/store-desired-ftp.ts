// What a web server's Pure-FTPd must serve: the FTP users of the hostings placed on it, and the
// platform certificate for its TLS (when one is issued and valid).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredState } from '../node/protocol.js';

/**
 * The FTP users of a web server's hostings. Users of a terminated hosting are sent inactive until
 * its purge is asked; then they are no longer wanted.
 */
export async function ftpServerState(db: Db, serverId: string, now = new Date()): Promise<NonNullable<DesiredState['ftp']>> {
  const users = await db
    .selectFrom('ftpUsers')
    .innerJoin('hostings', 'hostings.id', 'ftpUsers.hostingId')
    .select([
      'ftpUsers.id', 'ftpUsers.name', 'hostings.name as hosting', 'hostings.uid', 'hostings.home', 'ftpUsers.folder', 'ftpUsers.passwordHash',
      sql<boolean>`ftp_users.enabled AND hostings.status = 'active'`.as('active'),
    ])
    .where('hostings.serverId', '=', serverId)
    .where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('ftpUsers.name')
    .execute();
  const cert = await db.selectFrom('certificates').select(['id', 'fingerprint'])
    .where('kind', '=', 'platform').where('certPem', 'is not', null).where('keySealed', 'is not', null).where('notAfter', '>', now)
    .executeTakeFirst();
  return { users, certificate: cert?.fingerprint ? { id: cert.id, fingerprint: cert.fingerprint } : null };
}
