// The durable job runner: one per manager process, all sharing the jobs table. `runDue()` runs every
// job due now by app.clock and waits for them (tests move a ManualClock and call it); `start()` adds
// the production loop, which wakes on a timer and when a job is enqueued in this process. Several
// processes (or runners) never run the same job twice: rows are leased with FOR UPDATE SKIP LOCKED.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppContext } from '../platform/context.js';
import type { JobRow } from './model.js';
import type { JobKind, JobOutcome, JobRegistry } from './registry.js';
import { claimDue, dueKinds, ensureRecurringJob, finishJob } from './store.js';
import { nextRun, parseSchedule } from './schedule.js';
import { messageOf, settle, waitWhileReadOnly } from './rules.js';
import { AppError } from '../platform/errors.js';

const DEFAULT_LEASE_MS = 15 * 60_000;
const runners = new Set<JobRunner>();

/** Tells every started runner of this process that a job was enqueued. */
export function wakeRunners(): void {
  for (const r of runners) r.wake();
}

export interface RunnerOptions {
  log: Logger;
  /** names this process in leases (default host:pid:random) */
  owner?: string;
  /** the loop looks for due jobs this often, besides wake-ups (default 1 s) */
  pollMs?: number;
  /** jobs run at the same time by this runner (default 8) */
  concurrency?: number;
}

export class JobRunner {
  readonly owner: string;
  /** runs finished by this runner (benchmarks and tests read it) */
  runs = 0;
  private readonly inflight = new Map<string, { kind: string; done: Promise<void> }>();
  private timer: NodeJS.Timeout | null = null;
  private looping = false;
  private stopped = false;
  private pass: Promise<void> | null = null;
  /** a wake-up came during a pass: look again right after it */
  private again = false;
  private claimLock: Promise<void> = Promise.resolve();

  constructor(private readonly app: AppContext, private readonly registry: JobRegistry, private readonly opts: RunnerOptions) {
    this.owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  private get concurrency() {
    return this.opts.concurrency ?? 8;
  }

  /** Creates the recurring jobs the registered kinds declare (kept when their schedule did not change). */
  async ensureRecurring(): Promise<void> {
    const now = this.app.clock.now();
    for (const def of this.registry.all()) {
      if (def.recurring) await ensureRecurringJob(this.app.db, def.kind, 'default', def.recurring, nextRun(parseSchedule(def.recurring), now), now);
    }
  }

  /** The production loop: a timer, and wake-ups when jobs are enqueued. */
  async start(): Promise<this> {
    await this.ensureRecurring();
    this.looping = true;
    runners.add(this);
    this.arm(0);
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.looping = false;
    runners.delete(this);
    if (this.timer) clearTimeout(this.timer);
    await this.pass;
    await Promise.all([...this.inflight.values()].map((w) => w.done));
  }

  wake(): void {
    if (this.looping) this.arm(0);
  }

  /**
   * Runs every job due now (app.clock) and waits until none is left: jobs a run makes due again are
   * not run twice in one call. Returns how many runs it started.
   */
  async runDue(): Promise<number> {
    const seen = new Set<string>();
    let ran = 0;
    for (;;) {
      const started = await this.claimAndStart(seen);
      ran += started;
      if (!started && !this.inflight.size) return ran;
      await Promise.all([...this.inflight.values()].map((w) => w.done));
    }
  }

  private arm(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loopPass(), ms);
  }

  private async loopPass() {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.again = false;
    this.pass = this.claimAndStart().then(
      () => undefined,
      (e: unknown) => this.opts.log.error({ err: e }, 'job runner: cannot read the jobs to run'),
    );
    await this.pass;
    this.pass = null;
    this.arm(this.again ? 0 : (this.opts.pollMs ?? 1000));
  }

  /** One claim at a time in this runner, so it never takes more than its concurrency. */
  private async claimAndStart(seen?: Set<string>): Promise<number> {
    const previous = this.claimLock;
    let release!: () => void;
    this.claimLock = new Promise((r) => (release = r));
    await previous;
    try {
      return await this.claimOnce(seen);
    } finally {
      release();
    }
  }

  private async claimOnce(seen?: Set<string>): Promise<number> {
    let started = 0;
    const now = this.app.clock.now();
    if (this.concurrency - this.inflight.size <= 0) return 0;
    // never a job this runner is running itself, even when its lease looks over (a clock moved on under it)
    const excluded = () => [...(seen ?? []), ...this.inflight.keys()];
    const due = await dueKinds(this.app.db, now, excluded());
    for (const def of this.registry.all()) {
      if (!due.has(def.kind)) continue;
      const free = this.concurrency - this.inflight.size;
      if (free <= 0) break;
      const busy = [...this.inflight.values()].filter((w) => w.kind === def.kind).length;
      const limit = Math.min(free, (def.concurrency ?? this.concurrency) - busy);
      const exclude = excluded();
      const jobs = await claimDue(this.app.db, { kind: def.kind, limit, owner: this.owner, now, leaseMs: def.leaseMs ?? DEFAULT_LEASE_MS, exclude: exclude.length ? exclude : undefined });
      for (const job of jobs) {
        seen?.add(job.id);
        const done = this.work(def, job).finally(() => {
          this.inflight.delete(job.id);
          this.runs++;
          this.wake();
        });
        this.inflight.set(job.id, { kind: def.kind, done });
        started++;
      }
    }
    return started;
  }

  /** One run: the handler, then its result recorded (never throws). */
  private async work(def: JobKind, job: JobRow): Promise<void> {
    const log = this.opts.log.child({ job: job.id, kind: job.kind, key: job.key });
    let outcome: JobOutcome;
    let error: string | null = null;
    let readOnly = false;
    try {
      outcome = await def.run({ app: this.app, job, now: this.app.clock.now(), log });
    } catch (e) {
      error = messageOf(e);
      readOnly = e instanceof AppError && e.code === 'platform.read_only';
      if (readOnly) log.info('job waits: the platform is read-only');
      else log.warn({ err: e, attempts: job.attempts + 1 }, 'job failed');
    }
    try {
      const now = this.app.clock.now();
      const finish = readOnly ? waitWhileReadOnly(job, error ?? '', now) : settle(def, job, outcome, error, now);
      const recorded = await finishJob(this.app.db, job, this.owner, finish, now);
      if (!recorded) log.warn('job lease ran out before the run ended: another process took it over; this result is dropped');
    } catch (e) {
      log.error({ err: e }, 'job result not recorded');
    }
  }
}
