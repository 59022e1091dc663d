// Settings: every one is an ABRI_* key, read from the environment, then from an optional
// config file (KEY=VALUE lines, same keys), then from its default. `abri config --help` lists them.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';

export interface Setting {
  key: string;
  default: string;
  description: string;
}

export const settings: Setting[] = [
  { key: 'ABRI_CONFIG', default: './abri.conf', description: 'optional config file (KEY=VALUE lines with the keys below); environment variables win' },
  { key: 'ABRI_DATA_DIR', default: './abri-data', description: 'data directory: embedded database, rendered configs, secrets' },
  { key: 'ABRI_LISTEN', default: '127.0.0.1:8080', description: 'address:port the manager listens on' },
  { key: 'ABRI_DATABASE_URL', default: '', description: 'postgres://… URL; unset = embedded PGlite under ABRI_DATA_DIR/db' },
  { key: 'ABRI_PUBLIC_URL', default: '', description: 'public URL of the manager (links printed and mailed); default http://ABRI_LISTEN' },
  { key: 'ABRI_API_URL', default: '', description: 'CLI: manager URL to talk to; default the public URL' },
  { key: 'ABRI_TOKEN', default: '', description: 'CLI: API token (else read from ~/.config/abri/token)' },
  { key: 'ABRI_AGENT_TOKEN', default: '', description: 'abri agent: the server\'s agent token (instead of --token)' },
  { key: 'ABRI_LOG_LEVEL', default: 'info', description: 'log level: fatal, error, warn, info, debug, trace, silent' },
  { key: 'ABRI_HOSTING_PREFIX', default: 'h', description: 'prefix of hosting system names (e.g. w4a → w4a100010)' },
  { key: 'ABRI_UID_MIN', default: '100000', description: 'first uid (and hosting number) given to hostings' },
  { key: 'ABRI_UID_MAX', default: '199999', description: 'last uid given to hostings' },
  { key: 'ABRI_HOSTING_ROOT', default: '/home', description: 'directory under which hosting homes are created' },
  { key: 'ABRI_RETENTION_DAYS', default: '30', description: 'days a terminated hosting\'s files are kept before they may be purged' },
  { key: 'ABRI_PHP_VERSIONS', default: '8.2', description: 'PHP versions the platform offers, comma-separated' },
  { key: 'ABRI_SESSION_HOURS', default: '12', description: 'lifetime of a login session, in hours' },
  { key: 'ABRI_LOCAL_AGENT', default: '1', description: 'abri serve runs an agent for this machine (server "local", roles edge+web): 1 or 0' },
  { key: 'ABRI_APPLY', default: '0', description: 'agents apply configs for real (root, Debian services installed); 0 = render-only into ABRI_DATA_DIR/render' },
  { key: 'ABRI_NODE_ROOT', default: '/', description: 'prefix of every path an agent writes (/etc/apache2/abri, /etc/php/V/fpm/abri, /etc/haproxy/abri, /run/abri…)' },
  { key: 'ABRI_WEB_LISTEN', default: '127.0.0.1:8081', description: 'where Apache listens on web nodes (the edge forwards there)' },
  { key: 'ABRI_WEB_USER', default: 'www-data', description: 'user Apache runs as (owns the FPM sockets, traverses homes)' },
  { key: 'ABRI_EDGE_BIND', default: '0.0.0.0', description: 'address HAProxy binds on edge nodes' },
  { key: 'ABRI_EDGE_HTTP_PORT', default: '80', description: 'HTTP port of the edge' },
  { key: 'ABRI_PHP_FPM', default: '8.2=/usr/sbin/php-fpm8.2', description: 'PHP version → FPM binary, comma-separated (8.2=/usr/sbin/php-fpm8.2,8.3=…)' },
  { key: 'ABRI_APACHE_EXTRA', default: '', description: 'extra Apache directives for every web node, separated by " ;; "' },
  { key: 'ABRI_RECONCILE_SECONDS', default: '60', description: 'agents re-apply their state this often even without changes (repairs drift)' },
  { key: 'ABRI_LOGIN_MAX_FAILURES', default: '10', description: 'failed logins allowed per account (and 3× per address) in 15 minutes' },
];

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
  node: NodeSettings;
}

/** What an agent needs to know about its own machine (never sent by the manager). */
export interface NodeSettings {
  apply: boolean;
  root: string;
  web: { host: string; port: number; user: string; extraDirectives: string[] };
  edge: { bind: string; httpPort: number };
  fpm: Record<string, string>;
  reconcileSeconds: number;
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

const flag = (raw: RawSettings, key: string) => {
  const v = (raw[key] ?? '').toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new AppError('config.invalid', `${key} must be 1 or 0 (got "${raw[key]}")`);
};

export type RawSettings = Record<string, string | undefined>;

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

function intSetting(raw: RawSettings, key: string, min: number, max: number): number {
  const v = raw[key] ?? '';
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) {
    throw new AppError('config.invalid', `${key} must be an integer between ${min} and ${max} (got "${v}")`);
  }
  return n;
}

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw new AppError('config.invalid', `ABRI_LISTEN must be host:port (got "${value}")`);
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
  const publicUrl = (raw.ABRI_PUBLIC_URL || `http://${raw.ABRI_LISTEN}`).replace(/\/+$/, '');
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
    node: {
      apply: flag(raw, 'ABRI_APPLY'),
      root: path.resolve(raw.ABRI_NODE_ROOT!),
      web: { ...parseListen(raw.ABRI_WEB_LISTEN!), user: raw.ABRI_WEB_USER!, extraDirectives: raw.ABRI_APACHE_EXTRA!.split(' ;; ').map((l) => l.trim()).filter(Boolean) },
      edge: { bind: raw.ABRI_EDGE_BIND!, httpPort: intSetting(raw, 'ABRI_EDGE_HTTP_PORT', 1, 65535) },
      fpm: parseFpm(raw.ABRI_PHP_FPM!),
      reconcileSeconds: intSetting(raw, 'ABRI_RECONCILE_SECONDS', 1, 86400),
    },
  };
}
