// Re-checks an edge spec before rendering (defence in depth: the API validated it already), and
// leaves out, object by object, what cannot be rendered: one tenant's bad host name or certificate
// never stops the edge for everybody.
import { checkDomain } from '../hosting/spec-checks.js';
import { renderProblem } from '../hosting/spec-checks.js';
import { renderError, safeInt, safePath, safeToken } from '../platform/render.js';
import type { ObjectProblem } from '../node/protocol.js';
import type { EdgeBackendSpec, EdgeCertificateSpec, EdgeHostSpec, EdgeSpec } from './spec.js';

/**
 * Whether a host is among SNI names (exact names, or one-label wildcards *.example.org): a set
 * lookup, for edges with tens of thousands of names.
 */
export function sniCoverage(names: Iterable<string>): (host: string) => boolean {
  const set = new Set(names);
  return (host) => set.has(host) || (host.includes('.') && set.has(`*.${host.slice(host.indexOf('.') + 1)}`));
}

const address = (what: string, v: unknown) => safeToken(what, v, /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/);
const HTTPS_MODES = ['http-only', 'both', 'https-only', 'redirect'];

function checkHost(h: EdgeHostSpec, backends: Set<string>): EdgeHostSpec {
  const host = checkDomain('edge host', h.host);
  if (!backends.has(h.backend)) throw renderError(`backend of ${host}`, h.backend, 'is not a configured backend');
  if (!HTTPS_MODES.includes(h.httpsMode)) throw renderError(`httpsMode of ${host}`, h.httpsMode, 'is not an HTTPS mode');
  if (typeof h.suspended !== 'boolean') throw renderError(`suspended flag of ${host}`, h.suspended, 'must be true or false');
  if (h.tls !== undefined && typeof h.tls !== 'boolean') throw renderError(`tls flag of ${host}`, h.tls, 'must be true or false');
  return { host, backend: h.backend, httpsMode: h.httpsMode, suspended: h.suspended, tls: h.tls ?? false };
}

/** A certificate and the SNI names it is bound to (a host name, or a one-label wildcard *.name). */
function checkCertificate(c: EdgeCertificateSpec): EdgeCertificateSpec {
  const id = safeToken('certificate id', c?.id, /^[a-z0-9][a-z0-9-]{0,63}$/);
  if (!Array.isArray(c.serves) || c.serves.length === 0) throw renderError(`names of certificate ${id}`, c.serves, 'must list at least one name');
  const serves = [...new Set(c.serves.map((n) => (typeof n === 'string' && n.startsWith('*.') ? `*.${checkDomain(`name of certificate ${id}`, n.slice(2))}` : checkDomain(`name of certificate ${id}`, n))))].sort();
  return { id, serves };
}

/** The node's own settings (no tenant's object): ports, paths, backends. Throws `render.invalid`. */
function checkEdgeNode(spec: EdgeSpec): Omit<EdgeSpec, 'hosts' | 'certificates'> {
  const backends = (spec.backends ?? []).map((b) => ({
    name: safeToken('backend name', b.name, /^[a-z0-9][a-z0-9_-]{0,31}$/),
    address: address(`address of backend ${b.name}`, b.address),
    port: safeInt(`port of backend ${b.name}`, b.port, 1, 65_535),
  }));
  const known = new Set<string>();
  for (const b of backends) {
    if (known.has(b.name)) throw renderError('backend name', b.name, 'is used twice');
    known.add(b.name);
  }
  return {
    revision: safeInt('revision', spec.revision, 0, Number.MAX_SAFE_INTEGER),
    configDir: safePath('edge configDir', spec.configDir),
    runtimeSocket: safePath('edge runtime socket', spec.runtimeSocket),
    bindAddress: address('edge bind address', spec.bindAddress),
    httpPort: safeInt('edge HTTP port', spec.httpPort, 1, 65_535),
    httpsPort: spec.httpsPort === undefined || spec.httpsPort == null ? null : safeInt('edge HTTPS port', spec.httpsPort, 1, 65_535),
    maxConnections: safeInt('edge maxConnections', spec.maxConnections, 1, 1_000_000),
    manager: { address: address('manager address', spec.manager?.address), port: safeInt('manager port', spec.manager?.port, 1, 65_535) },
    backends,
    dbadmin: spec.dbadmin ? checkDbadminRoute(spec.dbadmin) : null,
    webmail: spec.webmail ? checkWebmailRoute(spec.webmail) : null,
  };
}

