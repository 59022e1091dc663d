// The web server's backups of its hostings' homes to their repositories on the backup servers
// (restic over SFTP). The agent makes them itself, on its own clock, so they go on while the manager
// is down: every day at ABRI_BACKUP_TIME (UTC) each hosting with a repository is backed up once
// (a node that slept makes the missed one when it wakes; a new repository gets its first at once), and once more each time its count of
// backups asked for grows. One backup at a time, in the background: an apply never waits for one.
// Each ends with the offer's retention (restic forget --prune) and is reported to the manager at
// once (POST /agent/v1/backup-runs; kept and sent again when the manager cannot be reached).
// What was done is kept on disk (var/lib/abri/backups/state.json, written after each backup): a backup
// cut short (the agent killed) was not recorded, so it is made again at the next pass; the lock the
// killed one left is removed (`restic unlock`) when it is in the way.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import type { Executor } from '../platform/executor.js';
import { writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { ifAbsent } from '../platform/absent.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import { DueTimer } from '../node/due-timer.js';
import type { DesiredState } from '../node/protocol.js';
import type { BackupRunReport, DesiredBackup, PartRestoreReport } from '../node/protocol-backups.js';
import { backupsDir, HostingRepository, NotMadeYet, withBackupSecrets } from './apply-restic.js';
import { HostingParts, type PartSettings } from './apply-parts.js';
import { doPartRestores, type RestoreState } from './apply-restore-parts.js';
import { dailyDue, nextDaily, type BackupSummary } from './rules.js';

export interface HostingBackupState {
  /** the end of its last backup, good or not (null: none yet, the first one is made at once) */
  lastAttempt: string | null;
  /** a backup succeeded: the repository exists (it is not looked for again) */
  initialized?: boolean;
  /** backups asked for on demand, handled */
  requests: number;
  /** the size of the files of each snapshot made here (restic snapshot id → bytes) */
  sizes: Record<string, number>;
  /** checks of a sample asked for, handled (absent: none yet; the first request seen is handled) */
  checks?: number;
}
export interface BackupState extends RestoreState {
  hostings: Record<string, HostingBackupState>;
  /** runs not yet reported to the manager */
  unsent: BackupRunReport[];
}

export const backupStateFile = (root: string) => path.join(backupsDir(root), 'state.json');

export async function readBackupState(root: string): Promise<BackupState> {
  const text = await readIfExists(backupStateFile(root));
  return text === null ? { hostings: {}, unsent: [] } : (JSON.parse(text) as BackupState);
}

const KEPT_SIZES = 400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class BackupDriver implements Driver {
  readonly name = 'backups';
  private hostings: DesiredBackup[] = [];
  /** every hosting of the desired backups, those only restored too (their keys are kept) */
  private known = new Set<string>();
  private readonly timer: DueTimer;
  private pass: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly exec: Executor,
    private readonly root: string,
    private readonly apply: boolean,
    private readonly settings: { dailyAt: number; limitUploadKib: number } & Partial<PartSettings>,
    private readonly send: ((runs: BackupRunReport[]) => Promise<void>) | undefined,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    private readonly sendRestores?: (reports: PartRestoreReport[]) => Promise<void>,
  ) {
    this.timer = new DueTimer(clock, {
      next: (now) => nextDaily(now, this.settings.dailyAt).getTime(),
      run: () => this.runDue(),
      failed: (e) => this.log.error({ err: e }, `backups: ${detailOf(e)}`),
    });
  }

  private get stopped() {
    return this.timer.stopped;
  }

  handles(state: DesiredState) {
    return !!state.backups && this.apply;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    this.hostings = state.backups!.hostings.filter((h) => !h.restoreOnly); // a terminated hosting being restored is not backed up
    this.known = new Set(state.backups!.hostings.map((h) => h.hosting));
    void this.runDue().catch((e: unknown) => this.log.error({ err: e }, `backups: ${detailOf(e)}`));
    this.timer.arm();
    return { objects: [] };
  }

  stop() {
    this.timer.stop();
  }

  /** Makes the backups that are due (one pass at a time; a call during a pass makes another after it). */
  runDue(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      do {
        this.again = false;
        await this.doPass();
      } while (this.again && !this.stopped);
    })().finally(() => (this.pass = null));
    return this.pass;
  }

  private async doPass(): Promise<void> {
    const state = await readBackupState(this.root);
    const now = this.clock.now();
    const save = () => writeAtomic(backupStateFile(this.root), JSON.stringify(state), 0o600);
    for (const h of [...this.hostings]) {
      if (this.stopped) break;
      const mine = (state.hostings[h.hosting] ??= { lastAttempt: null, requests: h.requests, sizes: {} });
      const repo = new HostingRepository(this.exec, this.root, h, this.settings.limitUploadKib);
      const parts = new HostingParts(this.exec, this.root, repo, { mariadb: this.settings.mariadb ?? { socket: '/run/mysqld/mysqld.sock', user: 'root' } });
      if (h.files && h.check.requests > (mine.checks ?? 0)) await this.check(h, mine, state, save);
      const asked = h.requests > mine.requests;
      if (asked || dailyDue(mine.lastAttempt ? new Date(mine.lastAttempt) : null, now, this.settings.dailyAt)) {
        const runs = await this.backUp(h, mine, repo, parts);
        if (runs === null) continue; // its repository is not made yet: tried again at the next pass
        for (const run of runs) state.unsent.push(run);
        mine.lastAttempt = now.toISOString();
        mine.requests = Math.max(mine.requests, h.requests);
        await save();
        await this.flush(state, save);
      }
      if (h.partRestores.length) {
        await doPartRestores(h, parts, state, () => this.clock.now(), async (r) => {
          (state.unsentRestores ??= []).push(r);
          await save();
          await this.flushRestores(state, save);
        }, this.log);
        await save();
      }
    }
    // hostings no longer here (moved, terminated) are forgotten, their keys and password deleted (their repositories stay on the backup server)
    // (this.known read at each step, not kept: a reconcile during the pass may bring a hosting back, a terminated one being restored)
    for (const id of Object.keys(state.hostings)) if (!this.known.has(id)) delete state.hostings[id];
    for (const entry of await readdir(backupsDir(this.root)).catch(ifAbsent([] as string[]))) {
      if (!UUID.test(entry)) continue;
      await withBackupSecrets(this.root, async () => {
        if (!this.known.has(entry)) await rm(path.join(backupsDir(this.root), entry), { recursive: true, force: true });
      });
    }
    await this.flush(state, save);
    await this.flushRestores(state, save);
    await save();
  }

  /**
   * Backs up each part of a hosting this server holds (its home, its databases, its mailboxes), then
   * applies the retention; one run per part. Null when the repository is not made yet and this
   * server does not make it (a database or mail server: the hosting's web server does).
   */
  private async backUp(h: DesiredBackup, mine: HostingBackupState, repo: HostingRepository, parts: HostingParts): Promise<BackupRunReport[] | null> {
    const work: Array<[string, () => Promise<BackupSummary>]> = [
      ...(h.files ? [['files', () => repo.backupHome(this.clock.now())] as [string, () => Promise<BackupSummary>]] : []),
      ...h.databases.map((d) => [`db:${d}`, () => parts.dumpDatabase(d, this.clock.now())] as [string, () => Promise<BackupSummary>]),
      ...h.mailboxes.map((b) => [`mail:${b.address}`, () => parts.backupMailbox(b, this.clock.now())] as [string, () => Promise<BackupSummary>]),
    ];
    const runs: BackupRunReport[] = [];
    for (const [part, make] of work) {
      const startedAt = this.clock.now().toISOString();
      const run: BackupRunReport = { hosting: h.hosting, part, kind: 'backup', startedAt, endedAt: startedAt, ok: false, snapshot: null, bytesAdded: null, totalBytes: null, error: null };
      try {
        const summary = await repo.inRepository(mine.initialized ?? false, h.files, make);
        mine.initialized = true;
        Object.assign(run, { ok: true, snapshot: summary.snapshot_id!, bytesAdded: summary.data_added ?? null, totalBytes: summary.total_bytes_processed ?? null });
        if (part === 'files' && summary.total_bytes_processed !== undefined) mine.sizes[summary.snapshot_id!] = summary.total_bytes_processed;
        mine.sizes = Object.fromEntries(Object.entries(mine.sizes).slice(-KEPT_SIZES));
        this.log.info({ hosting: h.name, part, snapshot: summary.snapshot_id, added: summary.data_added }, 'backup made');
      } catch (e) {
        if (e instanceof NotMadeYet) return null;
        run.error = detailOf(e);
        this.log.warn({ hosting: h.name, part, err: e }, `backup of ${part} of ${h.name} failed: ${detailOf(e)}`);
      }
      run.endedAt = this.clock.now().toISOString();
      runs.push(run);
    }
    if (runs.some((r) => r.ok)) {
      try {
        await repo.forget();
      } catch (e) {
        // the retention failed: the backup is reported failed (the data is in the repository)
        const last = runs.at(-1)!;
        Object.assign(last, { ok: false, error: detailOf(e), endedAt: this.clock.now().toISOString() });
        this.log.warn({ hosting: h.name, err: e }, `retention of ${h.name} failed: ${detailOf(e)}`);
      }
    }
    return runs;
  }

  /** Sends the restore reports not sent yet; kept for the next pass when the manager cannot be reached. */
  private async flushRestores(state: BackupState, save: () => Promise<void>): Promise<void> {
    const unsent = (state.unsentRestores ?? []).slice(-1000);
    if (!unsent.length || !this.sendRestores) return;
    try {
      await this.sendRestores(unsent);
      state.unsentRestores = [];
      await save();
    } catch (e) {
      this.log.warn({ err: e }, `backup restores not reported yet: ${detailOf(e)}`);
    }
  }

  /** One `restic check --read-data-subset` asked for (a repository with no backup yet has nothing to check: not run, not counted). */
  private async check(h: DesiredBackup, mine: HostingBackupState, state: BackupState, save: () => Promise<void>): Promise<void> {
    if (!mine.initialized) return;
    const startedAt = this.clock.now().toISOString();
    const run: BackupRunReport = { hosting: h.hosting, part: 'files', kind: 'check', startedAt, endedAt: startedAt, ok: false, snapshot: null, bytesAdded: null, totalBytes: null, error: null };
    try {
      await new HostingRepository(this.exec, this.root, h).check(h.check.subset);
      run.ok = true;
      this.log.info({ hosting: h.name, subset: h.check.subset }, 'repository checked');
    } catch (e) {
      run.error = detailOf(e);
      this.log.warn({ hosting: h.name, err: e }, `check of ${h.name}'s repository failed: ${detailOf(e)}`);
    }
    run.endedAt = this.clock.now().toISOString();
    mine.checks = h.check.requests;
    state.unsent.push(run);
    await save();
    await this.flush(state, save);
  }

  /** Sends the runs not reported yet; kept for the next pass when the manager cannot be reached. */
  private async flush(state: BackupState, save: () => Promise<void>): Promise<void> {
    state.unsent = state.unsent.slice(-1000);
    if (!state.unsent.length || !this.send) return;
    try {
      await this.send(state.unsent);
      state.unsent = [];
      await save();
    } catch (e) {
      this.log.warn({ err: e }, `backup runs not reported yet: ${detailOf(e)}`);
    }
  }
}
