// Zones over HTTP: parse, call one operation, answer. Customers see and change their own (the
// platform's own zone is the staff's); staff see all.
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams, reference } from '../platform/validation.js';
import { dnsMode, zoneCheckOut, zoneCreate, zoneOut, zonePatch } from './model.js';
import { zoneChangeErrors } from './errors.js';
import { addZone, changeZone, checkZone, listZonesOf, removeZone, showZoneOf } from './operations-zones.js';

export const zoneRoutes = [
  route({
    method: 'GET', path: '/api/v1/zones', summary: 'List DNS zones (customer users: their own); q and sort=name follow the names as people read them', tag: 'dns', access: 'user',
    query: listQuery.extend({
      customerId: reference(64).optional().describe('only this customer\'s zones (id or number)'),
      dns: dnsMode.optional().describe('only the zones published this way'),
    }),
    response: listOf(zoneOut), errors: ['customer.not_found'],
    handler: ({ app, caller, query }) => listZonesOf(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/zones', summary: 'Add a zone for a registered domain (sites create theirs by themselves)', tag: 'dns', access: 'user', status: 201,
    body: zoneCreate, response: zoneOut,
    errors: ['customer.not_found', 'zone.forbidden', 'customer.suspended', 'customer.closed', 'zone.invalid', 'zone.taken'],
    handler: ({ app, caller, body }) => addZone(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/zones/{id}', summary: 'Show a zone (id or name)', tag: 'dns', access: 'user', tenant: true, params: idParams, response: zoneOut,
    errors: ['zone.not_found'],
    handler: ({ app, caller, params }) => showZoneOf(app, caller, params.id),
  }),
  route({
    method: 'PATCH', path: '/api/v1/zones/{id}', summary: 'Change how a zone is published (staff: hand it over to another customer)', tag: 'dns', access: 'user', tenant: true,
    params: idParams, body: zonePatch, response: zoneOut, errors: [...zoneChangeErrors, 'zone.platform', 'customer.not_found'],
    handler: ({ app, caller, params, body }) => changeZone(app, caller, params.id, body),
  }),
  route({
    method: 'DELETE', path: '/api/v1/zones/{id}', summary: 'Remove a zone no site uses (its records are lost)', tag: 'dns', access: 'user', tenant: true, params: idParams, status: 204,
    errors: [...zoneChangeErrors, 'zone.platform', 'zone.in_use'],
    handler: async ({ app, caller, params }) => void (await removeZone(app, caller, params.id)),
  }),
  route({
    method: 'GET', path: '/api/v1/zones/{id}/check', summary: 'Ask the DNS now: what the name servers answer, or (external DNS) whether the records to set are set',
    tag: 'dns', access: 'user', tenant: true, params: idParams, response: zoneCheckOut, errors: ['zone.not_found'],
    handler: ({ app, caller, params }) => checkZone(app, caller, params.id),
  }),
];