/** The servers of a platform application (each on its port). */
const appServers = (what: string, servers: EdgeBackendSpec[] | undefined) => (servers ?? []).map((b) => ({
  name: safeToken(`${what} server name`, b.name, /^[a-z0-9][a-z0-9_-]{0,31}$/),
  address: address(`address of ${what} server ${b.name}`, b.address),
  port: safeInt(`${what} port of ${b.name}`, b.port, 1, 65_535),
}));

/** The platform's name (a domain or an IP address), the admin's folder and its servers. */
function checkDbadminRoute(d: NonNullable<EdgeSpec['dbadmin']>): NonNullable<EdgeSpec['dbadmin']> {
  const host = typeof d.host === 'string' && /^[0-9a-f.:]+$/i.test(d.host) ? address('the platform\'s name', d.host) : checkDomain('the platform\'s name', d.host);
  return {
    host,
    path: safeToken('the database admin\'s folder', d.path, /^\/[A-Za-z0-9_-]{1,64}\/$/),
    servers: appServers('database admin', d.servers),
  };
}

/** The webmail's name, its servers and whether it is served over HTTPS. */
function checkWebmailRoute(w: NonNullable<EdgeSpec['webmail']>): NonNullable<EdgeSpec['webmail']> {
  if (typeof w.tls !== 'boolean') throw renderError('the webmail\'s tls flag', w.tls, 'must be true or false');
  return { host: checkDomain('the webmail\'s name', w.host), servers: appServers('webmail', w.servers), tls: w.tls };
}

/** The checked spec (throws `render.invalid` on anything that could break the config). */
export function checkEdgeSpec(spec: EdgeSpec): EdgeSpec {
  const node = checkEdgeNode(spec);
  const backends = new Set(node.backends.map((b) => b.name));
  const seen = new Set<string>();
  const hosts = (spec.hosts ?? []).map((h) => {
    const checked = checkHost(h, backends);
    if (seen.has(checked.host)) throw renderError('edge host', checked.host, 'is listed twice');
    seen.add(checked.host);
    return checked;
  });
  const ids = new Set<string>();
  const certificates = (spec.certificates ?? []).map(checkCertificate).filter((c) => !ids.has(c.id) && ids.add(c.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { ...node, hosts, certificates };
}

export interface EdgePartition {
  /** the spec without the objects below: the renderer accepts it */
  spec: EdgeSpec;
  /** host names left out (host → why) */
  hosts: Map<string, ObjectProblem>;
  /** certificates left out (id → why) */
  certificates: Map<string, ObjectProblem>;
}

/**
 * Leaves out each host name and certificate the renderer refuses (a name listed twice keeps its
 * first owner). The node's own settings are nobody's object: a refusal there throws.
 */
export function partitionEdgeSpec(spec: EdgeSpec): EdgePartition {
  const node = checkEdgeNode(spec);
  const backends = new Set(node.backends.map((b) => b.name));
  const hosts = new Map<string, ObjectProblem>();
  const certificates = new Map<string, ObjectProblem>();
  const seen = new Set<string>();
  const keptHosts = (spec.hosts ?? []).filter((h) => {
    try {
      const checked = checkHost(h, backends);
      if (seen.has(checked.host)) {
        hosts.set(h.host, { code: 'object.conflict', params: { what: 'host name', value: checked.host }, message: `host name ${checked.host} is already used by another site on this edge` });
        return false;
      }
      seen.add(checked.host);
      return true;
    } catch (e) {
      hosts.set(String(h.host), renderProblem(e));
      return false;
    }
  });
  const keptCertificates = (spec.certificates ?? []).filter((c) => {
    try {
      checkCertificate(c);
      return true;
    } catch (e) {
      certificates.set(String(c?.id), renderProblem(e));
      return false;
    }
  });
  const out = { ...spec, hosts: keptHosts, certificates: keptCertificates };
  checkEdgeSpec(out); // what is left renders (a throw here is a bug of the checks above)
  return { spec: out, hosts, certificates };
}
