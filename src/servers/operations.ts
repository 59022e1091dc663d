// The verbs of servers: list, show, register, change, replace the agent token, remove. Routes, the
// CLI and future jobs call these; each change runs in change() (transaction, decision, audit, revision).
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import type { ListQuery } from '../platform/http/list.js';
import { serverView, type serverCreate, type serverPatch, type ServerRow, type ServerView } from './model.js';
import { isPolling } from './presence.js';
import { edgeAddressesChanged, edgesMustFollow, mailRecordsChanged, reachability } from './rules.js';
import { createServer, deleteServer, findServer, listServers, rotateServerToken, stampManagedZones, updateServer } from './store.js';
import { serversWithRole } from './store-provisioning.js';

export type ServerInput = z.output<typeof serverCreate>;
export type ServerPatch = z.output<typeof serverPatch>;

const viewOf = (app: AppContext, now: Date) => (s: ServerRow): ServerView =>
  serverView(s, reachability(s.lastContactAt, now, isPolling(app, s.id)));

/** Every managed zone publishes the edges again at this change's revision (its DNS servers apply it). */
async function republishZones(c: Change, reason: string): Promise<void> {
  const revision = await c.bump(reason, await serversWithRole(c.db, 'dns'));
  await stampManagedZones(c.db, revision);
}

export async function listServersOf(app: AppContext, caller: Caller, query: ListQuery) {
  assertStaff(caller.actor);
  const r = reader(app, caller);
  const page = await listServers(app.db, query);
  return { ...page, items: page.items.map(viewOf(app, r.now)) };
}

export async function showServerOf(app: AppContext, caller: Caller, ref: string) {
  assertStaff(caller.actor);
  const r = reader(app, caller);
  return viewOf(app, r.now)(await findServer(app.db, ref));
}

/** Registers a server; its agent token is in the answer, once. */
export function registerServer(app: AppContext, caller: Caller, input: ServerInput) {
  return change(app, caller, async (c) => {
    c.adminOnly();
    const { row, token } = await createServer(c.db, input);
    await c.audit({ action: 'server.create', targetType: 'server', targetId: row.id, target: row.name, after: input });
    await c.bump(`server ${row.name} created`, [row.id]);
    if (row.roles.includes('edge') || row.roles.includes('mail')) await republishZones(c, `server ${row.name} added`);
    // the edges route the web database admin to every web server
    if (row.roles.includes('web') && (app.config.dbadmin.key || app.config.webmail.host)) await c.bump(`server ${row.name} created`, await serversWithRole(c.db, 'edge'));
    return { ...viewOf(app, c.now)(row), agentToken: token };
  });
}

/** Changes a server's name, roles or addresses; the edges and the zones follow what concerns them. */
export function changeServer(app: AppContext, caller: Caller, ref: string, patch: ServerPatch) {
  return change(app, caller, async (c) => {
    c.adminOnly();
    const before = await findServer(c.db, ref, { lock: true });
    const after = await updateServer(c.db, before.id, patch, c.now);
    const view = viewOf(app, c.now);
    await c.audit({ action: 'server.update', targetType: 'server', targetId: after.id, target: after.name, before: view(before), after: patch });
    await c.bump(`server ${after.name} changed`, [after.id]);
    if (edgeAddressesChanged(before, after) || mailRecordsChanged(before, after)) await republishZones(c, `server ${after.name} renamed or renumbered`);
    if (edgesMustFollow(before, after)) await c.bump(`server ${after.name} changed`, await serversWithRole(c.db, 'edge'));
    return view(after);
  });
}

/** Replaces a server's agent token: the old one stops working at once. */
export function replaceAgentToken(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.adminOnly();
    const s = await findServer(c.db, ref, { lock: true });
    const token = await rotateServerToken(c.db, s.id, c.now);
    await c.audit({ action: 'server.rotate_token', targetType: 'server', targetId: s.id, target: s.name });
    return { ...viewOf(app, c.now)(s), agentToken: token };
  });
}

/** Removes a server no hosting lives on (an edge's addresses leave every managed zone). */
export function removeServer(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.adminOnly();
    const s = await findServer(c.db, ref, { lock: true });
    await deleteServer(c.db, s.id);
    await c.audit({ action: 'server.delete', targetType: 'server', targetId: s.id, target: s.name, before: viewOf(app, c.now)(s) });
    if (s.roles.includes('edge') || s.roles.includes('mail')) await republishZones(c, `server ${s.name} removed`);
    if (s.roles.includes('web') && (app.config.dbadmin.key || app.config.webmail.host)) await c.bump(`server ${s.name} removed`, await serversWithRole(c.db, 'edge'));
  });
}
