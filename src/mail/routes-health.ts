// The sending addresses' health of a mail server over HTTP (staff): the last check, and a check now.
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { mailHealthOut } from './model-health.js';
import { checkMailHealthOf, mailHealthOf } from './operations-health.js';

export const mailHealthRoutes = [
  route({
    method: 'GET', path: '/api/v1/servers/{id}/mail-health', summary: 'The last check of a mail server\'s sending addresses: reverse DNS matching its HELO name, forward-confirmed, and the DNS blocklists', tag: 'servers',
    access: 'staff', params: idParams, response: mailHealthOut, errors: ['server.not_found', 'mail_health.not_mail_server'],
    handler: ({ app, caller, params }) => mailHealthOf(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/servers/{id}/mail-health', summary: 'Check a mail server\'s sending addresses now (through the DNS) and keep the result', tag: 'servers',
    access: 'staff', params: idParams, response: mailHealthOut, errors: ['server.not_found', 'mail_health.not_mail_server'],
    handler: ({ app, caller, params }) => checkMailHealthOf(app, caller, params.id),
  }),
];
