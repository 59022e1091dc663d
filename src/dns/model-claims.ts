// Claims: a customer asks to prove a domain (to hold its zone for good, or to take it over from
// another customer's unproven zone). The proof is a TXT record with the claim's token at
// _abri-challenge.<domain>, or (when no other customer holds the zone) the domain's NS at the
// platform's name servers.
import { z } from 'zod';
import { displayDomain } from '../platform/names.js';
import { domainName, reference } from '../platform/validation.js';
import { dnsMode } from './model.js';

/** Where the TXT proof is published, and what it holds. */
export const CHALLENGE_LABEL = '_abri-challenge';
export const challengeName = (domain: string) => `${CHALLENGE_LABEL}.${domain}`;
export const challengeValue = (token: string) => `abri-claim=${token}`;

export const claimCreate = z.strictObject({
  name: domainName.describe('the registered domain to prove, e.g. example.org (Unicode or ASCII)'),
  customerId: reference(64).optional().describe('customer id or number (staff; a customer user\'s own customer by default)'),
  dns: dnsMode.default('managed').describe('how the zone is published once proven, when it is new to the customer'),
});

export const claimOut = z.object({
  id: z.string(),
  name: z.string().describe('ASCII (punycode) form'),
  nameUnicode: z.string(),
  customerId: z.string(),
  dns: dnsMode,
  status: z.enum(['pending', 'verified']),
  method: z.enum(['txt', 'ns']).nullable().describe('how the domain was proven'),
  txtName: z.string().describe('publish a TXT record at this name…'),
  txtNameUnicode: z.string(),
  txtValue: z.string().describe('…with this text'),
  nameservers: z.array(z.string()).describe('or point the domain\'s NS at these (proves it only when no other customer holds the zone)'),
  heldByAnotherCustomer: z.boolean().describe('another customer holds the zone without proof: proving the domain with the TXT record takes it over'),
  createdAt: z.string(),
  verifiedAt: z.string().nullable(),
});

export interface ClaimRow {
  id: string; name: string; customerId: string; token: string; dns: 'managed' | 'external'; status: 'pending' | 'verified';
  method: 'txt' | 'ns' | null; createdAt: Date | string; verifiedAt: Date | string | null;
  /** the status of the claim's customer (the policy reads it) */
  customerStatus: 'active' | 'suspended' | 'closed';
}

export const claimView = (c: ClaimRow, nameservers: string[], heldByAnotherCustomer: boolean): z.infer<typeof claimOut> => ({
  id: c.id,
  name: c.name,
  nameUnicode: displayDomain(c.name),
  customerId: c.customerId,
  dns: c.dns,
  status: c.status,
  method: c.method,
  txtName: challengeName(c.name),
  txtNameUnicode: displayDomain(challengeName(c.name)),
  txtValue: challengeValue(c.token),
  nameservers,
  heldByAnotherCustomer,
  createdAt: new Date(c.createdAt).toISOString(),
  verifiedAt: c.verifiedAt ? new Date(c.verifiedAt).toISOString() : null,
});
