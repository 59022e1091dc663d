// Mailboxes of a mail domain over HTTP: parse, call one operation, answer.
import { listOf, listQuery } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { mailboxCreate, mailboxOut, mailboxPassword, mailboxPatch, mailboxWithPassword } from './model.js';
import { changeMailbox, createMailbox, listMailboxesOf, removeMailbox, setMailboxPassword, showMailbox } from './operations-mailboxes.js';
import { mailChangeErrors } from './routes-domains.js';

const changeErrors = ['mailbox.not_found', 'mailbox.forbidden', ...mailChangeErrors];

export const mailboxRoutes = [
  route({
    method: 'GET', path: '/api/v1/mail-domains/{id}/mailboxes', summary: 'List the mailboxes of a mail domain, with the space each uses', tag: 'mail', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(mailboxOut), errors: ['mail_domain.not_found'],
    handler: ({ app, caller, params, query }) => listMailboxesOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/mail-domains/{id}/mailboxes',
    summary: 'Create a mailbox <localPart>@<domain> with a quota (within the offer) and a password (given, or generated and shown once in the answer)',
    tag: 'mail', access: 'user', tenant: true, status: 201, params: idParams, body: mailboxCreate, response: mailboxWithPassword,
    errors: ['mail_domain.not_found', 'mailbox.forbidden', ...mailChangeErrors, 'mail_address.taken', 'quota.mailboxes_exceeded', 'quota.mail_space_exceeded'],
    handler: ({ app, caller, params, body }) => createMailbox(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/mailboxes/{id}', summary: 'Show a mailbox (id or address)', tag: 'mail', access: 'user', tenant: true,
    params: idParams, response: mailboxOut, errors: ['mailbox.not_found'],
    handler: ({ app, caller, params }) => showMailbox(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/mailboxes/{id}', summary: 'Change a mailbox\'s quota (within the offer), or disable/enable its sign-in', tag: 'mail', access: 'user', tenant: true,
    params: idParams, body: mailboxPatch, response: mailboxOut, errors: [...changeErrors, 'quota.mail_space_exceeded'],
    handler: ({ app, caller, params, body }) => changeMailbox(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/mailboxes/{id}/password', summary: 'Give a mailbox a new password (given, or generated and shown once in the answer); the old one stops working',
    tag: 'mail', access: 'user', tenant: true, params: idParams, body: mailboxPassword, response: mailboxWithPassword, errors: changeErrors,
    handler: ({ app, caller, params, body }) => setMailboxPassword(app, caller, params.id, body.password),
  }),
  route({
    method: 'DELETE', path: '/api/v1/mailboxes/{id}', summary: 'Remove a mailbox (mail to it is refused from then on)', tag: 'mail', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: ({ app, caller, params }) => removeMailbox(app, caller, params.id),
  }),
];
