// Logging in (a session for the browser, or an API token for the CLI), logging out, and the first
// administrator. Login attempts are limited per address and per (account, address), counted
// before the password is checked, so concurrent attempts never get more evaluations than allowed.
import type { AppContext } from '../platform/context.js';
import type { Caller } from '../platform/actor.js';
import { change, type Change } from '../platform/change.js';
import { AppError } from '../platform/errors.js';
import { sameSecret, verifyPassword } from '../platform/secrets.js';
import type { Db } from '../platform/db/database.js';
import { checkTotp, loginKeys, rateLimited, throttleLimits } from './rules.js';
import { showToken, showUser, type MeView, type UserRow } from './model.js';
import { clearKey, forgetQuietKeys, inLockOrder, releaseAttempt, reserveAttempt } from './store-throttle.js';
import { createApiToken, createSession, deleteSession } from './store-auth.js';
import { countAdmins, createUser, customersOf, findUserByEmail } from './store-users.js';

export interface LoginInput {
  email: string;
  password: string;
  totp?: string;
}

export interface SessionStarted {
  secret: string;
  expiresAt: Date;
}

/** What the API answers after a login: who, their customers, and the session to set as a cookie. */
export interface Signed {
  me: MeView;
  session: SessionStarted | null;
}

export async function meView(db: Db, user: UserRow, csrfToken: string | null): Promise<MeView> {
  return { user: showUser(user), csrfToken, customers: await customersOf(db, user.id) };
}

/** Starts a session for the user (inside the change that logs them in). */
export async function startSession(c: Change, user: UserRow): Promise<Signed> {
  const s = await createSession(c.db, user.id, c.caller.address, c.app.config.sessionHours, c.now);
  return { me: await meView(c.db, user, s.csrfToken), session: { secret: s.secret, expiresAt: s.expiresAt } };
}

const invalid = () => new AppError('auth.invalid_credentials', 'wrong email or password, or the account is disabled');

/**
 * Checks credentials: the attempt is counted first (or refused with the time to wait), then the
 * password and TOTP code are checked. Returns the user; the caller's change clears the count.
 */
async function checkCredentials(app: AppContext, caller: Caller, input: LoginInput) {
  const keys = loginKeys(input.email, caller.address ?? 'unknown', app.config.loginMaxFailures);
  await change(app, caller, async (c) => {
    c.signingIn();
    c.nothingToAudit(); // counting attempts is bookkeeping; the login itself is audited
    const { retryAfterMs } = await reserveAttempt(c.db, keys, c.now);
    if (retryAfterMs !== null) throw rateLimited(retryAfterMs);
  });
  const user = await findUserByEmail(app.db, input.email);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || user.disabled) throw invalid();
  if (user.totpSecret) {
    if (!input.totp) {
      // the password was right: this attempt was no guess, give it back
      await change(app, caller, async (c) => {
        c.signingIn();
        c.nothingToAudit();
        for (const k of inLockOrder(keys)) await releaseAttempt(c.db, k.key);
      });
      throw new AppError('auth.totp_required', 'enter the 6-digit code of your authenticator app');
    }
    if (!checkTotp(user.totpSecret, input.totp, app.clock.now())) throw new AppError('auth.totp_invalid', 'the authenticator code is wrong or expired');
  }
  return { user, keys };
}

/** After a successful login: the address gets its attempt back, the account at that address starts over. */
async function loginSucceeded(c: Change, keys: ReturnType<typeof loginKeys>) {
  const [address, account] = keys;
  // rows are locked in the order reserveAttempt locks them (by key), so the two never deadlock
  for (const k of inLockOrder(keys)) await (k === account ? clearKey(c.db, k.key) : releaseAttempt(c.db, address.key));
  await forgetQuietKeys(c.db, c.now, throttleLimits(1).windowMs);
}

/** The caller an audit entry of a login names: the account logging in, from the request's address. */
const loggingIn = (caller: Caller, user: UserRow): Caller => ({ actor: null, address: caller.address, label: user.email });

export async function login(app: AppContext, caller: Caller, input: LoginInput): Promise<Signed> {
  const { user, keys } = await checkCredentials(app, caller, input);
  return change(app, loggingIn(caller, user), async (c) => {
    c.signingIn();
    await loginSucceeded(c, keys);
    await c.audit({ action: 'auth.login', targetType: 'user', targetId: user.id, target: user.email });
    return startSession(c, user);
  });
}

/** Logs in and creates an API token instead of a session (`abri login`). */
export async function loginForToken(app: AppContext, caller: Caller, input: LoginInput & { name: string; expiresAt?: string }) {
  if (input.expiresAt && new Date(input.expiresAt) <= app.clock.now()) throw expiryInPast();
  const { user, keys } = await checkCredentials(app, caller, input);
  return change(app, loggingIn(caller, user), async (c) => {
    c.signingIn();
    await loginSucceeded(c, keys);
    const { row, secret } = await createApiToken(c.db, user.id, input.name, input.expiresAt ?? null, c.now);
    await c.audit({ action: 'token.create', targetType: 'token', targetId: row.id, target: input.name, after: { via: 'login', user: user.email } });
    return { ...showToken(row), token: secret, user: showUser(user) };
  });
}

export const expiryInPast = () =>
  new AppError('token.invalid', 'expiresAt must be in the future', { issues: [{ code: 'token.invalid', path: 'body.expiresAt', message: 'must be in the future' }] });

export function logout(app: AppContext, caller: Caller) {
  return change(app, caller, async (c) => {
    c.ownAccount();
    const actor = caller.actor;
    if (actor?.sessionId) await deleteSession(c.db, actor.sessionId);
    await c.audit({ action: 'auth.logout', targetType: 'user', targetId: actor?.userId ?? null, target: actor?.email ?? null });
  });
}

export async function setupNeeded(app: AppContext) {
  return { needed: !!app.setupToken && (await countAdmins(app.db)) === 0 };
}

/** Creates the first administrator with the one-time setup token, in the language of the page used. */
export function setupFirstAdmin(app: AppContext, caller: Caller, input: { token: string; email: string; password: string; locale?: 'fr' | 'en' }) {
  return change(app, { ...caller, label: 'setup' }, async (c) => {
    c.anyone();
    if (!app.setupToken || (await countAdmins(c.db)) > 0) throw new AppError('setup.done', 'an administrator already exists');
    if (!sameSecret(input.token, app.setupToken)) throw new AppError('setup.invalid_token', 'wrong setup token (see the manager\'s start log)');
    const user = await createUser(c.db, { email: input.email, password: input.password, role: 'admin', locale: input.locale ?? 'fr' }, c.now);
    await c.audit({ action: 'user.create', targetType: 'user', targetId: user.id, target: user.email, after: { role: 'admin', locale: user.locale, via: 'setup' } });
    c.afterCommit.push(() => (app.setupToken = null));
    return startSession(c, user);
  });
}
