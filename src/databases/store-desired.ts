// What a database server must hold: the databases and users placed on it, read in two queries.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { DesiredDatabase, DesiredDatabaseUser } from '../node/protocol.js';

/**
 * The databases and users of a database server. A terminated hosting keeps them (locked) until its
 * purge is asked; then they are no longer wanted and the server drops them.
 */
export async function databaseServerState(db: Db, serverId: string): Promise<{ databases: DesiredDatabase[]; users: DesiredDatabaseUser[] }> {
  const databases = await db
    .selectFrom('databases')
    .innerJoin('hostings', 'hostings.id', 'databases.hostingId')
    .select(['databases.id', 'databases.name', sql<boolean>`databases.read_only_since IS NOT NULL`.as('readOnly')])
    .where('databases.serverId', '=', serverId)
    .where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('databases.name')
    .execute();
  const users = await db
    .selectFrom('databaseUsers')
    .innerJoin('hostings', 'hostings.id', 'databaseUsers.hostingId')
    .select([
      'databaseUsers.id', 'databaseUsers.name', 'databaseUsers.authString', 'databaseUsers.consoleAuth',
      sql<boolean>`hostings.status <> 'active'`.as('locked'),
      sql<string[]>`ARRAY(SELECT d.name FROM database_grants g JOIN databases d ON d.id = g.database_id WHERE g.user_id = database_users.id ORDER BY d.name)`.as('databases'),
    ])
    .where('databaseUsers.serverId', '=', serverId)
    .where('hostings.purgeRequestedAt', 'is', null)
    .orderBy('databaseUsers.name')
    .execute();
  return { databases, users };
}
