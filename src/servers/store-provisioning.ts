// Provisioning states of objects (sites, zones, certificates), from what its servers (its web server and every edge) reported.
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { ServerQuery } from '../platform/store-revision.js';
import { prepared } from '../platform/db/prepared.js';
import { CommittedCache } from '../platform/committed-cache.js';
import type { Provisioning } from './model.js';

type State = Provisioning['status'];

/** An object whose state several servers report: its id, the revision it last changed at, the servers concerned. */
export interface ObjectRef { id: string; revision: number | string; servers: string[] }

/**
 * Provisioning of each object of one kind, from what the concerned servers reported: a report older
 * than the object's last change reads "pending"; any error wins; then pending, then rendered; else live.
 */
export async function objectProvisioning(db: Db, kind: string, objects: ObjectRef[], known?: ServerBrief[], opts: { created?: boolean } = {}): Promise<Map<string, Provisioning>> {
  const out = new Map<string, Provisioning>();
  if (!objects.length) return out;
  const servers = known ?? (await serverBriefsFor(db, opts));
  const names = new Map(servers.map((s) => [s.id, s.name]));
  // a server writes only the states that changed: the others are current as of the revision it reached
  const reached = new Map(servers.map((s) => [s.id, Number(s.reachedRevision ?? 0)]));
  // objects created by the calling transaction have no state yet
  const states = opts.created ? [] : await db
    .selectFrom('objectStates')
    .select(['serverId', 'objectId', 'status', 'message', 'code', 'params', 'revision', 'updatedAt'])
    .where('kind', '=', kind)
    .where('objectId', 'in', objects.map((o) => o.id))
    .execute();
  const byKey = new Map(states.map((s) => [`${s.serverId}/${s.objectId}`, s]));
  for (const o of objects) {
    const perServer = [...new Set(o.servers)].map((serverId) => {
      const s = byKey.get(`${serverId}/${o.id}`);
      const current = s && Math.max(Number(s.revision), reached.get(serverId) ?? 0) >= Number(o.revision);
      return {
        serverId,
        name: names.get(serverId) ?? serverId,
        status: current ? s.status : ('pending' as const),
        message: current ? s.message : null,
        code: current ? s.code : null,
        ...(current && s.params ? { params: s.params } : {}),
        at: s ? new Date(s.updatedAt).toISOString() : null,
      };
    });
    const failed = perServer.find((p) => p.status === 'error');
    let status: State = 'live';
    let message: string | null = null;
    let code: string | null = null;
    let params: Provisioning['params'];
    if (failed) {
      status = 'error';
      message = `${failed.name}: ${failed.message ?? 'failed'}`;
      code = failed.code ?? null;
      params = { ...failed.params, server: failed.name };
    } else if (perServer.some((p) => p.status === 'pending')) status = 'pending';
    else if (perServer.some((p) => p.status === 'rendered')) {
      status = 'rendered';
      message = 'render-only node: the configuration was written, not applied (start the manager with --apply to serve it)';
      code = 'provisioning.render_only';
    }
    out.set(o.id, { status, message, code, ...(params ? { params } : {}), servers: perServer });
  }
  return out;
}

export type ServerBrief = { id: string; name: string; reachedRevision: number | string | null; roles: string[] };
/** Every server with its name, roles and progress (one query for the views of provisioning states). */
export const serverBriefs = (db: Db): Promise<ServerBrief[]> => briefs.all(db, {});
const briefs = prepared((db) => db.selectFrom('servers').select(['id', 'name', 'reachedRevision', 'roles']));

/**
 * The servers' names and roles without their progress (reachedRevision null), read at most once a
 * second unless a server is added, changed or removed (servers/store.ts): what the view of an
 * object a change just created needs (its states are all pending), on every write of an import.
 */
const namesAndRoles = new CommittedCache<ServerBrief[]>(1000, 1);
const serverNames = (db: Db) => namesAndRoles.read(db, 'all', async () => (await serverBriefs(db)).map((s) => ({ ...s, reachedRevision: null })));
/** Called by the stores that add, change or remove servers. */
export const serversChanged = (db: Db): void => namesAndRoles.changed(db);
/** The servers for views of objects: their names and roles only for objects just created. */
export const serverBriefsFor = (db: Db, opts: { created?: boolean }): Promise<ServerBrief[]> => (opts.created ? serverNames(db) : serverBriefs(db));

/** Servers having a role, as an expression evaluated by the statement writing a revision (Change.bump). */
export const serversHaving = (role: string): ServerQuery => ({ select: havingRole, param: role });
const havingRole = (role: unknown) => sql<string[]>`ARRAY(SELECT id FROM servers WHERE ${role}::text = ANY(roles))`;

/** Servers having a role. */
export async function serversWithRole(db: Db, role: string): Promise<string[]> {
  return (await db.selectFrom('servers').select('id').where(sql<boolean>`${role} = ANY(roles)`).execute()).map((s) => s.id);
}

interface SiteRef { id: string; revision: number | string; serverId: string | null }

/** Provisioning of each given site: its web server and every edge. */
export async function provisioningOf(db: Db, sites: SiteRef[], opts: { created?: boolean } = {}): Promise<Map<string, Provisioning>> {
  if (!sites.length) return new Map();
  const servers = await serverBriefsFor(db, opts); // one query for the edges and the servers' progress
  const edges = servers.filter((s) => s.roles.includes('edge')).map((s) => s.id);
  const out = await objectProvisioning(db, 'site', sites.map((s) => ({ id: s.id, revision: s.revision, servers: [...(s.serverId ? [s.serverId] : []), ...edges] })), servers, opts);
  for (const s of sites) {
    if (s.serverId) continue;
    out.set(s.id, { ...out.get(s.id)!, status: 'pending', message: 'no web server: register a server with the web role, then move the hosting to it', code: 'provisioning.no_web_server' });
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
