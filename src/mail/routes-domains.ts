// Mail domains and aliases of a hosting over HTTP: parse, call one operation, answer.
import { listOf, listQuery } from '../platform/http/list.js';
import { route } from '../platform/http/route.js';
import { idParams } from '../platform/validation.js';
import { mailAliasCreate, mailAliasOut, mailDomainCreate, mailDomainOut } from './model.js';
import { createMailDomain, listMailDomainsOf, removeMailDomain, showMailDomain } from './operations-domains.js';
import { rotateDkimKey } from './operations-dkim.js';
import { createMailAlias, listMailAliasesOf, removeMailAlias, showMailAlias } from './operations-aliases.js';

export const mailChangeErrors = ['customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const mailDomainRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings/{id}/mail-domains', summary: 'List the mail domains of a hosting', tag: 'mail', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(mailDomainOut), errors: ['hosting.not_found'],
    handler: ({ app, caller, params, query }) => listMailDomainsOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/mail-domains', summary: 'Receive mail for a site domain or alias of the hosting (on the hosting\'s mail server)',
    tag: 'mail', access: 'user', tenant: true, status: 201, params: idParams, body: mailDomainCreate, response: mailDomainOut,
    errors: ['hosting.not_found', 'mail_domain.forbidden', ...mailChangeErrors, 'mail_domain.not_in_hosting', 'mail_domain.taken', 'mail_domain.no_server'],
    handler: ({ app, caller, params, body }) => createMailDomain(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/mail-domains/{id}', summary: 'Show a mail domain (id or name)', tag: 'mail', access: 'user', tenant: true,
    params: idParams, response: mailDomainOut, errors: ['mail_domain.not_found'],
    handler: ({ app, caller, params }) => showMailDomain(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/mail-domains/{id}', summary: 'Stop receiving mail for a domain: its mailboxes and aliases are removed with it', tag: 'mail', access: 'user', tenant: true,
    params: idParams, status: 204, errors: ['mail_domain.not_found', 'mail_domain.forbidden', ...mailChangeErrors],
    handler: ({ app, caller, params }) => removeMailDomain(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/mail-domains/{id}/dkim/rotate',
    summary: 'Sign the domain\'s mail with a new DKIM key (new selector); the previous key stays published for 7 days, then its record goes',
    tag: 'mail', access: 'user', tenant: true, params: idParams, response: mailDomainOut, errors: ['mail_domain.not_found', 'mail_domain.forbidden', ...mailChangeErrors],
    handler: ({ app, caller, params }) => rotateDkimKey(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/mail-domains/{id}/aliases', summary: 'List the aliases (forwards) of a mail domain', tag: 'mail', access: 'user', tenant: true,
    params: idParams, query: listQuery, response: listOf(mailAliasOut), errors: ['mail_domain.not_found'],
    handler: ({ app, caller, params, query }) => listMailAliasesOf(app, caller, params.id, query),
  }),
  route({
    method: 'POST', path: '/api/v1/mail-domains/{id}/aliases', summary: 'Create an alias: mail to <localPart>@<domain> is forwarded to its destinations',
    tag: 'mail', access: 'user', tenant: true, status: 201, params: idParams, body: mailAliasCreate, response: mailAliasOut,
    errors: ['mail_domain.not_found', 'mail_alias.forbidden', ...mailChangeErrors, 'mail_address.taken'],
    handler: ({ app, caller, params, body }) => createMailAlias(app, caller, params.id, body),
  }),
  route({
    method: 'GET', path: '/api/v1/mail-aliases/{id}', summary: 'Show a mail alias (id or address)', tag: 'mail', access: 'user', tenant: true,
    params: idParams, response: mailAliasOut, errors: ['mail_alias.not_found'],
    handler: ({ app, caller, params }) => showMailAlias(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/mail-aliases/{id}', summary: 'Remove a mail alias', tag: 'mail', access: 'user', tenant: true,
    params: idParams, status: 204, errors: ['mail_alias.not_found', 'mail_alias.forbidden', ...mailChangeErrors],
    handler: ({ app, caller, params }) => removeMailAlias(app, caller, params.id),
  }),
];
