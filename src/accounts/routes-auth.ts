// Login, logout, first-admin setup, invitations, the current user (me) and TOTP.
import { z } from 'zod';
import { route, type RequestInfo } from '../platform/http/route.js';
import { AppError } from '../platform/errors.js';
import { email, password } from '../platform/validation.js';
import { recordAudit } from '../platform/store-audit.js';
import { loginBody, mePatch, showUser, userOut, type UserRow } from './model.js';
import { checkLogin, checkTotp, createSession, deleteSession, newTotpSecret, totpFor } from './store-auth.js';
import { acceptInvitation, countAdmins, createUser, findUser, updateUser } from './store-users.js';
import { verifyPassword, sameSecret } from '../platform/secrets.js';
import { SESSION_COOKIE } from './authenticate.js';
import type { AppContext } from '../platform/context.js';
import type { Actor } from '../platform/actor.js';

const meOut = z.object({
  user: userOut,
  csrfToken: z.string().nullable().describe('send as X-CSRF-Token on state-changing requests made with the session cookie'),
  customers: z.array(z.object({ customerId: z.string(), number: z.number(), name: z.string(), role: z.string() })),
});

async function me(app: AppContext, user: UserRow, csrfToken: string | null) {
  const customers = await app.db
    .selectFrom('delegations')
    .innerJoin('customers', 'customers.id', 'delegations.customerId')
    .select(['customers.id as customerId', 'customers.number', 'customers.name', 'delegations.role'])
    .where('delegations.userId', '=', user.id)
    .orderBy('customers.number')
    .execute();
  return { user: showUser(user), csrfToken, customers };
}

async function startSession(app: AppContext, user: UserRow, req: RequestInfo) {
  const { secret, csrfToken } = await createSession(app.db, user.id, req.address, app.config.sessionHours);
  req.reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: app.config.publicUrl.startsWith('https://'),
    maxAge: app.config.sessionHours * 3600,
  });
  return csrfToken;
}

const who = (actor: Actor | null, req: RequestInfo) => ({ actor, address: req.address });

