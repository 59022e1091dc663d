// Settings: every one is an ABRI_* key, read from the environment, then from an optional
// config file (KEY=VALUE lines, same keys), then from its default. `abri config --help` lists them.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';
import { settings } from './settings.js';
import { dnsSettings, hostName, reservedLabels, type DnsSettings } from './config-dns.js';
import { flag, intSetting, ip, type RawSettings } from './config-values.js';
import { smtpSettings, type SmtpSettings } from './config-smtp.js';
import { ftpSettings, passiveRange, type FtpSettings } from './config-ftp.js';
import { dbadminNodeSettings, dbadminSettings, type DbadminNodeSettings, type DbadminSettings } from './config-dbadmin.js';
import { dmarcRua, mailBlocklists, mailPorts, mailSettings, type MailPorts, type MailSettings } from './config-mail.js';
import { webmailName, webmailNodeSettings, type WebmailNodeSettings } from './config-webmail.js';
import { worksSettings, type WorksSettings } from './config-works.js';
import { backupNodeSettings, backupSettings, type BackupNodeSettings, type BackupSettings } from './config-backups.js';
import { stripeSettings, type StripeSettings } from './config-stripe.js';

export { settings, DEFAULT_RESERVED_LABELS, type Setting } from './settings.js';
export { parseDnsAddress, type DnsAddress, type DnsSettings } from './config-dns.js';
export type { RawSettings } from './config-values.js';

export interface Config {
  dataDir: string;
  listen: { host: string; port: number };
  databaseUrl: string | null;
  publicUrl: string;
  apiUrl: string;
  token: string;
  logLevel: string;
  hostingPrefix: string;
  uidMin: number;
  uidMax: number;
  hostingRoot: string;
  phpVersions: string[];
  sessionHours: number;
  loginMaxFailures: number;
  localAgent: boolean;
  retentionDays: number;
  /** MariaDB's port on database servers (shown to customers with the server's address) */
  databasePort: number;
  /** the web database admin: where customers open it ('' = none) and the key it exchanges tickets with */
  dbadmin: DbadminSettings;
  backups: BackupSettings; // off-server backups: the backup servers' SFTP port, the uids of the hostings' accounts there
  sftpPort: number; // the SFTP port of the web servers (Abri's sshd), shown to customers
  ftp: { port: number; passivePorts: string }; // the FTP ports of the web servers (Abri's Pure-FTPd), shown to customers
  mail: { ports: MailPorts; dnsbl: string[]; dmarcRua: string | null }; // the ports of the mail servers (Abri's Postfix and Dovecot), shown to customers; the blocklists their addresses are checked in; where DMARC reports go
  /** the host name the webmail answers at (through the edge, on the web servers), or null: none */
  webmail: { host: string | null };
  works: WorksSettings; // the public works page: where it is exported, whether the manager serves it
  /** Apache instances per web node (sites of a hosting go to instance uid mod N, port + instance) */
  apacheInstances: number;
  /** encryption key of secrets at rest (hex), or '' to use ABRI_DATA_DIR/secret.key */
  secretKey: string;
  /** ASCII platform domain, or null */
  platformDomain: string | null;
  /** labels of the platform domain no site may take (patterns, * = any characters) */
  reservedLabels: string[];
  dns: DnsSettings;
  acme: AcmeSettings;
  /** the platform's outgoing e-mail (src/outbox) */
  smtp: SmtpSettings;
  /** card payments through Stripe (null: not set up, no card payments) */
  stripe: StripeSettings | null;
  /** a new customer may open an account with an order on the public order page (ABRI_ORDERS_SIGNUP) */
  ordersSignup: boolean;
  node: NodeSettings;
}

export interface AcmeSettings {
  /** null = no certificates are ordered */
  directory: string | null;
  email: string | null;
  caFile: string | null;
  httpPort: number;
  concurrency: number;
}

