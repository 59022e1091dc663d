// DNS zones and records: API schemas and answer shapes.
import { z } from 'zod';
import { domainName, reference } from '../platform/validation.js';
import { provisioningOut, type Provisioning } from '../servers/model.js';
import type { CustomerStatus } from '../platform/policy.js';
import { displayName, relativeName } from './names.js';
import { recordTypes, TTL_MAX, TTL_MIN } from './records.js';

export const dnsMode = z.enum(['managed', 'external']).describe(
  'managed: the platform\'s name servers publish the zone · external: the domain\'s DNS is elsewhere; the API says which records to set there',
);

export const zoneCreate = z.strictObject({
  name: domainName.describe('the registered domain, e.g. example.org (Unicode or ASCII)'),
  customerId: reference(64).optional().describe('customer id or number (staff; a customer user\'s own customer by default)'),
  dns: dnsMode.default('managed'),
  edgeRecords: z.boolean().default(true).describe('publish A/AAAA records of the edge at the apex and www'),
});

export const zonePatch = z.strictObject({
  dns: dnsMode.optional(),
  edgeRecords: z.boolean().optional(),
  customerId: reference(64).optional().describe('hand the zone over to another customer (id or number; staff only)'),
});

export const zoneOut = z.object({
  id: z.string(),
  name: z.string().describe('ASCII (punycode) form'),
  nameUnicode: z.string(),
  customerId: z.string().nullable().describe('null for the platform\'s own zone'),
  dns: dnsMode,
  edgeRecords: z.boolean(),
  platform: z.boolean().describe('the platform domain\'s zone (staff only)'),
  proven: z.boolean().describe('its customer proved the domain (a TXT token, or its NS at the platform): no other customer can take it over'),
  provenAt: z.string().nullable(),
  provenBy: z.enum(['txt', 'ns']).nullable(),
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export interface ZoneRow {
  id: string; name: string; customerId: string | null; dns: 'managed' | 'external'; edgeRecords: boolean; platform: boolean;
  revision: number | string; createdAt: Date | string; updatedAt: Date | string;
  provenAt: Date | string | null; provenBy: 'txt' | 'ns' | null;
  /** the customer's status (null for the platform zone), for the policy */
  customerStatus: CustomerStatus | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const showZone = (z0: ZoneRow, provisioning: Provisioning): z.infer<typeof zoneOut> => ({
  id: z0.id,
  name: z0.name,
  nameUnicode: displayName(z0.name),
  customerId: z0.customerId,
  dns: z0.dns,
  edgeRecords: z0.edgeRecords,
  platform: z0.platform,
  proven: z0.provenAt !== null,
  provenAt: iso(z0.provenAt),
  provenBy: z0.provenBy,
  provisioning,
  createdAt: new Date(z0.createdAt).toISOString(),
  updatedAt: new Date(z0.updatedAt).toISOString(),
});

export const recordType = z.enum(recordTypes);

export const recordCreate = z.strictObject({
  name: z.string().max(300).describe('"@" for the zone itself, a relative name ("www", "_dmarc"), or a full name ending with the zone'),
  type: recordType,
  content: z.string().max(4000).describe('A: 192.0.2.1 · AAAA: 2001:db8::1 · CNAME/NS: host.example.net · MX: 10 mx.example.net · TXT: any text (or "quoted" "strings") · SRV: 10 5 5060 sip.example.net · CAA: 0 issue "letsencrypt.org"'),
  ttl: z.number().int().min(TTL_MIN, `must be at least ${TTL_MIN} seconds`).max(TTL_MAX, `must be at most ${TTL_MAX} seconds (a week)`).optional()
    .describe('seconds; one TTL per name and type (the rrset): setting it here sets it for the records of the same name and type'),
});

export const recordPatch = z.strictObject({
  name: recordCreate.shape.name.optional(),
  type: recordType.optional(),
  content: recordCreate.shape.content.optional(),
  ttl: recordCreate.shape.ttl,
});

export const recordOut = z.object({
  id: z.string().nullable().describe('null for the records the platform manages'),
  name: z.string().describe('full ASCII name, no final dot'),
  nameUnicode: z.string(),
  relativeName: z.string().describe('"@" for the apex, else relative to the zone'),
  relativeNameUnicode: z.string(),
  type: z.string(),
  ttl: z.number(),
  content: z.string().describe('as the DNS holds it (host names in ASCII)'),
  contentUnicode: z.string().describe('as people read it (host names of CNAME, MX, NS, SRV in Unicode)'),
  managed: z.boolean().describe('kept by the platform (SOA, NS, A/AAAA of the edge for its sites, ACME validation, the records of mail domains): read-only'),
  purpose: z.enum(['soa', 'ns', 'edge', 'acme', 'mail', 'spf']).nullable(),
});

export interface RecordRow { id: string; zoneId: string; name: string; type: string; content: string; ttl: number }

/** A record's content as people read it: the host name it names (CNAME, NS, MX, SRV) in Unicode. */
export function displayContent(type: string, content: string): string {
  if (!['CNAME', 'NS', 'MX', 'SRV'].includes(type)) return content;
  const parts = content.split(' ');
  parts[parts.length - 1] = displayName(parts[parts.length - 1]!);
  return parts.join(' ');
}

export const showRecord = (zone: string, r: { id: string | null; name: string; type: string; ttl: number; content: string; purpose?: 'soa' | 'ns' | 'edge' | 'acme' | 'mail' | 'spf' | null }): z.infer<typeof recordOut> => ({
  id: r.id,
  name: r.name,
  nameUnicode: displayName(r.name),
  relativeName: relativeName(r.name, zone),
  relativeNameUnicode: displayName(relativeName(r.name, zone)),
  type: r.type,
  ttl: r.ttl,
  content: r.content,
  contentUnicode: displayContent(r.type, r.content),
  managed: r.id === null,
  purpose: r.purpose ?? null,
});

export const zoneCheckOut = z.object({
  zone: z.string(),
  zoneUnicode: z.string(),
  dns: dnsMode,
  /** managed zones: what each name server answers */
  nameservers: z.array(z.object({
    server: z.string().describe('address[:port] asked'),
    role: z.enum(['primary', 'secondary']),
    serial: z.number().nullable(),
    ok: z.boolean(),
    message: z.string().nullable(),
  })),
  /** external zones: the records to set at the domain's DNS host, and whether they are */
  required: z.array(z.object({
    name: z.string(),
    nameUnicode: z.string(),
    type: z.string(),
    content: z.string(),
    found: z.array(z.string()).describe('what the DNS answers today'),
    ok: z.boolean(),
  })),
  ok: z.boolean(),
  message: z.string().nullable().describe('why the check cannot tell more (no DNS server publishes the zone, say)'),
});
