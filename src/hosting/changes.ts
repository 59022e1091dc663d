// Every change to a hosting or its sites bumps the revision for the servers concerned, and stamps
// the changed objects with it, so a server's report older than the change reads as "pending".
import type { Db } from '../platform/db/database.js';
import { bumpRevision } from '../platform/revision.js';
import { serversAffectedBy } from '../servers/store.js';

export async function hostingChanged(
  db: Db,
  hosting: { id: string; serverId: string | null },
  reason: string,
  opts: { siteId?: string; alsoServer?: string | null } = {},
): Promise<number> {
  const servers = await serversAffectedBy(db, hosting.serverId);
  if (opts.alsoServer) servers.push(opts.alsoServer);
  const revision = await bumpRevision(db, reason, servers);
  if (opts.siteId) {
    await db.updateTable('sites').set({ revision }).where('id', '=', opts.siteId).execute();
  } else {
    await db.updateTable('sites').set({ revision }).where('hostingId', '=', hosting.id).execute();
  }
  await db.updateTable('hostings').set({ revision }).where('id', '=', hosting.id).execute();
  return revision;
}
