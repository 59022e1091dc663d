// The verbs of user accounts (staff back office) and of each user's own API tokens.
//
// A password reset by staff ends every session of the user and revokes every API token of theirs
// (whoever had the old password may have made them); disabling ends the sessions, and tokens are
// refused while the account is disabled.
import type { AppContext } from '../platform/context.js';
import { assertStaff, type Caller } from '../platform/actor.js';
import { queueMessage } from '../outbox/operations.js';
import { activationMessage } from './render-messages.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import type { ListQuery } from '../platform/http/list.js';
import { assertMayManageUser, invitationExpiry, invitationUrl } from './rules.js';
import { showToken, showUser, type UserRow } from './model.js';
import { countAdmins, createUser as insertUser, deleteUser, findUser, findUserByEmail, listUsers, updateUser, type NewUser, type UserChanges } from './store-users.js';
import { createApiToken, deleteApiToken, endSessions, listApiTokens, revokeApiTokens } from './store-auth.js';
import { createActivation } from './store-invitations.js';
import { expiryInPast } from './operations-login.js';

const auditView = (u: UserRow) => ({ email: u.email, role: u.role, disabled: u.disabled, locale: u.locale });

function staffReads(app: AppContext, caller: Caller) {
  assertStaff(caller.actor);
  return reader(app, caller);
}

export async function listUserAccounts(app: AppContext, caller: Caller, query: ListQuery) {
  staffReads(app, caller);
  const page = await listUsers(app.db, query);
  return { ...page, items: page.items.map(showUser) };
}

export async function showUserAccount(app: AppContext, caller: Caller, ref: string) {
  staffReads(app, caller);
  return showUser(await findUser(app.db, ref));
}

/** Creates an account; without a password it gets an activation link (valid once, for a limited time). */
export function createUserAccount(app: AppContext, caller: Caller, input: NewUser) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    assertMayManageUser(caller.actor, { role: input.role });
    const user = await insertUser(c.db, input, c.now);
    const expiresAt = invitationExpiry(c.now);
    const secret = input.password ? null : await createActivation(c.db, user, caller.actor?.userId ?? null, expiresAt, c.now);
    if (secret) {
      await queueMessage(c, { template: activationMessage.name, locale: user.locale, to: user.email, link: invitationUrl(app.config.publicUrl, secret), userId: user.id, params: { email: user.email, role: user.role, expiresAt: expiresAt.toISOString() } });
    }
    await c.audit({ action: 'user.create', targetType: 'user', targetId: user.id, target: user.email, after: { role: user.role, locale: user.locale, ...(secret ? { activationLink: true } : {}) } });
    return { ...showUser(user), ...(secret ? { invitationUrl: invitationUrl(app.config.publicUrl, secret) } : {}) };
  });
}

export function updateUserAccount(app: AppContext, caller: Caller, ref: string, patch: UserChanges) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const before = await findUser(c.db, ref);
    assertMayManageUser(caller.actor, before, patch.role);
    const after = await updateUser(c.db, before.id, patch, c.now);
    if (before.role === 'admin' && (after.role !== 'admin' || after.disabled) && (await countAdmins(c.db)) === 0) {
      throw new AppError('user.last_admin', 'this is the last active administrator');
    }
    const reset = !!patch.password;
    const sessionsEnded = reset || (patch.disabled && !before.disabled) ? await endSessions(c.db, after.id) : 0;
    const tokensRevoked = reset ? await revokeApiTokens(c.db, after.id) : 0;
    await c.audit({
      action: 'user.update', targetType: 'user', targetId: after.id, target: after.email,
      before: auditView(before),
      after: { ...auditView(after), ...(reset ? { password: 'reset', revokedApiCredentials: tokensRevoked } : {}), ...(sessionsEnded ? { sessionsEnded } : {}) },
    });
    return showUser(after);
  });
}

export function deleteUserAccount(app: AppContext, caller: Caller, ref: string) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const user = await findUser(c.db, ref);
    assertMayManageUser(caller.actor, user);
    if (user.id === caller.actor?.userId) throw new AppError('user.self_delete', 'you cannot delete your own account');
    await deleteUser(c.db, user.id);
    if (user.role === 'admin' && (await countAdmins(c.db)) === 0) throw new AppError('user.last_admin', 'this is the last active administrator');
    await c.audit({ action: 'user.delete', targetType: 'user', targetId: user.id, target: user.email, before: { role: user.role } });
  });
}

/** The platform (the local CLI) issues a token for an account: `abri token create`. */
export function issueTokenFor(app: AppContext, caller: Caller, email: string, name: string, expiresAt: string | null) {
  return change(app, caller, async (c) => {
    c.staffOnly();
    const user = await findUserByEmail(c.db, email);
    if (!user) throw new AppError('user.not_found', `no user with email ${email}; create it first (abri admin create)`, { params: { email } });
    if (user.disabled) throw new AppError('user.disabled', `${email} is disabled`, { params: { email } });
    if (expiresAt && new Date(expiresAt) <= c.now) throw expiryInPast();
    const { row, secret } = await createApiToken(c.db, user.id, name, expiresAt, c.now);
    await c.audit({ action: 'token.create', targetType: 'token', targetId: row.id, target: name, after: { user: user.email } });
    return { ...showToken(row), token: secret };
  });
}

// ---- my API tokens --------------------------------------------------------------------------

const mine = (caller: Caller) => {
  if (!caller.actor) throw new AppError('auth.unauthenticated', 'log in or send Authorization: Bearer <token>');
  return caller.actor;
};

export async function listMyTokens(app: AppContext, caller: Caller) {
  const actor = mine(caller);
  reader(app, caller);
  const items = (await listApiTokens(app.db, actor.userId)).map(showToken);
  return { items, nextCursor: null, total: items.length };
}

export function createMyToken(app: AppContext, caller: Caller, input: { name: string; expiresAt?: string }) {
  const actor = mine(caller);
  return change(app, caller, async (c) => {
    c.ownAccount();
    if (input.expiresAt && new Date(input.expiresAt) <= c.now) throw expiryInPast();
    const { row, secret } = await createApiToken(c.db, actor.userId, input.name, input.expiresAt ?? null, c.now);
    await c.audit({ action: 'token.create', targetType: 'token', targetId: row.id, target: input.name });
    return { ...showToken(row), token: secret };
  });
}

export function revokeMyToken(app: AppContext, caller: Caller, id: string) {
  const actor = mine(caller);
  return change(app, caller, async (c) => {
    c.ownAccount();
    const row = await deleteApiToken(c.db, actor.userId, id);
    await c.audit({ action: 'token.delete', targetType: 'token', targetId: row.id, target: row.name });
  });
}
