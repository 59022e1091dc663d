// Abri's Postfix and Dovecot on a mail server (side effects): where their files live under the
// node's root, their checks (`postfix check`, `doveconf -n`), start, graceful reload (`postfix
// reload`, `dovecot reload`: open connections go on with the processes that hold them) and stop,
// and the usage Dovecot counts for each mailbox. Both run as instances of their own (own config,
// queue, data and base directories, own pid files): the machine's own MTA or IMAP server is never
// touched.
import { chown, lstat, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Executor } from '../platform/executor.js';
import { ensureDir, type FileChanges } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import { systemGroup, systemUser } from '../platform/system-accounts.js';
import { ifAbsent } from '../platform/absent.js';
import type { MailNodeSpec } from './render-postfix.js';

export function mailPaths(root: string): MailNodeSpec['paths'] & { certState: string; launchLog: string } {
  const p = (...parts: string[]) => path.join(root, ...parts);
  return {
    postfixDir: p('etc/abri/postfix'), queueDir: p('var/spool/abri/postfix'), dataDir: p('var/lib/abri/postfix'),
    dovecotDir: p('etc/abri/dovecot'), baseDir: p('run/abri/dovecot'), vmailDir: p('var/lib/abri/vmail'), sieveDir: p('var/lib/abri/sieve'),
    certFile: p('etc/abri/mail/mail.pem'), certState: p('etc/abri/mail/certificate'),
    postfixLog: p('var/log/abri/postfix.log'), dovecotLog: p('var/log/abri/dovecot.log'), launchLog: p('var/log/abri/mail-launch.log'),
  };
}

type Paths = ReturnType<typeof mailPaths>;

/**
 * The directories, with the owners the services expect (Postfix's data directory is its own; Dovecot's
 * auth reads the user files through its group); an owner is changed only when it is not the one wanted.
 */
export async function ensureMailDirs(p: Paths): Promise<void> {
  const [postfix, dovecot] = await Promise.all([systemUser('postfix'), systemGroup('dovecot')]);
  if (!postfix || dovecot === null) throw new Error(`there is no ${postfix ? 'dovecot group' : 'postfix user'} on this machine`);
  // parents first, reachable by the services' unprivileged processes (ensureDir gives new parents the mode it is given)
  for (const d of [p.postfixDir, p.queueDir, path.dirname(p.certFile), p.baseDir, path.dirname(p.postfixLog), path.dirname(p.dataDir), path.dirname(p.dovecotDir), path.dirname(p.vmailDir)]) await ensureDir(d, 0o755);
  await ensureDir(p.dataDir, 0o700);
  await ownedBy(p.dataDir, postfix.uid, postfix.gid);
  // new files inside take the directory's group (setgid): the password files are root:dovecot 0640
  await ensureDir(p.dovecotDir, 0o2750);
  await ownedBy(p.dovecotDir, (await stat(p.dovecotDir)).uid, dovecot);
  await ensureDir(p.vmailDir, 0o711);
  await ensureDir(p.sieveDir, 0o711);
}

async function ownedBy(dir: string, uid: number, gid: number): Promise<void> {
  const st = await stat(dir);
  if (st.uid !== uid || st.gid !== gid) await chown(dir, uid, gid);
}

/**
 * The vmail directory of a hosting, owned by its uid (0700): its mailboxes' homes are made inside by
 * Dovecot as that uid. Anything else in its place (a symlink, a file) is refused.
 */
export async function ensureHostingVmail(vmailDir: string, hosting: string, uid: number): Promise<void> {
  const dir = path.join(vmailDir, hosting);
  const st = await lstatIfExists(dir);
  if (!st) await mkdir(dir, { mode: 0o700 });
  else if (!st.isDirectory() || st.isSymbolicLink()) throw new Error(`${dir} is not a directory`);
  const now = await lstat(dir);
  if (now.uid !== uid || now.gid !== uid) await chown(dir, uid, uid);
}

const tail = async (file: string, from: number) => ((await readIfExists(file)) ?? '').slice(from).trim().slice(-1500);
const size = async (file: string) => ((await readIfExists(file)) ?? '').length;

/**
 * The files `postfix check` and `doveconf -n` read. The lookup tables and password files beside them
 * are read whole by the daemons at each reload (texthash, passwd-file), never by those checks, and
 * their lines are checked as they are rendered: a change of those alone (a mailbox, an alias) needs
 * no check, only the reload (`postfix check` runs some 50 programs: 0.6 s on an idle machine).
 */
const SETTINGS = { postfix: ['main.cf', 'master.cf'], dovecot: ['dovecot.conf'] };
const touches = (changes: FileChanges | undefined, files: string[]) => !changes || [...changes.changed, ...changes.removed].some((f) => files.includes(f));

export class MailServices {
  constructor(private readonly exec: Executor, private readonly postfix: string, private readonly dovecot: string, private readonly p: Paths) {}

