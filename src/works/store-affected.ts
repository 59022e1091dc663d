// Which hostings a work affects, computed when read (never stored): every hosting for a work on the
// platform; else the hostings with a service on one of its servers — its servers by id and the
// servers with one of its roles — where the hosting's sites are served (its web server), its
// databases and its mail domains live. Edge and DNS servers serve every hosting.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { inScope } from '../platform/store-scope.js';

/** SQL: the work row `works` affects the hosting row `h`. */
export const affects = sql<boolean>`(works.affects_platform OR EXISTS (
  SELECT 1 FROM servers s
  WHERE (s.id = ANY(works.affects_servers) OR s.roles && works.affects_roles)
    AND (s.roles && ARRAY['edge', 'dns']::text[]
      OR s.id = h.server_id
      OR EXISTS (SELECT 1 FROM databases d WHERE d.hosting_id = h.id AND d.server_id = s.id)
      OR EXISTS (SELECT 1 FROM mail_domains m WHERE m.hosting_id = h.id AND m.server_id = s.id))))`;

/** SQL: the work row `works` affects a live hosting of these customers (or this hosting). */
export function affectsAny(filter: { scope?: string[]; hostingId?: string }): RawBuilder<boolean> {
  const scope = filter.scope ? sql`AND ${inScope('h.customer_id', filter.scope)}` : sql``;
  const one = filter.hostingId ? sql`AND h.id = ${filter.hostingId}` : sql``;
  return sql<boolean>`EXISTS (SELECT 1 FROM hostings h WHERE h.status <> 'terminated' ${scope} ${one} AND ${affects})`;
}

/** How many live hostings and customers a work affects (within `scope`), and the first hostings by name. */
export async function affectedBy(db: Db, workId: string, scope: string[] | null, first = 100) {
  const within = scope ? sql`AND ${inScope('h.customer_id', scope)}` : sql``;
  const { rows } = await sql<{ id: string; name: string; customerId: string }>`
    SELECT h.id, h.name, h.customer_id AS "customerId"
    FROM works, hostings h
    WHERE works.id = ${workId} AND h.status <> 'terminated' ${within} AND ${affects}
    ORDER BY h.name`.execute(db);
  const customers = new Set(rows.map((r) => r.customerId)).size;
  return { hostings: rows.length, customers, yours: rows.slice(0, first).map((r) => ({ id: r.id, name: r.name })) };
}
