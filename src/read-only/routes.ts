// The read-only mode over HTTP: everyone reads it (the banner of every page, the login page too);
// administrators switch it.
import { route } from '../platform/http/route.js';
import { readOnlyIn, readOnlyOut } from './model.js';
import { readReadOnly, switchReadOnly } from './operations.js';

export const readOnlyRoutes = [
  route({
    method: 'GET', path: '/api/v1/platform/read-only', summary: 'Whether the platform is read-only (or will be), with the message to show', tag: 'platform', access: 'public',
    response: readOnlyOut, errors: ['auth.invalid_token'],
    handler: ({ app }) => readReadOnly(app),
  }),
  route({
    method: 'PUT', path: '/api/v1/platform/read-only',
    summary: 'Switch the platform to read-only (now or from startsAt) with a message, or back: customers then read, sign in, reset passwords and download, but change nothing (423 platform.read_only)',
    tag: 'platform', access: 'admin', body: readOnlyIn, response: readOnlyOut, errors: ['read_only.message_required'],
    handler: ({ app, caller, body }) => switchReadOnly(app, caller, body),
  }),
];
