// The provisioning API's shapes: a billing tool (WHMCS, FOSSBilling) names its customers and services
// by its own ids (refs), and Abri answers the hosting it made with those refs.
import { z } from 'zod';
import { email, reference, singleLine } from '../platform/validation.js';
import { domain, hostingOut, hostingSuspend } from '../hosting/model.js';

export const provisioningRef = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1 to 100 letters, digits, ".", "_", ":" or "-"');
export const provisioningParams = z.object({ ref: provisioningRef.describe("the billing tool's id of the service (e.g. WHMCS's service id)") });

export const provisioningCreate = z.strictObject({
  customer: z.strictObject({
    ref: provisioningRef.describe("the billing tool's id of the client: a new one makes a customer, a known one reuses it"),
    name: singleLine(200),
    contactEmail: email,
  }),
  offer: reference(100).describe('offer id or name'),
  domain: domain.optional().describe("the first site's domain, made with the hosting"),
});

export const provisioningOffer = z.strictObject({ offer: reference(100).describe('offer id or name') });
export const provisioningSuspend = hostingSuspend;

export const provisioningOut = hostingOut.extend({
  ref: z.string().describe("the billing tool's id of the service"),
  customerRef: z.string().describe("the billing tool's id of the client"),
  domain: z.string().nullable().describe('the first site asked for when it was created'),
});

export type ProvisioningCreate = z.output<typeof provisioningCreate>;
