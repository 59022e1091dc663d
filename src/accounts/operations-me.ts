// The current user: who am I, my language and password, two-factor authentication.
//
// A password change ends every other session of the account (the browser that made it gets a
// fresh session) and, when asked (`revokeTokens`), revokes every API token too: tokens are meant
// for scripts that must not stop working because someone changed a password, so revoking them is
// offered, not forced. A reset by staff revokes both (see operations-users.ts).
import type { AppContext } from '../platform/context.js';
import type { Caller, Actor } from '../platform/actor.js';
import { change, reader } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { verifyPassword } from '../platform/secrets.js';
import { checkTotp, newTotpSecret, totpFor } from './rules.js';
import { endSessions, revokeApiTokens } from './store-auth.js';
import { findUser, updateUser } from './store-users.js';
import { meView, startSession, type Signed } from './operations-login.js';

const me = (caller: Caller): Actor => {
  if (!caller.actor) throw new AppError('auth.unauthenticated', 'log in or send Authorization: Bearer <token>');
  return caller.actor;
};

export async function showMe(app: AppContext, caller: Caller) {
  const actor = me(caller);
  reader(app, caller); // one's own account: nothing else to decide
  return meView(app.db, await findUser(app.db, actor.userId), actor.csrfToken ?? null);
}

export interface MeChanges {
  locale?: 'fr' | 'en';
  password?: string;
  currentPassword?: string;
  revokeTokens?: boolean;
}

export function changeMe(app: AppContext, caller: Caller, input: MeChanges): Promise<Signed> {
  const actor = me(caller);
  return change(app, caller, async (c) => {
    c.ownAccount();
    const current = await findUser(c.db, actor.userId);
    if (input.password && !(input.currentPassword && (await verifyPassword(current.passwordHash, input.currentPassword)))) {
      throw new AppError('user.current_password_invalid', 'the current password is wrong', {
        issues: [{ code: 'user.current_password_invalid', path: 'body.currentPassword', message: 'wrong password' }],
      });
    }
    const user = await updateUser(c.db, actor.userId, { locale: input.locale, password: input.password }, c.now);
    let sessionsEnded = 0;
    let tokensRevoked = 0;
    let signed: Signed | null = null;
    if (input.password) {
      // every session ends, this one included; the browser that changed it continues in a fresh one
      sessionsEnded = await endSessions(c.db, user.id, undefined);
      if (actor.sessionId) sessionsEnded -= 1;
      if (input.revokeTokens) tokensRevoked = await revokeApiTokens(c.db, user.id);
      if (actor.via === 'session') signed = await startSession(c, user);
    }
    await c.audit({
      action: 'user.update', targetType: 'user', targetId: user.id, target: user.email,
      before: { locale: current.locale },
      after: { locale: user.locale, ...(input.password ? { password: 'changed', otherSessionsEnded: sessionsEnded, revokedApiCredentials: tokensRevoked } : {}) },
    });
    return signed ?? { me: await meView(c.db, user, actor.csrfToken ?? null), session: null };
  });
}

export function startTotp(app: AppContext, caller: Caller) {
  const actor = me(caller);
  return change(app, caller, async (c) => {
    c.ownAccount();
    const secret = newTotpSecret();
    await updateUser(c.db, actor.userId, { totpPending: secret }, c.now);
    await c.audit({ action: 'user.totp_start', targetType: 'user', targetId: actor.userId, target: actor.email });
    return { secret, otpauthUrl: totpFor(secret, actor.email).toString() };
  });
}

export function confirmTotp(app: AppContext, caller: Caller, code: string) {
  const actor = me(caller);
  return change(app, caller, async (c) => {
    c.ownAccount();
    const user = await findUser(c.db, actor.userId);
    if (!user.totpPending) throw new AppError('totp.not_started', 'start with POST /api/v1/me/totp');
    if (!checkTotp(user.totpPending, code, c.now)) throw new AppError('auth.totp_invalid', 'the authenticator code is wrong or expired');
    const updated = await updateUser(c.db, actor.userId, { totpSecret: user.totpPending, totpPending: null }, c.now);
    await c.audit({ action: 'user.totp_enable', targetType: 'user', targetId: actor.userId, target: actor.email });
    return meView(c.db, updated, actor.csrfToken ?? null);
  });
}

export function disableTotp(app: AppContext, caller: Caller, code: string) {
  const actor = me(caller);
  return change(app, caller, async (c) => {
    c.ownAccount();
    const user = await findUser(c.db, actor.userId);
    if (!user.totpSecret || !checkTotp(user.totpSecret, code, c.now)) throw new AppError('auth.totp_invalid', 'the authenticator code is wrong or expired');
    await updateUser(c.db, actor.userId, { totpSecret: null }, c.now);
    await c.audit({ action: 'user.totp_disable', targetType: 'user', targetId: actor.userId, target: actor.email });
  });
}
