// Abri's Pure-FTPd process on a web server and its TLS certificate (side effects). It runs in the
// foreground, started detached by the agent, with its own pid file: the machine's FTP service (if
// any) is never touched. Its users' database is re-read at every sign-in, so users change without a
// restart; only a new command line (ports, TLS) or a new certificate restarts the listener (open
// sessions are separate processes and go on). The certificate is the platform's (from the manager)
// when one is issued, else a self-signed one made here; a new one is checked with openssl before it
// replaces the one in use.
import { readFile, readdir, readlink, realpath, rename, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { writeAtomic } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import type { CertificateBundle } from '../node/protocol.js';

/** A process that ended meanwhile (or a kernel thread without a root): nothing to read. */
const gone = (e: NodeJS.ErrnoException) => {
  if (e.code === 'ENOENT' || e.code === 'ESRCH' || e.code === 'EACCES') return '';
  throw e;
};

export type FetchCertificate = (id: string) => Promise<CertificateBundle>;

/**
 * Makes sure certFile holds a usable certificate: the platform's (`wanted`, fetched when its
 * fingerprint changed) or, without one, a self-signed one. Returns what is installed (its
 * fingerprint or "self-signed") and, when the wanted one could not be installed, why.
 */
export async function ensureCertificate(exec: Executor, certFile: string, stateFile: string, wanted: { id: string; fingerprint: string } | null, fetch: FetchCertificate | null, cn: string, usedFor = 'FTPS'): Promise<{ installed: string; error?: string }> {
  const installed = (await readIfExists(stateFile))?.trim() ?? '';
  const present = !!(await lstatIfExists(certFile));
  if (wanted && fetch && installed !== wanted.fingerprint) {
    try {
      const bundle = await fetch(wanted.id);
      const candidate = `${certFile}.new`;
      await writeAtomic(candidate, bundle.pem, 0o600);
      const problem = await certificateProblem(exec, candidate);
      if (problem) {
        await rm(candidate, { force: true });
        throw new Error(problem);
      }
      await rename(candidate, certFile);
      await writeAtomic(stateFile, wanted.fingerprint + '\n', 0o600);
      return { installed: wanted.fingerprint };
    } catch (e) {
      const error = `the platform certificate could not be installed for ${usedFor} (the previous one is kept): ${(e as Error).message}`;
      if (present) return { installed, error };
      await selfSigned(exec, certFile, stateFile, cn);
      return { installed: 'self-signed', error };
    }
  }
  if (present) return { installed };
  await selfSigned(exec, certFile, stateFile, cn);
  return { installed: 'self-signed' };
}

/** Why a PEM (certificate then key) is not usable, or null: both parse and the key is the certificate's. */
async function certificateProblem(exec: Executor, file: string): Promise<string | null> {
  const cert = await exec.run('openssl', ['x509', '-in', file, '-noout', '-pubkey'], { allowFailure: true });
  const key = await exec.run('openssl', ['pkey', '-in', file, '-pubout'], { allowFailure: true });
  if (cert.code !== 0) return `not a certificate: ${cert.stderr.trim().slice(0, 300)}`;
  if (key.code !== 0) return `no private key: ${key.stderr.trim().slice(0, 300)}`;
  return cert.stdout.trim() === key.stdout.trim() ? null : 'the private key is not the certificate\'s';
}

async function selfSigned(exec: Executor, certFile: string, stateFile: string, cn: string): Promise<void> {
  const [key, crt] = [`${certFile}.key.tmp`, `${certFile}.crt.tmp`];
  const name = /^[A-Za-z0-9.-]{1,64}$/.test(cn) ? cn : 'abri-ftp';
  await exec.run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650', '-subj', `/CN=${name}`, '-keyout', key, '-out', crt]);
  try {
    await writeAtomic(certFile, (await readFile(crt, 'utf8')) + (await readFile(key, 'utf8')), 0o600);
  } finally {
    await rm(key, { force: true });
    await rm(crt, { force: true });
  }
  await writeAtomic(stateFile, 'self-signed\n', 0o600);
}

/**
 * The pid of Abri's Pure-FTPd when it runs (the pid written at its start, still that binary), else
 * null. Its command line cannot tell: Pure-FTPd rewrites it ("pure-ftpd (SERVER)").
 */
export async function runningPureFtpd(pidFile: string, binary: string): Promise<number | null> {
  return livePid(pidFile, { exe: await realpath(binary) });
}

const exited = async (pid: number) => !(await lstatIfExists(`/proc/${pid}`)) || /^State:\s+Z/m.test((await readIfExists(`/proc/${pid}/status`)) ?? '');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops the listener (SIGTERM) and waits until it is gone. */
export async function stopPureFtpd(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && !(await exited(pid)); i++) await pause(25);
  if (!(await exited(pid))) throw new Error(`Pure-FTPd (pid ${pid}) did not stop`);
}

const accepts = (host: string, port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect({ host, port });
  s.once('connect', () => (s.destroy(), resolve(true)));
  s.once('error', () => resolve(false));
});

/**
 * Starts Pure-FTPd and returns once it accepts connections; throws with its own words when it exits
 * instead. In the foreground it writes no pid file: the pid is written here (its --pidfile argument
 * stays on its command line, which runningPureFtpd checks).
 */
export async function startPureFtpd(exec: Executor, binary: string, args: string[], bind: string, port: number, logFile: string, pidFile: string): Promise<number> {
  const before = ((await readIfExists(logFile)) ?? '').length;
  const pid = await exec.startDaemon(binary, args, { logFile, umask: 0o022 });
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind === '::' ? '::1' : bind;
  // until it listens or exits (bounded: a server that neither listens nor exits is an error too)
  for (let i = 0; i < 400; i++) {
    if (await exited(pid)) {
      const said = ((await readIfExists(logFile)) ?? '').slice(before).trim().slice(-500);
      throw new Error(`Pure-FTPd exited at start: ${said || 'no message'}`);
    }
    if (await accepts(host, port)) {
      await writeAtomic(pidFile, `${pid}\n`, 0o644);
      return pid;
    }
    await pause(25);
  }
  process.kill(pid, 'SIGTERM');
  throw new Error(`Pure-FTPd did not listen on ${bind}:${port}`);
}

/** Ends the FTP sessions whose chroot is one of these folders (a session's process is chrooted there). */
export async function endFtpSessions(chroots: Set<string>): Promise<number> {
  if (!chroots.size) return 0;
  let ended = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const [comm, root] = await Promise.all([readFile(`/proc/${pid}/comm`, 'utf8').catch(gone), readlink(`/proc/${pid}/root`).catch(gone)]);
    if (comm.trim() !== 'pure-ftpd' || !chroots.has(root)) continue;
    try {
      process.kill(Number(pid), 'SIGTERM');
      ended++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  return ended;
}

export const chrootOf = (chrootDir: string, name: string) => path.join(chrootDir, name, 'files');
