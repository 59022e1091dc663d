// The parts of a hosting's backup that live outside its home, backed up and restored by the server
// holding them (side effects through the Executor), into the hosting's own repository:
//
// - a database: `mariadb-dump --single-transaction --routines --triggers --events` piped straight into
//   `restic backup --stdin` (no dump file is ever written): one consistent InnoDB snapshot, a
//   transaction in it entirely or not at all; restored by `restic dump` piped into `mariadb`, into a
//   new database or over the database itself (the dump drops and re-creates each table it holds).
// - a mailbox: `doveadm backup` (Dovecot's own one-way dsync) into a fresh Maildir beside the hosting's
//   mail, owned by the hosting, backed up, then deleted. dsync reads the mailbox through Dovecot's own
//   storage layer (indexes, UIDs, flags, folders), as a consistent copy while mail arrives; restored
//   with `doveadm import` into a folder Restored-<date> (new), or in place: the mailbox's messages
//   expunged (after a safety copy), the copy's imported into the same folders.
import { chown, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Executor, ExecResult } from '../platform/executor.js';
import { isDatabaseName } from '../databases/rules.js';
import { mailPaths } from '../mail/apply-mail-service.js';
import { HostingRepository, lastLines, RESTIC, summaryOf } from './apply-restic.js';
import { dumpPath, partBackupArgs, SAFE_PATH, type BackupSummary } from './rules.js';

