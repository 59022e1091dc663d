// What every change to a hosting's databases and users shares: the hosting locked and decided on,
// the database server they go to, and the revision that makes that server reconcile them.
import { customerScope } from '../platform/actor.js';
import { AppError } from '../platform/errors.js';
import type { Change } from '../platform/change.js';
import type { Db } from '../platform/db/database.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { databaseStamps, hostingDatabaseServer, pickDatabaseServer } from './store-databases.js';

/**
 * The server a hosting's new database or user goes to: where its others are (a hosting's databases
 * and users all live on one server), else the database server holding the fewest databases.
 */
export async function placement(db: Db, hostingId: string): Promise<string> {
  const serverId = (await hostingDatabaseServer(db, hostingId)) ?? (await pickDatabaseServer(db));
  if (!serverId) throw new AppError('database.no_server', 'no database server: the staff must register a server with the database role first');
  return serverId;
}

/** The hosting's database server must reconcile (its databases and users are stamped with this change's revision). */
export async function databasesChanged(c: Change, hosting: Pick<HostingRow, 'id'>, serverId: string, reason: string): Promise<number> {
  return c.bump(reason, [serverId], databaseStamps(hosting.id));
}

/** The hosting, locked for this change (quotas and names are checked under it), if the caller may manage its `what`. */
export async function lockedHosting(c: Change, ref: string, what: 'database' | 'database_user') {
  const hosting = await findHosting(c.db, ref, customerScope(c.caller.actor), { lock: true });
  c.may(hostingSubject(hosting, what), 'manage');
  return hosting;
}
