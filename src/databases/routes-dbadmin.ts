// The web database admin over HTTP: a customer asks for a ticket; the database admin (Adminer's
// sign-on plugin, server to server, with its service key) exchanges it. Parse, one operation, answer.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { exchangeDbadminTicket, issueDbadminTicket } from './operations-dbadmin.js';

const ticketOut = z.object({
  url: z.string().describe('where to post the ticket (form field "ticket"): the database admin on the platform\'s own name'),
  ticket: z.string().describe('single-use, bound to this user, valid for a minute; it holds no password'),
  expiresAt: z.string(),
});

const exchangeOut = z.object({
  host: z.string().describe('the database server, as PHP in the hosting connects to it'),
  port: z.number().int(),
  user: z.string(),
  password: z.string().describe('the user\'s console password (a second password of the same MariaDB account, held only by the database admin)'),
  databases: z.array(z.string()),
});

export const dbadminRoutes = [
  route({
    method: 'POST', path: '/api/v1/database-users/{id}/dbadmin-ticket',
    summary: 'A single-use ticket (a minute) that opens the web database admin as this database user, without its password',
    tag: 'databases', access: 'user', tenant: true, params: idParams, response: ticketOut,
    errors: ['database_user.not_found', 'database_user.forbidden', 'customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated', 'dbadmin.not_configured'],
    handler: ({ app, caller, params }) => issueDbadminTicket(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/dbadmin/exchange',
    summary: 'For the database admin only (header X-Abri-Dbadmin-Key): a ticket, used once, for where and as whom to connect',
    tag: 'databases', access: 'public', body: z.strictObject({ ticket: z.string().max(300) }), response: exchangeOut, errors: ['dbadmin.ticket_refused'],
    handler: ({ app, req, body }) => {
      const key = req.request.headers['x-abri-dbadmin-key'];
      return exchangeDbadminTicket(app, req.address, typeof key === 'string' ? key : undefined, body.ticket);
    },
  }),
];
