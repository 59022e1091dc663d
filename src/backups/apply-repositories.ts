// The backup server's driver: Abri's own sshd for the hostings' restic repositories (its config,
// host key and pid file; the machine's sshd is never touched), kept equal to the desired accounts.
// Per hosting: a Unix account of its own (bk-<hosting>, its own uid and group: never a web server's
// hosting uid), its one authorized key (root-owned, outside the chroot), and its chroot
// <lib>/chroot/<account> (root, 0755) holding repo/ (the account's, 0700): one hosting's repository is
// a directory that can be moved or deleted alone, and an account reaches nothing but its own.
// Abri never adopts or deletes an account it did not create (its records, as for SFTP users). An
// account no longer wanted loses its key and its account; its repository is moved aside to
// <lib>/removed/ (deleted by staff), never deleted by the agent.
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { ifAbsent } from '../platform/absent.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import { reloadByReexec } from '../platform/wait.js';
import { detailOf, invalid, sortOut, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredState, ObjectProblem } from '../node/protocol.js';
import type { DesiredBackupAccount } from '../node/protocol-backups.js';
import { ACCOUNT } from './rules.js';
import { renderBackupSshd, type BackupSshdSpec } from './render-sshd.js';
import { shadowTool } from '../platform/shadow-tools.js';
import { accountIds } from '../platform/system-accounts.js';

/** Where the driver keeps its files under the node's root. */
export function backupServerPaths(root: string) {
  const etc = path.join(root, 'etc/ssh/abri-backup');
  const lib = path.join(root, 'var/lib/abri/backup-server');
  return {
    etc, config: path.join(etc, 'sshd_config'), hostKey: path.join(etc, 'ssh_host_ed25519_key'), keysDir: path.join(etc, 'keys'),
    lib, chrootDir: path.join(lib, 'chroot'), removed: path.join(lib, 'removed'), records: path.join(lib, 'records.json'), pidFile: path.join(root, 'run/abri/sshd-backup.pid'),
  };
}

const KEY = /^ssh-ed25519 [A-Za-z0-9+/=]{60,100}$/;

function problemOf(a: DesiredBackupAccount): ObjectProblem | null {
  if (!ACCOUNT.test(a.account)) return invalid('backup account', a.account, 'not a name Abri makes (bk-<hosting>)');
  if (!Number.isInteger(a.uid) || a.uid < 1000) return invalid('uid', String(a.uid), 'not an account uid');
  if (!KEY.test(a.publicKey)) return invalid('public key', a.publicKey.slice(0, 30), 'not an Ed25519 public key');
  return null;
}

