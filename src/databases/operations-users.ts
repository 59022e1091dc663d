// The verbs of database users: list, show, create, reset the password, choose the databases, remove.
// Passwords are made here, shown once in the answer and never stored: the row keeps MariaDB's hash.
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Db } from '../platform/db/database.js';
import type { OfferRow } from '../offers/model.js';
import { findOffer } from '../offers/store.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { databaseUserView, type databaseUserCreate, type DatabaseUserRow } from './model.js';
import { assertQuota, authString, fullName } from './rules.js';
import { databasesOfHosting } from './store-databases.js';
import {
  countDatabaseUsers, deleteDatabaseUser, findDatabaseUser, insertDatabaseUser, listDatabaseUsers, setAuthString, setGrants, userNameTaken,
} from './store-users.js';
import { databasesChanged, lockedHosting, placement } from './operations-placement.js';
import { setConsole } from './store-dbadmin.js';

export type DatabaseUserInput = z.output<typeof databaseUserCreate>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new password: 24 letters and digits drawn uniformly (about 143 bits), safe to paste in any config file. */
export const newPassword = () => Array.from({ length: 24 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export async function userViews(app: { db: Db; config: AppContext['config'] }, rows: DatabaseUserRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'database-user', rows.map((u) => ({ id: u.id, revision: u.revision, servers: [u.serverId] })), undefined, opts);
  return rows.map((u) => databaseUserView(u, app.config.databasePort, states.get(u.id)!));
}

const auditView = (u: { name: string; databases: string[] }) => ({ name: u.name, databases: u.databases });

/** The databases of this hosting named by `refs`, or a field error naming each ref that is not one of them. */
async function grantedDatabases(db: Db, hosting: HostingRow, refs: string[]) {
  const { rows, missing } = await databasesOfHosting(db, hosting.id, refs);
  if (missing.length) {
    throw new AppError('database.not_in_hosting', `not a database of ${hosting.name}: ${missing.map((i) => refs[i]).join(', ')}`, {
      params: { hosting: hosting.name },
      issues: missing.map((i) => ({ path: `body.databases.${i}`, code: 'database.not_in_hosting', message: `${refs[i]} is not a database of ${hosting.name}`, params: { hosting: hosting.name } })),
    });
  }
  return rows;
}

/** Creates a user in a hosting (its quota, name and server checked), with privileges on these databases of it; the caller audits. */
export async function createUserIn(c: Change, hosting: HostingRow, offer: OfferRow, suffix: string, databaseIds: string[], serverId: string) {
  assertQuota('database_users', offer, await countDatabaseUsers(c.db, hosting.id));
  const name = fullName('database_user', hosting.name, suffix);
  if (await userNameTaken(c.db, name)) throw fieldError('database_user.name_taken', 'body.name', `the hosting already has a database user named ${name}`, { name });
  const password = newPassword();
  const id = await insertDatabaseUser(c.db, { hostingId: hosting.id, serverId, name, authString: authString(password), now: c.now });
  // the web database admin's own way in (operations-dbadmin.ts), ready as soon as the user is
  const consolePassword = newPassword();
  await setConsole(c.db, id, c.app.secrets().seal(consolePassword), authString(consolePassword));
  await setGrants(c.db, id, databaseIds, c.now);
  return { row: await findDatabaseUser(c.db, id), password };
}

export async function listDatabaseUsersOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'database_user'));
  const page = await listDatabaseUsers(app.db, hosting.id, query);
  return { ...page, items: await userViews(app, page.items) };
}

export async function showDatabaseUser(app: AppContext, caller: Caller, ref: string) {
  const u = await findDatabaseUser(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, u.hostingId), 'database_user'));
  return (await userViews(app, [u]))[0]!;
}

export function createDatabaseUser(app: AppContext, caller: Caller, hostingRef: string, input: DatabaseUserInput) {
  return change(app, caller, async (c) => {
    const hosting = await lockedHosting(c, hostingRef, 'database_user');
    const offer = await findOffer(c.db, hosting.offerId);
    const databases = await grantedDatabases(c.db, hosting, input.databases);
    const serverId = await placement(c.db, hosting.id);
    const { row, password } = await createUserIn(c, hosting, offer, input.name, databases.map((d) => d.id), serverId);
    await c.audit({ action: 'database_user.create', targetType: 'database_user', targetId: row.id, target: row.name, customerId: hosting.customerId, after: auditView(row) });
    await databasesChanged(c, hosting, serverId, `database user ${row.name} created`);
    const [view] = await userViews({ db: c.db, config: app.config }, [await findDatabaseUser(c.db, row.id)], { created: true });
    return { ...view!, password };
  });
}

/** A new password for a user (shown once); the old one stops working when its server has applied the change. */
export function resetDatabaseUserPassword(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const u = await findDatabaseUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId, 'database_user');
    const password = newPassword();
    await setAuthString(c.db, u.id, authString(password), c.now);
    await c.audit({ action: 'database_user.password', targetType: 'database_user', targetId: u.id, target: u.name, customerId: hosting.customerId });
    await databasesChanged(c, hosting, u.serverId, `database user ${u.name}: new password`);
    const [view] = await userViews({ db: c.db, config: app.config }, [await findDatabaseUser(c.db, u.id)], { created: true });
    return { ...view!, password };
  });
}

/** The databases (of its own hosting) a user has privileges on, from now on exactly these. */
export function setDatabaseUserGrants(app: AppContext, caller: Caller, ref: string, refs: string[]) {
  return change(app, caller, async (c) => {
    const before = await findDatabaseUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, before.hostingId, 'database_user');
    const databases = await grantedDatabases(c.db, hosting, refs);
    await setGrants(c.db, before.id, databases.map((d) => d.id), c.now);
    const after = await findDatabaseUser(c.db, before.id);
    await c.audit({ action: 'database_user.update', targetType: 'database_user', targetId: before.id, target: before.name, customerId: hosting.customerId, before: auditView(before), after: auditView(after) });
    await databasesChanged(c, hosting, before.serverId, `database user ${before.name} changed`);
    return (await userViews({ db: c.db, config: app.config }, [await findDatabaseUser(c.db, before.id)], { created: true }))[0]!;
  });
}

/** Removes a user: its server drops it and ends its open connections. */
export function removeDatabaseUser(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const u = await findDatabaseUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId, 'database_user');
    await deleteDatabaseUser(c.db, u.id);
    await c.audit({ action: 'database_user.delete', targetType: 'database_user', targetId: u.id, target: u.name, customerId: hosting.customerId, before: auditView(u) });
    await databasesChanged(c, hosting, u.serverId, `database user ${u.name} removed`);
  });
}
