// A "platform application" on a web server (the web database admin, the webmail): pure renderers of
// its own PHP-FPM master (one pool, as its own system user, never a hosting's nor the web server's)
// and of its own Apache instance (event MPM, as the web server's user) that serves nothing else.
// Apart from the hostings' instances, a site's vhost or .htaccess never reaches it, and their
// reloads never end its sessions.

/** What runs an application on a web node: its user, its pool's socket, its PHP-FPM master and Apache instance. */
export interface PlatformAppService {
  /** the pool's system user and group (abri-dbadmin, abri-webmail in production) */
  user: string;
  group: string;
  /** the web server's user: the only one that may talk to the pool's socket */
  webUser: string;
  socket: string;
  fpm: { binary: string; configDir: string; pidFile: string; errorLog: string };
  apache: { configDir: string; runDir: string; logDir: string; modulesDir: string; listenAddress: string; listenPort: number };
}

/** A value written into a config file as is: only characters that cannot end a directive. */
export const safe = (what: string, v: string, re = /^[A-Za-z0-9_./:@-]+$/) => {
  if (!re.test(v)) throw new Error(`${what} cannot be written in a config file: ${JSON.stringify(v)}`);
  return v;
};

/** php-fpm.conf of the application's own master: its global section and its one pool. */
export function renderAppFpm(s: PlatformAppService, title: string, pool: string): string {
  return [
    `; PHP-FPM master of ${title}. Rendered by Abri; do not edit.`,
    '[global]',
    `pid = ${safe('pid file', s.fpm.pidFile)}`,
    `error_log = ${safe('error log', s.fpm.errorLog)}`,
    'log_level = notice',
    'process_control_timeout = 10s',
    '',
    pool,
  ].join('\n');
}

/** The first lines of the application's pool: its user, its socket (the web server's alone), on demand. */
export function appPoolHead(s: Pick<PlatformAppService, 'user' | 'group' | 'webUser' | 'socket'>, name: string, maxChildren = 8): string[] {
  return [
    `[${safe('pool name', name)}]`,
    `user = ${safe('user', s.user)}`,
    `group = ${safe('group', s.group)}`,
    `listen = ${safe('socket', s.socket)}`,
    `listen.owner = ${safe('web user', s.webUser)}`,
    `listen.group = ${safe('web user', s.webUser)}`,
    'listen.mode = 0600',
    'pm = ondemand',
    `pm.max_children = ${maxChildren}`,
    'pm.process_idle_timeout = 60s',
    'clear_env = yes',
  ];
}

/** The application's own Apache instance: `modules` loaded, every folder denied but what `body` opens. */
export function renderAppApacheMain(s: PlatformAppService, title: string, modules: string[], body: string[], documentRoot = `${s.apache.configDir}/empty`): string {
  const a = s.apache;
  const addr = safe('listen address', a.listenAddress);
  return [
    `# Apache of ${title}. Rendered by Abri; do not edit.`,
    `ServerRoot "${safe('config folder', a.configDir)}"`,
    `DefaultRuntimeDir "${safe('run folder', a.runDir)}"`,
    `PidFile "${a.runDir}/apache2.pid"`,
    `Mutex file:${a.runDir} default`,
    `ErrorLog "${safe('log folder', a.logDir)}/error.log"`,
    'LogLevel warn',
    'ServerName localhost',
    `Listen ${addr.includes(':') ? `[${addr}]` : addr}:${a.listenPort}`,
    `User ${safe('web user', s.webUser)}`,
    `Group ${safe('web user', s.webUser)}`,
    ...modules.map((m) => `LoadModule ${m}_module "${safe('modules folder', a.modulesDir)}/mod_${m}.so"`),
    'StartServers 1',
    'ServerLimit 2',
    'ThreadsPerChild 25',
    'MaxRequestWorkers 50',
    'Timeout 60',
    'ServerTokens Prod',
    'ServerSignature Off',
    'TraceEnable Off',
    `DocumentRoot "${safe('document root', documentRoot)}"`,
    '<Directory />',
    '    Options None',
    '    AllowOverride None',
    '    Require all denied',
    '</Directory>',
    `CustomLog "${a.logDir}/access.log" "%h %t \\"%m %U\\" %>s %O"`,
    ...body,
  ].join('\n');
}
