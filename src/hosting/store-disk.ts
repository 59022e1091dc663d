// The space each hosting's home uses, as its web server's agent measured it (kind `hosting-disk` in
// the agent's report): kept per hosting with whether its filesystem enforces the offer's limit.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { ObjectUsage } from '../node/protocol.js';

/**
 * Records what a server measured of its hostings' homes. Only the hostings placed on that server
 * are taken (a server never speaks for another's hostings); a hosting moved away keeps nothing stale:
 * its row is replaced by its new server's first measure.
 */
export async function recordDiskUsage(db: Db, serverId: string, usage: ObjectUsage[] | undefined, now: Date): Promise<void> {
  const rows = (usage ?? []).filter((u) => u.kind === 'hosting-disk');
  if (!rows.length) return;
  await sql`
    INSERT INTO hosting_disk_usage (hosting_id, server_id, used_bytes, enforced, measured_at)
    SELECT h.id, h.server_id, u.bytes, u.enforced, ${now}
    FROM unnest(${sql.val(rows.map((u) => u.id))}::text[], ${sql.val(rows.map((u) => u.bytes))}::bigint[], ${sql.val(rows.map((u) => u.enforced ?? false))}::boolean[]) AS u(id, bytes, enforced)
    JOIN hostings h ON h.id::text = u.id AND h.server_id = ${serverId}
    ON CONFLICT (hosting_id) DO UPDATE SET server_id = excluded.server_id, used_bytes = excluded.used_bytes, enforced = excluded.enforced, measured_at = excluded.measured_at`.execute(db);
}
