// Desired state of an edge node (HAProxy): which web server answers each host name.
// Plain serialisable objects, received as JSON by the agent and stored as JSON by the golden tests.

/** A web server the edge forwards to (its Apache listener). */
export interface EdgeBackendSpec {
  /** Backend name in haproxy.cfg, e.g. "web1" (rendered as backend web_web1). */
  name: string;
  address: string;
  port: number;
}

/** One host name (a site's domain or alias) and how the edge treats it. */
export interface EdgeHostSpec {
  /** ASCII (punycode) host, re-checked with normaliseDomain at render time. */
  host: string;
  /** Name of an EdgeBackendSpec. */
  backend: string;
  httpsMode: 'http-only' | 'both' | 'https-only' | 'redirect';
  /** The hosting is suspended: the edge answers the "suspended" page. */
  suspended: boolean;
  /** A deployed certificate covers this host: `redirect` sends HTTP to HTTPS only then. */
  tls?: boolean;
}

/** A certificate the edge serves, and the only names it may be presented for (crt-list SNI filters). */
export interface EdgeCertificateSpec {
  id: string;
  /** host names, or one-label wildcards (*.example.org) */
  serves: string[];
}

export interface EdgeSpec {
  revision: number;
  /** Where haproxy.cfg, maps/ and pages/ are written (absolute: the config refers to them). */
  configDir: string;
  /** Runtime API socket (`stats socket … level admin`): set map / add map / del map without reload. */
  runtimeSocket: string;
  bindAddress: string;
  /** global maxconn (HAProxy needs about 2 file descriptors per connection). */
  maxConnections: number;
  httpPort: number;
  /** HTTPS port (certificates from certs/certs.list, certs/default.pem for unknown names); null = no HTTPS. */
  httpsPort?: number | null;
  /** The certificates served: certs/<id>.pem, listed in certs/certs.list with their SNI names (the PEM files are not rendered). */
  certificates?: EdgeCertificateSpec[];
  /** Answers /.well-known/acme-challenge/ for every host. */
  manager: { address: string; port: number };
  backends: EdgeBackendSpec[];
  hosts: EdgeHostSpec[];
  /**
   * The web database admin: `path` (/dbadmin/) of the platform's own `host` goes to `servers` (the
   * web servers, each serving it on its own port), one client to one server (its PHP session lives
   * there); the rest of `host` goes to the manager. Absent or null: the edge routes neither.
   */
  dbadmin?: { host: string; path: string; servers: EdgeBackendSpec[] } | null;
  /**
   * The webmail: the whole `host` goes to `servers` (the web servers, each serving it on its own
   * port), one client to one server (its Roundcube session lives there). With `tls` (a certificate
   * served here covers the name), HTTP redirects to HTTPS. Absent or null: no webmail.
   */
  webmail?: { host: string; servers: EdgeBackendSpec[]; tls: boolean } | null;
}
