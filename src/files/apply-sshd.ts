// The SFTP driver of a web server: Abri's own sshd (its config, host key, pid file; the machine's
// sshd is never touched) kept equal to the desired SFTP users. Per user: its Unix account (the
// hosting's uid), its authorized keys (root-owned, outside the chroot), its chroot with its folder
// bind-mounted, its Match block. The new config is checked with `sshd -t` before it replaces the
// running one, then sshd is reloaded (SIGHUP: open sessions go on). A user whose block sshd refuses
// is left out and reported; the others are served; a config that still fails keeps the previous one.
// A shell user has no chroot: its login shell (apply-shells.ts) enters the hosting's jail.
import { createHash } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { NodeSettings } from '../platform/config.js';
import type { Executor } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { livePid } from '../platform/pid-file.js';
import { reloadByReexec } from '../platform/wait.js';
import { detailOf, invalid, sortOut, type Driver, type DriverResult } from '../node/driver.js';
import type { NodeLayout } from '../node/layout.js';
import type { DesiredSftpUser, DesiredState, ObjectProblem } from '../node/protocol.js';
import { authorizedKeyLine, folderProblem, isSftpUserName, startDirectory } from './rules.js';
import { isSha512Crypt } from './sha512-crypt.js';
import { renderSshdConfig, renderUserBlock, type SshdSpec } from './render-sshd.js';
import { deleteSftpAccount, ensureSftpAccounts, NOLOGIN, SftpRecords } from './apply-sftp-accounts.js';
import { ensureShells } from './apply-shells.js';
import { jailAvailable } from '../jail/apply-jail.js';
import { chrootNames, endSessions, ensureChroot, HostingNotReady, mountPoints, removeChroot, UnsafeFolder } from './apply-chroots.js';

const refused = (name: string, detail: string): ObjectProblem => ({ code: 'sftp.refused', params: { name, detail }, message: `SFTP user ${name}: ${detail}` });

/** Where the driver keeps its files under the node's root. */
export function sftpPaths(root: string) {
  const etc = path.join(root, 'etc/ssh/abri');
  const lib = path.join(root, 'var/lib/abri/sftp');
  return {
    etc, config: path.join(etc, 'sshd_config'), hostKey: path.join(etc, 'ssh_host_ed25519_key'), keysDir: path.join(etc, 'keys'),
    lib, chrootDir: path.join(lib, 'chroot'), records: path.join(lib, 'records.json'), pidFile: path.join(root, 'run/abri/sshd-sftp.pid'),
  };
}

/** Why a desired user cannot be served as sent (null: it can). */
function problemOf(u: DesiredSftpUser): ObjectProblem | null {
  if (!isSftpUserName(u.name)) return invalid('SFTP user name', u.name, 'not a name Abri makes (<hosting>-<a-z0-9>, at most 32 characters)');
  const folder = folderProblem(u.folder);
  if (folder) return invalid('folder', u.folder, folder);
  if (u.passwordHash !== null && !isSha512Crypt(u.passwordHash)) return invalid('password hash', u.name, 'not a SHA-512 crypt string');
  if (!path.posix.isAbsolute(u.home) || path.posix.normalize(u.home) !== u.home || path.posix.basename(u.home) !== u.hosting) return invalid('home', u.home, 'not a hosting home');
  if (!Number.isInteger(u.uid) || u.uid < 1000) return invalid('uid', String(u.uid), 'not a hosting uid');
  for (const k of u.keys) {
    try {
      authorizedKeyLine(k);
    } catch (e) {
      return invalid('public key', `${k.type} ${k.blob.slice(0, 20)}…`, (e as Error).message);
    }
  }
  return null;
}

export class SftpDriver implements Driver {
  readonly name = 'sftp';
  /** what each user was at the last apply: a change ends its open sessions */
  private readonly signatures = new Map<string, string>();

  constructor(
    private readonly exec: Executor,
    private readonly node: NodeSettings,
    private readonly layout: NodeLayout,
    private readonly log: Logger,
  ) {}

  handles(state: DesiredState) {
    return !!state.sftp;
  }

  private spec(users: SshdSpec['users']): SshdSpec {
    const p = sftpPaths(this.layout.root);
    return { bind: this.node.sftp.bind, port: this.node.sftp.port, hostKey: p.hostKey, pidFile: p.pidFile, keysDir: p.keysDir, chrootDir: p.chrootDir, users };
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const want = state.sftp!.users;
    const { valid, problems, report, failAll } = sortOut('sftp-user', want, (u) => u.id, problemOf);
    const active = valid.filter(canSignIn);
    const blockOf = (u: DesiredSftpUser) => this.blockOf(u);
    if (!this.node.apply) {
      const p = sftpPaths(this.layout.root);
      await ensureDir(p.etc, 0o755);
      await writeAtomic(p.config, this.render(active.map(blockOf), problems, active), 0o644);
      return { objects: report('rendered') };
    }
    try {
      await this.apply(valid, problems);
      return { objects: report('live') };
    } catch (e) {
      failAll({ code: 'server.failed', params: { service: 'sshd (SFTP)' }, message: 'the web server could not apply the SFTP change; staff see why in the server\'s error' });
      return { objects: report('live'), error: `sshd (SFTP): ${detailOf(e)}` };
    }
  }

