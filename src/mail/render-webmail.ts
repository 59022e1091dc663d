// The webmail on a web server (pure): Debian's Roundcube in a platform application of its own
// (src/hosting/render-platform-app.ts): a PHP-FPM pool as its own user, whose database, temporary
// files and logs only that user reads, and an Apache instance that serves Roundcube's public folder
// and nothing else. Roundcube reads Abri's config (never Debian's /etc/roundcube/config.inc.php),
// which loads only Abri's plugin: at each login it signs in to the mailbox's own mail server (IMAPS,
// submission with the same password), found by the address's domain, or refuses the login.
import { renderError, safeInt, safeToken } from '../platform/render.js';
import { checkDomain, renderProblem } from '../hosting/spec-checks.js';
import { appPoolHead, renderAppApacheMain, renderAppFpm, safe, type PlatformAppService } from '../hosting/render-platform-app.js';
import type { ObjectProblem } from '../node/protocol.js';

/** Debian's Roundcube: its public folder (index.php, skins, program/js…), the plugins it cannot run without, and where it keeps the rest. */
export const ROUNDCUBE = { publicDir: '/var/lib/roundcube/public_html', plugins: '/usr/share/roundcube/plugins', required: ['filesystem_attachments', 'jqueryui'], readable: ['/var/lib/roundcube', '/usr/share/roundcube', '/usr/share/php', '/etc/roundcube/defaults.inc.php', '/etc/mime.types'] };

export interface WebmailServiceSpec extends PlatformAppService {
  /** Roundcube's config folder (ROUNDCUBE_CONFIG_DIR): config.inc.php (0640, root and the pool's group), defaults.inc.php */
  configDir: string;
  /** the folder of Abri's plugins (abri_webmail/), and the file PHP runs first to point Roundcube at it */
  pluginsDir: string;
  prependFile: string;
  /** the pool user's own folders (0700): the SQLite database, temporary files, logs */
  dbDir: string;
  tmpDir: string;
  logDir: string;
}

/** The mail servers Roundcube may sign in to, by mail domain. */
export interface WebmailServers {
  domains: Array<{ name: string; server: string; address: string }>;
  ports: { imaps: number; submission: number };
  /** the edge's addresses: Roundcube takes the client's address from their X-Forwarded-For and HTTPS from their X-Forwarded-Proto (a Secure cookie) */
  proxies?: string[];
}

const IP = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;
const address = (what: string, v: unknown) => safeToken(what, v, IP);
const hostPort = (addr: string, port: number) => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

/**
 * The domains that can be written (a checked name and an IP address), and those left out with why:
 * one bad row never keeps the others' mailboxes from signing in.
 */
export function partitionWebmailDomains(input: WebmailServers): { kept: WebmailServers; leftOut: Map<string, ObjectProblem> } {
  const leftOut = new Map<string, ObjectProblem>();
  const seen = new Set<string>();
  const domains = input.domains.filter((d) => {
    try {
      const name = checkDomain('mail domain', d.name);
      address(`address of mail server ${d.server}`, d.address);
      if (seen.has(name)) throw renderError('mail domain', name, 'is listed twice');
      seen.add(name);
      return true;
    } catch (e) {
      leftOut.set(String(d.name), renderProblem(e));
      return false;
    }
  });
  // an address that cannot be written is no proxy: its headers are simply not trusted
  const proxies = (input.proxies ?? []).filter((a) => IP.test(a));
  return { kept: { domains, ports: input.ports, proxies }, leftOut };
}

