// The verbs of databases: list, show, create (with a user of the same name if asked), remove, and the
// usage of a hosting. Each change runs in change() (transaction, authorization, audit, revision): the
// hosting's database server gets a new revision and reconciles its databases and users.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Db } from '../platform/db/database.js';
import { findOffer } from '../offers/store.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import { databaseView, hostOf, type databaseCreate, type DatabaseRow } from './model.js';
import { assertQuota, fullName, MB, readOnlyReason } from './rules.js';
import {
  countDatabases, databaseNameTaken, deleteDatabase, findDatabase, hostingDatabaseServer, hostingSpace, insertDatabase, listDatabases, serverContact,
} from './store-databases.js';
import { countDatabaseUsers } from './store-users.js';
import { createUserIn, userViews } from './operations-users.js';
import { databasesChanged, lockedHosting, placement } from './operations-placement.js';

export type DatabaseInput = z.output<typeof databaseCreate>;

/** Databases as the API shows them: where PHP connects, their size, whether writes are refused and why, their provisioning. */
export async function databaseViews(app: { db: Db; config: AppContext['config'] }, rows: DatabaseRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'database', rows.map((d) => ({ id: d.id, revision: d.revision, servers: [d.serverId] })), undefined, opts);
  const spaces = new Map<string, Awaited<ReturnType<typeof hostingSpace>>>();
  for (const hostingId of new Set(rows.filter((d) => d.readOnlySince).map((d) => d.hostingId))) spaces.set(hostingId, await hostingSpace(app.db, hostingId));
  return rows.map((d) => {
    const space = spaces.get(d.hostingId);
    const readOnly = d.readOnlySince && space ? readOnlyReason(d.readOnlySince, space.usedBytes, space.databaseMb) : null;
    return databaseView(d, app.config.databasePort, states.get(d.id)!, readOnly);
  });
}

const auditView = (d: { name: string; serverId: string }) => ({ name: d.name, serverId: d.serverId });

export async function listDatabasesOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'database'));
  const page = await listDatabases(app.db, hosting.id, query);
  return { ...page, items: await databaseViews(app, page.items) };
}

export async function showDatabase(app: AppContext, caller: Caller, ref: string) {
  const d = await findDatabase(app.db, ref, customerScope(caller.actor));
  const hosting = await findHosting(app.db, d.hostingId);
  reader(app, caller).may(hostingSubject(hosting, 'database'));
  return (await databaseViews(app, [d]))[0]!;
}

export function createDatabase(app: AppContext, caller: Caller, hostingRef: string, input: DatabaseInput) {
  return change(app, caller, async (c) => {
    const hosting = await lockedHosting(c, hostingRef, 'database');
    const offer = await findOffer(c.db, hosting.offerId);
    assertQuota('databases', offer, await countDatabases(c.db, hosting.id));
    const name = fullName('database', hosting.name, input.name);
    if (await databaseNameTaken(c.db, name)) throw fieldError('database.name_taken', 'body.name', `the hosting already has a database named ${name}`, { name });
    const serverId = await placement(c.db, hosting.id);
    // a new database of a hosting over its space quota is read-only like the others
    const space = await hostingSpace(c.db, hosting.id);
    const id = await insertDatabase(c.db, { hostingId: hosting.id, serverId, name, readOnlySince: space.readOnlySince });
    const user = input.user ? await createUserIn(c, hosting, offer, input.name, [id], serverId) : null;
    // one entry for the change, naming the user made with the database
    await c.audit({ action: 'database.create', targetType: 'database', targetId: id, target: name, customerId: hosting.customerId, after: { ...auditView({ name, serverId }), user: user?.row.name ?? null } });
    await databasesChanged(c, hosting, serverId, `database ${name} created`);
    const view = (await databaseViews({ db: c.db, config: app.config }, [await findDatabase(c.db, id)], { created: true }))[0]!;
    if (!user) return view;
    const [shown] = await userViews({ db: c.db, config: app.config }, [user.row], { created: true });
    return { ...view, user: { ...shown!, password: user.password } };
  });
}

/** Removes a database: its server drops it, with its tables (there is no undo). */
export function removeDatabase(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const d = await findDatabase(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, d.hostingId, 'database');
    await deleteDatabase(c.db, d.id);
    await c.audit({ action: 'database.delete', targetType: 'database', targetId: d.id, target: d.name, customerId: hosting.customerId, before: { ...auditView(d), users: d.users } });
    await databasesChanged(c, hosting, d.serverId, `database ${d.name} removed`);
  });
}

/** A hosting's use of its database quotas: databases, users, space, and whether writes are refused. */
export async function databaseUsage(app: AppContext, caller: Caller, hostingRef: string) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'database'));
  const space = await hostingSpace(app.db, hosting.id);
  const serverId = await hostingDatabaseServer(app.db, hosting.id);
  const server = serverId ? await serverContact(app.db, serverId) : null;
  return {
    hostingId: hosting.id,
    hostingName: hosting.name,
    databases: { used: space.databases, max: space.maxDatabases },
    users: { used: await countDatabaseUsers(app.db, hosting.id), max: space.maxDatabases },
    space: { usedBytes: space.usedBytes, maxBytes: space.databaseMb * MB, measuredAt: space.measuredAt ? new Date(space.measuredAt).toISOString() : null },
    readOnly: space.readOnlySince ? readOnlyReason(space.readOnlySince, space.usedBytes, space.databaseMb) : null,
    server: server ? { id: server.id, name: server.serverName, host: hostOf(server), port: app.config.databasePort } : null,
  };
}
