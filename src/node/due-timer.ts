// The timer of work a node does on its own clock (side effects: a timer), for the drivers that run
// what is due even while the manager is down (backups, snapshots, scheduled tasks): it wakes up when
// the next work is due, or within MAX_WAIT_MS (a clock that jumped is noticed within it), runs what
// is due, and arms itself again once that run has ended, until it is stopped.
import type { Clock } from '../platform/clock.js';

/** The longest wait between two looks at the clock (a clock that jumped is noticed within it). */
export const MAX_WAIT_MS = 60_000;

export interface DueWork {
  /** when the next work is due (ms since the epoch; Infinity: nothing is) */
  next(now: Date): number;
  /** runs what is due; the timer is armed again once it has ended */
  run(): Promise<void> | void;
  /** what a failed run does (logs it): the timer goes on */
  failed(e: unknown): void;
}

export class DueTimer {
  private timer: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly clock: Clock,
    private readonly work: DueWork,
  ) {}

  /** Whether stop() was called (a run under way ends on its own). */
  get stopped(): boolean {
    return this.ended;
  }

  /** (Re)arms the timer to the next due time, at most MAX_WAIT_MS away; nothing once stopped. */
  arm() {
    this.clear();
    if (this.ended) return;
    const now = this.clock.now();
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, this.work.next(now) - now.getTime()));
    this.timer = setTimeout(() => {
      void (async () => this.work.run())()
        .catch((e: unknown) => this.work.failed(e))
        .finally(() => this.arm());
    }, wait);
    this.timer.unref();
  }

  /** Stops the timer for good. */
  stop() {
    this.ended = true;
    this.clear();
  }

  private clear() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
