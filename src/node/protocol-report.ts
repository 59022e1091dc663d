// The agent protocol, what an agent reports: the state of each object it applied (with a stable
// error code and its parameters when in error) and what it measured.
import { z } from 'zod';

export const objectStatus = z
  .enum(['rendered', 'live', 'error'])
  .describe('rendered: written on a render-only node, not applied · live: applied and serving · error: see message');

/**
 * Why an object is in error, as a stable code (the UI translates it) with its parameters; the
 * English `message` says the same for logs, the CLI and older clients.
 */
export const OBJECT_ERROR_CODES = {
  'render.invalid': 'a value of this object cannot be written into a configuration (params: what, value, reason)',
  'object.conflict': 'a name or number of this object is already used by another object on this server (params: what, value)',
  'web.account_not_ours':
    'the Unix user or group (or its uid) exists and was not created by Abri for this hosting: refused, nothing touched (params: name, uid)',
  'web.home_not_ours': 'the home directory exists and was not created by Abri for this hosting: refused, nothing touched (params: home)',
  'web.account_failed': "the hosting's account or home tree could not be set up (params: name, detail)",
  'web.hosting_failed': "the site's hosting is in error on this server (params: hosting)",
  'web.fpm_refused': "PHP-FPM refused this hosting's pool (params: version, detail)",
  'web.apache_refused': "Apache refused this site's configuration (params: detail)",
  'web.purge_failed': 'the files or account of a terminated hosting could not be deleted (params: name, detail)',
  'server.failed': "the server could not apply its new configuration; staff see why in the server's error (params: service)",
  'edge.certificate_not_fetched': 'the edge could not fetch the certificate from the manager (params: detail)',
  'edge.certificate_refused': 'HAProxy refused the certificate (params: detail)',
  'edge.certificate_unused': 'the certificate covers none of the current names of its site: it is not served (params: names)',
  'dns.zone_refused': 'PowerDNS refused the zone (params: zone, detail)',
  'sftp.account_not_ours':
    'a Unix account of this name exists on the web server and was not created by Abri for this SFTP user: refused, nothing touched (params: name)',
  'sftp.hosting_not_ready': "the hosting's account or home is not (yet) set up on this server (params: hosting)",
  'sftp.folder_unsafe':
    'the restriction folder is a symbolic link, not a folder, or leads outside the hosting: the user is left out until it is fixed (params: folder, detail)',
  'ftp.hosting_not_ready': "the hosting's account or home is not (yet) set up on this server (params: hosting)",
  'ftp.folder_unsafe':
    'the restriction folder is a symbolic link, not a folder, or leads outside the hosting: the user is left out until it is fixed (params: folder, detail)',
  'ftp.refused': 'Pure-FTPd or the system refused this user (params: name, detail)',
  'sftp.refused': "sshd or the system refused this user's account or configuration (params: name, detail)",
  'database.not_ours': 'a MariaDB database or user of this name exists and was not created by Abri: refused, nothing touched (params: name)',
  'mail.domain_not_ready': "the mailbox's or alias's domain is in error on this mail server (params: domain)",
  'mail.refused': 'Postfix, Dovecot or rspamd refused the mail configuration; the previous one is kept (params: detail)',
  'database.refused': 'MariaDB refused a statement for this database or user (params: name, detail)',
} as const;
export type ObjectErrorCode = keyof typeof OBJECT_ERROR_CODES;

export const objectParams = z.record(z.string().max(64), z.union([z.string().max(4000), z.number(), z.boolean(), z.null()]));
export type ObjectParams = z.infer<typeof objectParams>;

export const objectReport = z.object({
  kind: z.string().min(1).max(32),
  id: z.string().min(1).max(255),
  status: objectStatus,
  message: z.string().max(4000).nullable().optional(),
  /** with status error: a stable code (OBJECT_ERROR_CODES; an agent may send codes this manager does not know yet) */
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/)
    .max(64)
    .nullable()
    .optional(),
  params: objectParams.optional(),
});

/**
 * A measure an agent made (the size of a database, the space a hosting's home uses: kind
 * `hosting-disk`), sent with its report when it measured; `enforced` (hosting-disk) says whether the
 * filesystem enforces the offer's limit (a btrfs qgroup) or the size is only measured.
 */
export const objectUsage = z.object({
  kind: z.string().min(1).max(32),
  id: z.string().min(1).max(255),
  bytes: z.number().int().min(0),
  enforced: z.boolean().optional(),
});

export const agentReport = z.strictObject({
  revision: z.number().int().min(0),
  mode: z.enum(['render-only', 'apply']),
  /** a server-wide error (e.g. a config that failed validation), null when the apply succeeded */
  error: z.string().max(8000).nullable().optional(),
  objects: z.array(objectReport).max(200_000),
  /** sizes measured during this apply (database servers measure every few minutes, not at each apply) */
  usage: z.array(objectUsage).max(200_000).optional(),
});
export type AgentReport = z.infer<typeof agentReport>;
export type ObjectReport = z.infer<typeof objectReport>;
/** What a driver says about an object in error: the code, its parameters and the English sentence. */
export interface ObjectProblem {
  code: ObjectErrorCode;
  params: ObjectParams;
  message: string;
}
export type ObjectUsage = z.infer<typeof objectUsage>;
