import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { recordAudit } from '../platform/store-audit.js';
import { bumpRevision } from '../platform/store-revision.js';
import { serverCreate, serverOut, serverPatch, showServer } from './model.js';
import { createServer, deleteServer, findServer, listServers, rotateServerToken, updateServer } from './store.js';
import { renumberZones } from '../dns/store-zones.js';
import type { Db } from '../platform/db/database.js';
import type { ServerRow } from './model.js';
import { sql } from 'kysely';

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const published = (s: ServerRow) => (s.roles.includes('edge') ? (s.publicAddresses.length ? s.publicAddresses : s.addresses) : []);
/** The addresses zones publish for the edges change when an edge's public addresses (or its edge role) change. */
const edgeAddressesChanged = (before: ServerRow, after: ServerRow) => !same(published(before), published(after));

/** Adds every edge to the servers a revision concerns. */
async function edgesToo(db: Db, revision: number) {
  const ids = (await db.selectFrom('servers').select('id').where(sql<boolean>`'edge' = ANY(roles)`).execute()).map((r) => r.id);
  if (ids.length) await db.updateTable('revisions').set({ serverIds: sql<string[]>`array(SELECT DISTINCT unnest(server_ids || ${ids}::uuid[]))` }).where('id', '=', revision).execute();
}

const withToken = serverOut.extend({ agentToken: z.string().describe('shown once: give it to `abri agent --token`') });

export const serverRoutes = [
  route({
    method: 'GET', path: '/api/v1/servers', summary: 'List servers with their roles, last contact and reached revision', tag: 'servers',
    access: 'staff', query: listQuery, response: listOf(serverOut),
    async handler({ app, query }) {
      const page = await listServers(app.db, query);
      return { ...page, items: page.items.map(showServer) };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/servers', summary: 'Register a server (returns its agent token once)', tag: 'servers', access: 'admin',
    status: 201, body: serverCreate, response: withToken,
    async handler({ app, actor, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const { row, token } = await createServer(trx, body);
        await recordAudit(trx, { actor, address: req.address }, { action: 'server.create', targetType: 'server', targetId: row.id, target: row.name, after: body });
        const revision = await bumpRevision(trx, `server ${row.name} created`, [row.id]);
        if (row.roles.includes('edge')) await renumberZones(trx, `edge ${row.name} added`, revision);
        return { ...showServer(row), agentToken: token };
      });
    },
  }),
  route({
    method: 'GET', path: '/api/v1/servers/{id}', summary: 'Show a server (id or name)', tag: 'servers', access: 'staff', params: idParams, response: serverOut,
    async handler({ app, params }) {
      return showServer(await findServer(app.db, params.id));
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/servers/{id}', summary: 'Change a server\'s name, roles or addresses', tag: 'servers', access: 'admin',
    params: idParams, body: serverPatch, response: serverOut,
    async handler({ app, actor, params, body, req }) {
      return app.db.transaction().execute(async (trx) => {
        const before = await findServer(trx, params.id);
        const after = await updateServer(trx, before.id, body);
        await recordAudit(trx, { actor, address: req.address }, { action: 'server.update', targetType: 'server', targetId: after.id, target: after.name, before: showServer(before), after: body });
        const revision = await bumpRevision(trx, `server ${after.name} changed`, [after.id]);
        if (edgeAddressesChanged(before, after)) await renumberZones(trx, `edge ${after.name} renumbered`, revision);
        // edges forward to web servers by name and first address
        if (before.name !== after.name || !same(before.addresses, after.addresses) || !same(before.roles, after.roles)) await edgesToo(trx, revision);
        return showServer(after);
      });
    },
  }),
  route({
    method: 'POST', path: '/api/v1/servers/{id}/token', summary: 'Replace a server\'s agent token (the old one stops working)', tag: 'servers',
    access: 'admin', params: idParams, response: withToken,
    async handler({ app, actor, params, req }) {
      return app.db.transaction().execute(async (trx) => {
        const s = await findServer(trx, params.id);
        const token = await rotateServerToken(trx, s.id);
        await recordAudit(trx, { actor, address: req.address }, { action: 'server.rotate_token', targetType: 'server', targetId: s.id, target: s.name });
        return { ...showServer(s), agentToken: token };
      });
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/servers/{id}', summary: 'Remove a server no hosting lives on', tag: 'servers', access: 'admin', params: idParams, status: 204,
    async handler({ app, actor, params, req }) {
      await app.db.transaction().execute(async (trx) => {
        const s = await findServer(trx, params.id);
        await deleteServer(trx, s.id);
        if (s.roles.includes('edge')) await renumberZones(trx, `edge ${s.name} removed`);
        await recordAudit(trx, { actor, address: req.address }, { action: 'server.delete', targetType: 'server', targetId: s.id, target: s.name, before: showServer(s) });
      });
    },
  }),
];
