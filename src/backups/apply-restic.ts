// restic for one hosting's repository on its web server (side effects through the Executor): the
// hosting's secrets written for restic and ssh (root only, under the node's var/lib/abri/backups/<id>),
// and the commands a backup runs. Only the web server holds them, and only its own hostings'.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Executor, ExecResult } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { oneAtATime } from '../platform/one-at-a-time.js';
import type { DesiredBackup } from '../node/protocol-backups.js';
import { backupArgs, backupSummary, checkArgs, forgetArgs, resticGlobals, type BackupSummary } from './rules.js';

export const RESTIC = 'restic';
const HOUR = 3_600_000;

/** Where a web server keeps its backups' files under the node's root. */
export const backupsDir = (root: string) => path.join(root, 'var/lib/abri/backups');

/**
 * One change at a time to a server's backup secrets (backupsDir): a hosting's written for restic, and
 * those of hostings no longer there removed by the backup pass, never interleave (a restore of a
 * terminated hosting wrote its secrets while the pass was removing them: ENOENT).
 */
export const withBackupSecrets = <T>(root: string, step: () => Promise<T>) => oneAtATime(`backup-secrets:${backupsDir(root)}`, step);

export class ResticFailed extends Error {}
/** The repository is not made yet, and this server does not make it (only the hosting's web server does). */
export class NotMadeYet extends Error {}

/** What restic says of a repository that is not there. */
const MISSING = /unable to open config file|does not exist|no such file/i;
/** What restic says of a repository another restic holds locked. */
const LOCKED = /repository is already locked/i;

/** The restic command line of a hosting's repository, its secrets written first (when they changed). */
export class HostingRepository {
  constructor(
    private readonly exec: Executor,
    private readonly root: string,
    readonly h: DesiredBackup,
    private readonly limitUploadKib = 0,
  ) {}

  private get dir() {
    return path.join(backupsDir(this.root), this.h.hosting);
  }

  /** restic's global arguments, after writing the key and password files (0600, root). */
  async globals(): Promise<string[]> {
    const dir = this.dir;
    await withBackupSecrets(this.root, async () => {
      await mkdir(path.dirname(backupsDir(this.root)), { recursive: true, mode: 0o755 }); // var/lib/abri: others' services go through it
      await ensureDir(backupsDir(this.root), 0o700);
      await ensureDir(dir, 0o700);
      const files: Array<[string, string]> = [['key', this.h.privateKey.endsWith('\n') ? this.h.privateKey : `${this.h.privateKey}\n`], ['password', this.h.password]];
      for (const [name, text] of files) if ((await readIfExists(path.join(dir, name))) !== text) await writeAtomic(path.join(dir, name), text, 0o600);
    });
    return resticGlobals({
      account: this.h.account, address: this.h.server.address, port: this.h.server.port,
      keyFile: path.join(dir, 'key'), knownHosts: path.join(dir, 'known_hosts'), passwordFile: path.join(dir, 'password'), cacheDir: path.join(dir, 'cache'),
    }, this.limitUploadKib);
  }

  /**
   * Runs restic with these arguments; throws ResticFailed with restic's own message. A lock in the
   * way is removed when it is stale (left by a restic that was killed), else waited for (a prune of
   * the web server while the database server backs up, say): tried again for up to 10 minutes.
   */
  async restic(args: string[], timeoutMs: number, opts: { allowFailure?: boolean } = {}): Promise<ExecResult> {
    return this.withLockRetry(args[0]!, opts, async () => this.exec.run(RESTIC, [...(await this.globals()), ...args], { allowFailure: true, timeoutMs }));
  }

