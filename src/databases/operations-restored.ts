// A database a restore from a backup makes (src/backups): <db>_restored_<yyyymmdd>, a database of the
// hosting like any other (it counts against the offer's limit), on the hosting's database server, the
// users granted on the database it restores granted on it too (the hosting's user sees it at once).
import type { Change } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import type { HostingRow } from '../hosting/store-hostings.js';
import { findOffer } from '../offers/store.js';
import { assertQuota } from './rules.js';
import { countDatabases, databaseNameTaken, hostingSpace, insertDatabase } from './store-databases.js';
import { grantLike, hostingDatabaseNamed } from './store-restored.js';
import { databasesChanged, placement } from './operations-placement.js';

/** The hosting's database of this name (its id and server), or undefined. */
export const databaseOfHosting = (c: Change, hostingId: string, name: string) => hostingDatabaseNamed(c.db, hostingId, name);

/** Makes the database `target` for a restore of `source` (in the caller's change, whose audit entry names it); returns its server. */
export async function makeRestoredDatabase(c: Change, hosting: HostingRow, source: string, target: string): Promise<{ id: string; serverId: string }> {
  const offer = await findOffer(c.db, hosting.offerId);
  assertQuota('databases', offer, await countDatabases(c.db, hosting.id));
  if (await databaseNameTaken(c.db, target)) throw fieldError('database.name_taken', 'body.part', `the hosting already has a database named ${target}`, { name: target });
  const from = await hostingDatabaseNamed(c.db, hosting.id, source);
  const serverId = from?.serverId ?? (await placement(c.db, hosting.id));
  const space = await hostingSpace(c.db, hosting.id);
  const id = await insertDatabase(c.db, { hostingId: hosting.id, serverId, name: target, readOnlySince: space.readOnlySince });
  if (from) await grantLike(c.db, from.id, id);
  await databasesChanged(c, hosting, serverId, `database ${target} created for a restore`);
  return { id, serverId };
}
