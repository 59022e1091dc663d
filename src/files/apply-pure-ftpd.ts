// The FTP driver of a web server: Abri's own Pure-FTPd (its command line, users' database, pid file
// and certificate; the machine's FTP service, if any, is never touched) kept equal to the desired FTP
// users. Each user is a virtual user of the puredb with its hosting's uid and gid, chrooted to
// <chrootDir>/<name>/files, a root-owned mount point on which its restriction folder is bind-mounted
// (apply-chroots.ts, shared with SFTP users): a folder the hosting turned into a symlink is refused,
// and a user whose folder is missing has no chroot at all, so Pure-FTPd refuses its sign-in ("home
// directory not available") instead of serving the whole server. The users' file is rebuilt whole
// with `pure-pw mkdb` into a new file, then renamed over the old one: a failure keeps the previous.
import { createHash } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { detailOf, invalid, sortOut, type Driver, type DriverResult } from '../node/driver.js';
import type { NodeLayout } from '../node/layout.js';
import type { DesiredFtpUser, DesiredState, ObjectProblem } from '../node/protocol.js';
import { folderProblem } from './rules.js';
import { isFtpUserName } from './rules-ftp.js';
import { isSha512Crypt } from './sha512-crypt.js';
import { renderFtpUserLine, renderFtpUsers, renderPureFtpdArgs } from './render-pure-ftpd.js';
import { chrootNames, ensureChroot, HostingNotReady, mountPoints, removeChroot, UnsafeFolder } from './apply-chroots.js';
import { chrootOf, endFtpSessions, ensureCertificate, runningPureFtpd, startPureFtpd, stopPureFtpd, type FetchCertificate } from './apply-ftp-service.js';

const refused = (name: string, detail: string): ObjectProblem => ({ code: 'ftp.refused', params: { name, detail }, message: `FTP user ${name}: ${detail}` });
/** The lowest uid Pure-FTPd lets sign in: hosting uids are above; root and system accounts never. */
const MIN_UID = 1000;

/** Where the driver keeps its files under the node's root. */
export function ftpPaths(root: string) {
  const etc = path.join(root, 'etc/abri/pure-ftpd');
  const lib = path.join(root, 'var/lib/abri/ftp');
  return {
    etc, passwd: path.join(etc, 'passwd'), puredb: path.join(etc, 'pureftpd.pdb'), cert: path.join(etc, 'pure-ftpd.pem'), certState: path.join(etc, 'certificate'),
    running: path.join(etc, 'running.json'), lib, chrootDir: path.join(lib, 'chroot'), mounts: path.join(lib, 'mounts.json'),
    pidFile: path.join(root, 'run/abri/pure-ftpd.pid'), logFile: path.join(root, 'var/log/abri/pure-ftpd.log'),
  };
}

/** Why a desired user cannot be served as sent (null: it can). */
function problemOf(u: DesiredFtpUser): ObjectProblem | null {
  if (!isFtpUserName(u.name)) return invalid('FTP user name', u.name, 'not a name Abri makes (<hosting>-<a-z0-9>, at most 32 characters)');
  const folder = folderProblem(u.folder);
  if (folder) return invalid('folder', u.folder, folder);
  if (!isSha512Crypt(u.passwordHash)) return invalid('password hash', u.name, 'not a SHA-512 crypt string');
  if (!path.posix.isAbsolute(u.home) || path.posix.normalize(u.home) !== u.home || path.posix.basename(u.home) !== u.hosting) return invalid('home', u.home, 'not a hosting home');
  if (!Number.isInteger(u.uid) || u.uid < MIN_UID) return invalid('uid', String(u.uid), 'not a hosting uid');
  return null;
}

/** What a user is, as far as its open sessions are concerned: a change ends them. */
const signature = (u: DesiredFtpUser) => createHash('sha256').update(JSON.stringify([u.active, u.uid, u.home, u.folder, u.passwordHash])).digest('hex');