export const authRoutes = [
  route({
    method: 'POST', path: '/api/v1/auth/login', summary: 'Log in; sets the session cookie and returns the CSRF token',
    tag: 'auth', access: 'public', body: loginBody, response: meOut,
    async handler({ app, body, req }) {
      const user = await checkLogin(app.db, { ...body, address: req.address, maxFailures: app.config.loginMaxFailures });
      const csrf = await startSession(app, user, req);
      await recordAudit(app.db, { actor: null, address: req.address, label: user.email }, { action: 'auth.login', targetType: 'user', targetId: user.id, target: user.email });
      return me(app, user, csrf);
    },
  }),
  route({
    method: 'POST', path: '/api/v1/auth/logout', summary: 'Log out (ends the session)', tag: 'auth', access: 'user', status: 204,
    async handler({ app, actor, req }) {
      if (actor.sessionId) await deleteSession(app.db, actor.sessionId);
      req.reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  }),
  route({
    method: 'POST', path: '/api/v1/setup', summary: 'Create the first administrator with the one-time setup token printed at start',
    tag: 'auth', access: 'public', status: 201,
    body: z.strictObject({ token: z.string().max(200), email, password }), response: meOut,
    async handler({ app, body, req }) {
      if (!app.setupToken || (await countAdmins(app.db)) > 0) throw new AppError('setup.done', 'an administrator already exists');
      if (!sameSecret(body.token, app.setupToken)) throw new AppError('setup.invalid_token', 'wrong setup token (see the manager\'s start log)');
      const user = await app.db.transaction().execute(async (trx) => {
        const u = await createUser(trx, { email: body.email, password: body.password, role: 'admin', locale: 'fr' });
        await recordAudit(trx, { actor: null, address: req.address, label: 'setup' }, { action: 'user.create', targetType: 'user', targetId: u.id, target: u.email, after: { role: 'admin' } });
        return u;
      });
      app.setupToken = null;
      return me(app, user, await startSession(app, user, req));
    },
  }),
  route({
    method: 'GET', path: '/api/v1/setup', summary: 'Whether the first administrator still has to be created', tag: 'auth', access: 'public',
    response: z.object({ needed: z.boolean() }),
    async handler({ app }) {
      return { needed: !!app.setupToken && (await countAdmins(app.db)) === 0 };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/auth/accept-invitation', summary: 'Choose a password with an invitation link, and log in',
    tag: 'auth', access: 'public', body: z.strictObject({ token: z.string().min(1).max(200), password }), response: meOut,
    async handler({ app, body, req }) {
      const user = await acceptInvitation(app.db, body.token, body.password);
      await recordAudit(app.db, { actor: null, address: req.address, label: user.email }, { action: 'user.accept_invitation', targetType: 'user', targetId: user.id, target: user.email });
      return me(app, user, await startSession(app, user, req));
    },
  }),
  route({
    method: 'GET', path: '/api/v1/me', summary: 'The current user, their customers, and the CSRF token of the session',
    tag: 'auth', access: 'user', response: meOut,
    async handler({ app, actor }) {
      return me(app, await findUser(app.db, actor.userId), actor.csrfToken ?? null);
    },
  }),
  route({
    method: 'PATCH', path: '/api/v1/me', summary: 'Change my language or password', tag: 'auth', access: 'user', body: mePatch, response: meOut,
    async handler({ app, actor, body, req }) {
      const current = await findUser(app.db, actor.userId);
      if (body.password) {
        if (!body.currentPassword || !(await verifyPassword(current.passwordHash, body.currentPassword))) {
          throw new AppError('user.current_password_invalid', 'the current password is wrong', { issues: [{ code: 'user.current_password_invalid', path: 'body.currentPassword', message: 'wrong password' }] });
        }
      }
      const user = await updateUser(app.db, actor.userId, { locale: body.locale, password: body.password });
      await recordAudit(app.db, who(actor, req), { action: 'user.update', targetType: 'user', targetId: user.id, target: user.email, after: { locale: body.locale, password: body.password ? 'changed' : undefined } });
      // a password change ends every session, including this one: start a fresh one
      const csrf = body.password && actor.via === 'session' ? await startSession(app, user, req) : actor.csrfToken ?? null;
      return me(app, user, csrf);
    },
  }),
  route({
    method: 'POST', path: '/api/v1/me/totp', summary: 'Start enabling two-factor authentication: returns a secret to scan',
    tag: 'auth', access: 'user', response: z.object({ secret: z.string(), otpauthUrl: z.string() }),
    async handler({ app, actor }) {
      const secret = newTotpSecret();
      await updateUser(app.db, actor.userId, { totpPending: secret });
      return { secret, otpauthUrl: totpFor(secret, actor.email).toString() };
    },
  }),
  route({
    method: 'POST', path: '/api/v1/me/totp/confirm', summary: 'Finish enabling two-factor authentication with a current code',
    tag: 'auth', access: 'user', body: z.strictObject({ code: z.string().regex(/^\d{6}$/) }), response: meOut,
    async handler({ app, actor, body, req }) {
      const user = await app.db.selectFrom('users').select('totpPending').where('id', '=', actor.userId).executeTakeFirstOrThrow();
      if (!user.totpPending) throw new AppError('totp.not_started', 'start with POST /api/v1/me/totp');
      if (!checkTotp(user.totpPending, body.code)) throw new AppError('auth.totp_invalid', 'the authenticator code is wrong or expired');
      const updated = await updateUser(app.db, actor.userId, { totpSecret: user.totpPending, totpPending: null });
      await recordAudit(app.db, who(actor, req), { action: 'user.totp_enable', targetType: 'user', targetId: actor.userId, target: actor.email });
      return me(app, updated, actor.csrfToken ?? null);
    },
  }),
  route({
    method: 'DELETE', path: '/api/v1/me/totp', summary: 'Disable two-factor authentication (needs a current code)',
    tag: 'auth', access: 'user', status: 204, body: z.strictObject({ code: z.string().regex(/^\d{6}$/) }),
    async handler({ app, actor, body, req }) {
      const user = await findUser(app.db, actor.userId);
      if (!user.totpSecret || !checkTotp(user.totpSecret, body.code)) throw new AppError('auth.totp_invalid', 'the authenticator code is wrong or expired');
      await updateUser(app.db, actor.userId, { totpSecret: null });
      await recordAudit(app.db, who(actor, req), { action: 'user.totp_disable', targetType: 'user', targetId: actor.userId, target: actor.email });
    },
  }),
];
