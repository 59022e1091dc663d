// The web renderers' input built on a web node: the manager's desired state plus the node's own
// settings and paths.
import path from 'node:path';
import type { NodeSettings } from '../platform/config.js';
import type { DesiredHosting, DesiredState } from '../node/protocol.js';
import { apacheInstanceDirs, apacheInstanceOf, type NodeLayout } from '../node/layout.js';
import type { SitePhpSpec, WebNodeSpec } from './spec.js';

/** The node's spec cut per Apache instance: each with its own directories, port and hostings. */
export function apacheInstanceSpecs(spec: WebNodeSpec, count: number, layout: NodeLayout): WebNodeSpec[] {
  return Array.from({ length: count }, (_, k) => ({
    ...spec,
    apache: { ...spec.apache, ...apacheInstanceDirs(layout, k), listenPort: spec.apache.listenPort + k },
    hostings: spec.hostings.filter((h) => apacheInstanceOf(h.uid, count) === k),
  }));
}

const FPM_DEFAULTS = { idleTimeoutSeconds: 10, maxRequests: 500, requestTimeoutSeconds: 300 };

/** What a site is served with when an older manager sends no PHP settings: its offer's memory, PHP's defaults. */
const sitePhpDefaults = (h: DesiredHosting): SitePhpSpec => ({
  memoryLimitMb: h.php.memoryMb,
  uploadMaxMb: 64,
  postMaxMb: 64,
  maxExecutionSeconds: 30,
  maxInputVars: 1000,
  displayErrors: false,
});

/** request_terminate_timeout: the node's, or longer when a site may run longer (max_execution_time counts CPU time, this wall time). */
const requestTimeout = (sites: SitePhpSpec[]) => Math.max(FPM_DEFAULTS.requestTimeoutSeconds, ...sites.map((p) => p.maxExecutionSeconds + 10));

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
    hostings: (state.web?.hostings ?? []).map((h) => {
      const sites = h.sites.map((s) => ({
        id: s.id,
        domain: s.domain,
        aliases: s.aliases,
        documentRoot: s.documentRoot,
        phpVersion: s.phpVersion,
        status: s.status,
        php: s.php ?? sitePhpDefaults(h),
      }));
      return {
        id: h.id,
        name: h.name,
        uid: h.uid,
        gid: h.uid,
        home: h.home,
        status: h.status,
        ...(h.diskMb !== undefined ? { diskMb: h.diskMb } : {}),
        fpm: { ...FPM_DEFAULTS, maxChildren: h.php.maxChildren, requestTimeoutSeconds: requestTimeout(sites.map((s) => s.php)) },
        sites,
      };
    }),
  };
}