/** What an agent needs to know about its own machine (never sent by the manager). */
export interface NodeSettings {
  apply: boolean;
  root: string;
  web: { host: string; port: number; user: string; extraDirectives: string[] };
  edge: { bind: string; httpPort: number; httpsPort: number };
  /** PowerDNS on DNS nodes: where it answers, its API port on 127.0.0.1, its binary */
  dns: { host: string; port: number; apiPort: number; pdnsServer: string; bulkZones: number };
  fpm: Record<string, string>;
  /** pools per PHP-FPM master (node/layout.ts fpmMasterOf) */
  fpmPoolsPerMaster: number;
  reconcileSeconds: number;
  /** MariaDB on database nodes: the admin's unix socket and account, how often sizes are measured */
  mariadb: { socket: string; user: string; measureSeconds: number };
  /** web nodes: how often homes are measured, and files examined per measure where the filesystem does not count (not btrfs) */
  disk: { measureSeconds: number; measureFiles: number };
  /** web nodes: rotation of the sites' logs (apply-log-rotation.ts) */
  logs: { rotateBytes: number; keep: number; checkSeconds: number };
  sftp: { bind: string; port: number; sshd: string }; // Abri's sshd for SFTP users on web nodes
  backups: BackupNodeSettings; // Abri's sshd for the repositories on backup nodes; the daily backup of web nodes
  ftp: FtpSettings; // Abri's Pure-FTPd for FTP users on web nodes
  dbadmin: DbadminNodeSettings; // the web database admin on web nodes (its own Apache and PHP-FPM)
  mail: MailSettings; // Abri's Postfix and Dovecot on mail nodes
  webmail: WebmailNodeSettings; // the webmail (Roundcube) on web nodes (its own Apache and PHP-FPM)
  status: { host: string; port: number }; // status nodes: where the Apache serving the public works page listens
}

function parseFpm(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+\.\d+)=(\/[\w./+-]+)$/.exec(part);
    if (!m) throw new AppError('config.invalid', `ABRI_PHP_FPM must be VERSION=/path/to/php-fpm, comma-separated (got "${part}")`);
    out[m[1]] = m[2];
  }
  return out;
}


function acmeSettings(raw: RawSettings): AcmeSettings {
  const directory = raw.ABRI_ACME_DIRECTORY!.trim();
  if (directory && !/^https?:\/\/[^\s]+$/.test(directory)) throw new AppError('config.invalid', `ABRI_ACME_DIRECTORY must be an http(s) URL or empty (got "${directory}")`);
  const email = raw.ABRI_ACME_EMAIL!.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError('config.invalid', `ABRI_ACME_EMAIL must be an email address (got "${email}")`);
  return {
    directory: directory || null,
    email: email || null,
    caFile: raw.ABRI_ACME_CA_FILE!.trim() ? path.resolve(raw.ABRI_ACME_CA_FILE!.trim()) : null,
    httpPort: intSetting(raw, 'ABRI_ACME_HTTP_PORT', 1, 65535),
    concurrency: intSetting(raw, 'ABRI_ACME_CONCURRENCY', 1, 100),
  };
}

function readConfigFile(file: string): RawSettings {
  if (!existsSync(file)) return {};
  const out: RawSettings = {};
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const m = /^(ABRI_[A-Z0-9_]+)\s*=\s*(.*)$/.exec(t);
    if (!m) throw new AppError('config.invalid', `${file}:${i + 1}: expected ABRI_KEY=value`);
    out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  });
  return out;
}

const passiveOf = (raw: RawSettings) => passiveRange(raw.ABRI_FTP_PASSIVE!);

function sftpSettings(raw: RawSettings): NodeSettings['sftp'] {
  const [bind, sshd] = [raw.ABRI_SFTP_BIND!.trim(), raw.ABRI_SSHD!.trim()];
  if (!ip(bind) || !path.isAbsolute(sshd)) throw new AppError('config.invalid', `ABRI_SFTP_BIND must be an IP address and ABRI_SSHD an absolute path (got "${bind}", "${sshd}")`);
  return { bind, port: intSetting(raw, 'ABRI_SFTP_PORT', 1, 65535), sshd };
}

