// Login, logout, first-admin setup, invitation links, the current user (me) and TOTP over HTTP:
// parse, call one operation, answer (setting the session cookie, or Retry-After when limited).
import { z } from 'zod';
import { route, type RequestInfo } from '../platform/http/route.js';
import { AppError } from '../platform/errors.js';
import type { AppContext } from '../platform/context.js';
import { loginBody, mePatch, meOut, setupBody, tokenLogin, tokenOut, userOut } from './model.js';
import { invitationAccept, invitationLook, invitationView } from './model-customers.js';
import { SESSION_COOKIE } from './authenticate.js';
import { login, loginForToken, logout, setupFirstAdmin, setupNeeded, type Signed } from './operations-login.js';
import { changeMe, confirmTotp, disableTotp, showMe, startTotp } from './operations-me.js';
import { acceptInvitation, lookAtInvitation } from './operations-invitations.js';
import { confirmPasswordReset, requestPasswordReset } from './operations-password-reset.js';
import { email, password } from '../platform/validation.js';

/** Sets the cookie of a session the operation started, and answers who is logged in. */
export function signedIn(app: AppContext, req: RequestInfo, signed: Signed) {
  if (signed.session) {
    req.reply.setCookie(SESSION_COOKIE, signed.session.secret, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: app.config.publicUrl.startsWith('https://'),
      maxAge: app.config.sessionHours * 3600,
    });
  }
  return signed.me;
}

/** A limited login also says when to retry in the Retry-After header. */
export async function withRetryAfter<T>(req: RequestInfo, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AppError && e.code === 'auth.rate_limited') req.reply.header('retry-after', String(e.params.retryAfterSeconds));
    throw e;
  }
}

// a public route still sees a session cookie (CSRF applies) or a bearer token (which must be valid)
const publicErrors = ['auth.csrf', 'auth.invalid_token'];
const loginErrors = [...publicErrors, 'auth.invalid_credentials', 'auth.totp_required', 'auth.totp_invalid', 'auth.rate_limited'];
const totpCode = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') });

