// The main config of a self-contained Apache instance (event MPM) that includes the rendered vhosts.
// Tests and real nodes run the same vhost renderer; this file replaces /etc/apache2/apache2.conf
// when Abri runs its own instance. Pure: spec → file.
import { type RenderedFile } from '../platform/render.js';
import { checkWebNodeSpec } from './spec-checks.js';
import type { WebNodeSpec } from './spec.js';

/**
 * Only what sites need. Deliberately absent: mod_cgi/cgid, mod_include (exec), mod_actions, mod_lua
 * (its directives are allowed in any .htaccess), mod_proxy_http/scgi/… (a forced handler can only
 * speak FastCGI), mod_userdir, mod_status/info.
 */
export const APACHE_MODULES = [
  'mpm_event', 'authz_core', 'authz_host', 'authz_user', 'authz_groupfile', 'authn_core', 'authn_file', 'auth_basic',
  'access_compat', 'alias', 'dir', 'mime', 'negotiation', 'autoindex', 'env', 'setenvif', 'headers', 'expires',
  'filter', 'deflate', 'rewrite', 'proxy', 'proxy_fcgi', 'reqtimeout',
];

/** Files relative to `apache.configDir`: apache2.conf, and empty/ (the server's own document root). */
export function renderApacheMain(input: WebNodeSpec): RenderedFile[] {
  const spec = checkWebNodeSpec(input);
  const a = spec.apache;
  const listen = a.listenAddress.includes(':') ? `[${a.listenAddress}]:${a.listenPort}` : `${a.listenAddress}:${a.listenPort}`;
  const lines = [
    `# Apache main config. Rendered by Abri; do not edit.`,
    `ServerRoot "${a.configDir}"`,
    `DefaultRuntimeDir "${a.runDir}"`,
    `PidFile "${a.runDir}/apache2.pid"`,
    `Mutex file:${a.runDir} default`,
    `ErrorLog "${a.logDir}/error.log"`,
    'LogLevel warn',
    'ServerName localhost',
    `Listen ${listen}`,
    `User ${spec.webServer.user}`,
    `Group ${spec.webServer.group}`,
    ...APACHE_MODULES.map((m) => `LoadModule ${m}_module "${a.modulesDir}/mod_${m}.so"`),
    'StartServers 2',
    'ServerLimit 16',
    'ThreadsPerChild 25',
    'MaxRequestWorkers 400',
    'Timeout 60',
    'KeepAlive On',
    'ServerTokens Prod',
    'ServerSignature Off',
    'TraceEnable Off',
    'TypesConfig /etc/mime.types',
    'AddDefaultCharset UTF-8',
    'HostnameLookups Off',
    'AccessFileName .htaccess',
    'LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined',
    `DocumentRoot "${a.configDir}/empty"`,
    '<Directory />',
    '    Options None',
    '    AllowOverride None',
    '    Require all denied',
    '</Directory>',
    '<FilesMatch "^\\.(ht|user\\.ini)">',
    '    Require all denied',
    '</FilesMatch>',
    `IncludeOptional "${a.configDir}/sites/*.conf"`,
    ...(a.extraDirectives.length ? ['# Extra directives configured for this node', ...a.extraDirectives] : []),
    '',
  ];
  return [
    { path: 'apache2.conf', content: lines.join('\n'), mode: 0o644 },
    { path: 'empty/index.html', content: '', mode: 0o644 },
  ];
}
