// Hostings over HTTP: staff create, change, suspend and terminate them; customers read theirs.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams } from '../platform/validation.js';
import { hostingCreate, hostingOut, hostingPatch, hostingStatus, hostingSuspend } from './model.js';
import {
  createHosting, listHostingsOf, purgeHosting, setHostingStatus, showHosting, terminateHosting, updateHostingOf,
} from './operations-hostings.js';

const stateErrors = ['customer.suspended', 'customer.closed', 'hosting.suspended', 'hosting.terminated'];

export const hostingRoutes = [
  route({
    method: 'GET', path: '/api/v1/hostings', summary: 'List hostings (customer users: their own)', tag: 'hostings', access: 'user',
    query: listQuery.extend({ customerId: z.uuid().optional(), status: hostingStatus.optional() }), response: listOf(hostingOut),
    handler: ({ app, caller, query: { customerId, status, ...list } }) => listHostingsOf(app, caller, { customerId, status }, list),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings', summary: 'Create a hosting for a customer with an offer', tag: 'hostings', access: 'staff',
    status: 201, body: hostingCreate, response: hostingOut,
    errors: ['customer.not_found', 'customer.closed', 'offer.not_found', 'offer.archived', 'offer.php_version_not_allowed', 'server.not_found', 'hosting.uids_exhausted'],
    handler: ({ app, caller, body }) => createHosting(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/hostings/{id}', summary: 'Show a hosting (id or system name) with its usage', tag: 'hostings', access: 'user', tenant: true,
    params: idParams, response: hostingOut, errors: ['hosting.not_found'],
    handler: ({ app, caller, params }) => showHosting(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/hostings/{id}', summary: 'Change a hosting (customers: default PHP version; staff: also offer and server)',
    tag: 'hostings', access: 'user', tenant: true, params: idParams, body: hostingPatch, response: hostingOut,
    errors: ['hosting.not_found', 'hosting.forbidden', 'auth.staff_only', ...stateErrors, 'offer.not_found', 'offer.php_version_not_allowed', 'quota.sites_exceeded', 'server.not_found'],
    handler: ({ app, caller, params, body }) => updateHostingOf(app, caller, params.id, body),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/suspend', summary: 'Suspend a hosting: its sites answer a "suspended" page, its customer may only read it',
    tag: 'hostings', access: 'staff', tenant: true, params: idParams, body: hostingSuspend.default({}), response: hostingOut, errors: ['hosting.not_found', 'hosting.terminated', 'hosting.already_suspended'],
    handler: ({ app, caller, params, body }) => setHostingStatus(app, caller, params.id, 'suspended', body.reason),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/reactivate', summary: 'Reactivate a suspended hosting', tag: 'hostings', access: 'staff', tenant: true,
    params: idParams, response: hostingOut, errors: ['hosting.not_found', 'hosting.terminated', 'hosting.not_suspended'],
    handler: ({ app, caller, params }) => setHostingStatus(app, caller, params.id, 'active'),
  }),
  route({
    method: 'DELETE', path: '/api/v1/hostings/{id}', summary: 'Terminate a hosting: its sites stop being served, its files are kept',
    tag: 'hostings', access: 'staff', tenant: true, params: idParams, response: hostingOut, errors: ['hosting.not_found', 'hosting.terminated'],
    handler: ({ app, caller, params }) => terminateHosting(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/hostings/{id}/purge', summary: 'Delete the files and Unix account of a terminated hosting (after the retention period, or with force)',
    tag: 'hostings', access: 'admin', tenant: true, params: idParams, body: z.strictObject({ force: z.boolean().default(false).describe('purge before the retention period ends') }),
    response: hostingOut, errors: ['hosting.not_found', 'hosting.not_terminated', 'hosting.purge_requested', 'hosting.retention_pending', 'auth.forbidden'],
    handler: ({ app, caller, params, body }) => purgeHosting(app, caller, params.id, body.force),
  }),
];
