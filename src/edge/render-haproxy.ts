// HAProxy edge: one HTTP frontend, a host → backend map (changed at runtime with set/add/del map,
// written to disk so a restart finds it), ACME challenges to the manager, clean 404/suspended pages.
// Pure: spec → files relative to `spec.configDir` (haproxy.cfg, maps/hosts.map, pages/*.html).
import type { RenderedFile } from '../platform/render.js';
import { checkEdgeSpec } from './spec-checks.js';
import type { EdgeHostSpec, EdgeSpec } from './spec.js';

export { checkEdgeSpec };

/** Pseudo backends a map entry may point at instead of a web server. */
export const EDGE_BACKENDS = { notFound: 'abri_notfound', suspended: 'abri_suspended', redirect: 'abri_redirect', httpsOnly: 'abri_https_only', manager: 'abri_manager', dbadmin: 'abri_dbadmin', webmail: 'abri_webmail' } as const;

export const webBackendName = (name: string) => `web_${name}`;
export const edgeMapPath = (spec: EdgeSpec) => `${spec.configDir}/maps/hosts.map`;
export const edgeTlsMapPath = (spec: EdgeSpec) => `${spec.configDir}/maps/hosts-tls.map`;
/** Certificates: certs/default.pem (made by the driver, for names without a certificate) and one PEM per id. */
export const CERTS_DIR = 'certs';
export const crtListPath = (spec: EdgeSpec) => `${spec.configDir}/${CERTS_DIR}/certs.list`;
export const defaultCertPath = (spec: EdgeSpec) => `${spec.configDir}/${CERTS_DIR}/default.pem`;
export const certPath = (spec: EdgeSpec, id: string) => `${spec.configDir}/${CERTS_DIR}/${id}.pem`;

const page = (title: string, text: string) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1><p>${text}</p></body></html>\n`;

export const EDGE_PAGES = {
  'notfound.html': page('Site not found', 'No site is published at this address.'),
  'suspended.html': page('Site suspended', 'This site is suspended. Its owner can contact their host.'),
  'https-only.html': page('HTTPS only', 'This site is only served over HTTPS: use its https:// address.'),
};

const hostPort = (addr: string, port: number) => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

/**
 * Where the edge sends a host arriving over HTTP (port 80). `redirect` sends to HTTPS only once a
 * certificate covers the host (before that the site stays reachable over HTTP); `https-only`
 * answers 404 (ACME challenges still reach the manager: that rule comes first).
 */
export function edgeTarget(h: EdgeHostSpec): string {
  if (h.suspended) return EDGE_BACKENDS.suspended;
  if (h.httpsMode === 'redirect' && h.tls) return EDGE_BACKENDS.redirect;
  if (h.httpsMode === 'https-only') return EDGE_BACKENDS.httpsOnly;
  return webBackendName(h.backend);
}

/** Where the edge sends a host arriving over HTTPS, or null when the site is HTTP only. */
export function edgeTlsTarget(h: EdgeHostSpec): string | null {
  if (h.httpsMode === 'http-only') return null;
  return h.suspended ? EDGE_BACKENDS.suspended : webBackendName(h.backend);
}

const sortEntries = (entries: Array<[string, string]>) => entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** Map entries [host, backend], sorted: what `set map`/`add map`/`del map` keep in sync at runtime. */
export function edgeMapEntries(input: EdgeSpec): Array<[string, string]> {
  const spec = checkEdgeSpec(input);
  return sortEntries(spec.hosts.map((h): [string, string] => [h.host, edgeTarget(h)]));
}

/** The HTTPS map's entries (empty without an HTTPS port). */
export function edgeTlsMapEntries(input: EdgeSpec): Array<[string, string]> {
  const spec = checkEdgeSpec(input);
  if (spec.httpsPort == null) return [];
  return sortEntries(spec.hosts.flatMap((h): Array<[string, string]> => {
    const t = edgeTlsTarget(h);
    return t ? [[h.host, t]] : [];
  }));
}

const mapFile = (path: string, entries: Array<[string, string]>): RenderedFile => {
  const lines = entries.map(([host, backend]) => `${host} ${backend}`);
  return { path, content: `# host backend — rendered by Abri\n${lines.join('\n')}${lines.length ? '\n' : ''}`, mode: 0o644 };
};

export const renderEdgeMap = (input: EdgeSpec): RenderedFile => mapFile('maps/hosts.map', edgeMapEntries(input));
export const renderEdgeTlsMap = (input: EdgeSpec): RenderedFile => mapFile('maps/hosts-tls.map', edgeTlsMapEntries(input));

/** One crt-list line: the certificate file and the SNI names it may be presented for (its filters). */
export const crtListLine = (spec: EdgeSpec, c: { id: string; serves: string[] }) => [certPath(spec, c.id), ...c.serves].join(' ');

/**
 * certs/certs.list: one certificate file per line, each followed by the only names HAProxy may
 * present it for (SNI filters): a certificate never answers for a name it is not bound to, whatever
 * names it carries. A name no line matches gets certs/default.pem.
 */
export function renderCrtList(input: EdgeSpec): RenderedFile {
  const spec = checkEdgeSpec(input);
  const lines = spec.certificates!.map((c) => crtListLine(spec, c));
  return { path: `${CERTS_DIR}/certs.list`, content: lines.map((l) => `${l}\n`).join(''), mode: 0o600 };
}

