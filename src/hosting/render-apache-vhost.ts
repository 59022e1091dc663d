// Apache: one vhost per active site, a "suspended" variant, and a catch-all default vhost. Pure.
//
// Isolation between hostings (Apache runs as one user that can reach every FPM socket):
// - AllowOverride is limited to AuthConfig FileInfo Indexes Limit Options=SymLinksIfOwnerMatch,…;
//   FileInfo still lets an .htaccess pick a handler (SetHandler, AddHandler, RewriteRule [H=]/[P])
//   and set FastCGI variables (SetEnv, ProxyFCGISetEnvIf) — so the guard is at the last moment:
// - a `<Location "/"><If "true">` block is merged after every .htaccess (and after .htaccess <If>s),
//   and its ProxyFCGISetEnvIf rules run last, just before a FastCGI request is sent: they drop
//   PHP_VALUE/PHP_ADMIN_VALUE (no ini override such as open_basedir or auto_prepend_file), force
//   SCRIPT_FILENAME back to the request's file, and replace it with a path that does not exist when
//   the socket is not this site's own or the file is outside this hosting's home. Another hosting's
//   pool can then only answer "File not found": its PHP never runs. Proven by test/web-node.test.ts.
import { type RenderedFile } from '../platform/render.js';
import { fpmSocketPath } from './render-fpm-pool.js';
import { checkWebNodeSpec } from './spec-checks.js';
import type { WebHostingSpec, WebNodeSpec, WebSiteSpec } from './spec.js';

/** SCRIPT_FILENAME sent instead when a request would reach a pool or file it must not. */
export const DENIED_SCRIPT = '/nonexistent/abri-denied.php';

/**
 * A site's PHP settings, sent by its vhost with EVERY request to its hosting's pool (shared by the
 * hosting's sites): FPM applies PHP_ADMIN_VALUE/PHP_VALUE to the worker's own settings, where they
 * stay for the next requests that worker serves (whatever site they come from), so every managed
 * key is sent every time and the pool sets none of them. PHP_ADMIN_VALUE locks its keys (ini_set
 * cannot raise memory_limit past what the offer allows); display_errors goes as PHP_VALUE (the
 * site's code may still switch it for one request). Lines separated by \n (an ap_expr escape).
 * The values are whole numbers and a boolean checked by checkWebNodeSpec: nothing else reaches them.
 */
export function phpIniValues(site: WebSiteSpec): { admin: string; user: string } {
  const p = site.php;
  const admin = [
    `memory_limit=${p.memoryLimitMb}M`,
    `upload_max_filesize=${p.uploadMaxMb}M`,
    `post_max_size=${p.postMaxMb}M`,
    `max_execution_time=${p.maxExecutionSeconds}`,
    `max_input_vars=${p.maxInputVars}`,
  ];
  return { admin: admin.join('\\n'), user: `display_errors=${p.displayErrors ? 1 : 0}` };
}

const esc = (s: string) => s.replace(/[.+?^$()[\]{}|\\]/g, '\\$&');

const page = (title: string, text: string) =>
  `"<!doctype html><html><head><meta charset=utf-8><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>"`;

export const SUSPENDED_PAGE = page('Site suspended', 'This site is suspended. Its owner can contact their host.');
export const NOT_FOUND_PAGE = page('Site not found', 'No site is published at this address.');

function names(site: WebSiteSpec): string[] {
  return [`    ServerName ${site.domain}`, ...(site.aliases.length ? [`    ServerAlias ${site.aliases.join(' ')}`] : [])];
}

function logs(h: WebHostingSpec, site: WebSiteSpec): string[] {
  return [
    `    ErrorLog "${h.home}/var/log/${site.domain}-error.log"`,
    `    CustomLog "${h.home}/var/log/${site.domain}-access.log" combined`,
  ];
}

