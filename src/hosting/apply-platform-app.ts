// A "platform application" on a web server (the web database admin, the webmail) as the agent runs
// it: its own system user (made once, never a login), its own PHP-FPM master and Apache instance,
// each config validated (php-fpm -t, apache2 -t) before a graceful reload; a refused one is put back
// and the previous one keeps serving. Not asked for any more, both stop and their files go.
import { existsSync } from 'node:fs';
import { chmod, chown, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { PlatformAppNodeSettings } from '../platform/config-platform-app.js';
import type { Executor } from '../platform/executor.js';
import type { RenderedFile } from '../platform/render.js';
import { applyFileSet, ensureDir } from '../platform/files.js';
import { livePid } from '../platform/pid-file.js';
import { readIfExists } from '../platform/if-exists.js';
import { ifAbsent } from '../platform/absent.js';
import { refusedBy } from '../platform/culprits.js';
import type { NodeLayout } from '../node/layout.js';
import { waitUntil } from '../platform/wait.js';
import type { PlatformAppService } from './render-platform-app.js';
import { shadowTool } from '../platform/shadow-tools.js';
import { systemUser } from '../platform/system-accounts.js';

/** Where an application named `name` (dbadmin, webmail) runs on a node, under its root. */
export function platformAppService(name: string, settings: PlatformAppNodeSettings, node: NodeSettings, layout: NodeLayout): PlatformAppService {
  const version = settings.php || Object.keys(node.fpm)[0] || 'none';
  return {
    user: settings.user,
    group: settings.user,
    webUser: node.web.user,
    socket: path.join(layout.runDir, name, 'fpm.sock'),
    fpm: {
      binary: node.fpm[version] ?? '',
      configDir: path.join(layout.root, `etc/php/${version}/fpm/abri-${name}`),
      pidFile: path.join(layout.runDir, `php-fpm-${name}.pid`),
      errorLog: path.join(layout.logDir, `php-fpm-${name}.log`),
    },
    apache: {
      configDir: `${layout.apacheDir}-${name}`, runDir: `${layout.apacheRunDir}-${name}`, logDir: `${layout.apacheLogDir}-${name}`,
      modulesDir: '/usr/lib/apache2/modules', listenAddress: settings.host, listenPort: settings.port,
    },
  };
}

export class PlatformApp {
  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly settings: PlatformAppNodeSettings,
    /** how logs and errors name it: "the database admin" */
    private readonly title: string,
    /** the prefix of its settings: ABRI_DBADMIN */
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  /** The pool's system user (and its group): made once, never a login. */
  async ensureUser(): Promise<{ uid: number; gid: number }> {
    const { user, uid } = this.settings;
    if (!(await systemUser(user))) {
      await shadowTool(this.exec, 'useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', ...(uid ? ['--uid', String(uid)] : []), user]);
      this.log.info({ user }, `${this.title}: system user created`);
    }
    const ids = await systemUser(user);
    if (!ids) throw new Error(`${this.title}: useradd made no user ${user}`);
    if (ids.uid === 0 || ids.gid === 0 || user === this.node.web.user) throw new Error(`${this.prefix}_USER ${user} is root or the web server's user: refused`);
    return ids;
  }

  /** Its folders: `shared` 0755 root's, `own` 0700 the pool user's. */
  async folders(s: PlatformAppService, shared: string[], own: string[], ids: { uid: number; gid: number } | null) {
    for (const d of [...shared, path.dirname(s.socket), s.apache.runDir, s.apache.logDir, path.dirname(s.fpm.pidFile), path.dirname(s.fpm.errorLog)]) await ensureDir(d, 0o755);
    for (const d of own) {
      await ensureDir(d, 0o700);
      if (ids) await chown(d, ids.uid, ids.gid);
    }
  }

  async applyFpm(s: PlatformAppService, content: string) {
    if (!s.fpm.binary) throw new Error(`no PHP-FPM for ${this.title}: ${this.prefix}_PHP (${this.settings.php || 'empty'}) is not in ABRI_PHP_FPM`);
    const conf = path.join(s.fpm.configDir, 'php-fpm.conf');
    const running = this.node.apply ? await livePid(s.fpm.pidFile) : null;
    await applyFileSet(s.fpm.configDir, [{ path: 'php-fpm.conf', content, mode: 0o644 }], [],
      this.node.apply ? () => refusedBy('PHP-FPM', () => this.exec.run(s.fpm.binary, ['-t', '-y', conf])) : undefined,
      running ? async () => void process.kill(running, 'SIGUSR2') : undefined);
    if (!this.node.apply || running) return;
    await this.exec.startDaemon(s.fpm.binary, ['-F', '-y', conf], { logFile: `${s.fpm.errorLog}.out`, umask: 0o077 });
    await waitUntil(`${this.title}'s PHP-FPM socket`, () => existsSync(s.socket));
    this.log.info(`${this.title}: PHP-FPM started`);
  }

  async applyApache(s: Pick<PlatformAppService, 'apache'>, content: string, extra: RenderedFile[] = []) {
    const conf = path.join(s.apache.configDir, 'apache2.conf');
    const pidFile = path.join(s.apache.runDir, 'apache2.pid');
    const running = this.node.apply ? await livePid(pidFile) : null;
    await applyFileSet(s.apache.configDir, [{ path: 'apache2.conf', content, mode: 0o644 }, { path: 'empty/index.html', content: '', mode: 0o644 }, ...extra], [],
      this.node.apply ? () => refusedBy('Apache', () => this.exec.run('apache2', ['-t', '-f', conf])) : undefined,
      running ? async () => void process.kill(running, 'SIGUSR1') : undefined); // graceful: open requests finish
    if (!this.node.apply || running) return;
    await this.exec.run('apache2', ['-f', conf, '-k', 'start'], { daemonizes: true, umask: 0o022 });
    await waitUntil(`${this.title}'s Apache`, async () => !!(await livePid(pidFile)), 30_000);
    this.log.info({ port: s.apache.listenPort }, `${this.title}: Apache started`);
  }

  /** Stops both services and removes `folders` with their configs (sessions, databases: what it kept). */
  async remove(s: PlatformAppService, folders: string[]): Promise<boolean> {
    if (!existsSync(s.apache.configDir) && !existsSync(s.fpm.configDir) && !folders.some((f) => existsSync(f))) return false;
    if (this.node.apply) {
      for (const [pidFile, signal] of [[path.join(s.apache.runDir, 'apache2.pid'), 'SIGTERM'], [s.fpm.pidFile, 'SIGQUIT']] as const) {
        const pid = await livePid(pidFile);
        if (!pid) continue;
        process.kill(pid, signal);
        await waitUntil(`${this.title}'s ${signal === 'SIGTERM' ? 'Apache' : 'PHP-FPM'} to stop`, async () => !(await livePid(pidFile)), 30_000);
      }
    }
    for (const d of [s.apache.configDir, s.fpm.configDir, path.dirname(s.socket), ...folders]) await rm(d, { recursive: true, force: true });
    this.log.info(`${this.title}: stopped and removed (not asked for on this server)`);
    return true;
  }
}

/** A file only root and `gid` may read (0640 root:gid; 0600 root without a group), swapped atomically when it changes. */
export async function writeSecret(file: string, content: string, gid: number | null) {
  const dir = path.dirname(file);
  await ensureDir(dir, gid === null ? 0o700 : 0o750);
  if (gid !== null) await chown(dir, 0, gid);
  const now = await stat(file).catch(ifAbsent(null));
  if (now && (now.mode & 0o777) === (gid === null ? 0o600 : 0o640) && now.uid === 0 && (gid === null || now.gid === gid) && (await readIfExists(file)) === content) return;
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, content, { mode: 0o600 });
  if (gid !== null) {
    await chown(tmp, 0, gid);
    await chmod(tmp, 0o640);
  }
  await rename(tmp, file);
}
