// Pure: how a run ends — what a job's row becomes from the handler's outcome or error.
import type { JobKind, JobOutcome } from './registry.js';
import type { JobRow } from './model.js';
import type { Finish } from './store.js';
import { nextRun, parseSchedule, retryDelay } from './schedule.js';

const earliest = (...dates: Array<Date | null | undefined>) => new Date(Math.min(...dates.filter((d): d is Date => !!d).map((d) => d.getTime())));

/**
 * A failure (an exception, or `{ failed }`) is retried after the kind's delay for that many failures
 * in a row, never later than the next planned run of a recurring job; a one-shot job stops at the
 * kind's maximum. A success resets the count; a recurring job then waits for its next planned run.
 */
export function settle(def: Pick<JobKind, 'retryDelaysMs' | 'maxAttempts'>, job: Pick<JobRow, 'schedule' | 'runAt' | 'attempts'>, outcome: JobOutcome, error: string | null, now: Date): Finish {
  const schedule = job.schedule ? parseSchedule(job.schedule) : null;
  const planned = schedule ? nextRun(schedule, now, new Date(job.runAt)) : null;
  const failed = error ?? (outcome && 'failed' in outcome ? outcome.failed : null);
  if (failed !== null) {
    const attempts = job.attempts + 1;
    if (!schedule && def.maxAttempts !== null && attempts >= def.maxAttempts) return { status: 'failed', attempts, lastError: failed };
    const retry = new Date(now.getTime() + retryDelay(def.retryDelaysMs, attempts));
    const before = outcome && 'failed' in outcome ? outcome.retryBefore : undefined;
    return { status: 'scheduled', runAt: earliest(retry, before, planned), attempts, lastError: failed };
  }
  if (outcome && 'forget' in outcome) return { status: 'forget' };
  if (outcome && 'done' in outcome) return { status: 'done', attempts: 0, lastError: null };
  if (outcome && 'next' in outcome) return { status: 'scheduled', runAt: outcome.next, attempts: 0, lastError: null };
  if (planned) return { status: 'scheduled', runAt: planned, attempts: 0, lastError: null };
  return { status: 'done', attempts: 0, lastError: null };
}

/** How long a run refused by the platform's read-only mode waits before it looks again. */
export const READ_ONLY_WAIT_MS = 10 * 60_000;

/**
 * A run refused because the platform is read-only (its change held back: platform/read-only.ts) is
 * no failure: it waits and tries again, its count of failures untouched (never given up for it).
 */
export const waitWhileReadOnly = (job: Pick<JobRow, 'attempts'>, message: string, now: Date): Finish => ({
  status: 'scheduled', runAt: new Date(now.getTime() + READ_ONLY_WAIT_MS), attempts: job.attempts, lastError: `waiting: ${message}`,
});

/** The message of whatever a handler threw. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)) || 'failed without a message';