  /**
   * Runs `attempt` again while restic says the repository is locked by another, after removing the
   * stale locks once (`restic unlock` removes only those whose process is gone or that are 30 minutes
   * old: never a running restic's); throws on failure unless allowed.
   */
  async withLockRetry(what: string, opts: { allowFailure?: boolean }, attempt: () => Promise<ExecResult>): Promise<ExecResult> {
    let r = await attempt();
    if (r.code !== 0 && LOCKED.test(r.stderr)) {
      const unlock = await this.exec.run(RESTIC, [...(await this.globals()), 'unlock'], { allowFailure: true, timeoutMs: 10 * 60_000 });
      if (unlock.code !== 0) throw new ResticFailed(`restic unlock: ${lastLines(unlock.stderr || unlock.stdout)}`);
      r = await attempt();
    }
    for (let i = 0; i < 60 && r.code !== 0 && LOCKED.test(r.stderr); i++) {
      await new Promise((done) => setTimeout(done, 10_000));
      r = await attempt();
    }
    if (r.code !== 0 && !opts.allowFailure) throw new ResticFailed(`${what}: ${lastLines(r.stderr || r.stdout)}`);
    return r;
  }

  /**
   * Creates the repository when the backup server has none yet (a new hosting, a repository moved
   * away). Only one server of a hosting makes it (`mayCreate`: its web server): two `restic init` at
   * once would leave a config and a key that do not match.
   */
  async ensureInitialized(mayCreate = true): Promise<void> {
    const r = await this.restic(['cat', 'config', '--no-lock'], 10 * 60_000, { allowFailure: true });
    if (r.code === 0) return;
    if (!MISSING.test(r.stderr)) throw new ResticFailed(`restic cat config: ${lastLines(r.stderr || r.stdout)}`);
    if (!mayCreate) throw new NotMadeYet('the repository is not made yet (the hosting\'s web server makes it)');
    const init = await this.restic(['init'], 10 * 60_000, { allowFailure: true });
    // another server of the hosting (its database or mail server) made it just now: the same repository
    if (init.code !== 0 && !/already exists|already initialized/i.test(init.stderr)) throw new ResticFailed(`restic init: ${lastLines(init.stderr || init.stdout)}`);
  }

  /**
   * Runs a step of a backup: first making the repository unless a backup already succeeded (`known`).
   * A known one that went since (deleted or moved by staff) fails the step: it is made again and the
   * step runs once more.
   */
  async inRepository<T>(known: boolean, mayCreate: boolean, step: () => Promise<T>): Promise<T> {
    if (!known) await this.ensureInitialized(mayCreate);
    try {
      return await step();
    } catch (e) {
      if (!known || !(e instanceof ResticFailed) || !MISSING.test(e.message)) throw e;
      await this.ensureInitialized(mayCreate);
      return step();
    }
  }

  /** One backup of the home, dated `at`. */
  async backupHome(at: Date): Promise<BackupSummary> {
    return summaryOf(await this.restic(backupArgs(this.h.home, this.h.name, this.h.hosting, at), 24 * HOUR));
  }

  /** The offer's retention. */
  async forget(): Promise<void> {
    await this.restic(forgetArgs(this.h.keepDaily, this.h.keepWeekly), 12 * HOUR);
  }

  /** One backup of the home, dated `at`, then the offer's retention. */
  async backup(at: Date, known = false): Promise<BackupSummary> {
    const summary = await this.inRepository(known, true, () => this.backupHome(at));
    await this.forget();
    return summary;
  }

  /** `restic check` reading a sample of the data (`n/N`); throws ResticFailed with restic's message. */
  async check(subset: string): Promise<void> {
    await this.restic(checkArgs(subset), 12 * HOUR);
  }
}

/** The summary of a `restic backup --json`; throws when it made no snapshot. */
export function summaryOf(r: ExecResult): BackupSummary {
  const summary = backupSummary(r.stdout);
  if (!summary?.snapshot_id) throw new ResticFailed(`restic backup gave no snapshot: ${lastLines(r.stdout)}`);
  return summary;
}

/** The last lines of a tool's output (its error is at the end), short enough for a report. */
export const lastLines = (text: string) => text.trim().split('\n').slice(-6).join('\n').slice(-1500);
