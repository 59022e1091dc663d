// App passwords of mailboxes over HTTP: parse, call one operation, answer.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { appPasswordCreate, appPasswordOut, appPasswordWithSecret } from './model-app-passwords.js';
import { createAppPassword, listAppPasswordsOf, revokeAppPassword } from './operations-app-passwords.js';
import { mailChangeErrors } from './routes-domains.js';

export const appPasswordRoutes = [
  route({
    method: 'GET', path: '/api/v1/mailboxes/{id}/app-passwords', summary: 'List the app passwords of a mailbox (names and dates; the passwords were shown once)', tag: 'mail', access: 'user', tenant: true,
    params: idParams, response: z.object({ items: z.array(appPasswordOut) }), errors: ['mailbox.not_found'],
    handler: ({ app, caller, params }) => listAppPasswordsOf(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/mailboxes/{id}/app-passwords',
    summary: 'Add a named app password to a mailbox (for one device: IMAP, POP3, SMTP with the mailbox\'s address as login); generated and shown once in the answer',
    tag: 'mail', access: 'user', tenant: true, status: 201, params: idParams, body: appPasswordCreate, response: appPasswordWithSecret,
    errors: ['mailbox.not_found', 'mailbox.forbidden', ...mailChangeErrors, 'app_password.taken', 'app_password.limit_reached'],
    handler: ({ app, caller, params, body }) => createAppPassword(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/app-passwords/{id}', summary: 'Revoke one app password (the mailbox\'s other passwords go on working)', tag: 'mail', access: 'user', tenant: true,
    params: idParams, status: 204, errors: ['app_password.not_found', 'mailbox.forbidden', ...mailChangeErrors],
    handler: ({ app, caller, params }) => revokeAppPassword(app, caller, params.id),
  }),
];
