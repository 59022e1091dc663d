// The platform's outgoing e-mail over HTTP (staff): what was sent to whom, what failed and why, and
// "send it again".
import { route } from '../platform/http/route.js';
import { listOf } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { outboxListQuery, outgoingMailDetail, outgoingMailOut } from './model.js';
import { listOutgoing, resendOutgoing, showOutgoing } from './operations.js';

export const outboxRoutes = [
  route({
    method: 'GET', path: '/api/v1/outbox', summary: 'The platform\'s outgoing e-mail (staff): filter by status or template, search recipients and errors', tag: 'outbox', access: 'staff',
    query: outboxListQuery, response: listOf(outgoingMailOut),
    handler: ({ app, caller, query: { status, template, ...list } }) => listOutgoing(app, caller, { ...list, status, template }),
  }),
  route({
    method: 'GET', path: '/api/v1/outbox/{id}', summary: 'One outgoing message with its text, its link masked (staff)', tag: 'outbox', access: 'staff',
    params: idParams, response: outgoingMailDetail, errors: ['outgoing_mail.not_found'],
    handler: ({ app, caller, params }) => showOutgoing(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/outbox/{id}/resend', summary: 'Send a queued or failed message again now (staff)', tag: 'outbox', access: 'staff',
    params: idParams, response: outgoingMailDetail, errors: ['outgoing_mail.not_found', 'outgoing_mail.sent'],
    handler: ({ app, caller, params }) => resendOutgoing(app, caller, params.id),
  }),
];
