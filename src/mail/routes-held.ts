// Held mail over HTTP (staff): parse, call one operation, answer.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { mailboxOut } from './model.js';
import { actOnHeld, heldAnswer, listHeld, showHeld } from './operations-held.js';

const askErrors = ['mailbox.not_found', 'mailbox.not_on_server', 'server.unreachable', 'server.query_failed'];

export const heldRoutes = [
  route({
    method: 'GET', path: '/api/v1/mail-held', summary: 'The mailboxes whose mail is held for sending more than their offer allows (staff), most held first', tag: 'mail', access: 'staff',
    response: z.object({ items: z.array(mailboxOut) }),
    handler: ({ app, caller }) => listHeld(app, caller),
  }),
  route({
    method: 'GET', path: '/api/v1/mailboxes/{id}/held', summary: 'The held messages of a mailbox, read from its mail server\'s hold queue (staff)', tag: 'mail', access: 'staff',
    params: idParams, response: heldAnswer, errors: askErrors,
    handler: ({ app, caller, params }) => showHeld(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/mailboxes/{id}/held/release', summary: 'Send the held messages of a mailbox now and reset its sending count (staff)', tag: 'mail', access: 'staff',
    params: idParams, response: heldAnswer, errors: askErrors,
    handler: ({ app, caller, params }) => actOnHeld(app, caller, params.id, 'release'),
  }),
  route({
    method: 'POST', path: '/api/v1/mailboxes/{id}/held/delete', summary: 'Delete the held messages of a mailbox, unsent (staff)', tag: 'mail', access: 'staff',
    params: idParams, response: heldAnswer, errors: askErrors,
    handler: ({ app, caller, params }) => actOnHeld(app, caller, params.id, 'delete'),
  }),
];
