// A site's provisioning state, from what its servers (its web server and every edge) reported.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../platform/db/database.js';

export const provisioningOut = z.object({
  status: z.enum(['pending', 'rendered', 'live', 'error']).describe(
    'pending: not yet applied everywhere · rendered: written on a render-only node, not served · live: served · error: see message',
  ),
  message: z.string().nullable(),
  servers: z.array(z.object({ serverId: z.string(), name: z.string(), status: z.enum(['pending', 'rendered', 'live', 'error']), message: z.string().nullable(), at: z.string().nullable() })),
});
export type Provisioning = z.infer<typeof provisioningOut>;

interface SiteRef { id: string; revision: number | string; serverId: string | null }

/** Provisioning of each given site (one query for states, one for edge servers). */
export async function provisioningOf(db: Db, sites: SiteRef[]): Promise<Map<string, Provisioning>> {
  const out = new Map<string, Provisioning>();
  if (!sites.length) return out;
  const servers = await db.selectFrom('servers').select(['id', 'name', 'roles', 'mode']).execute();
  const names = new Map(servers.map((s) => [s.id, s.name]));
  const edges = servers.filter((s) => s.roles.includes('edge')).map((s) => s.id);
  const states = await db
    .selectFrom('objectStates')
    .select(['serverId', 'objectId', 'status', 'message', 'revision', 'updatedAt'])
    .where('kind', '=', 'site')
    .where('objectId', 'in', sites.map((s) => s.id))
    .execute();
  const byKey = new Map(states.map((s) => [`${s.serverId}/${s.objectId}`, s]));
  for (const site of sites) {
    const concerned = [...new Set([...(site.serverId ? [site.serverId] : []), ...edges])];
    const perServer = concerned.map((serverId) => {
      const s = byKey.get(`${serverId}/${site.id}`);
      const current = s && Number(s.revision) >= Number(site.revision);
      return {
        serverId,
        name: names.get(serverId) ?? serverId,
        status: current ? s.status : ('pending' as const),
        message: current ? s.message : null,
        at: s ? new Date(s.updatedAt).toISOString() : null,
      };
    });
    const failed = perServer.find((p) => p.status === 'error');
    let status: Provisioning['status'];
    let message: string | null = null;
    if (!site.serverId) {
      status = 'pending';
      message = 'no web server: register a server with the web role, then move the hosting to it';
    } else if (failed) {
      status = 'error';
      message = `${failed.name}: ${failed.message ?? 'failed'}`;
    } else if (perServer.some((p) => p.status === 'pending')) {
      status = 'pending';
    } else if (perServer.some((p) => p.status === 'rendered')) {
      status = 'rendered';
      message = 'render-only node: the configuration was written, not applied (start the manager with --apply to serve it)';
    } else {
      status = 'live';
    }
    out.set(site.id, { status, message, servers: perServer });
  }
  return out;
}

/** Number of objects in error per server (for the servers list). */
export async function errorCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('objectStates')
    .select(['serverId', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'error')
    .groupBy('serverId')
    .execute();
  return new Map(rows.map((r) => [r.serverId, Number(r.n)]));
}
