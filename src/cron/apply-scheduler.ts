// The scheduler of a web server (side effects): a driver that keeps the scheduled tasks of the
// desired state and runs each in its hosting's jail (runInJail: as the hosting's uid, killed after
// its time limit, within the jail's resource limits and a cgroup of its own where one can be made) when its schedule comes (dueTasks, with a timer to the next due minute), and once
// more each time its "run now" count grows (the counts already run are kept in a file: a request made
// while the agent was down runs when it comes back). A task whose previous run still runs is skipped.
// Each run is sent to the manager as soon as it ends (kept and re-sent if the manager cannot be reached).
// Render-only nodes run nothing.
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import { writeAtomic } from '../platform/files.js';
import { readIfExists } from '../platform/if-exists.js';
import { detailOf, objectState, type Driver, type DriverResult } from '../node/driver.js';
import { DueTimer } from '../node/due-timer.js';
import type { CronRunReport, DesiredCronTask, DesiredState } from '../node/protocol.js';
import { ensureJails, jailOf } from '../jail/apply-jail.js';
import { runInJail } from '../jail/apply-run.js';
import { detectCgroups, type CgroupMode } from '../jail/apply-cgroups.js';
import { dueTasks, MAX_RUN_OUTPUT, nextRunOf } from './rules-tasks.js';

/** Where the scheduler keeps its files under the node's root (its own jails: the SFTP driver prunes its own). */
export const cronPaths = (root: string) => ({ jails: path.join(root, 'var/lib/abri/cron/jail'), seen: path.join(root, 'var/lib/abri/cron/requests.json') });


export class CronDriver implements Driver {
  readonly name = 'cron';
  private tasks: DesiredCronTask[] = [];
  private seen: Record<string, number> | null = null;
  private readonly running = new Set<string>();
  private readonly pending: CronRunReport[] = [];
  private seccompFile: string | null = null;
  private cgroups: CgroupMode | null = null;
  private readonly timer: DueTimer;
  private last: Date;
  /** resolves when the runs under way end (tests) */
  readonly runs = new Set<Promise<void>>();

  constructor(
    private readonly root: string,
    private readonly apply: boolean,
    private readonly send: ((runs: CronRunReport[]) => Promise<void>) | undefined,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.last = clock.now();
    // the next due minute of any enabled task
    this.timer = new DueTimer(clock, {
      next: () => Math.min(...this.tasks.filter((t) => t.enabled).map((t) => nextRunOf(t.schedule, this.last)?.getTime() ?? Infinity), Infinity),
      run: () => this.tick(),
      failed: (e) => this.log.error({ err: e }, `scheduled tasks: ${detailOf(e)}`),
    });
  }

  handles(state: DesiredState) {
    return !!state.cron;
  }

  async reconcile(state: DesiredState): Promise<DriverResult> {
    const tasks = state.cron!.tasks;
    const ok = this.apply ? 'live' : 'rendered';
    if (!this.apply) return { objects: tasks.map((t) => objectState('cron-task', t.id, ok)) };
    const p = cronPaths(this.root);
    const hostings = new Map(tasks.map((t) => [t.hosting, { hosting: t.hosting, uid: t.uid, gid: t.uid, home: t.home }]));
    this.seccompFile = await ensureJails(p.jails, [...hostings.values()]);
    if (!this.cgroups) {
      this.cgroups = await detectCgroups();
      this.log.info({ cgroups: this.cgroups }, this.cgroups.kind === 'none' ? 'scheduled runs: no cgroup can be made here, setrlimit limits only' : `scheduled runs: a ${this.cgroups.kind} cgroup each`);
    }
    this.tasks = tasks;
    if (!this.seen) {
      const text = await readIfExists(p.seen);
      this.seen = text ? (JSON.parse(text) as Record<string, number>) : {};
    }
    // "run now": each request once; a task seen for the first time has nothing to catch up on
    const seen: Record<string, number> = {};
    for (const t of tasks) {
      const before = this.seen[t.id];
      seen[t.id] = t.runRequests;
      if (before !== undefined && t.runRequests > before) this.start(t, true);
    }
    if (JSON.stringify(seen) !== JSON.stringify(this.seen)) await writeAtomic(p.seen, JSON.stringify(seen), 0o600);
    this.seen = seen;
    this.timer.arm();
    void this.flush();
    return { objects: tasks.map((t) => objectState('cron-task', t.id, ok)) };
  }

  /** Stops the timer (runs under way end on their own, within their time limits). */
  stop() {
    this.timer.stop();
  }

  private tick() {
    const now = this.clock.now();
    for (const t of dueTasks(this.tasks, this.last, now)) this.start(t, false);
    this.last = now;
  }

  private start(t: DesiredCronTask, requested: boolean) {
    if (this.running.has(t.id)) {
      this.log.warn({ task: t.id, hosting: t.hosting }, 'scheduled task skipped: its previous run has not ended');
      return;
    }
    this.running.add(t.id);
    const run = runInJail({
      jail: jailOf(cronPaths(this.root).jails, { hosting: t.hosting, uid: t.uid, gid: t.uid, home: t.home }),
      seccompFile: this.seccompFile,
      command: t.command,
      timeoutMs: t.timeLimit * 1000,
      maxOutputBytes: MAX_RUN_OUTPUT,
      clock: this.clock,
      cgroups: this.cgroups ?? { kind: 'none' },
    })
      .then(async (r) => {
        this.pending.push({
          taskId: t.id, startedAt: r.startedAt.toISOString(), endedAt: r.finishedAt.toISOString(), exitCode: r.exitCode,
          timedOut: r.timedOut, output: r.output, truncated: r.truncated, requested, stoppedBy: r.stoppedBy,
        });
        await this.flush();
      })
      .catch((e: unknown) => this.log.error({ err: e, task: t.id, hosting: t.hosting }, 'scheduled task could not be run'))
      .finally(() => {
        this.running.delete(t.id);
        this.runs.delete(run);
      });
    this.runs.add(run);
  }

  /** Sends the runs not sent yet; on failure they are kept for the next try. */
  private async flush() {
    if (!this.send || !this.pending.length) return;
    const batch = this.pending.splice(0, this.pending.length);
    try {
      await this.send(batch);
    } catch (e) {
      this.pending.unshift(...batch);
      this.pending.splice(0, Math.max(0, this.pending.length - 1000)); // the newest 1000 kept while the manager is away
      this.log.warn({ err: e }, `scheduled task runs not sent (${batch.length}): ${(e as Error).message}; retried later`);
    }
  }
}
