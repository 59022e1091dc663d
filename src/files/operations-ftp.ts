// The verbs of FTP users: list, show, create, change (folder, enabled), new password, remove. Each
// change runs in change() (transaction, authorization, audit, revision): the hosting's web server
// gets a new revision and its agent rebuilds Pure-FTPd's user database. Passwords are made here,
// shown once in the answer and never stored: the row keeps their SHA-512 crypt string.
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader, type Change } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import type { Db } from '../platform/db/database.js';
import { objectProvisioning } from '../servers/store-provisioning.js';
import { findOffer } from '../offers/store.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting, type HostingRow } from '../hosting/store-hostings.js';
import { ftpUserView, type FtpUserRow, type ftpUserCreate, type ftpUserPatch } from './model-ftp.js';
import { assertFtpQuota, ftpStartDirectory, ftpUserName, normaliseFtpFolder } from './rules-ftp.js';
import { sha512Crypt } from './sha512-crypt.js';
import { newPassword } from './operations-users.js';
import {
  countTransferUsers, deleteFtpUser, findFtpUser, ftpStamps, insertFtpUser, listFtpUsers, transferUserNameTaken, updateFtpUser,
} from './store-ftp-users.js';

export type FtpUserInput = z.output<typeof ftpUserCreate>;
export type FtpUserPatch = z.output<typeof ftpUserPatch>;

async function ftpViews(app: { db: Db; config: AppContext['config'] }, rows: FtpUserRow[], opts: { created?: boolean } = {}) {
  const states = await objectProvisioning(app.db, 'ftp-user', rows.map((u) => ({ id: u.id, revision: u.revision, servers: u.serverId ? [u.serverId] : [] })), undefined, opts);
  return rows.map((u) => ftpUserView(u, app.config.ftp, states.get(u.id)!, ftpStartDirectory(u.folder)));
}

const auditView = (u: { name: string; folder: string; enabled: boolean }) => ({ name: u.name, folder: u.folder, enabled: u.enabled });

/** The hosting, locked for this change (quotas and names are checked under it), if the caller may manage its FTP users. */
async function lockedHosting(c: Change, ref: string): Promise<HostingRow> {
  const hosting = await findHosting(c.db, ref, customerScope(c.caller.actor), { lock: true });
  c.may(hostingSubject(hosting, 'ftp_user'), 'manage');
  return hosting;
}

/** The hosting's web server applies the change (the user is stamped with this change's revision when it still exists). */
async function ftpChanged(c: Change, hosting: Pick<HostingRow, 'serverId'>, reason: string, userId?: string): Promise<void> {
  if (!hosting.serverId) return;
  await c.bump(reason, [hosting.serverId], userId ? ftpStamps([userId]) : []);
}

async function changedView(c: Change, app: AppContext, id: string, password?: string) {
  const [view] = await ftpViews({ db: c.db, config: app.config }, [await findFtpUser(c.db, id)], { created: true });
  return password ? { ...view!, newPassword: password } : view!;
}

export async function listFtpUsersOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'ftp_user'));
  const page = await listFtpUsers(app.db, hosting.id, query);
  return { ...page, items: await ftpViews(app, page.items) };
}

export async function showFtpUser(app: AppContext, caller: Caller, ref: string) {
  const u = await findFtpUser(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, u.hostingId), 'ftp_user'));
  return (await ftpViews(app, [u]))[0]!;
}

export function createFtpUser(app: AppContext, caller: Caller, hostingRef: string, input: FtpUserInput) {
  return change(app, caller, async (c) => {
    const hosting = await lockedHosting(c, hostingRef);
    if (!hosting.serverId) throw new AppError('ftp_user.no_server', `${hosting.name} is on no web server yet: its FTP users would have nowhere to sign in`, { params: { hosting: hosting.name } });
    const folder = normaliseFtpFolder(input.folder);
    assertFtpQuota(await findOffer(c.db, hosting.offerId), await countTransferUsers(c.db, hosting.id));
    const name = ftpUserName(hosting.name, input.name);
    if (await transferUserNameTaken(c.db, name)) throw fieldError('ftp_user.name_taken', 'body.name', `the hosting already has an FTP or SFTP user named ${name}`, { name });
    const password = newPassword();
    const id = await insertFtpUser(c.db, { hostingId: hosting.id, name, folder, passwordHash: sha512Crypt(password), enabled: input.enabled, now: c.now });
    await c.audit({ action: 'ftp_user.create', targetType: 'ftp_user', targetId: id, target: name, customerId: hosting.customerId, after: auditView({ name, folder, enabled: input.enabled }) });
    await ftpChanged(c, hosting, `FTP user ${name} created`, id);
    return changedView(c, app, id, password);
  });
}

/** The restriction folder and whether the user may sign in. */
export function changeFtpUser(app: AppContext, caller: Caller, ref: string, patch: FtpUserPatch) {
  return change(app, caller, async (c) => {
    const before = await findFtpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, before.hostingId);
    const set = { ...(patch.folder !== undefined ? { folder: normaliseFtpFolder(patch.folder) } : {}), ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}) };
    await updateFtpUser(c.db, before.id, set, c.now);
    await c.audit({ action: 'ftp_user.update', targetType: 'ftp_user', targetId: before.id, target: before.name, customerId: hosting.customerId, before: auditView(before), after: auditView({ ...before, ...set }) });
    await ftpChanged(c, hosting, `FTP user ${before.name} changed`, before.id);
    return changedView(c, app, before.id);
  });
}

/** A new password (shown once); the old one stops working when the web server has applied it. */
export function setFtpPassword(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const u = await findFtpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId);
    const password = newPassword();
    await updateFtpUser(c.db, u.id, { passwordHash: sha512Crypt(password) }, c.now);
    await c.audit({ action: 'ftp_user.password', targetType: 'ftp_user', targetId: u.id, target: u.name, customerId: hosting.customerId });
    await ftpChanged(c, hosting, `FTP user ${u.name}: new password`, u.id);
    return changedView(c, app, u.id, password);
  });
}

/** Removes a user: its web server drops it from Pure-FTPd's users and ends its sessions (the files stay: they are the hosting's). */
export function removeFtpUser(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const u = await findFtpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId);
    await deleteFtpUser(c.db, u.id);
    await c.audit({ action: 'ftp_user.delete', targetType: 'ftp_user', targetId: u.id, target: u.name, customerId: hosting.customerId, before: auditView(u) });
    await ftpChanged(c, hosting, `FTP user ${u.name} removed`);
  });
}