const php = (v: string) => `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * config.inc.php: SQLite in the pool's own folder, the key that encrypts the IMAP password in the
 * session (made once per server), and each mail domain's IMAPS and submission addresses. The mail
 * servers' certificates are self-signed for now: Roundcube does not verify them (loopback or the
 * platform's private network between web and mail servers).
 */
export function renderWebmailConfig(s: WebmailServiceSpec, servers: WebmailServers, desKey: string, productName = 'Webmail'): string {
  if (!/^[A-Za-z0-9+/=]{24}$/.test(desKey)) throw renderError('the webmail\'s des_key', desKey, 'must be 24 base64 characters');
  const imaps = safeInt('IMAPS port', servers.ports.imaps, 1, 65_535);
  const submission = safeInt('submission port', servers.ports.submission, 1, 65_535);
  const noVerify = "['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]]";
  const map = servers.domains.map((d) => {
    const name = checkDomain('mail domain', d.name);
    const addr = address(`address of mail server ${d.server}`, d.address);
    return `  ${php(name)} => ['imap' => ${php(`ssl://${hostPort(addr, imaps)}`)}, 'smtp' => ${php(`tls://${hostPort(addr, submission)}`)}],`;
  });
  return [
    '<?php',
    '// Roundcube of the webmail. Rendered by Abri; do not edit.',
    `$config['db_dsnw'] = ${php(`sqlite:///${safe('database folder', s.dbDir)}/roundcube.db?mode=0600`)};`,
    `$config['temp_dir'] = ${php(`${safe('temporary folder', s.tmpDir)}/`)};`,
    `$config['log_dir'] = ${php(`${safe('log folder', s.logDir)}/`)};`,
    `$config['des_key'] = ${php(desKey)};`,
    "$config['plugins'] = ['abri_webmail'];",
    // never reached: the abri_webmail plugin picks the mailbox's server at each login, or refuses it
    "$config['imap_host'] = 'ssl://webmail.invalid:993';",
    "$config['smtp_host'] = 'tls://webmail.invalid:587';",
    "$config['smtp_user'] = '%u';",
    "$config['smtp_pass'] = '%p';",
    `$config['imap_conn_options'] = ${noVerify};`,
    `$config['smtp_conn_options'] = ${noVerify};`,
    // behind the edge: the client's address (logs, brute-force checks) and HTTPS (a Secure session cookie) come
    // from the headers the edge sets, trusted from the edge's addresses only
    `$config['proxy_whitelist'] = [${(servers.proxies ?? []).map((a) => php(address('proxy address', a))).join(', ')}];`,
    "$config['login_lc'] = 2;",
    "$config['enable_installer'] = false;",
    "$config['skin'] = 'elastic';",
    `$config['product_name'] = ${php(productName)};`,
    "$config['mime_types'] = '/etc/mime.types';",
    "$config['session_lifetime'] = 30;",
    "$config['abri_webmail_servers'] = [",
    ...map,
    '];',
    '',
  ].join('\n');
}

/** defaults.inc.php of Abri's config folder: Debian's defaults, which config.inc.php then overrides. */
export const renderWebmailDefaults = () => "<?php\n// Rendered by Abri: Roundcube's defaults as Debian ships them.\nrequire '/etc/roundcube/defaults.inc.php';\n";

/** The file PHP runs before Roundcube: Roundcube loads plugins from Abri's folder (abri_webmail, and links to the plugins Roundcube requires). */
export const renderWebmailPrepend = (s: WebmailServiceSpec) => `<?php\n// Rendered by Abri.\ndefine('RCUBE_PLUGINS_DIR', ${php(`${safe('plugins folder', s.pluginsDir)}/`)});\n`;

/** php-fpm.conf of the webmail's own master: its global section and its one pool. */
export function renderWebmailFpm(s: WebmailServiceSpec): string {
  const readable = [...ROUNDCUBE.readable, s.configDir, s.pluginsDir, s.prependFile, s.dbDir, s.tmpDir, s.logDir].map((d) => safe('a path', d)).join(':');
  return renderAppFpm(s, 'the webmail', [
    ...appPoolHead(s, 'abri-webmail', 16),
    `env[ROUNDCUBE_CONFIG_DIR] = ${safe('config folder', s.configDir)}`,
    'security.limit_extensions = .php',
    `php_admin_value[auto_prepend_file] = ${safe('prepend file', s.prependFile)}`,
    `php_admin_value[open_basedir] = ${readable}`,
    `php_admin_value[upload_tmp_dir] = ${s.tmpDir}`,
    `php_admin_value[sys_temp_dir] = ${s.tmpDir}`,
    `php_admin_value[error_log] = ${s.logDir}/php.log`,
    'php_admin_flag[log_errors] = on',
    'php_admin_flag[display_errors] = off',
    'php_admin_value[disable_functions] = exec,passthru,shell_exec,system,proc_open,popen,pcntl_exec',
    'php_admin_flag[expose_php] = off',
    'php_admin_flag[allow_url_include] = off',
    'php_admin_value[memory_limit] = 256M',
    'php_admin_value[upload_max_filesize] = 25M',
    'php_admin_value[post_max_size] = 30M',
    '',
  ].join('\n'));
}

/**
 * The webmail's own Apache instance: Roundcube's public folder (static files), its index.php through
 * the pool at "/" only; any other PHP or private file there is refused, never served as text.
 */
export function renderWebmailApacheMain(s: WebmailServiceSpec): string {
  const dir = ROUNDCUBE.publicDir;
  return renderAppApacheMain(s, 'the webmail', ['mpm_event', 'authz_core', 'headers', 'mime', 'proxy', 'proxy_fcgi', 'reqtimeout'], [
    'TypesConfig /etc/mime.types',
    `<Directory "${dir}">`,
    '    Options FollowSymLinks',
    '    AllowOverride None',
    '    Require all granted',
    '</Directory>',
    '<LocationMatch "(?i)(\\.(php|inc|sql|sh|log|md|json|lock|dist)$|/\\.)">',
    '    Require all denied',
    '</LocationMatch>',
    `ProxyPassMatch "^/$" "unix:${safe('socket', s.socket)}|fcgi://localhost${dir}/index.php"`,
    '<Location "/">',
    '\tHeader always set Referrer-Policy same-origin',
    '\tHeader always set X-Content-Type-Options nosniff',
    '</Location>',
    '',
  ], dir);
}
