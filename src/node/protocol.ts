// The agent protocol: what the manager sends a server (its desired state) and what the agent reports.
// Node-local facts (paths, ports, service commands) are not here: each agent adds them from its own config.
import { z } from 'zod';
import { desiredDbadminRoute, desiredWebmail, desiredWebmailRoute } from './protocol-apps.js';
import { desiredMailState } from './protocol-mail.js';
import { desiredSnapshotCounts } from './protocol-snapshots.js';
export const objectStatus = z
  .enum(['rendered', 'live', 'error'])
  .describe('rendered: written on a render-only node, not applied · live: applied and serving · error: see message');

export const desiredSite = z.object({
  id: z.string(),
  domain: z.string(),
  aliases: z.array(z.string()),
  documentRoot: z.string(),
  phpVersion: z.string(),
  httpsMode: z.enum(['http-only', 'both', 'https-only', 'redirect']),
  status: z.enum(['active', 'disabled']),
  /** the PHP values this site is served with (checked by the manager against its offer; absent from older managers: the hosting's defaults) */
  php: z
    .object({
      memoryLimitMb: z.number().int(),
      uploadMaxMb: z.number().int(),
      postMaxMb: z.number().int(),
      maxExecutionSeconds: z.number().int(),
      maxInputVars: z.number().int(),
      displayErrors: z.boolean(),
    })
    .optional(),
});

export const desiredHosting = z.object({
  id: z.string(),
  name: z.string(),
  uid: z.number().int(),
  home: z.string(),
  status: z.enum(['active', 'suspended']),
  php: z.object({ maxChildren: z.number().int(), memoryMb: z.number().int() }),
  /** the offer's disk space (MB; 0: none): a qgroup limit when the home is a btrfs subvolume (absent from older managers: no limit set) */
  diskMb: z.number().int().min(0).optional(),
  snapshots: desiredSnapshotCounts.optional(), // how many of the home the web server keeps, by kind (absent from older managers: none)
  sites: z.array(desiredSite),
});

/** A web server; it runs `instances` Apache instances, on its web port and the next ones. */
export const desiredBackend = z.object({ name: z.string(), address: z.string(), instances: z.number().int().min(1).max(64).default(1) });

export const desiredHost = z.object({
  host: z.string(),
  siteId: z.string(),
  backend: z.string(),
  /** the backend's Apache instance that serves this host (port + instance) */
  instance: z.number().int().min(0).max(63).default(0),
  httpsMode: desiredSite.shape.httpsMode,
  suspended: z.boolean(),
  /** a certificate covering this host is deployed (a redirect to HTTPS only happens then) */
  tls: z.boolean().default(false),
});

/** A certificate the edge serves: its PEM (certificate, chain, key) is fetched from the manager by id. */
export const desiredCertificate = z.object({
  id: z.string(),
  /** SHA-256 of the leaf certificate (DER, hex): the edge fetches and swaps when it differs */
  fingerprint: z.string(),
  names: z.array(z.string()),
  /**
   * The SNI names the edge may present it for (its crt-list filters): its names that are current
   * names of the site it belongs to, or the platform's names for the platform certificate: it can
   * never answer for a foreign name. Empty: it serves nothing (the edge reports it unused).
   */
  serves: z.array(z.string()).default([]),
});

export const desiredRrset = z.object({ name: z.string(), type: z.string(), ttl: z.number().int(), records: z.array(z.string()) });
export const desiredZone = z.object({ id: z.string(), name: z.string(), rrsets: z.array(desiredRrset) });
export const dnsAddress = z.object({ address: z.string(), port: z.number().int() });

/** A MariaDB database; read-only: its hosting is over its space quota (users keep SELECT, DELETE, DROP…). */
export const desiredDatabase = z.object({ id: z.string(), name: z.string(), readOnly: z.boolean() });
/**
 * A MariaDB user ('name'@'%'): its mysql_native_password string, locked when its hosting is not active, its databases (names);
 * consoleAuth: the database admin's second way in (its console password's mysql_native_password string), when the user has one.
 */
export const desiredDatabaseUser = z.object({
  id: z.string(),
  name: z.string(),
  authString: z.string(),
  consoleAuth: z.string().nullable().optional(),
  locked: z.boolean(),
  databases: z.array(z.string()),
});

/**
 * An SFTP user of a hosting on this web server: a Unix account with the hosting's uid and gid,
 * chrooted by Abri's sshd to `folder` (relative to `home`). `active` false (disabled, or its hosting
 * suspended or terminated): it cannot sign in. passwordHash: a SHA-512 crypt string, or null (keys only).
 */
export const desiredSftpUser = z.object({
  id: z.string(),
  name: z.string(),
  hosting: z.string(),
  uid: z.number().int(),
  home: z.string(),
  folder: z.string(),
  passwordHash: z.string().nullable(),
  keys: z.array(z.object({ type: z.string(), blob: z.string() })),
  active: z.boolean(),
  /** SSH shell access (its offer allows SSH): its login shell enters the hosting's jail (bubblewrap) */
  shell: z.boolean().default(false),
});

/**
 * An FTP user of a hosting on this web server: a Pure-FTPd virtual user mapped to the hosting's uid
 * and gid, chrooted to `folder` (relative to `home`). `active` false: it cannot sign in.
 * passwordHash: a SHA-512 crypt string.
 */
