// Snapshots in the database: only the count of those asked for on demand (the snapshots themselves
// live on the web server, which is asked for them).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';

/** Counts one more snapshot asked for on demand; returns the new count. */
export async function requestSnapshot(db: Db, hostingId: string): Promise<number> {
  const row = await db.updateTable('hostings').set({ snapshotRequests: sql`snapshot_requests + 1` }).where('id', '=', hostingId).returning('snapshotRequests').executeTakeFirstOrThrow();
  return row.snapshotRequests;
}
