// Claims over HTTP: prove a domain (TXT token, or the domain's NS at the platform) to hold its zone
// for good, or to take it over from another customer's unproven zone.
import { z } from 'zod';
import { route } from '../platform/http/route.js';
import { listOf, listQuery } from '../platform/http/list.js';
import { idParams, reference } from '../platform/validation.js';
import { claimCreate, claimOut } from './model-claims.js';
import { addClaim, listClaimsOf, removeClaim, showClaimOf, verifyClaim } from './operations-claims.js';

const changeErrors = ['claim.not_found', 'claim.forbidden', 'customer.suspended', 'customer.closed'];

export const claimRoutes = [
  route({
    method: 'GET', path: '/api/v1/zone-claims', summary: 'List claims of domains (customer users: their own)', tag: 'dns', access: 'user',
    query: listQuery.extend({
      customerId: reference(64).optional().describe('only this customer\'s claims (id or number)'),
      status: z.enum(['pending', 'verified']).optional(),
    }),
    response: listOf(claimOut), errors: ['customer.not_found'],
    handler: ({ app, caller, query }) => listClaimsOf(app, caller, query),
  }),
  route({
    method: 'POST', path: '/api/v1/zone-claims', summary: 'Claim a domain: answers the TXT record to publish (or the name servers to point at) to prove it', tag: 'dns', access: 'user', status: 201,
    body: claimCreate, response: claimOut,
    errors: ['customer.not_found', 'claim.forbidden', 'customer.suspended', 'customer.closed', 'zone.invalid', 'zone.taken', 'claim.exists', 'claim.already_proven'],
    handler: ({ app, caller, body }) => addClaim(app, caller, body),
  }),
  route({
    method: 'GET', path: '/api/v1/zone-claims/{id}', summary: 'Show a claim', tag: 'dns', access: 'user', tenant: true, params: idParams, response: claimOut,
    errors: ['claim.not_found'],
    handler: ({ app, caller, params }) => showClaimOf(app, caller, params.id),
  }),
  route({
    method: 'POST', path: '/api/v1/zone-claims/{id}/verify', summary: 'Ask the DNS for the proof now; proven, the zone is the customer\'s (taken over from an unproven holder)',
    tag: 'dns', access: 'user', tenant: true, params: idParams, response: claimOut,
    errors: [...changeErrors, 'claim.verified', 'claim.not_proven', 'claim.zone_proven', 'zone.taken'],
    handler: ({ app, caller, params }) => verifyClaim(app, caller, params.id),
  }),
  route({
    method: 'DELETE', path: '/api/v1/zone-claims/{id}', summary: 'Remove a claim (a verified one only forgets how the domain was proven)', tag: 'dns', access: 'user', tenant: true,
    params: idParams, status: 204, errors: changeErrors,
    handler: async ({ app, caller, params }) => void (await removeClaim(app, caller, params.id)),
  }),
];