export const authRoutes = [
  route({
    method: 'POST', path: '/api/v1/auth/login', summary: 'Log in; sets the session cookie and returns the CSRF token. Repeated failures slow down (429 auth.rate_limited with Retry-After)',
    tag: 'auth', access: 'public', whileReadOnly: true, body: loginBody, response: meOut, errors: loginErrors,
    handler: ({ app, caller, body, req }) => withRetryAfter(req, async () => signedIn(app, req, await login(app, caller, body))),
  }),
  route({
    method: 'POST', path: '/api/v1/auth/token', summary: 'Log in and get an API token instead of a session (abri login); the secret is shown once',
    tag: 'auth', access: 'public', whileReadOnly: true, status: 201, body: tokenLogin, response: tokenOut.extend({ token: z.string(), user: userOut }), errors: [...loginErrors, 'token.invalid'],
    handler: ({ app, caller, body, req }) => withRetryAfter(req, () => loginForToken(app, caller, body)),
  }),
  route({
    method: 'POST', path: '/api/v1/auth/logout', summary: 'Log out (ends the session)', tag: 'auth', access: 'user', whileReadOnly: true, status: 204,
    async handler({ app, caller, req }) {
      await logout(app, caller);
      req.reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  }),
  route({
    method: 'POST', path: '/api/v1/setup', summary: 'Create the first administrator with the one-time setup token printed at start (in the language of the page)',
    tag: 'auth', access: 'public', status: 201, body: setupBody, response: meOut, errors: [...publicErrors, 'setup.done', 'setup.invalid_token', 'user.email_taken'],
    handler: async ({ app, caller, body, req }) => signedIn(app, req, await setupFirstAdmin(app, caller, body)),
  }),
  route({
    method: 'GET', path: '/api/v1/setup', summary: 'Whether the first administrator still has to be created', tag: 'auth', access: 'public',
    response: z.object({ needed: z.boolean() }), errors: ['auth.invalid_token'],
    handler: ({ app }) => setupNeeded(app),
  }),
  route({
    method: 'POST', path: '/api/v1/auth/invitation', summary: 'What an invitation link is for (the acceptance page): customer, role, and what to do next',
    tag: 'auth', access: 'public', whileReadOnly: true, body: invitationLook, response: invitationView, errors: [...publicErrors, 'invitation.not_found', 'invitation.expired'],
    handler: ({ app, caller, body }) => lookAtInvitation(app, caller, body.token),
  }),
  route({
    method: 'POST', path: '/api/v1/auth/accept-invitation',
    summary: 'Accept an invitation link: a new account chooses its password (and is logged in); an existing account must be logged in as itself',
    tag: 'auth', access: 'public', body: invitationAccept, response: meOut,
    errors: [...publicErrors, 'invitation.not_found', 'invitation.expired', 'invitation.password_required', 'invitation.staff_account', 'invitation.login_required',
      'invitation.wrong_account', 'delegation.exists', 'user.email_taken'],
    handler: async ({ app, caller, body, req }) => signedIn(app, req, await acceptInvitation(app, caller, body)),
  }),
  route({
    method: 'POST', path: '/api/v1/auth/password-reset',
    summary: '"Forgot your password?": the account with this e-mail, if there is one, receives a link valid once for an hour; the answer is the same for any e-mail (limited per address and per e-mail: 429 auth.rate_limited)',
    tag: 'auth', access: 'public', whileReadOnly: true, status: 202, body: z.strictObject({ email }), response: z.object({ requested: z.literal(true) }), errors: [...publicErrors, 'auth.rate_limited'],
    handler: ({ app, caller, body, req }) => withRetryAfter(req, () => requestPasswordReset(app, caller, body)),
  }),
  route({
    method: 'POST', path: '/api/v1/auth/password-reset/confirm',
    summary: 'Choose a new password with a password-reset link: ends every session of the account and revokes its API tokens (then log in)',
    tag: 'auth', access: 'public', whileReadOnly: true, body: z.strictObject({ token: z.string().min(1).max(200), password }), response: z.object({ email: z.string() }),
    errors: [...publicErrors, 'password_reset.invalid', 'password_reset.expired'],
    handler: ({ app, caller, body }) => confirmPasswordReset(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/me', summary: 'The current user, their customers, and the CSRF token of the session',
    tag: 'auth', access: 'user', response: meOut,
    handler: ({ app, caller }) => showMe(app, caller),
  }),
  route({
    method: 'PATCH', path: '/api/v1/me',
    summary: 'Change my language or password; a new password ends every other session, and with revokeTokens also revokes every API token',
    tag: 'auth', access: 'user', whileReadOnly: true, body: mePatch, response: meOut, errors: ['user.current_password_invalid'],
    handler: async ({ app, caller, body, req }) => signedIn(app, req, await changeMe(app, caller, body)),
  }),
  route({
    method: 'POST', path: '/api/v1/me/totp', summary: 'Start enabling two-factor authentication: returns a secret to scan',
    tag: 'auth', access: 'user', whileReadOnly: true, response: z.object({ secret: z.string(), otpauthUrl: z.string() }),
    handler: ({ app, caller }) => startTotp(app, caller),
  }),
  route({
    method: 'POST', path: '/api/v1/me/totp/confirm', summary: 'Finish enabling two-factor authentication with a current code',
    tag: 'auth', access: 'user', whileReadOnly: true, body: totpCode, response: meOut, errors: ['totp.not_started', 'auth.totp_invalid'],
    handler: ({ app, caller, body }) => confirmTotp(app, caller, body.code),
  }),
  route({
    method: 'DELETE', path: '/api/v1/me/totp', summary: 'Disable two-factor authentication (needs a current code)',
    tag: 'auth', access: 'user', whileReadOnly: true, status: 204, body: totpCode, errors: ['auth.totp_invalid'],
    handler: ({ app, caller, body }) => disableTotp(app, caller, body.code),
  }),
];
