// The agent protocol: what the manager sends a server (its desired state), and, from the files it
// re-exports, what the agent reports (protocol-report.ts), the ways into hostings (protocol-access.ts:
// SFTP, FTP, MariaDB) and scheduled tasks (protocol-cron.ts); each capability's part is in its own file.
// Node-local facts (paths, ports, service commands) are not here: each agent adds them from its own config.
import { z } from 'zod';
import { desiredDbadminRoute, desiredWebmail, desiredWebmailRoute } from './protocol-apps.js';
import { desiredMailState } from './protocol-mail.js';
import { desiredSnapshotCounts } from './protocol-snapshots.js';
import { desiredBackup, desiredBackupAccount } from './protocol-backups.js';
import { desiredStatusPage } from './protocol-works.js';
import { desiredDatabase, desiredDatabaseUser, desiredFtpUser, desiredSftpUser } from './protocol-access.js';
import { desiredCronTask } from './protocol-cron.js';

export * from './protocol-report.js';
export * from './protocol-access.js';
export * from './protocol-cron.js';

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
  dbadmin: z.object({ path: z.string(), key: z.string() }).optional(), // with the web role and a web database admin: serve it at `path`, tickets with `key`
  webmail: desiredWebmail.optional(), // with the web role, when the platform has a webmail: serve Roundcube for these mail servers
  mail: desiredMailState.optional(), // with the mail role: the mail domains, mailboxes and aliases of the hostings placed on it
  backups: z.object({ hostings: z.array(desiredBackup) }).optional(), // web role: backups of its hostings (src/backups)
  backupServer: z.object({ accounts: z.array(desiredBackupAccount) }).optional(), // backup role: the accounts it keeps
  status: desiredStatusPage.optional(), // with the status role: the public works page to serve (src/works/apply-status.ts)
});

export type DesiredState = z.infer<typeof desiredState>;
export type DesiredHosting = z.infer<typeof desiredHosting>;
export type DesiredSite = z.infer<typeof desiredSite>;
export type DesiredZone = z.infer<typeof desiredZone>;
export type { DesiredMailAlias, DesiredMailbox, DesiredMailDomain } from './protocol-mail.js';
export type DesiredCertificate = z.infer<typeof desiredCertificate>;
export type CertificateBundle = { id: string; fingerprint: string; pem: string };
