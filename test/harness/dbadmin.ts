// A throw-away web database admin: Debian's Adminer behind Abri's sign-on wrapper, in a PHP-FPM pool
// of its own (as nobody: the dedicated user of a real install is abri-dbadmin) behind an Apache of
// its own on a loopback port, with the files src/databases/render-dbadmin.ts renders.
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { findExecutable, startProcess, stopProcess, track } from './run.js';
import { renderDbadminApache, renderDbadminConfig, renderDbadminPool, type DbadminSpec } from '../../src/databases/render-dbadmin.js';

export const ADMINER = '/usr/share/adminer/adminer.php';
const FPM = '/usr/sbin/php-fpm8.2';

export function missingDbadmin(): string[] {
  const missing = [FPM, ADMINER, '/usr/lib/php/20220829/mysqli.so'].filter((f) => !existsSync(f));
  if (!findExecutable('apache2')) missing.push('apache2');
  if (process.getuid?.() !== 0) missing.push('root');
  return missing;
}

export const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});

async function waitFor(what: string, ok: () => Promise<boolean>, child: ChildProcess, log: string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start:\n${(await readFile(log, 'utf8').catch(() => '')).slice(-2000)}`);
}

export interface TestDbadmin { url: string; dir: string; stop(): Promise<void> }

/** Starts the pool and Apache serving Adminer at http://127.0.0.1:<port>/dbadmin/, exchanging tickets with `manager`. */
export async function startDbadmin(opts: { port: number; manager: string; key: string }): Promise<TestDbadmin> {
  const dir = await mkdtemp('/tmp/abri-dbadmin-');
  await chmod(dir, 0o755);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children.reverse()) await stopProcess(c);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const spec: DbadminSpec = {
      user: 'nobody', group: 'nogroup', webUser: 'www-data', socket: path.join(dir, 'fpm.sock'), wrapper: path.join(dir, 'app', 'index.php'),
      configFile: path.join(dir, 'dbadmin.php'), sessionDir: path.join(dir, 'sessions'), tmpDir: path.join(dir, 'tmp'), urlPath: '/dbadmin/',
    };
    await mkdir(path.dirname(spec.wrapper), { mode: 0o755 });
    await copyFile(new URL('../../src/databases/dbadmin/index.php', import.meta.url), spec.wrapper);
    await chmod(spec.wrapper, 0o644);
    for (const d of [spec.sessionDir, spec.tmpDir]) {
      await mkdir(d, { mode: 0o700 });
      await chown(d, 65534, 65534);
    }
    await writeFile(spec.configFile, renderDbadminConfig(opts.manager, opts.key), { mode: 0o640 });
    await chown(spec.configFile, 0, 65534);
    const fpmConf = path.join(dir, 'fpm.conf');
    const fpmLog = path.join(dir, 'fpm.log');
    await writeFile(fpmConf, `[global]\npid = ${dir}/fpm.pid\nerror_log = ${fpmLog}\ndaemonize = no\n\n${renderDbadminPool(spec)}`);
    const fpm = startProcess(FPM, ['--nodaemonize', '--fpm-config', fpmConf], { logFile: path.join(dir, 'fpm.out') });
    track(fpm.pid);
    children.push(fpm);
    await waitFor('php-fpm', async () => existsSync(spec.socket), fpm, fpmLog);
    const mods = '/usr/lib/apache2/modules';
    const apacheConf = path.join(dir, 'apache.conf');
    const apacheLog = path.join(dir, 'apache-error.log');
    await mkdir(path.join(dir, 'www'), { mode: 0o755 });
    await writeFile(apacheConf, [
      `ServerRoot ${dir}`, `PidFile ${dir}/apache.pid`, `DefaultRuntimeDir ${dir}`, `Mutex file:${dir}`, `Listen 127.0.0.1:${opts.port}`, 'ServerName 127.0.0.1',
      ...['mpm_event', 'authz_core', 'headers', 'proxy', 'proxy_fcgi'].map((m) => `LoadModule ${m}_module ${mods}/mod_${m}.so`),
      'User www-data', 'Group www-data', `ErrorLog ${apacheLog}`, 'LogLevel warn', `DocumentRoot ${dir}/www`,
      renderDbadminApache(spec),
    ].join('\n'));
    const apache = startProcess('apache2', ['-f', apacheConf, '-DFOREGROUND'], { logFile: path.join(dir, 'apache.out') });
    track(apache.pid);
    children.push(apache);
    const url = `http://127.0.0.1:${opts.port}/dbadmin/`;
    await waitFor('apache2', async () => (await fetch(url).catch(() => null))?.status === 200, apache, apacheLog);
    return { url, dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