/** A failure with a stable code for the restore it ends. */
export class PartFailed extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Runs `a | b` in bash with pipefail (each command's arguments passed as they are: no shell text from values). */
function pipe(exec: Executor, a: string[], b: string[], timeoutMs: number): Promise<ExecResult> {
  const script = 'set -o pipefail; n=$1; shift; a=("${@:1:$n}"); shift "$n"; "${a[@]}" | "$@"';
  return exec.run('bash', ['-c', script, 'abri-pipe', String(a.length), ...a, ...b], { allowFailure: true, timeoutMs });
}

const HOUR = 3_600_000;
const ADDRESS = /^[A-Za-z0-9._+-]{1,64}@[a-z0-9.-]{1,253}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface PartSettings { mariadb: { socket: string; user: string } }

export class HostingParts {
  constructor(
    private readonly exec: Executor,
    private readonly root: string,
    private readonly repo: HostingRepository,
    private readonly settings: PartSettings,
  ) {}

  private mariadbBase(tool: 'mariadb-dump' | 'mariadb', database: string): string[] {
    if (!isDatabaseName(database)) throw new PartFailed('backup.bad_part', `${JSON.stringify(database)} is not a database name Abri makes`);
    return [tool, `--socket=${this.settings.mariadb.socket}`, `--user=${this.settings.mariadb.user}`];
  }

  /** A consistent dump of a database into the repository, tagged db:<name> (and safety). */
  async dumpDatabase(database: string, at: Date, safety = false): Promise<BackupSummary> {
    const dump = [...this.mariadbBase('mariadb-dump', database), '--single-transaction', '--routines', '--triggers', '--events', '--hex-blob', '--default-character-set=utf8mb4', database];
    const globals = await this.repo.globals();
    const r = await this.repo.withLockRetry('mariadb-dump | restic backup', {}, () =>
      pipe(this.exec, dump, [RESTIC, ...globals, ...partBackupArgs(this.repo.h.name, `db:${database}`, at, { stdin: dumpPath(database).slice(1) }, safety)], 24 * HOUR));
    return summaryOf(r);
  }

  /** Loads the dump of `database` in `snapshot` into `target` (a database that exists). */
  async restoreDatabase(snapshot: string, database: string, target: string): Promise<void> {
    await this.assertHolds(snapshot, `db:${database}`);
    const load = [...this.mariadbBase('mariadb', target), '--default-character-set=utf8mb4', target];
    const globals = await this.repo.globals();
    // a prune of the web server holds the repository exclusively for a while: waited for, as a backup
    // does (restic fails to lock before writing anything, so the load has received nothing yet)
    const r = await this.repo.withLockRetry('restic dump | mariadb', { allowFailure: true }, () =>
      pipe(this.exec, [RESTIC, ...globals, 'dump', snapshot, dumpPath(database)], load, 24 * HOUR));
    if (r.code !== 0) {
      if (/Unknown database/i.test(r.stderr)) throw new PartFailed('backup.target_missing', `the database ${target} does not exist (yet) on its server`);
      throw new PartFailed('backup.restore_failed', `restoring ${database} into ${target}: ${lastLines(r.stderr || r.stdout)}`);
    }
  }

  /** The snapshot holds this part (it is one of the hosting's, tagged with it), or PartFailed. */
  async assertHolds(snapshot: string, part: string): Promise<void> {
    const r = await this.repo.restic(['snapshots', '--json', '--no-lock', snapshot], 10 * 60_000, { allowFailure: true });
    const list = r.code === 0 ? ((JSON.parse(r.stdout || '[]') as Array<{ tags?: string[] }> | null) ?? []) : [];
    if (!list.some((s) => s.tags?.includes(part))) throw new PartFailed('backup.part_missing', `backup ${snapshot} holds no ${part}`);
  }

  private mail(mailbox: { id: string; address: string }) {
    if (!ADDRESS.test(mailbox.address) || !UUID.test(mailbox.id)) throw new PartFailed('backup.bad_part', `${JSON.stringify(mailbox.address)} is not a mailbox Abri makes`);
    const p = mailPaths(this.root);
    const hostingDir = path.join(p.vmailDir, this.repo.h.name);
    return { conf: path.join(p.dovecotDir, 'dovecot.conf'), hostingDir, copy: path.join(hostingDir, '.abri-backup', mailbox.id) };
  }

  /** A folder owned by the hosting's mail uid (that of its vmail directory), made anew. */
  private async freshFolder(hostingDir: string, dir: string): Promise<void> {
    const st = await stat(hostingDir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (let d = dir; d !== hostingDir; d = path.dirname(d)) await chown(d, st.uid, st.gid);
  }

  private async doveadm(conf: string, args: string[]): Promise<void> {
    const r = await this.exec.run('doveadm', ['-c', conf, ...args], { allowFailure: true, timeoutMs: 12 * HOUR });
    if (r.code !== 0) throw new PartFailed('backup.mail_failed', `doveadm ${args[0]}: ${lastLines(r.stderr || r.stdout)}`);
  }

  /** A consistent copy of a mailbox (doveadm backup) into the repository, tagged mail:<address> (and safety). */
  async backupMailbox(mailbox: { id: string; address: string }, at: Date, safety = false): Promise<BackupSummary> {
    const m = this.mail(mailbox);
    if (!SAFE_PATH.test(m.copy)) throw new PartFailed('backup.bad_part', `${m.copy} cannot be given to restic`);
    await this.freshFolder(m.hostingDir, m.copy);
    try {
      await this.doveadm(m.conf, ['backup', '-u', mailbox.address, `maildir:${m.copy}/Maildir`]);
      return summaryOf(await this.repo.restic(partBackupArgs(this.repo.h.name, `mail:${mailbox.address}`, at, { folder: m.copy }, safety), 24 * HOUR));
    } finally {
      await rm(m.copy, { recursive: true, force: true });
    }
  }

  /** Restores a mailbox's copy in `snapshot`: into the folder `folder` (new), or over the mailbox (folder null). */
  async restoreMailbox(snapshot: string, mailbox: { id: string; address: string }, folder: string | null, restoreId: string): Promise<void> {
    const m = this.mail(mailbox);
    await this.assertHolds(snapshot, `mail:${mailbox.address}`);
    const into = path.join(m.hostingDir, '.abri-restore', restoreId);
    await this.freshFolder(m.hostingDir, into);
    try {
      const r = await this.repo.restic(['restore', snapshot, '--target', into], 24 * HOUR, { allowFailure: true });
      if (r.code !== 0) throw new PartFailed('backup.restore_failed', `restic restore: ${lastLines(r.stderr || r.stdout)}`);
      // the copy is restored under its own path (the backup's .abri-backup/<mailbox>), as the hosting owned it
      const maildir = `maildir:${path.join(into, m.copy, 'Maildir')}`;
      if (folder !== null) await this.doveadm(m.conf, ['import', '-u', mailbox.address, '-s', maildir, folder, 'all']);
      else {
        // in place: the mailbox's messages removed (a safety copy holds them), the copy's put back in
        // the same folders (dsync -R would want to delete and make again the INBOX, which it cannot)
        await this.doveadm(m.conf, ['expunge', '-u', mailbox.address, 'mailbox', '*', 'all']);
        await this.doveadm(m.conf, ['import', '-u', mailbox.address, '-s', maildir, '', 'all']);
      }
    } finally {
      await rm(into, { recursive: true, force: true });
    }
  }
}

