// Hostings and sites: API schemas and answer shapes.
import { z } from 'zod';
import { displayDomain } from '../platform/names.js';
import { documentRootPath, domainName, platformLabelName, reference, singleLine } from '../platform/validation.js';
import type { HostingRow } from './store-hostings.js';
import { provisioningOut, type Provisioning } from '../servers/model.js';

export const httpsMode = z.enum(['http-only', 'both', 'https-only', 'redirect']).describe(
  'http-only: HTTP only · both: HTTP and HTTPS · https-only: HTTPS only · redirect: HTTP redirects to HTTPS',
);
export const hostingStatus = z.enum(['active', 'suspended', 'terminated']);
const phpVersion = z.string().regex(/^\d+\.\d+$/, 'must be a PHP version like 8.2');

/** A site's domain or alias (a name a customer may take); one rule with the renderers (platform/names.ts). */
export const domain = domainName;

/** A document root under var/www/ (letters of any script: the default is the domain as people read it). */
export const documentRoot = documentRootPath;

export const hostingCreate = z.strictObject({
  customerId: reference(64).describe('customer id or number'),
  offerId: reference(100).describe('offer id or name'),
  phpVersion: phpVersion.optional().describe('default PHP version of new sites; default: the newest the offer allows'),
  serverId: reference(64).optional().describe('web server (id or name); default: the least loaded'),
});

export const hostingPatch = z.strictObject({
  offerId: reference(100).optional().describe('staff only'),
  phpVersion: phpVersion.optional(),
  serverId: reference(64).nullable().optional().describe('staff only'),
});

export const hostingSuspend = z.strictObject({
  reason: singleLine(500).optional().describe('why (kept in the audit log)'),
});

