// restic for one hosting's repository on its web server (side effects through the Executor): the
// hosting's secrets written for restic and ssh (root only, under the node's var/lib/abri/backups/<id>),
// and the commands a backup runs. Only the web server holds them, and only its own hostings'.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Executor, ExecResult } from '../platform/executor.js';
import { ensureDir, writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import type { DesiredBackup } from '../node/protocol-backups.js';
import { backupArgs, backupSummary, checkArgs, forgetArgs, resticGlobals, type BackupSummary } from './rules.js';

export const RESTIC = 'restic';
const HOUR = 3_600_000;

/** Where a web server keeps its backups' files under the node's root. */
export const backupsDir = (root: string) => path.join(root, 'var/lib/abri/backups');

export class ResticFailed extends Error {}

/** What restic says of a repository that is not there. */
const MISSING = /unable to open config file|does not exist|no such file/i;

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
    await mkdir(path.dirname(backupsDir(this.root)), { recursive: true, mode: 0o755 }); // var/lib/abri: others' services go through it
    await ensureDir(backupsDir(this.root), 0o700);
    await ensureDir(dir, 0o700);
    const files: Array<[string, string]> = [['key', this.h.privateKey.endsWith('\n') ? this.h.privateKey : `${this.h.privateKey}\n`], ['password', this.h.password]];
    for (const [name, text] of files) if ((await readIfExists(path.join(dir, name))) !== text) await writeAtomic(path.join(dir, name), text, 0o600);
    return resticGlobals({
      account: this.h.account, address: this.h.server.address, port: this.h.server.port,
      keyFile: path.join(dir, 'key'), knownHosts: path.join(dir, 'known_hosts'), passwordFile: path.join(dir, 'password'), cacheDir: path.join(dir, 'cache'),
    }, this.limitUploadKib);
  }

  /** Runs restic with these arguments; throws ResticFailed with restic's own message. */
  async restic(args: string[], timeoutMs: number, opts: { allowFailure?: boolean } = {}): Promise<ExecResult> {
    const r = await this.exec.run(RESTIC, [...(await this.globals()), ...args], { allowFailure: true, timeoutMs });
    if (r.code !== 0 && !opts.allowFailure) throw new ResticFailed(`restic ${args[0]}: ${lastLines(r.stderr || r.stdout)}`);
    return r;
  }

  /** Creates the repository when the backup server has none yet (a new hosting, a repository moved away). */
  async ensureInitialized(): Promise<void> {
    const r = await this.restic(['cat', 'config', '--no-lock'], 10 * 60_000, { allowFailure: true });
    if (r.code === 0) return;
    if (!MISSING.test(r.stderr)) throw new ResticFailed(`restic cat config: ${lastLines(r.stderr || r.stdout)}`);
    await this.restic(['init'], 10 * 60_000);
  }

  /**
   * One backup of the home, dated `at`: the repository made first unless a backup already succeeded
   * (`known`), stale locks of a backup that was killed removed; then the offer's retention.
   */
  async backup(at: Date, known = false): Promise<BackupSummary> {
    if (!known) await this.ensureInitialized();
    // only stale locks (a process gone, or older than 30 minutes): never a running backup's
    const unlock = await this.restic(['unlock'], 10 * 60_000, { allowFailure: true });
    if (unlock.code !== 0) {
      if (!known || !MISSING.test(unlock.stderr)) throw new ResticFailed(`restic unlock: ${lastLines(unlock.stderr || unlock.stdout)}`);
      await this.ensureInitialized(); // the repository went (deleted or moved by staff): a new one
    }
    const r = await this.restic(backupArgs(this.h.home, this.h.name, this.h.hosting, at), 24 * HOUR);
    const summary = backupSummary(r.stdout);
    if (!summary?.snapshot_id) throw new ResticFailed(`restic backup gave no snapshot: ${lastLines(r.stdout)}`);
    await this.restic(forgetArgs(this.h.keepDaily, this.h.keepWeekly), 12 * HOUR);
    return summary;
  }

  /** `restic check` reading a sample of the data (`n/N`), after removing stale locks; throws ResticFailed with restic's message. */
  async check(subset: string): Promise<void> {
    await this.restic(['unlock'], 10 * 60_000);
    await this.restic(checkArgs(subset), 12 * HOUR);
  }
}

/** The last lines of a tool's output (its error is at the end), short enough for a report. */
const lastLines = (text: string) => text.trim().split('\n').slice(-6).join('\n').slice(-1500);
