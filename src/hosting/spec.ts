// Desired state of a web node (Apache + PHP-FPM): what the manager sends, what the web renderers read.
// Plain serialisable objects: the agent receives them as JSON and the golden tests store them as JSON.

/** One PHP version as this node runs it: an FPM master (binary + main config) and its pools. */
export interface PhpRuntimeSpec {
  /** The FPM binary, e.g. /usr/sbin/php-fpm8.2. */
  fpmBinary: string;
  /** Where the rendered php-fpm.conf and pool.d/ of this version live. */
  configDir: string;
  /** Directory of the pools' Unix sockets (<socketDir>/<hosting>.sock); root-owned, 0755. */
  socketDir: string;
  /** PID file and error log of the FPM master. */
  pidFile: string;
  errorLog: string;
}

/** PHP-FPM process limits of one hosting (from its offer, or node defaults). */
export interface FpmLimitsSpec {
  /** pm.max_children */
  maxChildren: number;
  /** pm.process_idle_timeout, seconds */
  idleTimeoutSeconds: number;
  /** pm.max_requests (0 = unlimited) */
  maxRequests: number;
  /** request_terminate_timeout, seconds (0 = none) */
  requestTimeoutSeconds: number;
}

/**
 * The PHP settings a site is served with. Not in the pool (one per hosting and version, shared by
 * its sites): its vhost sends every one of them on every request (render-apache-vhost.ts).
 */
export interface SitePhpSpec {
  /** memory_limit, MiB */
  memoryLimitMb: number;
  /** upload_max_filesize, MiB */
  uploadMaxMb: number;
  /** post_max_size, MiB (at least uploadMaxMb) */
  postMaxMb: number;
  /** max_execution_time, seconds */
  maxExecutionSeconds: number;
  maxInputVars: number;
  displayErrors: boolean;
}

export interface WebSiteSpec {
  id: string;
  /** ASCII (punycode) domain, re-checked with normaliseDomain at render time. */
  domain: string;
  aliases: string[];
  /** Relative to the hosting's var/www/, re-checked with normaliseDocumentRoot. */
  documentRoot: string;
  phpVersion: string;
  status: 'active' | 'disabled';
  php: SitePhpSpec;
}

export interface WebHostingSpec {
  id: string;
  /** System user and group name (h100000). */
  name: string;
  uid: number;
  gid: number;
  /** Absolute home, e.g. /home/h100000. */
  home: string;
  /** Terminated hostings are not sent: their pool and vhosts disappear. */
  status: 'active' | 'suspended';
  /** the offer's disk space in MB: the qgroup limit of a home that is a btrfs subvolume */
  diskMb?: number;
  fpm: FpmLimitsSpec;
  sites: WebSiteSpec[];
}

export interface WebNodeSpec {
  /** The manager's revision this spec was built at (informational). */
  revision: number;
  /** User and group Apache runs as: owner of the FPM sockets, traverse ACL on every home. */
  webServer: { user: string; group: string };
  apache: {
    /** Where the rendered apache2.conf and sites/ live. */
    configDir: string;
    /** DefaultRuntimeDir, PidFile and mutexes of this Apache instance. */
    runDir: string;
    /** Server-wide error log directory. */
    logDir: string;
    /** Where LoadModule finds modules, e.g. /usr/lib/apache2/modules. */
    modulesDir: string;
    listenAddress: string;
    listenPort: number;
    /** Directives appended verbatim (one per line) to the main config, configured by staff. */
    extraDirectives: string[];
  };
  /** PHP version ("8.2", or any configured name) → the FPM that runs it. */
  php: Record<string, PhpRuntimeSpec>;
  /** Umask of the FPM masters (inherited by every worker): 0o022 makes PHP-created files readable by Apache. */
  fpmUmask: number;
  hostings: WebHostingSpec[];
}