export const hostingOut = z.object({
  id: z.string(),
  name: z.string(),
  uid: z.number(),
  home: z.string(),
  customerId: z.string(),
  customerNumber: z.number(),
  customerName: z.string(),
  customerStatus: z.enum(['active', 'suspended', 'closed']),
  offerId: z.string(),
  offerName: z.string(),
  serverId: z.string().nullable(),
  status: hostingStatus,
  phpVersion: z.string(),
  usage: z.object({
    sites: z.object({ used: z.number(), max: z.number() }),
    diskMb: z.object({
      used: z.number().nullable().describe('MB (MiB) the home uses, as its web server last measured it; null: not measured yet'),
      max: z.number().describe("the offer's disk space, MB"),
      enforced: z.boolean().nullable().describe('true: the server refuses writes beyond max (btrfs quota) · false: only measured, not enforced on this server · null: not measured yet'),
      measuredAt: z.string().nullable(),
    }),
    databases: z.object({ used: z.number(), max: z.number() }).describe('its MariaDB databases against the offer\'s maxDatabases (sizes: GET /hostings/{id}/database-usage)'),
    transferUsers: z.object({ used: z.number(), max: z.number() }).describe('its SFTP and FTP users together against the offer\'s maxFtpUsers'),
    cronTasks: z.object({ used: z.number(), max: z.number() }).describe('its scheduled tasks against the offer\'s maxCronTasks'),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  terminatedAt: z.string().nullable(),
  purgeRequestedAt: z.string().nullable().describe('when staff asked for the files of this terminated hosting to be deleted'),
  purgedAt: z.string().nullable().describe('when its web server deleted its files and Unix account'),
  provisioning: provisioningOut.optional().describe('its Unix account and home on its web server (shown on one hosting, not in lists); an error says why, e.g. web.account_not_ours'),
});

/** A label of the platform domain: <label>.<platform domain> is then one more name of the site. */
export const platformLabel = platformLabelName;

const dnsChoice = z.enum(['managed', 'external']).describe('how the zone of a domain new to the platform is published: by the platform\'s name servers (managed, default) or elsewhere (external)');

export const siteCreate = z.strictObject({
  domain,
  aliases: z.array(domain).max(100).default([]),
  platformSubdomain: platformLabel.nullable().optional().describe('also serve the site at <label>.<platform domain> (ABRI_PLATFORM_DOMAIN), under the platform\'s wildcard certificate'),
  dns: dnsChoice.optional(),
  documentRoot: documentRoot.optional().describe('relative to var/www/; default: the domain as people read it (var/www/café-exemple.fr)'),
  phpVersion: phpVersion.optional().describe('default: the hosting\'s PHP version'),
  httpsMode: httpsMode.optional().describe('default: redirect when the offer allows TLS (recommended), else http-only'),
  status: z.enum(['active', 'disabled']).default('active'),
});

export const sitePatch = z.strictObject({
  domain: domain.optional(),
  aliases: z.array(domain).max(100).optional(),
  platformSubdomain: platformLabel.nullable().optional(),
  documentRoot: documentRoot.optional(),
  phpVersion: phpVersion.optional(),
  httpsMode: httpsMode.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const siteOut = z.object({
  id: z.string(),
  hostingId: z.string(),
  hostingName: z.string(),
  domain: z.string().describe('ASCII (punycode) form'),
  domainUnicode: z.string().describe('as people read it'),
  aliases: z.array(z.string()),
  aliasesUnicode: z.array(z.string()),
  platformSubdomain: z.string().nullable(),
  platformName: z.string().nullable().describe('<label>.<platform domain>, when the site has one'),
  platformNameUnicode: z.string().nullable().describe('the platform name as people read it'),
  documentRoot: z.string(),
  phpVersion: z.string(),
  httpsMode,
  status: z.enum(['active', 'disabled']),
  provisioning: provisioningOut,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export interface SiteRow {
  id: string; hostingId: string; hostingName: string; domain: string; aliases: string[]; documentRoot: string;
  phpVersion: string; httpsMode: z.infer<typeof httpsMode>; status: 'active' | 'disabled'; createdAt: Date; updatedAt: Date;
  revision: number; serverId: string | null; platformLabel: string | null;
}

/** The site's platform name, when it has a label and the platform a domain. */
export const platformNameOf = (s: { platformLabel: string | null }, platformDomain: string | null) =>
  s.platformLabel && platformDomain ? `${s.platformLabel}.${platformDomain}` : null;

const unicodeOrNull = (n: string | null) => (n ? displayDomain(n) : null);

export const siteView = (s: SiteRow, provisioning: Provisioning, platformDomain: string | null): z.infer<typeof siteOut> => ({
  id: s.id,
  hostingId: s.hostingId,
  hostingName: s.hostingName,
  domain: s.domain,
  domainUnicode: displayDomain(s.domain),
  aliases: s.aliases,
  aliasesUnicode: s.aliases.map(displayDomain),
  platformSubdomain: s.platformLabel,
  platformName: platformNameOf(s, platformDomain),
  platformNameUnicode: unicodeOrNull(platformNameOf(s, platformDomain)),
  documentRoot: s.documentRoot,
  phpVersion: s.phpVersion,
  httpsMode: s.httpsMode,
  status: s.status,
  provisioning,
  createdAt: new Date(s.createdAt).toISOString(),
  updatedAt: new Date(s.updatedAt).toISOString(),
});

const MiB = 1024 * 1024;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

type Counts = 'siteCount' | 'databaseCount' | 'transferUserCount' | 'cronTaskCount';
export const hostingView = (h: Omit<HostingRow, Counts> & Record<Counts, number | string>): z.infer<typeof hostingOut> => ({
  id: h.id,
  name: h.name,
  uid: h.uid,
  home: h.home,
  customerId: h.customerId,
  customerNumber: h.customerNumber,
  customerName: h.customerName,
  customerStatus: h.customerStatus,
  offerId: h.offerId,
  offerName: h.offerName,
  serverId: h.serverId,
  status: h.status,
  phpVersion: h.phpVersion,
  usage: {
    sites: { used: Number(h.siteCount), max: h.maxSites },
    databases: { used: Number(h.databaseCount), max: h.maxDatabases },
    transferUsers: { used: Number(h.transferUserCount), max: h.maxFtpUsers },
    cronTasks: { used: Number(h.cronTaskCount), max: h.maxCronTasks },
    diskMb: {
      used: h.diskUsedBytes === null ? null : Math.round((Number(h.diskUsedBytes) / MiB) * 100) / 100,
      max: h.diskMb,
      enforced: h.diskEnforced,
      measuredAt: iso(h.diskMeasuredAt),
    },
  },
  createdAt: iso(h.createdAt)!,
  updatedAt: iso(h.updatedAt)!,
  terminatedAt: iso(h.terminatedAt),
  purgeRequestedAt: iso(h.purgeRequestedAt),
  purgedAt: iso(h.purgedAt),
});
