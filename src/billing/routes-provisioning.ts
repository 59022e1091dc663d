// The provisioning API over HTTP (staff tokens of a billing tool): every call idempotent, keyed by the
// tool's own service id. A create answers 201 when it made the hosting, 200 when it was made before.
import { route } from '../platform/http/route.js';
import { provisioningCreate, provisioningOffer, provisioningOut, provisioningParams, provisioningSuspend } from './model-provisioning.js';
import { provisionHosting, provisionOffer, provisionStatus, provisionTerminate, showProvisioned } from './operations-provisioning.js';

const path = '/api/v1/provisioning/hostings/{ref}';
const common = { tag: 'provisioning', access: 'staff', params: provisioningParams, response: provisioningOut, refusedForStaffWhileReadOnly: true } as const;
const known = ['provisioning.not_found', 'platform.read_only'];

export const provisioningRoutes = [
  route({
    ...common, method: 'GET', path, summary: "Show a billing tool's service: its hosting, status and provisioning state",
    errors: ['provisioning.not_found'],
    handler: ({ app, caller, params }) => showProvisioned(app, caller, params.ref),
  }),
  route({
    ...common, method: 'PUT', path, summary: "Create a billing tool's service (its customer too, if new): 201 when made, 200 when the same call made it before",
    body: provisioningCreate, alsoAnswers: [201],
    errors: ['provisioning.conflict', 'platform.read_only', 'offer.not_found', 'offer.archived', 'customer.closed', 'hosting.uids_exhausted', 'site.domain_taken', 'site.zone_taken', 'quota.sites_exceeded'],
    handler: async ({ app, caller, params, body, req }) => {
      const { created, hosting } = await provisionHosting(app, caller, params.ref, body);
      if (created) void req.reply.status(201);
      return hosting;
    },
  }),
  route({
    ...common, method: 'POST', path: `${path}/suspend`, summary: "Suspend a service's hosting (suspended already: 200, nothing changes)",
    body: provisioningSuspend.default({}), errors: [...known, 'hosting.terminated'],
    handler: ({ app, caller, params, body }) => provisionStatus(app, caller, params.ref, 'suspended', body.reason),
  }),
  route({
    ...common, method: 'POST', path: `${path}/unsuspend`, summary: "Reactivate a service's hosting (active already: 200, nothing changes)",
    errors: [...known, 'hosting.terminated'],
    handler: ({ app, caller, params }) => provisionStatus(app, caller, params.ref, 'active'),
  }),
  route({
    ...common, method: 'POST', path: `${path}/terminate`, summary: "Terminate a service's hosting, its files kept (terminated already: 200, nothing changes)",
    errors: known,
    handler: ({ app, caller, params }) => provisionTerminate(app, caller, params.ref),
  }),
  route({
    ...common, method: 'PUT', path: `${path}/offer`, summary: "Move a service's hosting to another offer, without invoicing (the billing tool invoices); the same offer: 200",
    body: provisioningOffer, errors: [...known, 'hosting.terminated', 'offer.not_found', 'offer.archived', 'offer.php_version_not_allowed', 'quota.sites_exceeded'],
    handler: ({ app, caller, params, body }) => provisionOffer(app, caller, params.ref, body.offer),
  }),
];
