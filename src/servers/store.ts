import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../platform/db/database.js';
import { AppError, fieldError, notFound } from '../platform/errors.js';
import { paginate, type ListQuery } from '../platform/store-list.js';
import { digest, randomSecret } from '../platform/secrets.js';
import { uuidLike } from '../platform/validation.js';
import type { ServerRow } from './model.js';
import { serversChanged } from './store-provisioning.js';
import type { ServerQuery } from '../platform/store-revision.js';

export async function findServer(db: Db, ref: string, opts: { lock?: boolean } = {}): Promise<ServerRow> {
  let q = db.selectFrom('servers').selectAll().where(uuidLike.test(ref) ? 'id' : 'name', '=', ref);
  if (opts.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('server');
  return row as ServerRow;
}

async function assertNameFree(db: Db, name: string, id?: string) {
  const other = await db.selectFrom('servers').select('id').where('name', '=', name).executeTakeFirst();
  if (other && other.id !== id) throw fieldError('server.name_taken', 'body.name', `a server named ${name} already exists`, { name });
}

export async function createServer(db: Db, s: { name: string; roles: string[]; addresses: string[]; publicAddresses: string[] }) {
  await assertNameFree(db, s.name);
  const token = 'abria_' + randomSecret();
  const row = await db
    .insertInto('servers')
    .values({ name: s.name, roles: [...new Set(s.roles)], addresses: [...new Set(s.addresses)], publicAddresses: [...new Set(s.publicAddresses)], agentTokenHash: digest(token), lastContactAt: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  serversChanged(db);
  return { row: row as ServerRow, token };
}

export async function updateServer(db: Db, id: string, s: Partial<{ name: string; roles: string[]; addresses: string[]; publicAddresses: string[] }>, now: Date) {
  if (s.name) await assertNameFree(db, s.name, id);
  const row = (await db
    .updateTable('servers')
    .set({ ...s, ...(s.roles ? { roles: [...new Set(s.roles)] } : {}), updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as ServerRow;
  serversChanged(db);
  return row;
}

export async function rotateServerToken(db: Db, id: string, now: Date) {
  const token = 'abria_' + randomSecret();
  await db.updateTable('servers').set({ agentTokenHash: digest(token), updatedAt: now }).where('id', '=', id).execute();
  return token;
}

export async function deleteServer(db: Db, id: string) {
  const used = await db.selectFrom('hostings').select('name').where('serverId', '=', id).where('status', '!=', 'terminated').executeTakeFirst();
  if (used) throw new AppError('server.in_use', `hosting ${used.name} lives on this server; move it first`, { params: { hosting: used.name } });
  // the databases table belongs to src/databases (above servers): read here by name, like stampManagedZones
  const held = await db.selectFrom('databases').innerJoin('hostings', 'hostings.id', 'databases.hostingId').select(['databases.name', 'hostings.name as hosting'])
    .where('databases.serverId', '=', id).executeTakeFirst()
    ?? await db.selectFrom('databaseUsers').innerJoin('hostings', 'hostings.id', 'databaseUsers.hostingId').select(['databaseUsers.name', 'hostings.name as hosting'])
      .where('databaseUsers.serverId', '=', id).executeTakeFirst();
  if (held) throw new AppError('server.in_use', `${held.name} of hosting ${held.hosting} lives on this server; remove it first`, { params: { hosting: held.hosting } });
  await db.deleteFrom('servers').where('id', '=', id).execute();
  serversChanged(db);
}

export async function listServers(db: Db, query: ListQuery) {
  return paginate(
    db.selectFrom('servers'),
    {
      search: ['servers.name', 'servers.roles', 'servers.addresses'],
      sorts: { name: 'servers.name', createdAt: 'servers.created_at', reachedRevision: 'servers.reached_revision' },
      defaultSort: 'name',
      idColumn: 'servers.id',
    },
    query,
    (q) => q.selectAll(),
  ) as Promise<{ items: ServerRow[]; nextCursor: string | null; total: number }>;
}

/**
 * Managed zones publish the edges' addresses: stamping them with a revision makes the DNS servers
 * publish them again (the zones table belongs to dns, which sits above servers and reads it back).
 */
export async function stampManagedZones(db: Db, revision: number): Promise<void> {
  await db.updateTable('zones').set({ revision }).where('dns', '=', 'managed').execute();
}

/** Servers that must apply a change to a hosting: every edge and DNS server, and the hosting's web server. */
export function serversAffectedBy(hostingServerId: string | null): ServerQuery {
  // an expression, not a query: the revision that names them is written with it (Change.bump)
  return { select: affectedServers, param: hostingServerId };
}
const affectedServers = (serverId: unknown) => sql<string[]>`ARRAY(SELECT id FROM servers WHERE roles && ARRAY['edge','dns']::text[] OR id = ${serverId}::uuid)`;

/** The web server with the fewest live hostings, for placing a new hosting (null if there is none): an expression of the statement that inserts it. */
export function webServerToPick(): RawBuilder<string | null> {
  return sql<string | null>`(SELECT servers.id FROM servers LEFT JOIN hostings ON hostings.server_id = servers.id AND hostings.status != 'terminated'
    WHERE 'web' = ANY(servers.roles) GROUP BY servers.id ORDER BY count(hostings.id), servers.name LIMIT 1)`;
}

/** The server record of the machine the manager runs on (created on first start: roles edge + web). */
export async function ensureLocalServer(db: Db, name: string): Promise<ServerRow> {
  const existing = await db.selectFrom('servers').selectAll().where('local', '=', true).executeTakeFirst();
  if (existing) return existing as ServerRow;
  const taken = await db.selectFrom('servers').select('id').where('name', '=', name).executeTakeFirst();
  const row = await db
    .insertInto('servers')
    .values({ name: taken ? `${name}-local` : name, roles: ['edge', 'web'], addresses: ['127.0.0.1'], agentTokenHash: digest(randomSecret()), lastContactAt: null, local: true })
    .returningAll()
    .executeTakeFirstOrThrow();
  serversChanged(db);
  // hostings created while no web server existed now live here
  await db.updateTable('hostings').set({ serverId: row.id }).where('serverId', 'is', null).where('status', '!=', 'terminated').execute();
  return row as ServerRow;
}

/** The digest of settings last published (the audit entry `action` that published them), or null. */
export async function lastPublishedSettings(db: Db, action: string): Promise<string | null> {
  const row = await db.selectFrom('auditLog').select('after').where('action', '=', action).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return ((row?.after ?? null) as { settings?: string } | null)?.settings ?? null;
}