export class FtpDriver implements Driver {
  readonly name = 'ftp';
  private readonly signatures = new Map<string, string>();

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
    private readonly fetchCertificate: FetchCertificate | null = null,
  ) {}

  handles(state: DesiredState) {
    return !!state.ftp;
  }

  private line(u: DesiredFtpUser): string {
    return renderFtpUserLine({ name: u.name, passwordHash: u.passwordHash, uid: u.uid, chroot: chrootOf(ftpPaths(this.layout.root).chrootDir, u.name), start: u.folder === '' ? 'var/www' : '' }, MIN_UID);
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const want = state.ftp!.users;
    const { valid, problems, report, failAll } = sortOut('ftp-user', want, (u) => u.id, problemOf);
    if (!this.node.apply) {
      const p = ftpPaths(this.layout.root);
      await ensureDir(p.etc, 0o755);
      await writeAtomic(p.passwd, this.users(valid.filter((u) => u.active), problems), 0o600);
      return { objects: report('rendered') };
    }
    try {
      const error = await this.apply(state, valid, problems);
      return { objects: report('live'), ...(error ? { error } : {}) };
    } catch (e) {
      failAll({ code: 'server.failed', params: { service: 'Pure-FTPd' }, message: 'the web server could not apply the FTP change; staff see why in the server\'s error' });
      return { objects: report('live'), error: `Pure-FTPd: ${detailOf(e)}` };
    }
  }

  /** The users' file; a user whose line cannot be written is left out and reported. */
  private users(served: DesiredFtpUser[], problems: Map<string, ObjectProblem>): string {
    const lines: string[] = [];
    for (const u of served) {
      try {
        lines.push(this.line(u));
      } catch (e) {
        problems.set(u.id, invalid('FTP user', u.name, (e as Error).message));
      }
    }
    return renderFtpUsers(lines);
  }

  /** Returns a node-wide complaint that did not stop the users being served (a certificate not installed). */
  private async apply(state: DesiredState, valid: DesiredFtpUser[], problems: Map<string, ObjectProblem>): Promise<string | undefined> {
    const p = ftpPaths(this.layout.root);
    const running = await runningPureFtpd(p.pidFile, this.node.ftp.pureFtpd);
    // a web server that never had FTP users runs no Pure-FTPd of Abri's
    if (!valid.length && !(await lstatIfExists(p.mounts)) && !running) return undefined;
    for (const d of [p.etc, p.lib, p.chrootDir, path.dirname(p.pidFile), path.dirname(p.logFile)]) await ensureDir(d, d === p.etc ? 0o700 : 0o755);
    const mounts = new Map(Object.entries(JSON.parse((await readIfExists(p.mounts)) ?? '{}') as Record<string, string>));
    const saveMounts = () => writeAtomic(p.mounts, JSON.stringify(Object.fromEntries([...mounts].sort(([a], [b]) => a.localeCompare(b)))) + '\n', 0o600);
    const byName = new Map(valid.map((u) => [u.name, u]));

    // sessions of users that changed or went end (a new password, folder, a disabled user)
    const changed = new Set<string>();
    for (const [name, sig] of this.signatures) {
      const u = byName.get(name);
      if (!u || signature(u) !== sig) changed.add(chrootOf(p.chrootDir, name));
    }
    await endFtpSessions(changed);

    const mounted = await mountPoints();
    const served: DesiredFtpUser[] = [];
    for (const u of valid) {
      try {
        if (!u.active) {
          await removeChroot(this.exec, p.chrootDir, u.name, mounted);
          mounts.delete(u.name);
          continue;
        }
        await ensureChroot(this.exec, p.chrootDir, u, mounted, mounts.get(u.name) !== u.folder);
        mounts.set(u.name, u.folder);
        served.push(u);
      } catch (e) {
        // no chroot left behind: Pure-FTPd refuses a user whose home is missing
        await endFtpSessions(new Set([chrootOf(p.chrootDir, u.name)]));
        await removeChroot(this.exec, p.chrootDir, u.name, await mountPoints());
        mounts.delete(u.name);
        problems.set(u.id, e instanceof UnsafeFolder ? { code: 'ftp.folder_unsafe', params: { folder: u.folder, detail: e.message }, message: `folder ${u.folder}: ${e.message}` }
          : e instanceof HostingNotReady ? { code: 'ftp.hosting_not_ready', params: { hosting: u.hosting }, message: e.message }
            : refused(u.name, detailOf(e)));
      }
    }
    await saveMounts();

    // the users' database first: a user no longer wanted cannot sign in from here on
    await this.writeDatabase(this.users(served, problems));

    const gone = new Set([...mounts.keys(), ...(await chrootNames(p.chrootDir))].filter((n) => !byName.has(n)));
    await endFtpSessions(new Set([...gone].map((n) => chrootOf(p.chrootDir, n))));
    for (const name of gone) {
      try {
        await removeChroot(this.exec, p.chrootDir, name, mounted);
        mounts.delete(name);
      } catch (e) {
        this.log.warn({ err: e, user: name }, 'could not remove the chroot of an FTP user no longer wanted');
      }
    }
    await saveMounts();
    this.signatures.clear();
    for (const u of valid) this.signatures.set(u.name, signature(u));
    return this.serve(state, served.length > 0, running);
  }

  /** pure-pw mkdb into a new file, renamed over the one Pure-FTPd reads (the previous stays on failure). */
  private async writeDatabase(text: string): Promise<void> {
    const p = ftpPaths(this.layout.root);
    if ((await readIfExists(p.passwd)) === text && (await lstatIfExists(p.puredb))) return;
    const [passwd, pdb] = [`${p.passwd}.new`, `${p.puredb}.new`];
    await writeAtomic(passwd, text, 0o600);
    await rm(pdb, { force: true });
    await this.exec.run(this.node.ftp.pureFtpdPw, ['mkdb', pdb, '-f', passwd]);
    await rename(pdb, p.puredb);
    await rename(passwd, p.passwd);
  }

  /** Starts, restarts (new command line or certificate) or stops Abri's Pure-FTPd. */
  private async serve(state: DesiredState, anyone: boolean, running: number | null): Promise<string | undefined> {
    const p = ftpPaths(this.layout.root);
    if (!anyone) {
      if (running) await stopPureFtpd(running); // nobody to serve: no listener for nothing
      return undefined;
    }
    const s = this.node.ftp;
    const cert = await ensureCertificate(this.exec, p.cert, p.certState, state.ftp!.certificate, this.fetchCertificate, state.server.name);
    const args = renderPureFtpdArgs({ bind: s.bind, port: s.port, passive: s.passive, passiveIp: s.passiveIp, tls: s.tls, certFile: p.cert, puredb: p.puredb, pidFile: p.pidFile, minUid: MIN_UID });
    const identity = JSON.stringify({ binary: s.pureFtpd, args, bind: s.bind, port: s.port, certificate: cert.installed });
    const previous = await readIfExists(p.running);
    if (running && previous === identity) return cert.error;
    if (running) await stopPureFtpd(running);
    try {
      await startPureFtpd(this.exec, s.pureFtpd, args, s.bind, s.port, p.logFile, p.pidFile);
    } catch (e) {
      // the previous command line comes back (the same certificate file: it was checked before it was swapped in)
      const before = previous ? (JSON.parse(previous) as { binary: string; args: string[]; bind: string; port: number }) : null;
      if (running && before) await startPureFtpd(this.exec, before.binary, before.args, before.bind, before.port, p.logFile, p.pidFile).catch((again: unknown) => this.log.error({ err: again }, 'the previous Pure-FTPd could not start again'));
      throw e;
    }
    await writeAtomic(p.running, identity, 0o600);
    this.log.info({ port: s.port, certificate: cert.installed }, 'Pure-FTPd started');
    return cert.error;
  }
}
