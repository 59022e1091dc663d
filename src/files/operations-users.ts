// The verbs of SFTP users: list, show, create, change (folder, enabled), passwords and keys, remove.
// Each change runs in change() (transaction, authorization, audit, revision): the hosting's web
// server gets a new revision and its agent reconciles its sshd. Passwords are made here, shown once
// in the answer and never stored: the row keeps their SHA-512 crypt string.
import { randomInt } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../platform/context.js';
import { customerScope, type Caller } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError, fieldError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { findOffer } from '../offers/store.js';
import { hostingSubject } from '../hosting/rules.js';
import { findHosting } from '../hosting/store-hostings.js';
import type { sftpUserCreate, sftpUserPatch } from './model.js';
import { assertQuota, assertShell, normaliseFolder, sftpUserName } from './rules.js';
import { sha512Crypt } from './sha512-crypt.js';
import { deleteSftpUser, findSftpUser, insertSftpUser, listSftpUsers, updateSftpUser } from './store-users.js';
import { countTransferUsers, transferUserNameTaken } from './store-ftp-users.js';
import { addKeysTo } from './operations-keys.js';
import { auditView, changedView, lockedHosting, sftpChanged, sftpViews } from './operations-shared.js';

export type SftpUserInput = z.output<typeof sftpUserCreate>;
export type SftpUserPatch = z.output<typeof sftpUserPatch>;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A new password: 24 letters and digits drawn uniformly (about 143 bits). */
export const newPassword = () => Array.from({ length: 24 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

export async function listSftpUsersOf(app: AppContext, caller: Caller, hostingRef: string, query: ListQuery) {
  const hosting = await findHosting(app.db, hostingRef, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(hosting, 'sftp_user'));
  const page = await listSftpUsers(app.db, hosting.id, query);
  return { ...page, items: await sftpViews(app, page.items) };
}

export async function showSftpUser(app: AppContext, caller: Caller, ref: string) {
  const u = await findSftpUser(app.db, ref, customerScope(caller.actor));
  reader(app, caller).may(hostingSubject(await findHosting(app.db, u.hostingId), 'sftp_user'));
  return (await sftpViews(app, [u]))[0]!;
}

export function createSftpUser(app: AppContext, caller: Caller, hostingRef: string, input: SftpUserInput) {
  return change(app, caller, async (c) => {
    const hosting = await lockedHosting(c, hostingRef);
    if (!hosting.serverId) throw new AppError('sftp_user.no_server', `${hosting.name} is on no web server yet: its SFTP users would have nowhere to sign in`, { params: { hosting: hosting.name } });
    const folder = normaliseFolder(input.folder);
    if (!input.password && !input.keys.length) {
      throw fieldError('sftp_user.no_login', 'body.keys', 'give it a password (password: true) or at least one public key: it could not sign in otherwise', {});
    }
    const offer = await findOffer(c.db, hosting.offerId);
    if (input.shell) assertShell(offer, folder);
    assertQuota(offer, await countTransferUsers(c.db, hosting.id)); // SFTP and FTP users
    const name = sftpUserName(hosting.name, input.name);
    if (await transferUserNameTaken(c.db, name)) throw fieldError('sftp_user.name_taken', 'body.name', `the hosting already has an SFTP or FTP user named ${name}`, { name });
    const password = input.password ? newPassword() : undefined;
    const id = await insertSftpUser(c.db, { hostingId: hosting.id, name, folder, passwordHash: password ? sha512Crypt(password) : null, enabled: input.enabled, shell: input.shell, now: c.now });
    const keys = await addKeysTo(c, id, input.keys, 'body.keys');
    await c.audit({
      action: 'sftp_user.create', targetType: 'sftp_user', targetId: id, target: name, customerId: hosting.customerId,
      after: { ...auditView({ name, folder, enabled: input.enabled, shell: input.shell }), password: !!password, keys: keys.map((k) => k.fingerprint) },
    });
    await sftpChanged(c, hosting, `SFTP user ${name} created`, id);
    return changedView(c, app, id, password);
  });
}

/** The restriction folder, whether the user may sign in, and its shell access. */
export function changeSftpUser(app: AppContext, caller: Caller, ref: string, patch: SftpUserPatch) {
  return change(app, caller, async (c) => {
    const before = await findSftpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, before.hostingId);
    const set = {
      ...(patch.folder !== undefined ? { folder: normaliseFolder(patch.folder) } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(patch.shell !== undefined ? { shell: patch.shell } : {}),
    };
    const folder = set.folder ?? before.folder;
    // turning shell on, or moving a shell user's folder: the offer and the folder are checked again
    const turnedOn = patch.shell === true && !before.shell;
    if ((set.shell ?? before.shell) && (turnedOn || folder !== before.folder)) assertShell(await findOffer(c.db, hosting.offerId), folder);
    await updateSftpUser(c.db, before.id, set, c.now);
    const after = { ...before, ...set };
    await c.audit({ action: 'sftp_user.update', targetType: 'sftp_user', targetId: before.id, target: before.name, customerId: hosting.customerId, before: auditView(before), after: auditView(after) });
    await sftpChanged(c, hosting, `SFTP user ${before.name} changed`, before.id);
    return changedView(c, app, before.id);
  });
}

/** A new password (shown once), or none (`remove`: keys only); the old one stops working when the web server has applied it. */
export function setSftpPassword(app: AppContext, caller: Caller, ref: string, remove = false) {
  return change(app, caller, async (c) => {
    const u = await findSftpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId);
    const password = remove ? undefined : newPassword();
    await updateSftpUser(c.db, u.id, { passwordHash: password ? sha512Crypt(password) : null }, c.now);
    await c.audit({ action: remove ? 'sftp_user.password_remove' : 'sftp_user.password', targetType: 'sftp_user', targetId: u.id, target: u.name, customerId: hosting.customerId });
    await sftpChanged(c, hosting, `SFTP user ${u.name}: ${remove ? 'password removed' : 'new password'}`, u.id);
    return changedView(c, app, u.id, password);
  });
}

/** Removes a user: its web server deletes its account and ends its sessions (the files stay: they are the hosting's). */
export function removeSftpUser(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    const u = await findSftpUser(c.db, ref, customerScope(caller.actor));
    const hosting = await lockedHosting(c, u.hostingId);
    await deleteSftpUser(c.db, u.id);
    await c.audit({ action: 'sftp_user.delete', targetType: 'sftp_user', targetId: u.id, target: u.name, customerId: hosting.customerId, before: auditView(u) });
    await sftpChanged(c, hosting, `SFTP user ${u.name} removed`);
  });
}
