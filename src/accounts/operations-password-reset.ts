// "Forgot your password?": anyone asks for a link for an e-mail address; the account with that
// address (if any, and not disabled) receives one by e-mail, valid once for RESET_MINUTES. The answer
// is the same whatever the address is (nothing to enumerate); asking is limited per address and per
// e-mail like logins. Using the link sets the password, ends every session of the account and
// revokes its API tokens, as a reset by staff does.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { queueMessage } from '../outbox/operations.js';
import { passwordResetMessage } from './render-messages.js';
import { throttleLimits, waitText } from './rules.js';
import { reserveAttempt } from './store-throttle.js';
import { findUserByEmail, findUserById, updateUser } from './store-users.js';
import { endSessions, revokeApiTokens } from './store-auth.js';
import { createPasswordReset, endPasswordResets, findPasswordReset } from './store-password-resets.js';

export const RESET_MINUTES = 60;

export const passwordResetUrl = (publicUrl: string, secret: string) => `${publicUrl}/password-reset#${secret}`;

/** Requests per address and per e-mail before they slow down (then one more per window, as logins). */
const resetKeys = (email: string, address: string) => [
  { key: `reset-address:${address}`, limits: throttleLimits(10) },
  { key: `reset-account:${email.trim().toLowerCase()}`, limits: throttleLimits(3) },
];

export function requestPasswordReset(app: AppContext, caller: Caller, input: { email: string }) {
  return change(app, { ...caller, label: input.email }, async (c) => {
    c.signingIn(); // anyone may ask (also while the platform is read-only); only the address's owner receives the link
    const { retryAfterMs } = await reserveAttempt(c.db, resetKeys(input.email, caller.address ?? 'unknown'), c.now);
    if (retryAfterMs !== null) {
      const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      throw new AppError('auth.rate_limited', `too many password-reset requests: wait ${waitText(retryAfterSeconds)}, then try again`, { params: { retryAfterSeconds } });
    }
    const user = await findUserByEmail(c.db, input.email);
    if (!user || user.disabled) {
      // staff see the requests for addresses that have no (active) account too: someone probing
      await c.audit({ action: 'user.password_reset_request', targetType: 'user', targetId: null, target: input.email, after: { account: user ? 'disabled' : 'none' } });
      return { requested: true as const };
    }
    const expiresAt = new Date(c.now.getTime() + RESET_MINUTES * 60_000);
    const secret = await createPasswordReset(c.db, user.id, expiresAt, c.now);
    await queueMessage(c, { template: passwordResetMessage.name, locale: user.locale, to: user.email, link: passwordResetUrl(app.config.publicUrl, secret), userId: user.id, params: { email: user.email, expiresAt: expiresAt.toISOString() } });
    await c.audit({ action: 'user.password_reset_request', targetType: 'user', targetId: user.id, target: user.email, after: { expiresAt: expiresAt.toISOString() } });
    return { requested: true as const };
  });
}

export function confirmPasswordReset(app: AppContext, caller: Caller, input: { token: string; password: string }) {
  return change(app, { ...caller, label: 'password reset' }, async (c) => {
    c.signingIn(); // the link is the authorization (also while the platform is read-only)
    const link = await findPasswordReset(c.db, input.token);
    const user = link && !link.usedAt ? await findUserById(c.db, link.userId) : undefined;
    if (!link || link.usedAt || !user || user.disabled) throw new AppError('password_reset.invalid', 'this link is unknown or was used already: ask for a new one');
    if (new Date(link.expiresAt).getTime() <= c.now.getTime()) {
      throw new AppError('password_reset.expired', 'this link has expired: ask for a new one', { params: { expiredAt: new Date(link.expiresAt).toISOString() } });
    }
    const after = await updateUser(c.db, user.id, { password: input.password }, c.now);
    await endPasswordResets(c.db, user.id, c.now);
    const sessionsEnded = await endSessions(c.db, user.id);
    const tokensRevoked = await revokeApiTokens(c.db, user.id);
    await c.audit({ action: 'user.password_reset', targetType: 'user', targetId: user.id, target: user.email, after: { password: 'reset', via: 'link', sessionsEnded, revokedApiCredentials: tokensRevoked } });
    return { email: after.email };
  });
}
