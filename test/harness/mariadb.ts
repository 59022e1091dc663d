// A throw-away MariaDB server (Debian's mariadbd) in a temp datadir: root is authenticated by the
// unix socket (as the agent connects in production), customers connect over TCP on 127.0.0.1.
// Ports come from a fixed range no other test uses (13306–13355, below the kernel's ephemeral
// ports, so no free-port probe of another test can take ours meanwhile).
import { type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import mariadb, { type Connection } from 'mariadb';
import { findExecutable, run, startProcess, stopProcess, track } from './run.js';

export const MARIADB_PORTS = { first: 13306, last: 13355 };

export interface TestMariadb {
  dir: string;
  socket: string;
  port: number;
  /** a connection as root over the socket (close it) */
  root(): Promise<Connection>;
  /** a customer's connection over TCP, as PHP makes it */
  connectAs(user: string, password: string, database?: string): Promise<Connection>;
  stop(): Promise<void>;
}

/** What is missing to run MariaDB here (empty: it can run). */
export function missingMariadb(): string[] {
  const missing = ['mariadbd', 'mariadb-install-db'].filter((b) => !findExecutable(b));
  if (process.getuid?.() !== 0) missing.push('root (mariadbd runs as root in tests)');
  return missing;
}

const portFree = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.createServer();
  s.unref();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

export async function startMariadb(): Promise<TestMariadb> {
  const dir = await mkdtemp('/tmp/abri-mariadb-');
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const log = path.join(dir, 'error.log');
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (child) await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const small = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db', ...small], { timeoutMs: 120_000 });
    for (let port = MARIADB_PORTS.first; port <= MARIADB_PORTS.last; port++) {
      if (!(await portFree(port))) continue;
      child = startProcess('mariadbd', [
        '--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', '--user=root',
        `--pid-file=${path.join(dir, 'mysqld.pid')}`, `--log-error=${log}`, '--skip-log-bin', '--skip-name-resolve', '--performance-schema=OFF', ...small,
      ], { logFile: path.join(dir, 'stdout.log') });
      track(child.pid);
      if (await ready(child, socket)) {
        return {
          dir, socket, port, stop,
          root: () => mariadb.createConnection({ socketPath: socket, user: 'root' }),
          connectAs: (user, password, database) => mariadb.createConnection({ host: '127.0.0.1', port, user, password, database, connectTimeout: 5000 }),
        };
      }
      await stopProcess(child);
      child = null;
      // taken by something that started meanwhile: try the next port; anything else is a failure
      if (!/Address already in use|Can't start server: Bind/.test(await readFile(log, 'utf8').catch(() => ''))) break;
    }
    throw new Error(`mariadbd did not start; see ${log}:\n${(await readFile(log, 'utf8').catch(() => '')).slice(-2000)}`);
  } catch (e) {
    await stop().catch((err: unknown) => console.error('stopping the test MariaDB failed:', err));
    throw e;
  }
}

/** Waits until the server answers on its socket (true), or exits (false). */
async function ready(child: ChildProcess, socket: string, timeoutMs = 60_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const c = await mariadb.createConnection({ socketPath: socket, user: 'root', connectTimeout: 1000 });
      await c.end();
      return true;
    } catch (e) {
      // not listening yet (no socket file, or refused)
      if (!/ENOENT|ECONNREFUSED|connect/i.test((e as Error).message)) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for mariadbd');
}
