// The edge renderers' input built on an edge node: the manager's desired state plus the node's own
// settings and paths.
import type { NodeSettings } from '../platform/config.js';
import type { DesiredState } from '../node/protocol.js';
import type { NodeLayout } from '../node/layout.js';
import type { EdgeSpec } from './spec.js';

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
    hosts: edge.hosts.map((h) => ({
      host: h.host,
      backend: backendName(h.backend, h.instance ?? 0),
      httpsMode: h.httpsMode,
      suspended: h.suspended,
      tls: h.tls ?? false,
    })),
    dbadmin: edge.dbadmin
      ? {
          host: edge.dbadmin.host,
          path: edge.dbadmin.path,
          servers: edge.dbadmin.servers.map((s) => ({ name: backendName(s.name), address: s.address, port: node.dbadmin.port })),
        }
      : null,
    webmail: edge.webmail
      ? {
          host: edge.webmail.host,
          tls: edge.webmail.tls,
          servers: edge.webmail.servers.map((s) => ({ name: backendName(s.name), address: s.address, port: node.webmail.port })),
        }
      : null,
  };
}
