// The web database admin's service files (pure): a PHP-FPM pool of its own, as its own system user
// (never a hosting's, never the web server's), that runs only Abri's sign-on wrapper in front of
// Debian's Adminer; and the Apache lines that hand it the one path it answers on. The wrapper's
// config (the manager's URL and the service key) is readable only by that pool's user.
import path from 'node:path';
import { appPoolHead, renderAppApacheMain, renderAppFpm, safe, type PlatformAppService } from '../hosting/render-platform-app.js';

export interface DbadminSpec {
  /** the pool's system user and group (abri-dbadmin in production) */
  user: string;
  group: string;
  /** the web server's user: the only one that may talk to the pool's socket */
  webUser: string;
  socket: string;
  /** Abri's src/databases/dbadmin/index.php as installed */
  wrapper: string;
  /** the PHP file returning ['manager' => URL, 'key' => service key] */
  configFile: string;
  /** the pool's private session and temporary folders (0700, its user's) */
  sessionDir: string;
  tmpDir: string;
  /** the URL path Adminer answers on, e.g. /dbadmin/ */
  urlPath: string;
}

/** The pool (a section of its own php-fpm master's config, or a file of /etc/php/8.2/fpm/pool.d). */
export function renderDbadminPool(s: DbadminSpec): string {
  const dirs = [path.dirname(s.wrapper), '/usr/share/adminer', s.configFile, s.sessionDir, s.tmpDir].map((d) => safe('a path', d)).join(':');
  return [
    ...appPoolHead(s, 'abri-dbadmin'),
    `env[ABRI_DBADMIN_CONFIG] = ${safe('config file', s.configFile)}`,
    'security.limit_extensions = .php',
    `php_admin_value[open_basedir] = ${dirs}`,
    `php_admin_value[session.save_path] = ${safe('session folder', s.sessionDir)}`,
    `php_admin_value[upload_tmp_dir] = ${safe('temporary folder', s.tmpDir)}`,
    `php_admin_value[sys_temp_dir] = ${safe('temporary folder', s.tmpDir)}`,
    'php_admin_value[disable_functions] = exec,passthru,shell_exec,system,proc_open,popen,pcntl_exec',
    // Debian leaves session clean-up to a cron job on its own folder: here PHP removes the sessions
    // (each holds a console password) idle for 30 minutes itself
    'php_admin_value[session.gc_probability] = 1',
    'php_admin_value[session.gc_divisor] = 20',
    'php_admin_value[session.gc_maxlifetime] = 1800',
    'php_admin_flag[session.use_strict_mode] = on',
    'php_admin_flag[session.use_only_cookies] = on',
    'php_admin_flag[expose_php] = off',
    'php_admin_flag[allow_url_include] = off',
    'php_admin_value[memory_limit] = 256M',
    '',
  ].join('\n');
}

/** The Apache lines (inside the platform name's virtual host): the one path, to the wrapper, through the pool's socket. */
export function renderDbadminApache(s: DbadminSpec): string {
  const prefix = safe('URL path', s.urlPath, /^\/[A-Za-z0-9_-]+\/$/);
  return [
    `ProxyPassMatch "^${prefix}$" "unix:${safe('socket', s.socket)}|fcgi://localhost${safe('wrapper', s.wrapper)}"`,
    `<Location "${prefix}">`,
    '\tHeader always set X-Frame-Options DENY',
    '\tHeader always set Referrer-Policy no-referrer',
    '\tHeader always set X-Content-Type-Options nosniff',
    '</Location>',
    '',
  ].join('\n');
}

/** The wrapper's config file: the manager it exchanges tickets with and the service key (0640, root and the pool's group). */
export function renderDbadminConfig(manager: string, key: string, cafile?: string): string {
  const quote = (v: string) => `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  safe('manager URL', manager, /^https?:\/\/[A-Za-z0-9.:[\]_-]+(\/[A-Za-z0-9._~/-]*)?$/);
  return `<?php\nreturn ['manager' => ${quote(manager)}, 'key' => ${quote(key)}${cafile ? `, 'cafile' => ${quote(safe('CA file', cafile))}` : ''}];\n`;
}

/** What a web node runs the database admin with: its PHP-FPM master (one pool) and its own Apache instance. */
export interface DbadminServiceSpec extends DbadminSpec, PlatformAppService {}

/** php-fpm.conf of the database admin's own master: its global section and its one pool. */
export const renderDbadminFpm = (s: DbadminServiceSpec): string => renderAppFpm(s, 'the web database admin', renderDbadminPool(s));

/** The database admin's own Apache instance: nothing but the admin's one path. */
export const renderDbadminApacheMain = (s: DbadminServiceSpec): string =>
  renderAppApacheMain(s, 'the web database admin', ['mpm_event', 'authz_core', 'headers', 'proxy', 'proxy_fcgi', 'reqtimeout'], [renderDbadminApache(s)]);
