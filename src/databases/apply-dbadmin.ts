// The web database admin on a web server: Debian's Adminer behind Abri's sign-on wrapper, in a
// PHP-FPM master of its own (one pool, as ABRI_DBADMIN_USER, which the agent creates) behind an
// Apache instance of its own on ABRI_DBADMIN_LISTEN, where the edge sends /dbadmin/ of the
// platform's name. The wrapper's config (this agent's manager URL and the service key the desired
// state carries) is 0640 root:<that user>: neither a hosting nor the web server's user can read it.
// Each config is validated (php-fpm -t, apache2 -t) before a graceful reload; a refused one is put
// back and the previous one keeps serving. Not asked for (no key on the manager, or no web role any
// more): both services stop and their files, sessions included, are removed.
import { existsSync } from 'node:fs';
import { chmod, chown, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { applyFileSet, ensureDir } from '../platform/files.js';
import { livePid } from '../platform/pid-file.js';
import { readIfExists } from '../platform/if-exists.js';
import { ifAbsent } from '../platform/absent.js';
import { refusedBy } from '../platform/culprits.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState } from '../node/protocol.js';
import type { NodeLayout } from '../node/layout.js';
import { waitUntil } from '../hosting/apply-fpm.js';
import { renderDbadminApacheMain, renderDbadminConfig, renderDbadminFpm, type DbadminServiceSpec } from './render-dbadmin.js';

export const ADMINER = '/usr/share/adminer/adminer.php';
const WRAPPER_SOURCE = new URL('./dbadmin/index.php', import.meta.url);

/** Where the database admin lives on a node (under its root) and what runs it. */
export function dbadminNodeSpec(state: DesiredState, node: NodeSettings, layout: NodeLayout): DbadminServiceSpec {
  const p = (...parts: string[]) => path.join(layout.root, ...parts);
  const version = node.dbadmin.php || Object.keys(node.fpm)[0] || 'none';
  const binary = node.fpm[version] ?? '';
  return {
    user: node.dbadmin.user,
    group: node.dbadmin.user,
    webUser: node.web.user,
    socket: path.join(layout.runDir, 'dbadmin', 'fpm.sock'),
    wrapper: p('usr/share/abri/dbadmin/index.php'),
    configFile: p('etc/abri/dbadmin/dbadmin.php'),
    sessionDir: p('var/lib/abri/dbadmin/sessions'),
    tmpDir: p('var/lib/abri/dbadmin/tmp'),
    urlPath: state.dbadmin!.path,
    fpm: { binary, configDir: p(`etc/php/${version}/fpm/abri-dbadmin`), pidFile: path.join(layout.runDir, 'php-fpm-dbadmin.pid'), errorLog: path.join(layout.logDir, 'php-fpm-dbadmin.log') },
    apache: {
      configDir: `${layout.apacheDir}-dbadmin`, runDir: `${layout.apacheRunDir}-dbadmin`, logDir: `${layout.apacheLogDir}-dbadmin`,
      modulesDir: '/usr/lib/apache2/modules', listenAddress: node.dbadmin.host, listenPort: node.dbadmin.port,
    },
  };
}

export class DbadminDriver implements Driver {
  readonly name = 'dbadmin';
  /** what was last applied successfully (null: nothing, or to be checked again) */
  private last: string | null = null;

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    /** the manager as this machine reaches it: where the wrapper exchanges tickets */
    private readonly managerUrl: string,
    private readonly log: Logger,
  ) {}

  /** Every server: one that no longer serves it stops it. */
  handles() {
    return true;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    try {
      if (!state.dbadmin) {
        if (this.last !== '' || opts.repair !== false) await this.remove();
        this.last = '';
        return { objects: [] };
      }
      const spec = dbadminNodeSpec(state, this.node, this.layout);
      const input = JSON.stringify({ spec, key: state.dbadmin.key, manager: this.managerUrl });
      if (opts.repair === false && this.last === input) return { objects: [] };
      this.last = null;
      await this.apply(spec, state.dbadmin.key);
      this.last = input;
      return { objects: [] };
    } catch (e) {
      return { objects: [], error: `the database admin: ${detailOf(e)}` };
    }
  }

  private async apply(s: DbadminServiceSpec, key: string) {
    const apply = this.node.apply;
    if (!s.fpm.binary) throw new Error(`no PHP-FPM for the database admin: ABRI_DBADMIN_PHP (${this.node.dbadmin.php || 'empty'}) is not in ABRI_PHP_FPM`);
    if (apply && !existsSync(ADMINER)) throw new Error(`${ADMINER} is missing: apt install adminer`);
    const ids = apply ? await this.ensureUser() : null;
    for (const d of [path.dirname(s.sessionDir), path.dirname(s.socket), path.dirname(s.configFile), s.apache.runDir, s.apache.logDir, path.dirname(s.fpm.pidFile), path.dirname(s.fpm.errorLog)]) await ensureDir(d, 0o755);
    for (const d of [s.sessionDir, s.tmpDir]) {
      await ensureDir(d, 0o700);
      if (ids) await chown(d, ids.uid, ids.gid);
    }
    await applyFileSet(path.dirname(s.wrapper), [{ path: path.basename(s.wrapper), content: await readFile(WRAPPER_SOURCE, 'utf8'), mode: 0o644 }], []);
    await writeSecret(s.configFile, renderDbadminConfig(this.managerUrl, key), ids?.gid ?? null);
    await this.applyFpm(s);
    await this.applyApache(s);
  }

  /** The pool's system user (and its group): made once, never a login. */
  private async ensureUser(): Promise<{ uid: number; gid: number }> {
    const { user, uid } = this.node.dbadmin;
    const id = async (flag: string) => Number((await this.exec.run('id', [flag, user])).stdout.trim());
    const known = await this.exec.run('id', ['-u', user], { allowFailure: true });
    if (known.code !== 0) {
      await this.exec.run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', ...(uid ? ['--uid', String(uid)] : []), user]);
      this.log.info({ user }, 'database admin: system user created');
    }
    const ids = { uid: await id('-u'), gid: await id('-g') };
    if (ids.uid === 0 || ids.gid === 0 || user === this.node.web.user) throw new Error(`ABRI_DBADMIN_USER ${user} is root or the web server's user: refused`);
    return ids;
  }

  private async applyFpm(s: DbadminServiceSpec) {
    const conf = path.join(s.fpm.configDir, 'php-fpm.conf');
    const running = this.node.apply ? await livePid(s.fpm.pidFile) : null;
    await applyFileSet(s.fpm.configDir, [{ path: 'php-fpm.conf', content: renderDbadminFpm(s), mode: 0o644 }], [],
      this.node.apply ? () => refusedBy('PHP-FPM', () => this.exec.run(s.fpm.binary, ['-t', '-y', conf])) : undefined,
      running ? async () => void process.kill(running, 'SIGUSR2') : undefined);
    if (!this.node.apply || running) return;
    await this.exec.startDaemon(s.fpm.binary, ['-F', '-y', conf], { logFile: `${s.fpm.errorLog}.out`, umask: 0o077 });
    await waitUntil('the database admin\'s PHP-FPM socket', () => existsSync(s.socket));
    this.log.info('database admin: PHP-FPM started');
  }

  private async applyApache(s: DbadminServiceSpec) {
    const conf = path.join(s.apache.configDir, 'apache2.conf');
    const pidFile = path.join(s.apache.runDir, 'apache2.pid');
    const running = this.node.apply ? await livePid(pidFile) : null;
    await applyFileSet(s.apache.configDir, [{ path: 'apache2.conf', content: renderDbadminApacheMain(s), mode: 0o644 }, { path: 'empty/index.html', content: '', mode: 0o644 }], [],
      this.node.apply ? () => refusedBy('Apache', () => this.exec.run('apache2', ['-t', '-f', conf])) : undefined,
      running ? async () => void process.kill(running, 'SIGUSR1') : undefined); // graceful: open requests finish
    if (!this.node.apply || running) return;
    await this.exec.run('apache2', ['-f', conf, '-k', 'start'], { daemonizes: true, umask: 0o022 });
    await waitUntil('the database admin\'s Apache', async () => !!(await livePid(pidFile)), 30_000);
    this.log.info({ port: s.apache.listenPort }, 'database admin: Apache started');
  }

  /** Stops both services and removes their files, the signed-in sessions with them. */
  private async remove() {
    const spec = dbadminNodeSpec({ revision: 0, server: { id: '', name: '', roles: [] }, dbadmin: { path: '/dbadmin/', key: '' } }, this.node, this.layout);
    if (!existsSync(spec.apache.configDir) && !existsSync(spec.fpm.configDir) && !existsSync(spec.configFile)) return;
    if (this.node.apply) {
      for (const [pidFile, signal] of [[path.join(spec.apache.runDir, 'apache2.pid'), 'SIGTERM'], [spec.fpm.pidFile, 'SIGQUIT']] as const) {
        const pid = await livePid(pidFile);
        if (!pid) continue;
        process.kill(pid, signal);
        await waitUntil(`the database admin's ${signal === 'SIGTERM' ? 'Apache' : 'PHP-FPM'} to stop`, async () => !(await livePid(pidFile)), 30_000);
      }
    }
    for (const d of [spec.apache.configDir, spec.fpm.configDir, path.dirname(spec.configFile), path.dirname(spec.sessionDir), path.dirname(spec.wrapper), path.dirname(spec.socket)]) {
      await rm(d, { recursive: true, force: true });
    }
    this.log.info('database admin: stopped and removed (not asked for on this server)');
  }
}

/** A file only root and `gid` may read (0640 root:gid; 0600 root without a group), swapped atomically when it changes. */
async function writeSecret(file: string, content: string, gid: number | null) {
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