export const desiredFtpUser = z.object({
  id: z.string(),
  name: z.string(),
  hosting: z.string(),
  uid: z.number().int(),
  home: z.string(),
  folder: z.string(),
  passwordHash: z.string(),
  active: z.boolean(),
});

/**
 * A scheduled task of an active hosting on this web server: `command` run in the hosting's jail as
 * its uid at the times of `schedule` (crontab, UTC) when enabled, killed after `timeLimit` seconds;
 * once more each time `runRequests` ("run now") grows.
 */
export const desiredCronTask = z.object({
  id: z.string(),
  hosting: z.string(),
  uid: z.number().int(),
  home: z.string(),
  command: z.string(),
  schedule: z.string(),
  timeLimit: z.number().int(),
  enabled: z.boolean(),
  runRequests: z.number().int(),
});

/** One run of a scheduled task, as the web server reports it (POST /agent/v1/cron-runs). */
export const cronRunReport = z.strictObject({
  taskId: z.string().uuid(),
  startedAt: z.string().datetime(),
  endedAt: z.string().datetime(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  output: z.string().max(70_000),
  truncated: z.boolean(),
  requested: z.boolean(),
  /** which resource limit stopped it (src/jail/render-limits.ts), null when none did; absent from agents before it */
  stoppedBy: z.enum(['time_limit', 'memory', 'processes', 'cpu_time', 'file_size']).nullable().default(null),
});

export const desiredState = z.object({
  revision: z.number().int(),
  server: z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()) }),
  /** present when the server has the web role: the hostings placed on it */
  web: z
    .object({
      hostings: z.array(desiredHosting),
      /** Apache instances on the node: a hosting's sites go to instance (uid mod this) */
      apacheInstances: z.number().int().min(1).max(64).default(1),
      /** terminated hostings whose files and account must now be deleted */
      purges: z.array(z.object({ id: z.string(), name: z.string(), uid: z.number().int(), home: z.string() })).default([]),
    })
    .optional(),
  /** present when the server has the edge role: every public host name and its web server */
  edge: z
    .object({
      backends: z.array(desiredBackend),
      hosts: z.array(desiredHost),
      certificates: z.array(desiredCertificate).default([]),
      dbadmin: desiredDbadminRoute.nullable().optional(),
      webmail: desiredWebmailRoute.nullable().optional(),
    })
    .optional(),
  /** present when the server has the dns role: every zone the platform publishes */
  dns: z.object({ zones: z.array(desiredZone), secondaries: z.array(dnsAddress) }).optional(),
  /** present when the server has the web role: the SFTP users of the hostings placed on it (Abri's sshd) */
  sftp: z.object({ users: z.array(desiredSftpUser) }).optional(),
  /**
   * present when the server has the web role: the FTP users of the hostings placed on it (Abri's
   * Pure-FTPd), and the platform certificate its TLS presents (fetched by id; null: none issued yet,
   * the server uses a self-signed one)
   */
  ftp: z.object({ users: z.array(desiredFtpUser), certificate: z.object({ id: z.string(), fingerprint: z.string() }).nullable().default(null) }).optional(),
  /** present when the server has the web role: the scheduled tasks of its active hostings */
  cron: z.object({ tasks: z.array(desiredCronTask) }).optional(),
  /** present when the server has the database role: the databases and users of the hostings placed on it */
  database: z.object({ databases: z.array(desiredDatabase), users: z.array(desiredDatabaseUser) }).optional(),
  /** present when the server has the web role and the platform has a web database admin: serve it at `path`, exchanging tickets with `key` */
  dbadmin: z.object({ path: z.string(), key: z.string() }).optional(),
  webmail: desiredWebmail.optional(), // with the web role, when the platform has a webmail: serve Roundcube for these mail servers
  /** present when the server has the mail role: the mail domains, mailboxes and aliases of the hostings placed on it */
  mail: desiredMailState.optional(),
});

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
export type DesiredState = z.infer<typeof desiredState>;
export type DesiredHosting = z.infer<typeof desiredHosting>;
export type DesiredSite = z.infer<typeof desiredSite>;
export type AgentReport = z.infer<typeof agentReport>;
export type ObjectReport = z.infer<typeof objectReport>;
/** What a driver says about an object in error: the code, its parameters and the English sentence. */
export interface ObjectProblem {
  code: ObjectErrorCode;
  params: ObjectParams;
  message: string;
}
export type DesiredZone = z.infer<typeof desiredZone>;
export type DesiredDatabase = z.infer<typeof desiredDatabase>;
export type DesiredSftpUser = z.infer<typeof desiredSftpUser>;
export type DesiredFtpUser = z.infer<typeof desiredFtpUser>;
export type DesiredCronTask = z.infer<typeof desiredCronTask>;
export type { DesiredMailAlias, DesiredMailbox, DesiredMailDomain } from './protocol-mail.js';
export type CronRunReport = z.infer<typeof cronRunReport>;
export type DesiredDatabaseUser = z.infer<typeof desiredDatabaseUser>;
export type ObjectUsage = z.infer<typeof objectUsage>;
export type DesiredCertificate = z.infer<typeof desiredCertificate>;
export type CertificateBundle = { id: string; fingerprint: string; pem: string };
