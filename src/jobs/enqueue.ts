// What capabilities call to give the runner work: enqueue (or bring forward) and cancel jobs, in
// the caller's transaction. Runners of this process wake once the change is committed.
import type { Db } from '../platform/db/database.js';
import { cancelJob as cancel, newJobSql, upsertJob, type JobSpec } from './store.js';
import { parseSchedule } from './schedule.js';
import { wakeRunners } from './runner.js';

/**
 * Makes sure the job runs by `spec.runAt`. Give the change's `afterCommit` when there is one: the
 * runners wake after the commit; otherwise they wake at once (PGlite serialises transactions, so
 * they see the row) or at their next poll (PostgreSQL).
 */
export async function enqueueJob(db: Db, spec: JobSpec, now: Date, afterCommit?: Array<() => void>): Promise<void> {
  if (spec.schedule) parseSchedule(spec.schedule);
  await upsertJob(db, spec, now);
  if (afterCommit) afterCommit.push(wakeRunners);
  else setImmediate(wakeRunners);
}

/**
 * A job inserted by the caller's own statement (newJobSql, for a key never enqueued before): the
 * runners wake as after enqueueJob.
 */
export function jobInserted(afterCommit?: Array<() => void>): void {
  if (afterCommit) afterCommit.push(wakeRunners);
  else setImmediate(wakeRunners);
}

export { newJobSql };

export async function cancelJob(db: Db, kind: string, key: string, now: Date): Promise<void> {
  await cancel(db, kind, key, now);
}

export type { JobSpec };
