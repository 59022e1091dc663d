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
  };
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

/** HAProxy backend names are tokens: a server name like web-1.example.org becomes web-1_example_org. */
export const backendName = (serverName: string) => serverName.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 32);

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
    certificates: (edge.certificates ?? []).map((c) => c.id),
    maxConnections: 4096,
    manager,
    backends: edge.backends.map((b) => ({ name: backendName(b.name), address: b.address, port: node.web.port })),
    hosts: edge.hosts.map((h) => ({ host: h.host, backend: backendName(h.backend), httpsMode: h.httpsMode, suspended: h.suspended, tls: h.tls ?? false })),
  };
}