  private blockOf(u: DesiredSftpUser): SshdSpec['users'][number] {
    return { name: u.name, password: u.passwordHash !== null, keys: u.keys.length > 0, start: startDirectory(u.folder) };
  }

  /** The config with these users' blocks; a block that cannot be rendered is left out and reported. */
  private render(blocks: SshdSpec['users'], problems: Map<string, ObjectProblem>, users: DesiredSftpUser[]): string {
    const spec = this.spec(blocks);
    const rendered: string[] = [];
    for (const [i, b] of blocks.entries()) {
      try {
        rendered.push(renderUserBlock(spec, b));
      } catch (e) {
        problems.set(users[i]!.id, invalid('SFTP user', b.name, (e as Error).message));
      }
    }
    return renderSshdConfig(spec, rendered);
  }

  private async apply(valid: DesiredSftpUser[], problems: Map<string, ObjectProblem>): Promise<void> {
    const p = sftpPaths(this.layout.root);
    // a web server that never had SFTP users runs no sshd of Abri's
    if (!valid.length && !(await lstatIfExists(p.records)) && !(await this.runningPid(p.pidFile, p.config))) return;
    for (const [d, mode] of [[p.etc, 0o755], [p.keysDir, 0o755], [p.lib, 0o755], [p.chrootDir, 0o755], [path.dirname(p.pidFile), 0o755], ['/run/sshd', 0o755]] as const) await ensureDir(d, mode);
    if (!(await lstatIfExists(p.hostKey))) await this.exec.run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'abri-sftp', '-f', p.hostKey]);
    const store = new SftpRecords(p.records);
    const records = await store.read();
    const save = () => store.write(records);
    const byName = new Map(valid.map((u) => [u.name, u]));

    // sessions of users that changed (or went) end: a disabled user, a removed key or password, a new folder
    const changed = new Set<string>();
    for (const [name, sig] of this.signatures) {
      const u = byName.get(name);
      if (!u || signature(u) !== sig) changed.add(name);
    }
    await endSessions(changed);

    // shell users: their jails and scripts (none without bubblewrap: those users are left out and reported)
    const wantShell = valid.filter((u) => u.shell && canSignIn(u));
    const noJail = wantShell.length && !(await jailAvailable());
    if (noJail) for (const u of wantShell) problems.set(u.id, refused(u.name, 'bubblewrap (bwrap) is not installed on this web server: no shell'));
    const scripts = await ensureShells(this.layout.root, noJail ? [] : wantShell);
    const accountProblems = await ensureSftpAccounts(this.exec, valid.filter((u) => !(noJail && wantShell.includes(u))).map((u) => ({
      name: u.name, uid: u.uid, shadow: canSignIn(u) ? (u.passwordHash ?? '*') : '!', shell: scripts.get(u.name) ?? NOLOGIN,
    })), records, save);
    for (const [name, detail] of accountProblems) {
      const u = byName.get(name)!;
      problems.set(u.id, detail.startsWith('not_ours:')
        ? { code: 'sftp.account_not_ours', params: { name }, message: detail.slice('not_ours:'.length) }
        : refused(name, detail.slice('failed:'.length)));
    }
    const mounted = await mountPoints();
    const served: DesiredSftpUser[] = [];
    for (const u of valid) {
      if (accountProblems.has(u.name) || problems.has(u.id)) continue;
      const keysFile = path.join(p.keysDir, u.name);
      try {
        if (!canSignIn(u)) {
          await rm(keysFile, { force: true });
          await removeChroot(this.exec, p.chrootDir, u.name, mounted);
          records.set(u.name, { ...records.get(u.name)!, folder: null });
          continue;
        }
        if (u.keys.length) await writeAtomic(keysFile, u.keys.map((k) => authorizedKeyLine(k, scripts.has(u.name))).join('\n') + '\n', 0o644);
        else await rm(keysFile, { force: true });
        const record = records.get(u.name)!;
        if (scripts.has(u.name)) {
          // its jail is its shell: no chroot
          await removeChroot(this.exec, p.chrootDir, u.name, mounted);
          records.set(u.name, { ...record, folder: null });
          served.push(u);
          continue;
        }
        await ensureChroot(this.exec, p.chrootDir, u, mounted, record.folder !== u.folder);
        records.set(u.name, { ...record, folder: u.folder });
        served.push(u);
      } catch (e) {
        await rm(keysFile, { force: true });
        problems.set(u.id, e instanceof UnsafeFolder ? { code: 'sftp.folder_unsafe', params: { folder: u.folder, detail: e.message }, message: `folder ${u.folder}: ${e.message}` }
          : e instanceof HostingNotReady ? { code: 'sftp.hosting_not_ready', params: { hosting: u.hosting }, message: e.message }
            : refused(u.name, detailOf(e)));
      }
    }
    await save();

    // no longer wanted: accounts, keys and chroots Abri made
    const gone = new Set([...records.keys(), ...(await chrootNames(p.chrootDir))].filter((n) => !byName.has(n)));
    await endSessions(gone);
    for (const name of gone) {
      try {
        await rm(path.join(p.keysDir, name), { force: true });
        await removeChroot(this.exec, p.chrootDir, name, mounted);
        await deleteSftpAccount(this.exec, name, records);
        records.delete(name);
      } catch (e) {
        this.log.warn({ err: e, user: name }, 'could not remove an SFTP user no longer wanted');
      }
    }
    await save();

    await this.configure(served, problems, scripts);
    this.signatures.clear();
    for (const u of valid) this.signatures.set(u.name, signature(u));
  }

  /** Validates the new config (leaving out users sshd refuses), swaps it in and reloads sshd. */
  private async configure(served: DesiredSftpUser[], problems: Map<string, ObjectProblem>, scripts: Map<string, string>): Promise<void> {
    const p = sftpPaths(this.layout.root);
    const blockOf = (u: DesiredSftpUser) => ({ ...this.blockOf(u), ...(scripts.has(u.name) ? { shell: scripts.get(u.name)! } : {}) });
    let users = served;
    let text = this.render(users.map(blockOf), problems, users);
    const running = await this.runningPid(p.pidFile, p.config);
    if (running && (await readIfExists(p.config)) === text) return;
    const candidate = `${p.config}.new`;
    let error = await this.check(candidate, text);
    if (error) {
      // find the users whose block sshd refuses, one by one, and serve the others
      const bad: DesiredSftpUser[] = [];
      for (const u of users) {
        const alone = await this.check(candidate, this.render([blockOf(u)], new Map(), [u]));
        if (alone) bad.push(u);
      }
      for (const u of bad) problems.set(u.id, refused(u.name, 'sshd refused its configuration'));
      users = users.filter((u) => !bad.includes(u));
      text = this.render(users.map(blockOf), problems, users);
      error = await this.check(candidate, text);
      if (error) {
        await rm(candidate, { force: true });
        throw new Error(`sshd -t refused the new configuration (the previous one is kept): ${error}`);
      }
    }
    await rename(candidate, p.config);
    if (!users.length) {
      // nobody to serve: no sshd of Abri's runs for nothing (the sessions of users that went were ended)
      if (running) process.kill(running, 'SIGTERM');
      return;
    }
    if (running) {
      await reloadByReexec('sshd (SFTP)', running, this.node.sftp.port); // it re-executes itself with the new config; sessions go on
      this.log.info({ users: users.length }, 'sshd (SFTP) reloaded');
    } else {
      await this.exec.run(this.node.sftp.sshd, ['-f', p.config]);
      this.log.info({ users: users.length, port: this.node.sftp.port }, 'sshd (SFTP) started');
    }
  }

  /** Writes the config to `file` and returns sshd -t's complaint (null: accepted). */
  private async check(file: string, text: string): Promise<string | null> {
    await writeAtomic(file, text, 0o644);
    const r = await this.exec.run(this.node.sftp.sshd, ['-t', '-f', file], { allowFailure: true });
    return r.code === 0 ? null : (r.stderr || r.stdout).trim().slice(0, 2000) || `exit code ${r.code}`;
  }

  /** The pid of Abri's sshd when it runs (with this config), else null. */
  private runningPid(pidFile: string, config: string): Promise<number | null> {
    return livePid(pidFile, { cmdline: (args) => args.includes(` ${config}`) });
  }
}

/** Active (enabled, its hosting active) with a password or a key: it gets a Match block. */
const canSignIn = (u: DesiredSftpUser) => u.active && (u.passwordHash !== null || u.keys.length > 0);

/** What a user is, as far as its open sessions are concerned. */
const signature = (u: DesiredSftpUser) => createHash('sha256').update(JSON.stringify([u.active, u.uid, u.home, u.folder, u.passwordHash, u.keys, u.shell])).digest('hex');
