// The web server's side of restores from snapshots: its desired state lists each hosting's restores
// still to do (requested or running); this driver does them one at a time, in the background (a long
// copy never holds up the reconcile loop), as the hosting (apply-restore.ts), and reports each to the
// manager when it starts and when it ends (POST /agent/v1/snapshot-restores; the manager keeps the
// tracked restore). What it finished is kept on disk (var/lib/abri/snapshots/restores.json) until the
// restore leaves the desired state, so a restore is never done twice (an agent restarted re-sends the
// verdict instead), and a verdict the manager did not get is sent again.
import { readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Executor } from '../platform/executor.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { writeAtomic } from '../platform/files.js';
import { lstatIfExists, readIfExists } from '../platform/if-exists.js';
import { isAbsent } from '../platform/absent.js';
import { detailOf, type Driver, type DriverResult } from '../node/driver.js';
import type { DesiredHosting, DesiredState } from '../node/protocol.js';
import type { DesiredRestore, RestoreReport } from '../node/protocol-snapshots.js';
import type { DesiredBackup } from '../node/protocol-backups.js';
import { RestoreRefusal, restoreFromSnapshot } from './apply-restore.js';

export const restoreStateFile = (root: string) => path.join(root, 'var/lib/abri/snapshots/restores.json');

interface Job {
  h: DesiredHosting;
  r: DesiredRestore;
  /** a restore from an off-server backup: the hosting's repository */
  b?: DesiredBackup;
}

/** Does a restore from an off-server backup (src/backups/apply-restore.ts); throws a RestoreRefusal saying why it could not. */
export type BackupRestorer = (h: DesiredHosting, b: DesiredBackup, r: DesiredRestore, onBtrfs: Map<string, boolean>) => Promise<void>;

export class RestoreDriver implements Driver {
  readonly name = 'snapshot-restores';
  /** restore id → its verdict (kept until the restore leaves the desired state) */
  private finished: Record<string, RestoreReport> | null = null;
  /** verdicts the manager has received from this process */
  private readonly sent = new Set<string>();
  private readonly queued = new Set<string>();
  private readonly queue: Job[] = [];
  private worker: Promise<void> | null = null;
  private readonly onBtrfs = new Map<string, boolean>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly exec: Executor,
    private readonly root: string,
    private readonly apply: boolean,
    private readonly send: ((reports: RestoreReport[]) => Promise<void>) | undefined,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    /** restores from off-server backups too (those of the desired state's backups), done by this */
    private readonly fromBackup?: BackupRestorer,
  ) {}

  handles(state: DesiredState) {
    return !!state.web && this.apply;
  }

  async reconcile(state: DesiredState, opts: { repair?: boolean } = {}): Promise<DriverResult> {
    this.finished ??= JSON.parse((await readIfExists(restoreStateFile(this.root))) ?? '{}') as Record<string, RestoreReport>;
    const wanted = new Map<string, Job>();
    for (const h of state.web!.hostings) for (const r of h.snapshots?.restores ?? []) wanted.set(r.id, { h, r });
    if (this.fromBackup) {
      const homes = new Map(state.web!.hostings.map((h) => [h.id, h]));
      for (const b of state.backups?.hostings ?? []) {
        // a terminated hosting (its files kept) is not among the web hostings: its home and uid come with its backups
        const h = homes.get(b.hosting) ?? (b.restoreOnly && b.uid !== undefined ? ({ id: b.hosting, name: b.name, uid: b.uid, home: b.home } as DesiredHosting) : undefined);
        if (h) for (const r of b.restores) wanted.set(r.id, { h, r, b });
      }
    }
    // verdicts of restores the manager no longer lists are forgotten; those it still lists are sent again
    if (Object.keys(this.finished).some((id) => !wanted.has(id))) await this.save(Object.fromEntries(Object.entries(this.finished).filter(([id]) => wanted.has(id))));
    const unsent = Object.values(this.finished).filter((v) => !this.sent.has(v.id));
    if (unsent.length) await this.report(unsent);
    for (const [id, job] of wanted) {
      if (this.finished[id] || this.queued.has(id)) continue;
      this.queued.add(id);
      this.queue.push(job);
    }
    if (this.queue.length) this.worker ??= this.work().finally(() => (this.worker = null));
    else if (opts.repair !== false && !this.worker) await this.tidy(state.web!.hostings);
    return { objects: [] };
  }

  /**
   * The hosting cannot remove a folder at the root of its home (the home is root's): a restored-…
   * folder it has emptied is removed for it (rmdir: only when empty; not while a restore is queued).
   */
  private async tidy(hostings: DesiredHosting[]): Promise<void> {
    for (const h of hostings) {
      const names = await readdir(h.home).catch((e: unknown) => {
        if (!isAbsent(e)) this.log.warn({ err: e }, `could not read ${h.home}: ${detailOf(e)}`);
        return [] as string[];
      });
      for (const name of names.filter((n) => /^restored-\d{4}-\d{2}-\d{2}-\d{6}$/.test(n))) {
        const p = path.join(h.home, name);
        const st = await lstatIfExists(p);
        if (!st?.isDirectory() || st.uid !== h.uid) continue;
        await rmdir(p).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST' && e.code !== 'ENOENT') this.log.warn({ err: e }, `could not remove the empty ${p}: ${e.message}`);
        });
      }
    }
  }

  private async work(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      const { h, r, b } = job;
      await this.report([{ id: r.id, status: 'running', at: this.clock.now().toISOString(), code: null, message: null }]);
      let verdict: RestoreReport;
      try {
        if (b) await this.fromBackup!(h, b, r, this.onBtrfs);
        else await restoreFromSnapshot(this.exec, h, r, this.onBtrfs);
        verdict = { id: r.id, status: 'done', at: this.clock.now().toISOString(), code: null, message: null };
        this.log.info({ hosting: h.name, restore: r.id, snapshot: r.snapshot, path: r.path, mode: r.mode }, `restored from ${b ? 'a backup' : 'a snapshot'}`);
      } catch (e) {
        const refusal = e instanceof RestoreRefusal ? e : null;
        if (!refusal) this.log.error({ hosting: h.name, restore: r.id, err: e }, `restore of ${h.name} failed: ${detailOf(e)}`);
        verdict = { id: r.id, status: 'failed', at: this.clock.now().toISOString(), code: refusal?.code ?? 'snapshot.restore_failed', message: detailOf(e) };
      }
      await this.save({ ...this.finished, [r.id]: verdict });
      this.queued.delete(r.id);
      await this.report([verdict]);
    }
  }

  /** Keeps `finished` (at once in memory; on disk one write after the other). */
  private save(finished: Record<string, RestoreReport>): Promise<void> {
    this.finished = finished;
    const text = JSON.stringify(finished);
    const write = () => writeAtomic(restoreStateFile(this.root), text, 0o600);
    this.saving = this.saving.then(write, write); // the previous write's failure went to its own caller
    return this.saving;
  }

  private async report(reports: RestoreReport[]): Promise<void> {
    if (!this.send) return;
    try {
      await this.send(reports);
      for (const r of reports) if (r.status !== 'running') this.sent.add(r.id);
    } catch (e) {
      // sent again at the next reconcile (the manager ignores what it already has)
      this.log.warn({ err: e }, `could not report restores: ${detailOf(e)}`);
    }
  }
}
