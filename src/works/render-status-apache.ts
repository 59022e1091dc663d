// The Apache of a `status` server: a self-contained instance that serves only the public works page,
// from the link the agent swaps to each new version (so a request sees the old page or the new one).
// Pure: settings → apache2.conf.
import { renderError, type RenderedFile } from '../platform/render.js';

export interface StatusApacheSpec {
  configDir: string;
  runDir: string;
  logDir: string;
  modulesDir: string;
  listenAddress: string;
  listenPort: number;
  user: string;
  /** the link to the current version of the page (its parent holds the versions) */
  pageLink: string;
}

const MODULES = ['mpm_event', 'authz_core', 'dir', 'mime', 'headers', 'reqtimeout'];

export function renderStatusApache(s: StatusApacheSpec): RenderedFile[] {
  for (const [what, value] of Object.entries({ configDir: s.configDir, runDir: s.runDir, logDir: s.logDir, modulesDir: s.modulesDir, pageLink: s.pageLink })) {
    if (!/^\/[A-Za-z0-9._/-]+$/.test(value)) throw renderError(what, value, 'must be an absolute path of letters, digits, . _ - /');
  }
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(s.user)) throw renderError('user', s.user, 'must be a system user name');
  if (!/^[0-9a-fA-F.:]+$/.test(s.listenAddress)) throw renderError('listen address', s.listenAddress, 'must be an IP address');
  const listen = s.listenAddress.includes(':') ? `[${s.listenAddress}]:${s.listenPort}` : `${s.listenAddress}:${s.listenPort}`;
  const versions = s.pageLink.replace(/\/[^/]+$/, '');
  const conf = [
    '# Apache of the public works page (status server). Rendered by Abri; do not edit.',
    `ServerRoot "${s.configDir}"`,
    `DefaultRuntimeDir "${s.runDir}"`,
    `PidFile "${s.runDir}/apache2.pid"`,
    `Mutex file:${s.runDir} default`,
    `ErrorLog "${s.logDir}/error.log"`,
    'LogLevel warn',
    'ServerName localhost',
    `Listen ${listen}`,
    `User ${s.user}`,
    `Group ${s.user}`,
    ...MODULES.map((m) => `LoadModule ${m}_module "${s.modulesDir}/mod_${m}.so"`),
    'StartServers 1',
    'ServerLimit 4',
    'ThreadsPerChild 25',
    'MaxRequestWorkers 100',
    'Timeout 30',
    'KeepAlive On',
    'ServerTokens Prod',
    'ServerSignature Off',
    'TraceEnable Off',
    'TypesConfig /etc/mime.types',
    'AddType text/calendar .ics',
    'AddCharset utf-8 .html .css .ics .json .xml',
    'LogFormat "%h %l %u %t \\"%r\\" %>s %O" common',
    `CustomLog "${s.logDir}/access.log" common`,
    `DocumentRoot "${s.pageLink}"`,
    'DirectoryIndex index.html',
    '<Directory />',
    '    Options None',
    '    AllowOverride None',
    '    Require all denied',
    '</Directory>',
    `<Directory "${versions}">`,
    '    Options FollowSymLinks',
    '    AllowOverride None',
    '    Require all granted',
    '</Directory>',
    '<Files "atom.xml">',
    '    ForceType "application/atom+xml; charset=utf-8"',
    '</Files>',
    'Header always set X-Content-Type-Options nosniff',
    'Header always set Content-Security-Policy "default-src \'none\'; style-src \'self\'; img-src \'self\'"',
    'Header set Cache-Control "public, max-age=60"',
    '',
  ];
  return [{ path: 'apache2.conf', content: conf.join('\n'), mode: 0o644 }];
}