/** name → uid of a passwd or group file. */
export class BackupServerDriver implements Driver {
  readonly name = 'backup-server';

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly root: string,
    private readonly log: Logger,
  ) {}

  handles(state: DesiredState) {
    return !!state.backupServer;
  }

  private spec(): BackupSshdSpec {
    const p = backupServerPaths(this.root);
    return { bind: this.node.backups.bind, port: this.node.backups.port, hostKey: p.hostKey, pidFile: p.pidFile, keysDir: p.keysDir, chrootDir: p.chrootDir };
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const want = state.backupServer!.accounts;
    const { valid, problems, report, failAll } = sortOut('backup-account', want, (a) => a.hosting, problemOf);
    const p = backupServerPaths(this.root);
    if (!this.node.apply) {
      await ensureDir(p.etc, 0o755);
      await writeAtomic(p.config, renderBackupSshd(this.spec()), 0o644);
      return { objects: report('rendered') };
    }
    try {
      const served = await this.ensureAccounts(valid, problems);
      await this.configure(served > 0);
      return { objects: report('live') };
    } catch (e) {
      failAll({ code: 'server.failed', params: { service: 'sshd (backups)' }, message: 'the backup server could not apply the change; staff see why in the server\'s error' });
      return { objects: report('live'), error: `sshd (backups): ${detailOf(e)}` };
    }
  }

  /** The accounts, keys and chroots of `valid` (problems per hosting), and the removal of those no longer wanted; returns how many are served. */
  private async ensureAccounts(valid: DesiredBackupAccount[], problems: Map<string, ObjectProblem>): Promise<number> {
    const p = backupServerPaths(this.root);
    await mkdir(path.dirname(p.lib), { recursive: true, mode: 0o755 }); // var/lib/abri: others' services go through it
    for (const [d, mode] of [[p.etc, 0o755], [p.keysDir, 0o755], [p.lib, 0o700], [p.chrootDir, 0o755], [p.removed, 0o700], [path.dirname(p.pidFile), 0o755], ['/run/sshd', 0o755]] as const) await ensureDir(d, mode);
    const records = new Map(Object.entries(JSON.parse((await readIfExists(p.records)) ?? '{}') as Record<string, number>));
    const save = () => writeAtomic(p.records, JSON.stringify(Object.fromEntries([...records].sort())) + '\n', 0o600);
    const [{ byName: users }, { byName: groups }] = await Promise.all([accountIds('/etc/passwd'), accountIds('/etc/group')]);
    let served = 0;
    for (const a of valid) {
      try {
        const ours = records.get(a.account) === a.uid;
        if ((users.has(a.account) || groups.has(a.account)) && !(ours && users.get(a.account) === a.uid)) {
          problems.set(a.hosting, { code: 'object.conflict', params: { what: 'backup account', value: a.account }, message: `the account ${a.account} exists and was not created by Abri for this repository: refused, nothing touched` });
          continue;
        }
        if (!users.has(a.account)) {
          records.set(a.account, a.uid);
          await save(); // the record first: an agent killed after useradd still knows the account is Abri's
          if (!groups.has(a.account)) await shadowTool(this.exec, 'groupadd', ['-g', String(a.uid), a.account]);
          await shadowTool(this.exec, 'useradd', ['-u', String(a.uid), '-g', String(a.uid), '-M', '-N', '-d', '/', '-s', '/usr/sbin/nologin', '-c', 'Abri backup repository', '-p', '*', a.account]);
        }
        const chroot = path.join(p.chrootDir, a.account);
        await ensureDir(chroot, 0o755);
        const repo = path.join(chroot, 'repo');
        const st = await lstatIfExists(repo);
        if (st && (st.isSymbolicLink() || !st.isDirectory())) throw new Error(`${repo} is not a directory`);
        await ensureDir(repo, 0o700);
        if (st?.uid !== a.uid) await this.exec.run('chown', ['-R', '-h', `${a.uid}:${a.uid}`, repo]);
        await writeAtomic(path.join(p.keysDir, a.account), `restrict ${a.publicKey} abri-backup\n`, 0o644);
        served++;
      } catch (e) {
        problems.set(a.hosting, { code: 'server.failed', params: { service: 'backup account' }, message: `backup account ${a.account}: ${detailOf(e)}` });
      }
    }
    // no longer wanted: the key and the account go, the repository is moved aside
    const wanted = new Set(valid.map((a) => a.account));
    for (const [account, uid] of [...records]) {
      if (wanted.has(account)) continue;
      try {
        await rm(path.join(p.keysDir, account), { force: true });
        if (users.get(account) === uid) await shadowTool(this.exec, 'userdel', ['-f', account]);
        if (groups.get(account) === uid) await shadowTool(this.exec, 'groupdel', [account], { allowFailure: true });
        const chroot = path.join(p.chrootDir, account);
        if (await lstatIfExists(chroot)) await rename(chroot, path.join(p.removed, `${account}-${new Date().toISOString().replace(/[:.]/g, '')}`));
        records.delete(account);
        this.log.info({ account }, 'backup account removed; its repository moved to removed/');
      } catch (e) {
        this.log.warn({ err: e, account }, `could not remove the backup account ${account}`);
      }
    }
    await save();
    for (const name of await readdir(p.keysDir).catch(ifAbsent([] as string[]))) if (!records.has(name)) await rm(path.join(p.keysDir, name), { force: true });
    return served;
  }

  /** Validates the config, swaps it in and (re)starts sshd; no sshd runs without an account to serve. */
  private async configure(anyone: boolean): Promise<void> {
    const p = backupServerPaths(this.root);
    if (!(await lstatIfExists(p.hostKey))) await this.exec.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'abri-backup', '-f', p.hostKey]);
    const text = renderBackupSshd(this.spec());
    const running = await this.runningPid();
    if (!anyone) {
      if (running) process.kill(running, 'SIGTERM');
      return;
    }
    if (running && (await readIfExists(p.config)) === text) return;
    const candidate = `${p.config}.new`;
    await writeAtomic(candidate, text, 0o644);
    const r = await this.exec.run(this.node.sftp.sshd, ['-t', '-f', candidate], { allowFailure: true });
    if (r.code !== 0) {
      await rm(candidate, { force: true });
      throw new Error(`sshd -t refused the new configuration (the previous one is kept): ${(r.stderr || r.stdout).trim().slice(0, 2000)}`);
    }
    await rename(candidate, p.config);
    if (running) await reloadByReexec('sshd (backups)', running, this.node.backups.port);
    else await this.exec.run(this.node.sftp.sshd, ['-f', p.config]);
    this.log.info({ port: this.node.backups.port }, running ? 'sshd (backups) reloaded' : 'sshd (backups) started');
  }

  /** The pid of Abri's backup sshd when it runs (with this config), else null. */
  private runningPid(): Promise<number | null> {
    const p = backupServerPaths(this.root);
    return livePid(p.pidFile, { cmdline: (args) => args.includes(` ${p.config}`) });
  }

  /** Stops Abri's backup sshd (tests, and a server that lost the role). */
  async stopSshd(): Promise<void> {
    const pid = await this.runningPid();
    if (pid) process.kill(pid, 'SIGTERM');
  }
}