/**
 * The platform's own names, before the map: the webmail's name to its servers (over HTTP, to HTTPS
 * once a certificate covers it); the platform name's database admin folder to the web servers, the
 * rest of that name to the manager.
 */
function platformRules(spec: EdgeSpec, https: boolean): string[] {
  const { dbadmin: d, webmail: w } = spec;
  return [
    ...(w ? [`    use_backend ${w.tls && !https ? EDGE_BACKENDS.redirect : EDGE_BACKENDS.webmail} if { var(txn.host) -m str ${w.host} }`] : []),
    ...(d ? [
      `    use_backend ${EDGE_BACKENDS.dbadmin} if { var(txn.host) -m str ${d.host} } { path_beg ${d.path} }`,
      `    use_backend ${EDGE_BACKENDS.manager} if { var(txn.host) -m str ${d.host} }`,
    ] : []),
  ];
}

/** A platform application's servers: a client stays on one (its signed-in PHP session lives there). */
function stickyBackend(name: string, servers: EdgeSpec['backends'] | undefined): string[] {
  if (!servers) return [];
  return [
    `backend ${name}`,
    '    balance source',
    '    hash-type consistent',
    ...servers.map((b) => `    server ${b.name} ${hostPort(b.address, b.port)}`),
    '',
  ];
}

function renderConfig(spec: EdgeSpec): string {
  const pages = `${spec.configDir}/pages`;
  const ret = (status: number, file: string) =>
    `    http-request return status ${status} content-type "text/html; charset=utf-8" file ${pages}/${file} hdr cache-control no-store`;
  return [
    `# Edge (HAProxy). Rendered by Abri; do not edit.`,
    'global',
    `    stats socket ${spec.runtimeSocket} mode 600 level admin`,
    '    stats timeout 30s',
    `    maxconn ${spec.maxConnections}`,
    '',
    'defaults',
    '    mode http',
    '    option forwardfor',
    '    timeout connect 5s',
    '    timeout client 60s',
    '    timeout server 300s',
    '    timeout http-request 10s',
    '    timeout http-keep-alive 10s',
    '',
    'frontend http',
    `    bind ${hostPort(spec.bindAddress, spec.httpPort)}`,
    '    http-request set-header X-Forwarded-Proto http',
    '    http-request set-var(txn.host) req.hdr(host),lower,word(1,:)',
    `    use_backend ${EDGE_BACKENDS.manager} if { path_beg /.well-known/acme-challenge/ }`,
    ...platformRules(spec, false),
    `    use_backend %[var(txn.host),map(${edgeMapPath(spec)},${EDGE_BACKENDS.notFound})]`,
    `    default_backend ${EDGE_BACKENDS.notFound}`,
    '',
    ...(spec.httpsPort == null ? [] : [
      'frontend https',
      `    bind ${hostPort(spec.bindAddress, spec.httpsPort!)} ssl crt ${defaultCertPath(spec)} crt-list ${crtListPath(spec)} alpn h2,http/1.1`,
      '    http-request set-header X-Forwarded-Proto https',
      '    http-request set-var(txn.host) req.hdr(host),lower,word(1,:)',
      `    use_backend ${EDGE_BACKENDS.manager} if { path_beg /.well-known/acme-challenge/ }`,
      ...platformRules(spec, true),
      `    use_backend %[var(txn.host),map(${edgeTlsMapPath(spec)},${EDGE_BACKENDS.notFound})]`,
      `    default_backend ${EDGE_BACKENDS.notFound}`,
      '',
    ]),
    `backend ${EDGE_BACKENDS.manager}`,
    `    server manager ${hostPort(spec.manager.address, spec.manager.port)}`,
    '',
    ...stickyBackend(EDGE_BACKENDS.dbadmin, spec.dbadmin?.servers),
    ...stickyBackend(EDGE_BACKENDS.webmail, spec.webmail?.servers),
    `backend ${EDGE_BACKENDS.notFound}`,
    ret(404, 'notfound.html'),
    '',
    `backend ${EDGE_BACKENDS.suspended}`,
    ret(503, 'suspended.html'),
    '',
    `backend ${EDGE_BACKENDS.httpsOnly}`,
    ret(404, 'https-only.html'),
    '',
    `backend ${EDGE_BACKENDS.redirect}`,
    '    http-request redirect scheme https code 301',
    '',
    ...[...spec.backends].sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((b) => [
      `backend ${webBackendName(b.name)}`,
      `    server ${b.name} ${hostPort(b.address, b.port)}`,
      '',
    ]),
  ].join('\n');
}

/** haproxy.cfg, the maps, pages/*.html and certs/certs.list, relative to `spec.configDir`. */
export function renderHaproxy(input: EdgeSpec): RenderedFile[] {
  const spec = checkEdgeSpec(input);
  return [
    { path: 'haproxy.cfg', content: renderConfig(spec), mode: 0o644 },
    renderEdgeMap(spec),
    ...(spec.httpsPort == null ? [] : [renderEdgeTlsMap(spec), renderCrtList(spec)]),
    ...Object.entries(EDGE_PAGES).map(([name, content]) => ({ path: `pages/${name}`, content, mode: 0o644 })),
  ];
}
