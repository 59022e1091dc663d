// Where an agent puts things on its own machine, and the full render inputs it builds from the
// manager's desired state plus these local settings. Everything lives under ABRI_NODE_ROOT
// (default /), or under ABRI_DATA_DIR/render on a render-only node.
import path from 'node:path';
import type { NodeSettings } from '../platform/config.js';
import type { DesiredState } from './protocol.js';
import type { WebNodeSpec } from '../hosting/spec.js';
import type { EdgeSpec } from '../edge/spec.js';

export interface NodeLayout {
  root: string;
  apacheDir: string;
  apacheRunDir: string;
  apacheLogDir: string;
  runDir: string;
  logDir: string;
  phpDir(version: string): string;
  edgeDir: string;
  edgeSocket: string;
  edgePidFile: string;
  pdnsDir: string;
  pdnsDataDir: string;
  pdnsRunDir: string;
  /** the node's own memory of what it created: accounts/<name>.json for each hosting account (root only) */
  accountsDir: string;
}

export function nodeLayout(root: string): NodeLayout {
  const p = (...parts: string[]) => path.join(root, ...parts);
  return {
    root,
    apacheDir: p('etc/apache2/abri'),
    apacheRunDir: p('run/abri/apache2'),
    apacheLogDir: p('var/log/apache2/abri'),
    runDir: p('run/abri'),
    logDir: p('var/log/abri'),
    phpDir: (v) => p(`etc/php/${v}/fpm/abri`),
    edgeDir: p('etc/haproxy/abri'),
    edgeSocket: p('run/abri/haproxy.sock'),
    edgePidFile: p('run/abri/haproxy.pid'),
    pdnsDir: p('etc/powerdns/abri'),
    pdnsDataDir: p('var/lib/abri/pdns'),
    pdnsRunDir: p('run/abri/pdns'),
    accountsDir: p('var/lib/abri/accounts'),
  };
}

/** The Apache instance of a hosting's sites when a web node runs `count` instances. */
export const apacheInstanceOf = (uid: number, count: number) => ((uid % count) + count) % count;

/**
 * Instance k of the node's Apache: instance 0 is the classic etc/apache2/abri (port ABRI_WEB_LISTEN),
 * instance k > 0 lives in etc/apache2/abri-k, run/abri/apache2-k, var/log/apache2/abri-k (port + k).
 */
export function apacheInstanceDirs(layout: NodeLayout, k: number): { configDir: string; runDir: string; logDir: string } {
  const suffix = k === 0 ? '' : `-${k}`;
  return { configDir: layout.apacheDir + suffix, runDir: layout.apacheRunDir + suffix, logDir: layout.apacheLogDir + suffix };
}

/** The node's spec cut per Apache instance: each with its own directories, port and hostings. */
export function apacheInstanceSpecs(spec: WebNodeSpec, count: number, layout: NodeLayout): WebNodeSpec[] {
  return Array.from({ length: count }, (_, k) => ({
    ...spec,
    apache: { ...spec.apache, ...apacheInstanceDirs(layout, k), listenPort: spec.apache.listenPort + k },
    hostings: spec.hostings.filter((h) => apacheInstanceOf(h.uid, count) === k),
  }));
}

const FPM_DEFAULTS = { idleTimeoutSeconds: 10, maxRequests: 500, requestTimeoutSeconds: 300, uploadMaxMb: 64 };

/** The web renderers' input: the hostings the manager placed on this server, plus local paths. */
export function webNodeSpec(state: DesiredState, node: NodeSettings, layout: NodeLayout): WebNodeSpec {
  const php: WebNodeSpec['php'] = {};
  for (const [version, fpmBinary] of Object.entries(node.fpm)) {
    const dir = layout.phpDir(version);
    php[version] = {
      fpmBinary,
      configDir: dir,
      socketDir: path.join(layout.runDir, `php-${version}`),
      pidFile: path.join(layout.runDir, `php-fpm-${version}.pid`),
      errorLog: path.join(layout.logDir, `php-fpm-${version}.log`),
    };
  }
  return {
    revision: state.revision,
    webServer: { user: node.web.user, group: node.web.user },
    apache: {
      configDir: layout.apacheDir,
      runDir: layout.apacheRunDir,
      logDir: layout.apacheLogDir,
      modulesDir: '/usr/lib/apache2/modules',
      listenAddress: node.web.host,
      listenPort: node.web.port,
      extraDirectives: node.web.extraDirectives,
    },
    php,
    fpmUmask: 0o022,
    hostings: (state.web?.hostings ?? []).map((h) => ({
      id: h.id,
      name: h.name,
      uid: h.uid,
      gid: h.uid,
      home: h.home,
      status: h.status,
      fpm: { ...FPM_DEFAULTS, maxChildren: h.php.maxChildren, memoryLimitMb: h.php.memoryMb },
      sites: h.sites.map((s) => ({ id: s.id, domain: s.domain, aliases: s.aliases, documentRoot: s.documentRoot, phpVersion: s.phpVersion, status: s.status })),
    })),
  };
}

/**
 * HAProxy backend names are tokens: a server name like web-1.example.org becomes web-1_example_org;
 * its Apache instance k > 0 is web-1_example_org_ik.
 */
export function backendName(serverName: string, instance = 0): string {
  const base = serverName.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
  return instance === 0 ? base.slice(0, 32) : `${base.slice(0, 28)}_i${instance}`;
}

/** The edge renderers' input: every public host and the web server it goes to, plus local paths. */
export function edgeSpec(state: DesiredState, node: NodeSettings, layout: NodeLayout, manager: { address: string; port: number }): EdgeSpec {
  const edge = state.edge ?? { backends: [], hosts: [], certificates: [] };
  return {
    revision: state.revision,
    configDir: layout.edgeDir,
    runtimeSocket: layout.edgeSocket,
    bindAddress: node.edge.bind,
    httpPort: node.edge.httpPort,
    httpsPort: node.edge.httpsPort,
    certificates: (edge.certificates ?? []).filter((c) => c.serves?.length).map((c) => ({ id: c.id, serves: c.serves })),
    maxConnections: 4096,
    manager,
    backends: edge.backends.flatMap((b) =>
      Array.from({ length: b.instances ?? 1 }, (_, k) => ({ name: backendName(b.name, k), address: b.address, port: node.web.port + k })),
    ),
    hosts: edge.hosts.map((h) => ({ host: h.host, backend: backendName(h.backend, h.instance ?? 0), httpsMode: h.httpsMode, suspended: h.suspended, tls: h.tls ?? false })),
  };
}
