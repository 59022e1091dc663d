// Where an agent puts things on its own machine. Everything lives under ABRI_NODE_ROOT (default /),
// or under ABRI_DATA_DIR/render on a render-only node. The drivers build their render inputs from
// the manager's desired state and these paths (hosting/node-spec.ts, edge/node-spec.ts).
import path from 'node:path';

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
  /** database nodes: what a render-only node writes instead of applying it (abri.sql) */
  mariadbDir: string;
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
    mariadbDir: p('etc/mysql/abri'),
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

/**
 * The PHP-FPM master of a hosting's pools: one per block of `poolsPerMaster` uids, named by the
 * block's first uid. PHP-FPM reads its whole configuration (one byte per read) to check or reload
 * it; hostings are numbered in order, so an import fills one block after another and a change checks
 * and reloads only its own block's master.
 */
export const fpmMasterOf = (uid: number, poolsPerMaster: number) => Math.floor(uid / poolsPerMaster) * poolsPerMaster;

/** Master `first` of a PHP version: etc/php/V/fpm/abri/<first>/, run/abri/php-fpm-V-<first>.pid, var/log/abri/php-fpm-V-<first>.log. */
export function fpmMasterPaths(layout: NodeLayout, version: string, first: number): { configDir: string; pidFile: string; errorLog: string } {
  return {
    configDir: path.join(layout.phpDir(version), String(first)),
    pidFile: path.join(layout.runDir, `php-fpm-${version}-${first}.pid`),
    errorLog: path.join(layout.logDir, `php-fpm-${version}-${first}.log`),
  };
}