  private get dovecotConf() {
    return path.join(this.p.dovecotDir, 'dovecot.conf');
  }

  /** `postfix check` logs its complaints to the instance's log, not to its output. Run when `changes` touch its settings (or are not given). */
  async checkPostfix(changes?: FileChanges): Promise<void> {
    if (!touches(changes, SETTINGS.postfix)) return;
    const from = await size(this.p.postfixLog);
    const r = await this.exec.run(this.postfix, ['-c', this.p.postfixDir, 'check'], { allowFailure: true });
    if (r.code !== 0) throw new Error(`postfix check refused the configuration: ${(await tail(this.p.postfixLog, from)) || r.stderr.trim() || `exit ${r.code}`}`);
  }

  async checkDovecot(changes?: FileChanges): Promise<void> {
    if (!touches(changes, SETTINGS.dovecot)) return;
    const r = await this.exec.run('doveconf', ['-c', this.dovecotConf, '-n'], { allowFailure: true });
    if (r.code !== 0) throw new Error(`doveconf refused the configuration: ${r.stderr.trim().slice(0, 1500)}`);
  }

  /**
   * Whether the instance's master runs: its pid file names a live `master` working in the instance's
   * queue directory (Postfix's master works there; the machine's own Postfix, another `master`,
   * works in its own). As `postfix status` tells, without the four programs it runs for it.
   */
  async postfixRunning(): Promise<boolean> {
    const pid = await livePid(path.join(this.p.queueDir, 'pid/master.pid'), { comm: 'master' });
    if (pid === null) return false;
    const [cwd, queue] = await Promise.all([stat(`/proc/${pid}/cwd`).catch(ifAbsent(null)), stat(this.p.queueDir).catch(ifAbsent(null))]);
    return cwd !== null && queue !== null && cwd.dev === queue.dev && cwd.ino === queue.ino;
  }

  async dovecotRunning(): Promise<boolean> {
    return (await livePid(path.join(this.p.baseDir, 'master.pid'), { comm: 'dovecot' })) !== null;
  }

  /** Starts what is not running (Dovecot first: Postfix hands it mail and asks it about passwords and quotas). */
  async start(): Promise<void> {
    if (!(await this.dovecotRunning())) await this.launch(this.dovecot, ['-c', this.dovecotConf], this.p.dovecotLog);
    if (!(await this.postfixRunning())) await this.launch(this.postfix, ['-c', this.p.postfixDir, 'start'], this.p.postfixLog);
  }

  /** Graceful: open connections go on with the processes that hold them, new ones get the new configuration. */
  async reloadDovecot(): Promise<void> {
    await this.exec.run(this.dovecot, ['-c', this.dovecotConf, 'reload']);
  }

  async reloadPostfix(): Promise<void> {
    await this.exec.run(this.postfix, ['-c', this.p.postfixDir, 'reload']);
  }

  private async launch(cmd: string, args: string[], log: string): Promise<void> {
    const from = await size(log);
    const r = await this.exec.run(cmd, args, { daemonizes: true, umask: 0o022, allowFailure: true });
    if (r.code !== 0) throw new Error(`${path.basename(cmd)} did not start: ${(await tail(log, from)) || r.stderr.trim() || `exit ${r.code}`}`);
  }

  async stop(): Promise<void> {
    if (await this.postfixRunning()) await this.exec.run(this.postfix, ['-c', this.p.postfixDir, 'stop']);
    if (await this.dovecotRunning()) {
      // shutdown_clients = no keeps sessions across reloads, and so across a stop: end them first
      await this.kick(['*']);
      await this.exec.run(this.dovecot, ['-c', this.dovecotConf, 'stop']);
    }
  }

  /** Ends the open IMAP/POP3/ManageSieve sessions of these users (`*`: everyone); a failure is logged by the caller. */
  async kick(users: string[]): Promise<void> {
    for (const user of users) {
      const r = await this.exec.run('doveadm', ['-c', this.dovecotConf, 'kick', user], { allowFailure: true });
      // exit 68 (EX_NOUSER): nobody of that name was signed in
      if (r.code !== 0 && r.code !== 68) throw new Error(`doveadm kick ${user}: ${r.stderr.trim() || `exit ${r.code}`}`);
    }
  }

  /** What each mailbox holds, in bytes, as Dovecot's quota counts it (address → bytes). */
  async usage(): Promise<Map<string, number>> {
    const r = await this.exec.run('doveadm', ['-c', this.dovecotConf, '-f', 'tab', 'quota', 'get', '-A']);
    const out = new Map<string, number>();
    for (const line of r.stdout.split('\n').slice(1)) {
      const [user, , type, value] = line.split('\t');
      if (user && type === 'STORAGE' && /^\d+$/.test(value ?? '')) out.set(user, Number(value) * 1024);
    }
    return out;
  }
}