function mariadbSettings(raw: RawSettings): NodeSettings['mariadb'] {
  const socket = raw.ABRI_MARIADB_SOCKET!.trim();
  if (!path.isAbsolute(socket)) throw new AppError('config.invalid', `ABRI_MARIADB_SOCKET must be an absolute path (got "${socket}")`);
  const user = raw.ABRI_MARIADB_USER!.trim();
  if (!/^[A-Za-z0-9_.-]{1,80}$/.test(user)) throw new AppError('config.invalid', `ABRI_MARIADB_USER must be a MariaDB user name (got "${user}")`);
  return { socket, user, measureSeconds: intSetting(raw, 'ABRI_DATABASE_MEASURE_SECONDS', 0, 86400) };
}

export function parseListen(value: string, key = 'ABRI_LISTEN'): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new AppError('config.invalid', `${key} must be host:port (got "${value}")`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** Builds the configuration from the environment (or the given overrides), the config file and defaults. */
export function loadConfig(env: RawSettings = process.env, overrides: RawSettings = {}): Config {
  const defaults = Object.fromEntries(settings.map((s) => [s.key, s.default]));
  const envAbri = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('ABRI_') && v !== undefined));
  const configPath = overrides.ABRI_CONFIG ?? envAbri.ABRI_CONFIG ?? defaults.ABRI_CONFIG;
  const file = readConfigFile(path.resolve(configPath!));
  for (const k of Object.keys(file)) {
    if (!(k in defaults)) throw new AppError('config.invalid', `${configPath}: unknown setting ${k}`);
  }
  const raw: RawSettings = { ...defaults, ...file, ...envAbri, ...overrides };
  const listen = parseListen(raw.ABRI_LISTEN!);
  const uidMin = intSetting(raw, 'ABRI_UID_MIN', 1000, 4_000_000_000);
  const uidMax = intSetting(raw, 'ABRI_UID_MAX', uidMin, 4_000_000_000);
  if (!/^[a-z][a-z0-9]{0,15}$/.test(raw.ABRI_HOSTING_PREFIX!)) {
    throw new AppError('config.invalid', 'ABRI_HOSTING_PREFIX must be 1–16 lower-case letters or digits, starting with a letter');
  }
  const phpVersions = raw.ABRI_PHP_VERSIONS!.split(',').map((s) => s.trim()).filter(Boolean);
  if (!phpVersions.length || phpVersions.some((v) => !/^\d+\.\d+$/.test(v))) {
    throw new AppError('config.invalid', 'ABRI_PHP_VERSIONS must list versions like 8.2,8.3');
  }
  const secretKey = raw.ABRI_SECRET_KEY!.trim();
  if (secretKey && !/^[0-9a-fA-F]{64}$/.test(secretKey)) throw new AppError('config.invalid', 'ABRI_SECRET_KEY must be 64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`');
  const platformDomain = raw.ABRI_PLATFORM_DOMAIN!.trim() ? hostName('ABRI_PLATFORM_DOMAIN', raw.ABRI_PLATFORM_DOMAIN!) : null;
  const dnsListen = parseListen(raw.ABRI_DNS_LISTEN!, 'ABRI_DNS_LISTEN');
  const publicUrl = (raw.ABRI_PUBLIC_URL || `http://${raw.ABRI_LISTEN}`).replace(/\/+$/, '');
  const dns = dnsSettings(raw, platformDomain);
  return {
    dataDir: path.resolve(raw.ABRI_DATA_DIR!),
    listen,
    databaseUrl: raw.ABRI_DATABASE_URL ? raw.ABRI_DATABASE_URL : null,
    publicUrl,
    apiUrl: (raw.ABRI_API_URL || publicUrl).replace(/\/+$/, ''),
    token: raw.ABRI_TOKEN ?? '',
    logLevel: raw.ABRI_LOG_LEVEL!,
    hostingPrefix: raw.ABRI_HOSTING_PREFIX!,
    uidMin,
    uidMax,
    hostingRoot: path.resolve(raw.ABRI_HOSTING_ROOT!),
    phpVersions,
    sessionHours: intSetting(raw, 'ABRI_SESSION_HOURS', 1, 24 * 90),
    loginMaxFailures: intSetting(raw, 'ABRI_LOGIN_MAX_FAILURES', 1, 10_000),
    localAgent: flag(raw, 'ABRI_LOCAL_AGENT'),
    retentionDays: intSetting(raw, 'ABRI_RETENTION_DAYS', 0, 3650),
    apacheInstances: intSetting(raw, 'ABRI_APACHE_INSTANCES', 1, 64),
    databasePort: intSetting(raw, 'ABRI_DATABASE_PORT', 1, 65535),
    dbadmin: dbadminSettings(raw, publicUrl),
    backups: backupSettings(raw),
    sftpPort: intSetting(raw, 'ABRI_SFTP_PORT', 1, 65535),
    ftp: { port: intSetting(raw, 'ABRI_FTP_PORT', 1, 65535), passivePorts: `${passiveOf(raw).first}-${passiveOf(raw).last}` },
    mail: { ports: mailPorts(raw.ABRI_MAIL_PORTS!), dnsbl: mailBlocklists(raw), dmarcRua: dmarcRua(raw) },
    webmail: { host: webmailName(raw, platformDomain, publicUrl) },
    works: worksSettings(raw, publicUrl),
    secretKey: secretKey.toLowerCase(),
    platformDomain,
    reservedLabels: reservedLabels(raw, platformDomain, dns, publicUrl, [webmailName(raw, platformDomain, publicUrl)]),
    dns,
    acme: acmeSettings(raw),
    smtp: smtpSettings(raw, platformDomain),
    stripe: stripeSettings(raw),
    ordersSignup: flag(raw, 'ABRI_ORDERS_SIGNUP'),
    node: {
      apply: flag(raw, 'ABRI_APPLY'),
      root: path.resolve(raw.ABRI_NODE_ROOT!),
      web: { ...parseListen(raw.ABRI_WEB_LISTEN!, 'ABRI_WEB_LISTEN'), user: raw.ABRI_WEB_USER!, extraDirectives: raw.ABRI_APACHE_EXTRA!.split(' ;; ').map((l) => l.trim()).filter(Boolean) },
      edge: { bind: raw.ABRI_EDGE_BIND!, httpPort: intSetting(raw, 'ABRI_EDGE_HTTP_PORT', 1, 65535), httpsPort: intSetting(raw, 'ABRI_EDGE_HTTPS_PORT', 1, 65535) },
      dns: { ...dnsListen, apiPort: intSetting(raw, 'ABRI_DNS_API_PORT', 1, 65535), pdnsServer: raw.ABRI_PDNS_SERVER!, bulkZones: intSetting(raw, 'ABRI_DNS_BULK_ZONES', 0, 10_000_000) },
      fpm: parseFpm(raw.ABRI_PHP_FPM!),
      fpmPoolsPerMaster: intSetting(raw, 'ABRI_FPM_POOLS_PER_MASTER', 1, 100_000),
      reconcileSeconds: intSetting(raw, 'ABRI_RECONCILE_SECONDS', 1, 86400),
      mariadb: mariadbSettings(raw),
      disk: { measureSeconds: intSetting(raw, 'ABRI_DISK_MEASURE_SECONDS', 0, 86400), measureFiles: intSetting(raw, 'ABRI_DISK_MEASURE_FILES', 100, 100_000_000) },
      logs: { rotateBytes: intSetting(raw, 'ABRI_LOG_ROTATE_KB', 1, 100_000_000) * 1024, keep: intSetting(raw, 'ABRI_LOG_KEEP', 1, 365), checkSeconds: intSetting(raw, 'ABRI_LOG_CHECK_SECONDS', 0, 86400) },
      sftp: sftpSettings(raw),
      backups: backupNodeSettings(raw),
      ftp: ftpSettings(raw),
      dbadmin: dbadminNodeSettings(raw, parseListen),
      mail: mailSettings(raw),
      webmail: webmailNodeSettings(raw, parseListen),
      status: parseListen(raw.ABRI_STATUS_LISTEN!, 'ABRI_STATUS_LISTEN'),
    },
  };
}
