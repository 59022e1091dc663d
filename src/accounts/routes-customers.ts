// Customers, delegations and invitations over HTTP: parse, call one operation, answer.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams, ref } from '../platform/validation.js';
import {
  customerCreate, customerOut, customerPatch, delegationOut, delegationPatch, invitationCreate, invitationOut, invitationWithLink,
} from './model-customers.js';
import {
  changeDelegation, createCustomer, listCustomersOf, listDelegationsOf, removeCustomer, removeDelegation, showCustomerOf, updateCustomer,
} from './operations-customers.js';
import { invite, listInvitationsOf, renew, revoke } from './operations-invitations.js';

const delegationParams = z.object({ id: ref, delegationId: ref });
const invitationParams = z.object({ id: ref, invitationId: ref });
const allOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.null(), total: z.number() });
/** what an owner's change may meet besides its own errors: the customer's state makes it read-only */
const readOnly = ['customer.suspended', 'customer.closed'];

export const customerRoutes = [
  route({
    method: 'GET', path: '/api/v1/customers', summary: 'List customers (customer users: their own)', tag: 'customers', access: 'user',
    query: listQuery, response: listOf(customerOut),
    handler: ({ app, caller, query }) => listCustomersOf(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/customers', summary: 'Create a customer', tag: 'customers', access: 'staff', status: 201,
    body: customerCreate, response: customerOut,
    handler: ({ app, caller, body }) => createCustomer(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/customers/{id}', summary: 'Show a customer (id or number)', tag: 'customers', access: 'user', tenant: true,
    params: idParams, response: customerOut, errors: ['customer.not_found'],
    handler: ({ app, caller, params }) => showCustomerOf(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/customers/{id}', summary: 'Change a customer (owners; status: staff only)', tag: 'customers', access: 'user', tenant: true,
    params: idParams, body: customerPatch, response: customerOut, errors: ['customer.not_found', 'customer.forbidden', ...readOnly],
    handler: ({ app, caller, params, body }) => updateCustomer(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/customers/{id}', summary: 'Delete a customer without hostings', tag: 'customers', access: 'staff', tenant: true,
    params: idParams, status: 204, errors: ['customer.not_found', 'customer.not_empty'],
    handler: ({ app, caller, params }) => removeCustomer(app, caller, params.id),
  }),
  route({
    method: 'GET', path: '/api/v1/customers/{id}/delegations', summary: 'List who has access to a customer', tag: 'customers', access: 'user', tenant: true,
    params: idParams, response: allOf(delegationOut), errors: ['customer.not_found'],
    handler: ({ app, caller, params }) => listDelegationsOf(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/customers/{id}/delegations/{delegationId}', summary: 'Change the role of a delegation (owners)', tag: 'customers',
    access: 'user', tenant: true, params: delegationParams, body: delegationPatch, response: delegationOut,
    errors: ['customer.not_found', 'delegation.not_found', 'delegation.forbidden', 'delegation.last_owner', ...readOnly],
    handler: ({ app, caller, params, body }) => changeDelegation(app, caller, params.id, params.delegationId, body.role),
  }),
  route({
    method: 'DELETE', path: '/api/v1/customers/{id}/delegations/{delegationId}', summary: 'Remove a user\'s access to a customer (owners)', tag: 'customers',
    access: 'user', tenant: true, params: delegationParams, status: 204,
    errors: ['customer.not_found', 'delegation.not_found', 'delegation.forbidden', 'delegation.last_owner', ...readOnly],
    handler: ({ app, caller, params }) => removeDelegation(app, caller, params.id, params.delegationId),
  }),
  route({
    method: 'GET', path: '/api/v1/customers/{id}/invitations', summary: 'List the invitations of a customer waiting for their recipient (expired ones too)',
    tag: 'customers', access: 'user', tenant: true, params: idParams, response: allOf(invitationOut), errors: ['customer.not_found'],
    handler: ({ app, caller, params }) => listInvitationsOf(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/customers/{id}/invitations',
    summary: 'Invite an email to act for a customer with a role (owners): returns a link to send, valid once for 7 days; the answer is the same whatever the email',
    tag: 'customers', access: 'user', tenant: true, status: 201, params: idParams, body: invitationCreate, response: invitationWithLink,
    errors: ['customer.not_found', 'invitation.forbidden', 'delegation.exists', ...readOnly],
    handler: ({ app, caller, params, body }) => invite(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/customers/{id}/invitations/{invitationId}', summary: 'Revoke a waiting invitation (its link stops working)',
    tag: 'customers', access: 'user', tenant: true, status: 204, params: invitationParams,
    errors: ['customer.not_found', 'invitation.not_found', 'invitation.forbidden', ...readOnly],
    handler: ({ app, caller, params }) => revoke(app, caller, params.id, params.invitationId),
  }),
  route({
    method: 'POST', path: '/api/v1/customers/{id}/invitations/{invitationId}/renew',
    summary: 'Send an invitation again: a new link, valid 7 more days (the previous link stops working)',
    tag: 'customers', access: 'user', tenant: true, params: invitationParams, response: invitationWithLink,
    errors: ['customer.not_found', 'invitation.not_found', 'invitation.forbidden', ...readOnly],
    handler: ({ app, caller, params }) => renew(app, caller, params.id, params.invitationId),
  }),
];