function activeVhost(spec: WebNodeSpec, h: WebHostingSpec, site: WebSiteSpec): string {
  const www = `${h.home}/var/www`;
  const docroot = site.documentRoot ? `${www}/${site.documentRoot}` : www;
  const socket = fpmSocketPath(spec, h.name, site.phpVersion);
  const ini = phpIniValues(site);
  const denied = `%{REQUEST_FILENAME} !~ m#^proxy:fcgi://[^/]*${esc(h.home)}/# || note('uds_path') != '${socket}'`;
  return [
    `<VirtualHost *:${spec.apache.listenPort}>`,
    ...names(site),
    `    DocumentRoot "${docroot}"`,
    ...logs(h, site),
    `    <Directory "${www}">`,
    '        Options SymLinksIfOwnerMatch',
    '        AllowOverride AuthConfig FileInfo Indexes Limit Options=SymLinksIfOwnerMatch,Indexes,MultiViews',
    '        Require all granted',
    '        DirectoryIndex index.php index.html index.htm',
    '    </Directory>',
    '    <FilesMatch "\\.php$">',
    `        SetHandler "proxy:unix:${socket}|fcgi://localhost"`,
    '    </FilesMatch>',
    '    # Merged after every .htaccess: PHP runs only from this hosting\'s home, in this hosting\'s pool.',
    '    <Location "/">',
    '        <If "true">',
    '            ProxyFCGIBackendType FPM',
    '            ProxyFCGISetEnvIf "true" !PHP_VALUE',
    '            ProxyFCGISetEnvIf "true" !PHP_ADMIN_VALUE',
    '            ProxyFCGISetEnvIf "true" SCRIPT_FILENAME "%{REQUEST_FILENAME}"',
    '            # this site\'s PHP settings, every one of them on every request (its hosting\'s pool serves all its sites)',
    `            ProxyFCGISetEnvIf "true" PHP_ADMIN_VALUE "${ini.admin}"`,
    `            ProxyFCGISetEnvIf "true" PHP_VALUE "${ini.user}"`,
    '            # TLS ends at the edge, which says so in X-Forwarded-Proto (it sets the header on every request)',
    '            ProxyFCGISetEnvIf "%{HTTP:X-Forwarded-Proto} == \'https\'" HTTPS on',
    `            ProxyFCGISetEnvIf "${denied}" SCRIPT_FILENAME "${DENIED_SCRIPT}"`,
    '            # another pool learns nothing from this site, not even its settings',
    `            ProxyFCGISetEnvIf "${denied}" !PHP_ADMIN_VALUE`,
    `            ProxyFCGISetEnvIf "${denied}" !PHP_VALUE`,
    '        </If>',
    '    </Location>',
    '</VirtualHost>',
    '',
  ].join('\n');
}

function suspendedVhost(spec: WebNodeSpec, h: WebHostingSpec, site: WebSiteSpec): string {
  return [
    `<VirtualHost *:${spec.apache.listenPort}>`,
    ...names(site),
    ...logs(h, site),
    `    ErrorDocument 503 ${SUSPENDED_PAGE}`,
    '    RewriteEngine On',
    '    RewriteRule ^ - [R=503,L]',
    '</VirtualHost>',
    '',
  ].join('\n');
}

/** The first vhost of the port: any host name no site claims gets a 404 page, never a hosting's site. */
function defaultVhost(spec: WebNodeSpec): string {
  return [
    `<VirtualHost *:${spec.apache.listenPort}>`,
    '    ServerName default.invalid',
    `    ErrorDocument 404 ${NOT_FOUND_PAGE}`,
    '    RewriteEngine On',
    '    RewriteRule ^ - [R=404,L]',
    '</VirtualHost>',
    '',
  ].join('\n');
}

/** Vhost files relative to `<apache.configDir>/sites/`: 000-default.conf and <hosting>_<domain>.conf. */
export function renderApacheVhosts(input: WebNodeSpec): RenderedFile[] {
  const spec = checkWebNodeSpec(input);
  const header = (what: string) => `# ${what}. Rendered by Abri; do not edit.\n`;
  const files: RenderedFile[] = [{ path: '000-default.conf', content: header('Catch-all for unknown hosts') + defaultVhost(spec), mode: 0o644 }];
  for (const h of [...spec.hostings].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const site of [...h.sites].sort((a, b) => (a.domain < b.domain ? -1 : 1))) {
      if (site.status !== 'active') continue;
      const suspended = h.status === 'suspended';
      const body = suspended ? suspendedVhost(spec, h, site) : activeVhost(spec, h, site);
      files.push({ path: `${h.name}_${site.domain}.conf`, content: header(`Site ${site.domain} of hosting ${h.name}${suspended ? ' (suspended)' : ''}`) + body, mode: 0o644 });
    }
  }
  return files;
}
