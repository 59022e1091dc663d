// PHP-FPM: one master per PHP version in use, one pool per hosting and version. Pure: spec → files.
//
// Umask: FPM has no per-pool umask and `php_admin_value` cannot set one (umask is a process
// attribute, not an ini setting). Workers inherit the umask of the FPM master, so whatever starts
// the master must give it `spec.fpmUmask` (0022: files PHP creates are 0644, readable by Apache):
// systemd `UMask=0022` (see renderFpmSystemdDropIn), or the starter sets its own umask before
// spawning (test/harness does). The integration test checks a file written by PHP is 0644 and served.
import path from 'node:path';
import { renderError, type RenderedFile } from '../platform/render.js';
import { checkWebNodeSpec } from './spec-checks.js';
import type { WebHostingSpec, WebNodeSpec } from './spec.js';

const SOCKET_PATH_MAX = 107; // sun_path is 108 bytes with the terminating NUL

/** The Unix socket of a hosting's pool for a PHP version (Apache's vhost points at it). */
export function fpmSocketPath(spec: WebNodeSpec, hostingName: string, phpVersion: string): string {
  const rt = spec.php[phpVersion];
  if (!rt) throw renderError('PHP version', phpVersion, 'is not configured on this node');
  const p = path.posix.join(rt.socketDir, `${hostingName}.sock`);
  if (Buffer.byteLength(p) > SOCKET_PATH_MAX) throw renderError('FPM socket path', p, `is longer than ${SOCKET_PATH_MAX} bytes`);
  return p;
}

/** PHP versions a hosting's active sites use (a suspended hosting runs no pool at all). */
export function hostingPhpVersions(h: WebHostingSpec): string[] {
  if (h.status !== 'active') return [];
  return [...new Set(h.sites.filter((s) => s.status === 'active').map((s) => s.phpVersion))].sort();
}

function renderPool(spec: WebNodeSpec, h: WebHostingSpec, version: string): string {
  const tmp = `${h.home}/tmp`;
  const f = h.fpm;
  return [
    `; Hosting ${h.name}, PHP ${version}. Rendered by Abri; do not edit.`,
    `[${h.name}]`,
    `user = ${h.name}`,
    `group = ${h.name}`,
    `listen = ${fpmSocketPath(spec, h.name, version)}`,
    '; only the web server may connect: hostings cannot reach each other\'s pools',
    `listen.owner = ${spec.webServer.user}`,
    `listen.group = ${spec.webServer.group}`,
    'listen.mode = 0660',
    'pm = ondemand',
    `pm.max_children = ${f.maxChildren}`,
    `pm.process_idle_timeout = ${f.idleTimeoutSeconds}s`,
    `pm.max_requests = ${f.maxRequests}`,
    `request_terminate_timeout = ${f.requestTimeoutSeconds}s`,
    `chdir = ${h.home}`,
    'security.limit_extensions = .php',
    'clear_env = yes',
    'catch_workers_output = no',
    `env[TMPDIR] = ${tmp}`,
    `env[TMP] = ${tmp}`,
    `env[TEMP] = ${tmp}`,
    `env[HOME] = ${h.home}`,
    `php_admin_value[open_basedir] = ${h.home}/`,
    `php_admin_value[sys_temp_dir] = ${tmp}`,
    `php_admin_value[upload_tmp_dir] = ${tmp}`,
    `php_admin_value[session.save_path] = ${tmp}`,
    '; memory_limit, upload_max_filesize, post_max_size, max_execution_time, max_input_vars and',
    '; display_errors are per site: each vhost sends all of them with every request (render-apache-vhost.ts)',
    'php_admin_flag[log_errors] = on',
    `php_admin_value[error_log] = ${h.home}/var/log/php/error.log`,
    'php_admin_flag[expose_php] = off',
    'php_admin_flag[allow_url_include] = off',
    '',
  ].join('\n');
}

/**
 * Files of one PHP version, relative to `spec.php[version].configDir`: php-fpm.conf and
 * pool.d/<hosting>.conf. Empty when no active hosting uses the version (FPM refuses to start
 * without a pool: the agent stops that master instead).
 */
export function renderFpmVersion(input: WebNodeSpec, version: string): RenderedFile[] {
  const spec = checkWebNodeSpec(input);
  const rt = spec.php[version];
  if (!rt) throw renderError('PHP version', version, 'is not configured on this node');
  const pools = spec.hostings.filter((h) => hostingPhpVersions(h).includes(version)).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (pools.length === 0) return [];
  const main = [
    `; PHP-FPM ${version} master (${rt.fpmBinary}). Rendered by Abri; do not edit.`,
    `; Start it with umask ${spec.fpmUmask.toString(8).padStart(4, '0')}: every pool's workers inherit it.`,
    '[global]',
    `pid = ${rt.pidFile}`,
    `error_log = ${rt.errorLog}`,
    'log_level = notice',
    'emergency_restart_threshold = 10',
    'emergency_restart_interval = 1m',
    'process_control_timeout = 10s',
    `include = ${rt.configDir}/pool.d/*.conf`,
    '',
  ].join('\n');
  return [
    { path: 'php-fpm.conf', content: main, mode: 0o644 },
    ...pools.map((h) => ({ path: `pool.d/${h.name}.conf`, content: renderPool(spec, h, version), mode: 0o644 })),
  ];
}

/** Every version's files, under `<version>/` (the agent writes each group to its configDir). */
export function renderFpm(input: WebNodeSpec): RenderedFile[] {
  const spec = checkWebNodeSpec(input);
  return Object.keys(spec.php).sort().flatMap((v) => renderFpmVersion(spec, v).map((f) => ({ ...f, path: `${v}/${f.path}` })));
}

/** systemd drop-in for an FPM service started by systemd (e.g. php8.2-fpm.service.d/abri.conf). */
export function renderFpmSystemdDropIn(input: WebNodeSpec): RenderedFile {
  const spec = checkWebNodeSpec(input);
  const umask = spec.fpmUmask.toString(8).padStart(4, '0');
  return { path: 'abri-umask.conf', content: `# Rendered by Abri: files created by PHP must be readable by the web server.\n[Service]\nUMask=${umask}\n`, mode: 0o644 };
}
